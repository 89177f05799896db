"""Wrong answers for lab03_cost_gradient_descent; each must lose exactly its own exercise's points."""
from exercises.contracts import Contract, Float, Fn, Int, OneOf, Seq, Str, T, Tup
from exercises.mutants import Alternative, Mutant

MUTANTS = [
    # ex01 cost: ((W * x - y) ** 2).mean()
    Mutant("ex01_cost", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex01_cost", "no_square", replace=((" ** 2", ""),)),
    Mutant("ex01_cost", "absolute_error", replace=(("((W * x - y) ** 2)", "(W * x - y).abs()"),)),
    Mutant("ex01_cost", "root_mse", replace=(("((W * x - y) ** 2).mean()", "((W * x - y) ** 2).mean().sqrt()"),)),
    Mutant("ex01_cost", "detached_item",
           source="def cost(W, x, y):\n    return torch.tensor(((W * x - y) ** 2).mean().item())\n",
           breaks="differentiable"),
    Mutant("ex01_cost", "in_place_residual",
           source="def cost(W, x, y):\n    y -= W * x                 # the residual, in place\n    return (y ** 2).mean()\n",
           breaks="no_mutation"),

    # ex02 cost_gradient: 2 * ((W * x - y) * x).mean()
    Mutant("ex02_cost_gradient", "wrong_sign", replace=(("(W * x - y)", "(y - W * x)"),)),
    Mutant("ex02_cost_gradient", "missing_factor_2", replace=(("return 2 * ", "return "),)),
    Mutant("ex02_cost_gradient", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex02_cost_gradient", "forgot_x", replace=(("((W * x - y) * x)", "(W * x - y)"),)),
    Mutant("ex02_cost_gradient", "x_squared_twice", replace=(("((W * x - y) * x)", "((W * x - y) * x * x)"),)),
    Mutant("ex02_cost_gradient", "uses_autograd",
           source="def cost_gradient(W, x, y):\n"
                  "    W = torch.as_tensor(W, dtype=x.dtype, device=x.device).detach().requires_grad_(True)\n"
                  "    return torch.autograd.grad(((W * x - y) ** 2).mean(), W)[0]\n", breaks="no_autograd"),
    Mutant("ex02_cost_gradient", "in_place_residual",
           source="def cost_gradient(W, x, y):\n    y -= W * x                 # minus the residual, in place\n"
                  "    return -2 * (y * x).mean()\n", breaks="no_mutation"),

    # ex03 gd_step: residuals once, both gradients from the old (W, b), then update
    Mutant("ex03_gd_step", "wrong_sign", replace=(("return W - lr * dW, b - lr * db", "return W + lr * dW, b + lr * db"),)),
    Mutant("ex03_gd_step", "sequential_update",
           source="def gd_step(W, b, x, y, lr):\n"
                  "    W = W - lr * 2 * ((W * x + b - y) * x).mean()\n"
                  "    b = b - lr * 2 * (W * x + b - y).mean()\n"
                  "    return W, b\n"),
    Mutant("ex03_gd_step", "forgot_x_in_dW", replace=(("dW = 2 * (r * x).mean()", "dW = 2 * r.mean()"),)),
    Mutant("ex03_gd_step", "x_in_db", replace=(("db = 2 * r.mean()", "db = 2 * (r * x).mean()"),)),
    Mutant("ex03_gd_step", "in_place",
           source="def gd_step(W, b, x, y, lr):\n"
                  "    r = W * x + b - y\n"
                  "    dW = 2 * (r * x).mean()\n"
                  "    db = 2 * r.mean()\n"
                  "    W -= lr * dW\n"
                  "    b -= lr * db\n"
                  "    return W, b\n", breaks="no_mutation"),
    Mutant("ex03_gd_step", "uses_autograd",
           source="def gd_step(W, b, x, y, lr):\n"
                  "    W_, b_ = W.detach().requires_grad_(True), b.detach().requires_grad_(True)\n"
                  "    dW, db = torch.autograd.grad(((W_ * x + b_ - y) ** 2).mean(), (W_, b_))\n"
                  "    return W - lr * dW, b - lr * db\n", breaks="no_autograd"),

    # ex04 run_gd: history [W0, W1, ..., W_steps] with W = W - lr * grad_fn(W, x, y)
    Mutant("ex04_run_gd", "off_by_one", replace=(("range(steps)", "range(steps - 1)"),)),
    Mutant("ex04_run_gd", "start_not_recorded", replace=(("history = [W0]", "history = []"),)),
    Mutant("ex04_run_gd", "plus_sign", replace=(("W = W - lr * grad_fn", "W = W + lr * grad_fn"),)),
    Mutant("ex04_run_gd", "mutates_W0",
           source="def run_gd(x, y, W0, lr, steps, grad_fn):\n"
                  "    W = W0\n"
                  "    history = [W0.clone()]\n"
                  "    for _ in range(steps):\n"
                  "        W -= lr * grad_fn(W, x, y)\n"
                  "        history.append(W.clone())\n"
                  "    return torch.stack(history)\n", breaks="no_mutation"),
    Mutant("ex04_run_gd", "aliased_history",
           source="def run_gd(x, y, W0, lr, steps, grad_fn):\n"
                  "    W = W0.clone()\n"
                  "    history = [W]\n"
                  "    for _ in range(steps):\n"
                  "        W -= lr * grad_fn(W, x, y)\n"
                  "        history.append(W)\n"
                  "    return torch.stack(history)\n"),
    Mutant("ex04_run_gd", "ignores_grad_fn", replace=(("grad_fn(W, x, y)", "2 * ((W * x - y) * x).mean()"),),
           breaks="uses_grad_fn"),
    Mutant("ex04_run_gd", "ignores_lr", replace=(("W = W - lr * grad_fn", "W = W - 0.1 * grad_fn"),)),

    # ex05 max_stable_lr: 2 / largest eigenvalue of 2 X^T X / N
    Mutant("ex05_max_stable_lr", "missing_factor_2_in_hessian", replace=(("hessian = 2 * X.T @ X", "hessian = X.T @ X"),)),
    Mutant("ex05_max_stable_lr", "one_over_lambda", replace=(("float(2 / lam_max)", "float(1 / lam_max)"),)),
    Mutant("ex05_max_stable_lr", "smallest_eigenvalue", replace=(("[-1]", "[0]"),)),
    Mutant("ex05_max_stable_lr", "sum_not_mean", replace=((" / X.shape[0]", ""),)),
    Mutant("ex05_max_stable_lr", "trace_not_eigenvalue",
           replace=(("torch.linalg.eigvalsh(hessian.cpu())[-1]", "torch.trace(hessian.cpu())"),)),
    Mutant("ex05_max_stable_lr", "returns_tensor", replace=(("return float(2 / lam_max)", "return 2 / lam_max"),)),
    Mutant("ex05_max_stable_lr", "divides_by_D", replace=((" / X.shape[0]", " / X.shape[1]"),)),
    Mutant("ex05_max_stable_lr", "scales_X_in_place",
           source="def max_stable_lr(X):\n"
                  "    X *= (2 / X.shape[0]) ** 0.5        # fold 2/N into X: the Hessian is then X^T X\n"
                  "    lam_max = torch.linalg.eigvalsh((X.T @ X).cpu())[-1]\n"
                  "    return float(2 / lam_max)\n", breaks="no_mutation"),

    # ex06 least_squares: lstsq on A = [x, 1]
    Mutant("ex06_least_squares", "no_bias_column",
           source="def least_squares(x, y):\n"
                  "    W = torch.linalg.lstsq(x.unsqueeze(1), y.unsqueeze(1)).solution.reshape(())\n"
                  "    return torch.stack([W, torch.zeros_like(W)])\n"),
    Mutant("ex06_least_squares", "swapped_order", replace=(("torch.stack([x, torch.ones_like(x)], dim=1)",
                                                            "torch.stack([torch.ones_like(x), x], dim=1)"),)),
    Mutant("ex06_least_squares", "b_is_mean_y",
           source="def least_squares(x, y):\n"
                  "    xc = x - x.mean()\n"
                  "    W = (xc * (y - y.mean())).mean() / (xc * xc).mean()\n"
                  "    return torch.stack([W, y.mean()])\n"),
    Mutant("ex06_least_squares", "one_d_formula",
           source="def least_squares(x, y):\n"
                  "    W = (x * y).mean() / (x * x).mean()\n"
                  "    return torch.stack([W, y.mean() - W * x.mean()])\n"),

    Mutant("ex06_least_squares", "centres_in_place",
           source="def least_squares(x, y):\n"
                  "    x_mean, y_mean = x.mean(), y.mean()\n"
                  "    x -= x_mean                        # centre both, in place\n"
                  "    y -= y_mean\n"
                  "    W = (x * y).sum() / (x * x).sum()\n"
                  "    return torch.stack([W, y_mean - W * x_mean])\n", breaks="no_mutation"),
    Mutant("ex06_least_squares", "returns_float64",
           replace=(("torch.linalg.lstsq(A, y.unsqueeze(1))", "torch.linalg.lstsq(A.double(), y.unsqueeze(1).double())"),)),

    # ex07 classify_run: non-finite or last > first -> diverged; any rise -> oscillating; else converged
    Mutant("ex07_classify_run", "ignores_nan",
           replace=(("not bool(torch.isfinite(c).all()) or bool(c[-1] > c[0])", "bool(c[-1] > c[0])"),)),
    Mutant("ex07_classify_run", "oscillating_checked_first",
           source="def classify_run(costs):\n"
                  "    c = torch.as_tensor(costs)\n"
                  "    if bool((c[1:] > c[:-1]).any()):\n"
                  "        return 'oscillating'\n"
                  "    if not bool(torch.isfinite(c).all()) or bool(c[-1] > c[0]):\n"
                  "        return 'diverged'\n"
                  "    return 'converged'\n"),
    Mutant("ex07_classify_run", "never_oscillating", replace=(("if bool((c[1:] > c[:-1]).any()):", "if False:"),)),
    Mutant("ex07_classify_run", "last_step_decides_divergence", replace=(("bool(c[-1] > c[0])", "bool(c[-1] > c[-2])"),)),
    Mutant("ex07_classify_run", "flat_counts_as_rise", replace=(("c[1:] > c[:-1]", "c[1:] >= c[:-1]"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_cost", "mse_loss", source=(
        "def cost(W, x, y):\n"
        "    return torch.nn.functional.mse_loss(W * x, y)\n")),
    Alternative("ex02_cost_gradient", "expanded_sums", source=(
        "def cost_gradient(W, x, y):\n"
        "    return 2 * (W * (x * x).sum() - (x * y).sum()) / x.numel()\n")),
    Alternative("ex03_gd_step", "dot_products", source=(
        "def gd_step(W, b, x, y, lr):\n"
        "    r = W * x + b - y\n"
        "    n = x.numel()\n"
        "    return W - lr * 2 * torch.dot(r, x) / n, b - lr * 2 * r.sum() / n\n")),
    Alternative("ex04_run_gd", "cat_as_you_go", source=(
        "def run_gd(x, y, W0, lr, steps, grad_fn):\n"
        "    W = W0.clone()\n"
        "    history = W0.reshape(1).clone()\n"
        "    for _ in range(steps):\n"
        "        W = W - lr * grad_fn(W, x, y)\n"
        "        history = torch.cat([history, W.reshape(1)])\n"
        "    return history\n")),
    Alternative("ex05_max_stable_lr", "spectral_norm", source=(
        "def max_stable_lr(X):\n"
        "    sigma = torch.linalg.matrix_norm(X.detach().cpu().double(), ord=2)   # largest singular value\n"
        "    return float(X.shape[0] / sigma ** 2)\n")),
    Alternative("ex06_least_squares", "centred_formula", source=(
        "def least_squares(x, y):\n"
        "    xc, yc = x - x.mean(), y - y.mean()\n"
        "    W = (xc * yc).sum() / (xc * xc).sum()\n"
        "    return torch.stack([W, y.mean() - W * x.mean()])\n")),
    Alternative("ex07_classify_run", "python_floats", source=(
        "def classify_run(costs):\n"
        "    c = [float(v) for v in costs]\n"
        "    if any(math.isnan(v) or math.isinf(v) for v in c) or c[-1] > c[0]:\n"
        "        return 'diverged'\n"
        "    if any(later > earlier for earlier, later in zip(c, c[1:])):\n"
        "        return 'oscillating'\n"
        "    return 'converged'\n")),
]

_W = OneOf(T(dtype="float"), Float())  # a 0-dim tensor or a Python float

CONTRACTS = [
    Contract("ex01_cost", "cost", {"W": _W, "x": T("N", dtype="float"), "y": T("N", dtype="float")},
             returns=T(dtype="float"), rules=("device", "no_mutation", "differentiable"), batch="x", diverse=None,
             why_not="x and y are one-dimensional: their only axis is the batch"),
    Contract("ex02_cost_gradient", "cost_gradient", {"W": _W, "x": T("N", dtype="float"), "y": T("N", dtype="float")},
             returns=T(dtype="float"), rules=("device", "no_mutation", "no_autograd"), batch="x", diverse=None,
             why_not="x and y are one-dimensional: their only axis is the batch"),
    Contract("ex03_gd_step", "gd_step", {"W": T(dtype="float"), "b": T(dtype="float"), "x": T("N", dtype="float"),
                                         "y": T("N", dtype="float"), "lr": Float(lo=0)},
             returns=Tup(T(dtype="float"), T(dtype="float")), rules=("device", "no_mutation", "no_autograd"),
             batch="x", diverse=None, why_not="x and y are one-dimensional: their only axis is the batch"),
    Contract("ex04_run_gd", "run_gd", {"x": T("N", dtype="float"), "y": T("N", dtype="float"), "W0": T(dtype="float"),
                                       "lr": Float(lo=0), "steps": Int(lo=0), "grad_fn": Fn()},
             returns=T(None, dtype="float"), rules=("device", "no_mutation", "uses_grad_fn"), batch="x", diverse=None,
             why_not="x and y are one-dimensional: their only axis is the batch"),
    Contract("ex05_max_stable_lr", "max_stable_lr", {"X": T("N", "D", dtype="float")}, returns=Float(lo=0),
             rules=("no_mutation",), batch="X"),
    Contract("ex06_least_squares", "least_squares", {"x": T("N", dtype="float"), "y": T("N", dtype="float")},
             returns=T(2, dtype="float"), rules=("device", "no_mutation"), batch=None, diverse=None,
             why_not="x must not be constant, so N >= 2 (no batch of one); x and y are one-dimensional"),
    Contract("ex07_classify_run", "classify_run", {"costs": OneOf(T(None, dtype="float"), Seq(Float()))},
             returns=Str(), batch=None, diverse=None,
             why_not="costs is one run's history, one value per step: no batch, one axis"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 cost
    "ex01_cost-sum_not_mean": (
        "`.sum()` adds the squared errors up, so the cost grows with N instead of being their mean",
        "average with .mean(): on the toy data cost(0) is 14/3, not 14"),
    "no_square": (
        "the residuals are averaged without squaring them, so misses above and below the line cancel out",
        "square each residual W x_i - y_i before taking the mean"),
    "absolute_error": (
        "this is the mean absolute error, |W x - y|, not the mean squared error",
        "square the residuals instead of taking .abs()"),
    "root_mse": (
        "the square root turns the cost into the root mean squared error, not the mean of the squared errors",
        "return the mean of the squared residuals, without .sqrt()"),
    "detached_item": (
        "`torch.tensor(... .item())` builds a new tensor with no autograd history, so the cost no longer requires grad when W does",
        "return the tensor expression itself, with no .item(), float(...) or torch.tensor(...) around it"),
    "ex01_cost-in_place_residual": (
        "`y -= W * x` works in place, so the caller's targets y are overwritten with the residuals",
        "compute the residual as a new tensor, W * x - y, and leave y as it is"),
    # ex02 cost_gradient
    "ex02_cost_gradient-wrong_sign": (
        "the residual is target minus prediction, y - W x, so the slope comes out with the wrong sign",
        "use prediction minus target, W * x - y: at W = 0 on the toy data the slope is -28/3"),
    "missing_factor_2": (
        "the factor 2 from the outer derivative of the square is missing, so the slope is half as steep",
        "multiply by 2: the derivative of r ** 2 is 2 r times the derivative of r"),
    "ex02_cost_gradient-sum_not_mean": (
        "`.sum()` adds the terms up instead of averaging them, so the slope is N times too large",
        "the derivative of a mean is a mean: use .mean()"),
    "forgot_x": (
        "the inner derivative x_i is missing: this averages the residuals instead of residual times x",
        "multiply each residual W x_i - y_i by its x_i (the derivative of W x_i with respect to W) before the mean"),
    "x_squared_twice": (
        "each residual is multiplied by x twice, (W x - y) x^2, but the chain rule brings in x_i only once",
        "multiply the residual by x once: the derivative of W x_i with respect to W is x_i"),
    "ex02_cost_gradient-uses_autograd": (
        "the slope comes from torch.autograd.grad, which this exercise rules out; under torch.no_grad() there is no graph to use",
        "write the derivative yourself from the formula: 2 times the mean of (W x_i - y_i) x_i"),
    "ex02_cost_gradient-in_place_residual": (
        "`y -= W * x` works in place, so the caller's targets y are overwritten",
        "compute the residual as a new tensor, W * x - y, and leave y as it is"),
    # ex03 gd_step
    "ex03_gd_step-wrong_sign": (
        "the step adds lr times the gradients, so it goes uphill and the cost grows",
        "step against the gradients: W - lr * dW and b - lr * db"),
    "sequential_update": (
        "the gradient for b is computed with the W just updated, not the old one, so b takes the wrong step",
        "compute the residuals once from the old (W, b), then dW and db, and only then update both"),
    "forgot_x_in_dW": (
        "dW is missing the factor x_i: it averages the residuals, which is the gradient of b, not of W",
        "dW is 2 times the mean of r * x, with r the residuals"),
    "x_in_db": (
        "db multiplies the residuals by x, but the inner derivative for b is 1, not x_i",
        "db is 2 times the mean of the residuals r, without x"),
    "in_place": (
        "`W -= ...` and `b -= ...` work in place, so the caller's W and b are changed",
        "return new tensors: W - lr * dW and b - lr * db"),
    "ex03_gd_step-uses_autograd": (
        "the gradients come from torch.autograd.grad, which this exercise rules out; under torch.no_grad() there is no graph to use",
        "write both derivatives yourself from the residuals r = W * x + b - y: 2 times the mean of r * x, and 2 times the mean of r"),
    # ex04 run_gd
    "off_by_one": (
        "`range(steps - 1)` takes one step fewer than asked, so the history has steps values instead of steps + 1",
        "loop over range(steps), with W0 as the first entry of the history"),
    "start_not_recorded": (
        "the history starts empty, so W0 is missing and there are only steps values (none at all for steps = 0)",
        "start the list with the starting point: history = [W0]"),
    "plus_sign": (
        "each step adds lr * grad_fn(W, x, y), so W climbs uphill, away from the minimum",
        "step against the derivative: W = W - lr * grad_fn(W, x, y)"),
    "mutates_W0": (
        "`W = W0` followed by `W -= ...` changes the caller's W0 in place",
        "build a new tensor at each step: W = W - lr * grad_fn(W, x, y)"),
    "aliased_history": (
        "`W -= ...` updates one tensor in place and the list holds that same tensor each time, so every entry equals the last W",
        "make a new tensor at each step, W = W - lr * grad_fn(W, x, y), and append that"),
    "ignores_grad_fn": (
        "the MSE slope is written out instead of calling grad_fn, so the derivative of any other cost passed in is ignored",
        "get the derivative from grad_fn(W, x, y), whatever function it is"),
    "ignores_lr": (
        "the step size is fixed at 0.1 instead of the lr passed in",
        "scale the derivative by lr: W - lr * grad_fn(W, x, y)"),
    # ex05 max_stable_lr
    "missing_factor_2_in_hessian": (
        "the Hessian is taken as X^T X / N without the factor 2, so lambda_max is half as large and the limit twice too large",
        "the second derivative of the MSE is 2 X^T X / N: take the largest eigenvalue of that"),
    "one_over_lambda": (
        "this returns 1 / lambda_max, half the limit: gradient descent is stable up to 2 / lambda_max",
        "return 2 / lambda_max as a float"),
    "smallest_eigenvalue": (
        "eigvalsh sorts the eigenvalues in ascending order, so [0] is the smallest, but the limit is set by the largest",
        "take the last eigenvalue, [-1]"),
    "ex05_max_stable_lr-sum_not_mean": (
        "the Hessian is not divided by N, so lambda_max is N times too large and the limit N times too small",
        "divide by the number of examples: 2 * X.T @ X / X.shape[0]"),
    "trace_not_eigenvalue": (
        "the trace is the sum of all the eigenvalues, larger than lambda_max whenever D > 1",
        "compute the eigenvalues with torch.linalg.eigvalsh and take the largest, [-1]"),
    "returns_tensor": (
        "`2 / lam_max` is a 0-dim tensor, not a Python float",
        "wrap it in float(...) or call .item()"),
    "divides_by_D": (
        "the Hessian is divided by X.shape[1], the number of columns D, instead of the number of examples N",
        "divide by N = X.shape[0]"),
    "scales_X_in_place": (
        "`X *= ...` works in place, so the caller's design matrix X is rescaled",
        "leave X as it is and compute the Hessian as a new tensor, 2 * X.T @ X / N"),
    # ex06 least_squares
    "no_bias_column": (
        "the fit has no column of ones and b is set to 0, so the line is forced through the origin",
        "stack x with a column of ones, A = [x 1], and solve for W and b together"),
    "swapped_order": (
        "the ones are the first column of A, so the answer comes back as [b, W] instead of [W, b]",
        "put x in the first column and the ones in the second: torch.stack([x, torch.ones_like(x)], dim=1)"),
    "b_is_mean_y": (
        "b is set to the mean of y, which is right only when x is centred: the intercept is mean(y) - W mean(x)",
        "solve for W and b together with A = [x 1], by torch.linalg.lstsq or the normal equations"),
    "one_d_formula": (
        "the slope mean(x y) / mean(x^2) is that of a line through the origin; with a bias it is right only for a centred x",
        "solve the normal equations for [W, b] together, with A = [x 1]"),
    "centres_in_place": (
        "`x -= ...` and `y -= ...` work in place, so the caller's x and y are centred",
        "centre into new tensors, x - x.mean(), or solve with A = [x 1] and no centring at all"),
    "returns_float64": (
        "the system is solved in float64, so the answer comes back in float64 instead of the dtype of x",
        "solve in the dtype of x, or convert the answer back with .to(x.dtype)"),
    # ex07 classify_run
    "ignores_nan": (
        "nan is not checked: every comparison with nan is False, so a run whose cost became nan is not called 'diverged'",
        "test for non-finite values first: if not torch.isfinite(c).all(), the run diverged"),
    "oscillating_checked_first": (
        "the rise test comes first, so a run that ends above its start is called 'oscillating' instead of 'diverged'",
        "check 'diverged' (a non-finite cost, or the last cost above the first) before 'oscillating'"),
    "never_oscillating": (
        "a rise from one step to the next is never detected, so an oscillating run is called 'converged'",
        "return 'oscillating' when any cost is larger than the one before it: (c[1:] > c[:-1]).any()"),
    "last_step_decides_divergence": (
        "divergence compares the last cost with the one before it, not with the first cost",
        "a run diverged when its last cost is larger than its first: c[-1] > c[0]"),
    "flat_counts_as_rise": (
        "`>=` counts two equal costs as a rise, so a flat run is called 'oscillating' instead of 'converged'",
        "use a strict comparison, c[1:] > c[:-1]: the cost must really go up"),
}
