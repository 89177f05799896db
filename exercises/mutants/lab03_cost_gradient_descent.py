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
