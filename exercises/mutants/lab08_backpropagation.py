"""Plausible wrong answers to lab08_backpropagation; each must lose exactly its own exercise's points."""
from exercises.contracts import Bool, Contract, Float, Fn, Map, OneOf, T, Tup
from exercises.mutants import Alternative, Mutant

CENTRAL = "return (f(x + h) - f(x - h)) / (2 * h)"
REL_DENOM = "denom = torch.maximum(a.abs(), b.abs()).clamp(min=1e-12)"
CHECK_DENOM = "denom = torch.maximum(a.abs(), numeric.abs()).clamp(min=1e-12)"
CHECK_ERROR = "error = ((a - numeric).abs() / denom).max().item()"

MUTANTS = [
    # ex01 central_difference
    Mutant("ex01_central_difference", "forward_difference", replace=((CENTRAL, "return (f(x + h) - f(x)) / h"),)),
    Mutant("ex01_central_difference", "no_factor_two", replace=((CENTRAL, "return (f(x + h) - f(x - h)) / h"),)),
    Mutant("ex01_central_difference", "precedence_bug", replace=((CENTRAL, "return (f(x + h) - f(x - h)) / 2 * h"),)),
    Mutant("ex01_central_difference", "wrong_sign", replace=((CENTRAL, "return (f(x - h) - f(x + h)) / (2 * h)"),)),
    Mutant("ex01_central_difference", "ignores_h", replace=((CENTRAL, "return (f(x + 1e-5) - f(x - 1e-5)) / (2 * 1e-5)"),)),
    Mutant("ex01_central_difference", "backward_difference", replace=((CENTRAL, "return (f(x) - f(x - h)) / h"),)),
    # ex02 numerical_gradient
    Mutant("ex02_numerical_gradient", "forward_difference", replace=(
        ("        Xc[idx] = old - h\n        f_minus = float(f(Xc))\n", ""),
        ("        Xc[idx] = old                              # put the entry back\n",
         "        Xc[idx] = old                              # put the entry back\n        f_minus = float(f(Xc))\n"),
        ("grad[idx] = (f_plus - f_minus) / (2 * h)", "grad[idx] = (f_plus - f_minus) / h"))),
    Mutant("ex02_numerical_gradient", "never_restores_the_copy", replace=(
        ("        Xc[idx] = old                              # put the entry back\n", ""),)),
    Mutant("ex02_numerical_gradient", "perturbs_x_in_place", breaks="no_mutation", source=(
        "def numerical_gradient(f, X, h=1e-5):\n"
        "    grad = torch.zeros_like(X, dtype=torch.float64)\n"
        "    for idx in np.ndindex(*X.shape):\n"
        "        X[idx] += h\n"
        "        f_plus = float(f(X))\n"
        "        X[idx] -= 2 * h\n"
        "        f_minus = float(f(X))\n"
        "        grad[idx] = (f_plus - f_minus) / (2 * h)\n"
        "    return grad\n")),
    Mutant("ex02_numerical_gradient", "keeps_float32", replace=(
        ("Xc = X.detach().to(torch.float64).clone()", "Xc = X.detach().clone()"),)),
    Mutant("ex02_numerical_gradient", "float32_then_cast", replace=(
        ("Xc = X.detach().to(torch.float64).clone()", "Xc = X.detach().clone()"), ("return grad", "return grad.double()"))),
    Mutant("ex02_numerical_gradient", "perturbs_everything_at_once", source=(
        "def numerical_gradient(f, X, h=1e-5):\n"
        "    Xc = X.detach().to(torch.float64)\n"
        "    d = (float(f(Xc + h)) - float(f(Xc - h))) / (2 * h)\n"
        "    return torch.full_like(Xc, d)\n")),
    Mutant("ex02_numerical_gradient", "perturbs_whole_rows", source=(
        "def numerical_gradient(f, X, h=1e-5):\n"
        "    Xc = X.detach().to(torch.float64).clone()\n"
        "    grad = torch.zeros_like(Xc)\n"
        "    for i in range(len(Xc)):\n"
        "        old = Xc[i].clone()\n"
        "        Xc[i] = old + h\n"
        "        f_plus = float(f(Xc))\n"
        "        Xc[i] = old - h\n"
        "        f_minus = float(f(Xc))\n"
        "        Xc[i] = old\n"
        "        grad[i] = (f_plus - f_minus) / (2 * h)\n"
        "    return grad\n")),
    Mutant("ex02_numerical_gradient", "ignores_h", replace=(
        ("Xc[idx] = old + h", "Xc[idx] = old + 1e-5"), ("Xc[idx] = old - h", "Xc[idx] = old - 1e-5"),
        ("/ (2 * h)", "/ (2 * 1e-5)"))),
    Mutant("ex02_numerical_gradient", "calls_library_numerical_grad", breaks="forbids:dlcourse.gradcheck.numerical_grad",
           source=("def numerical_gradient(f, X, h=1e-5):\n"
                   "    return numerical_grad(f, X, eps=h)          # imported by the setup cell\n")),
    Mutant("ex02_numerical_gradient", "returns_on_cpu_via_numpy", breaks="device", source=(
        "def numerical_gradient(f, X, h=1e-5):\n"
        "    Xc = X.detach().cpu().numpy().astype(np.float64)\n"
        "    grad = np.zeros_like(Xc)\n"
        "    for idx in np.ndindex(*Xc.shape):\n"
        "        old = Xc[idx]\n"
        "        Xc[idx] = old + h\n"
        "        f_plus = float(f(torch.from_numpy(Xc)))\n"
        "        Xc[idx] = old - h\n"
        "        f_minus = float(f(torch.from_numpy(Xc)))\n"
        "        Xc[idx] = old\n"
        "        grad[idx] = (f_plus - f_minus) / (2 * h)\n"
        "    return torch.from_numpy(grad)\n")),
    # ex03 relative_error
    Mutant("ex03_relative_error", "mean_not_max", replace=((".max().item()", ".mean().item()"),)),
    Mutant("ex03_relative_error", "denominator_a_only", replace=((REL_DENOM, "denom = a.abs().clamp(min=1e-12)"),)),
    Mutant("ex03_relative_error", "no_abs_in_denominator", replace=((REL_DENOM, "denom = torch.maximum(a, b).clamp(min=1e-12)"),)),
    Mutant("ex03_relative_error", "no_floor_divides_by_zero", replace=((REL_DENOM, "denom = torch.maximum(a.abs(), b.abs())"),)),
    Mutant("ex03_relative_error", "sum_in_denominator", replace=((REL_DENOM, "denom = (a.abs() + b.abs()).clamp(min=1e-12)"),)),
    Mutant("ex03_relative_error", "ratio_of_norms", source=(
        "def relative_error(a, b):\n"
        "    a, b = a.double(), b.double()\n"
        "    return ((a - b).norm() / max(a.norm(), b.norm(), 1e-12)).item()\n")),
    Mutant("ex03_relative_error", "returns_a_tensor", replace=((".max().item()", ".max()"),)),
    Mutant("ex03_relative_error", "no_abs_in_numerator", replace=(("((a - b).abs() / denom)", "((a - b) / denom)"),)),
    Mutant("ex03_relative_error", "calls_library_relative_error", breaks="forbids:dlcourse.gradcheck.relative_error",
           source=("from dlcourse.gradcheck import relative_error as _library_relative_error\n\n\n"
                   "def relative_error(a, b):\n"
                   "    return _library_relative_error(a, b)\n")),
    Mutant("ex03_relative_error", "subtracts_in_place", breaks="no_mutation", source=(
        "def relative_error(a, b):\n"
        "    denom = torch.maximum(a.abs(), b.abs()).clamp(min=1e-12)\n"
        "    return (a.detach().sub_(b).abs_().double() / denom.double()).max().item()\n")),
    # ex04 sigmoid_backward / relu_backward
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_grad_is_s", replace=(("return dout * out * (1 - out)", "return dout * out"),)),
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_forgets_dout", replace=(("return dout * out * (1 - out)", "return out * (1 - out)"),)),
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_applied_again", replace=(
        ("return dout * out * (1 - out)", "return dout * torch.sigmoid(out) * (1 - torch.sigmoid(out))"),)),
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_one_minus_only", replace=(("return dout * out * (1 - out)", "return dout * (1 - out)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_passes_at_zero", replace=(("return dout * (X > 0)", "return dout * (X >= 0)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_mask_only", replace=(("return dout * (X > 0)", "return (X > 0).to(dout.dtype)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_masks_by_dout", replace=(("return dout * (X > 0)", "return dout * (dout > 0)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_in_place", breaks="no_mutation", replace=(
        ("return dout * (X > 0)", "dout[X <= 0] = 0\n    return dout"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_of_dout", replace=(("return dout * (X > 0)", "return torch.relu(dout)"),)),
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_in_place", breaks="no_mutation", replace=(
        ("return dout * out * (1 - out)", "dout *= out * (1 - out)\n    return dout"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_returns_float32", replace=(
        ("return dout * (X > 0)", "return (dout * (X > 0)).float()"),)),
    # ex05 linear_backward
    Mutant("ex05_linear_backward", "dX_no_transpose", replace=(("dX = dout @ W.T", "dX = dout @ W"),)),
    Mutant("ex05_linear_backward", "dW_wrong_order", replace=(("dW = X.T @ dout", "dW = dout.T @ X"),)),
    Mutant("ex05_linear_backward", "dW_transposed_square", replace=(("dW = X.T @ dout", "dW = (X.T @ dout).T"),)),
    Mutant("ex05_linear_backward", "dW_averaged", replace=(("dW = X.T @ dout", "dW = X.T @ dout / X.shape[0]"),)),
    Mutant("ex05_linear_backward", "db_wrong_axis", replace=(("db = dout.sum(dim=0)", "db = dout.sum(dim=1)"),)),
    Mutant("ex05_linear_backward", "db_mean", replace=(("db = dout.sum(dim=0)", "db = dout.mean(dim=0)"),)),
    Mutant("ex05_linear_backward", "db_total", replace=(("db = dout.sum(dim=0)", "db = dout.sum()"),)),
    Mutant("ex05_linear_backward", "returns_dW_first", replace=(("return dX, dW, db", "return dW, dX, db"),)),
    Mutant("ex05_linear_backward", "transposes_X_in_place", breaks="no_mutation", replace=(
        ("dW = X.T @ dout", "dW = X.t_() @ dout"),)),
    Mutant("ex05_linear_backward", "db_keeps_dim", replace=(("db = dout.sum(dim=0)", "db = dout.sum(dim=0, keepdim=True)"),)),
    # ex06 two_layer_forward_backward
    Mutant("ex06_two_layer_forward_backward", "sigmoid_grad_is_s", replace=(("dH = dA * A * (1 - A)", "dH = dA * A"),)),
    Mutant("ex06_two_layer_forward_backward", "skips_sigmoid_backward", replace=(("dH = dA * A * (1 - A)", "dH = dA"),)),
    Mutant("ex06_two_layer_forward_backward", "dW1_missing_transpose", replace=(("dW1 = X.T @ dH", "dW1 = dH.T @ X"),)),
    Mutant("ex06_two_layer_forward_backward", "db1_wrong_axis", replace=(("db1 = dH.sum(dim=0)", "db1 = dH.sum(dim=1)"),)),
    Mutant("ex06_two_layer_forward_backward", "dW2_from_pre_activation", replace=(("dW2 = A.T @ dy_hat", "dW2 = H.T @ dy_hat"),)),
    Mutant("ex06_two_layer_forward_backward", "mse_grad_missing_2", replace=(("dy_hat = 2 * (y_hat - y) / y.numel()", "dy_hat = (y_hat - y) / y.numel()"),)),
    Mutant("ex06_two_layer_forward_backward", "divides_by_N_only", replace=(
        ("dy_hat = 2 * (y_hat - y) / y.numel()", "dy_hat = 2 * (y_hat - y) / X.shape[0]"),)),
    Mutant("ex06_two_layer_forward_backward", "loss_sum_over_classes", replace=(
        ("loss = ((y_hat - y) ** 2).mean()", "loss = ((y_hat - y) ** 2).sum(dim=1).mean()"),
        ("dy_hat = 2 * (y_hat - y) / y.numel()", "dy_hat = 2 * (y_hat - y) / X.shape[0]"))),
    Mutant("ex06_two_layer_forward_backward", "wrong_sign", replace=(("dy_hat = 2 * (y_hat - y)", "dy_hat = 2 * (y - y_hat)"),)),
    Mutant("ex06_two_layer_forward_backward", "dA_no_transpose", replace=(("dA = dy_hat @ W2.T", "dA = dy_hat @ W2"),)),
    Mutant("ex06_two_layer_forward_backward", "uses_autograd", breaks="no_autograd", source=(
        "def two_layer_forward_backward(X, y, params):\n"
        "    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}\n"
        "    y_hat = torch.sigmoid(X @ leaves['W1'] + leaves['b1']) @ leaves['W2'] + leaves['b2']\n"
        "    loss = ((y_hat - y) ** 2).mean()\n"
        "    loss.backward()\n"
        "    return loss.detach(), {k: v.grad for k, v in leaves.items()}\n")),
    Mutant("ex06_two_layer_forward_backward", "updates_params_in_place", breaks="no_mutation", replace=(
        ("    return loss, {", "    params['W1'] -= 0.1 * dW1\n    return loss, {"),)),
    Mutant("ex06_two_layer_forward_backward", "autograd_under_enable_grad", breaks="no_autograd", source=(
        "def two_layer_forward_backward(X, y, params):\n"
        "    with torch.enable_grad():\n"
        "        leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}\n"
        "        y_hat = torch.sigmoid(X @ leaves['W1'] + leaves['b1']) @ leaves['W2'] + leaves['b2']\n"
        "        loss = ((y_hat - y) ** 2).mean()\n"
        "        grads = torch.autograd.grad(loss, [leaves[k] for k in ('W1', 'b1', 'W2', 'b2')])\n"
        "    return loss.detach(), dict(zip(('W1', 'b1', 'W2', 'b2'), grads))\n")),
    Mutant("ex06_two_layer_forward_backward", "drops_bias_gradients", replace=(
        ('return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}', 'return loss, {"W1": dW1, "W2": dW2}'),)),
    # ex07 gradient_check
    Mutant("ex07_gradient_check", "first_entry_only", replace=(
        (CHECK_ERROR, "error = ((a - numeric).abs() / denom).reshape(-1)[0].item()"),)),
    Mutant("ex07_gradient_check", "mean_not_max", replace=((CHECK_ERROR, CHECK_ERROR.replace(".max()", ".mean()")),)),
    Mutant("ex07_gradient_check", "verdict_inverted", replace=(("return error, error <= tol", "return error, error > tol"),)),
    Mutant("ex07_gradient_check", "ignores_tol", replace=(("return error, error <= tol", "return error, error <= 1e-7"),)),
    Mutant("ex07_gradient_check", "ignores_h", replace=(("numerical_grad(f, X, eps=h)", "numerical_grad(f, X)"),)),
    Mutant("ex07_gradient_check", "no_floor_nan", replace=((CHECK_DENOM, "denom = torch.maximum(a.abs(), numeric.abs())"),)),
    Mutant("ex07_gradient_check", "compares_with_itself", replace=(
        ("a = analytic_grad.detach().to(device=numeric.device, dtype=torch.float64)",
         "a = analytic_grad.detach().to(device=numeric.device, dtype=torch.float64)\n    numeric = a"),)),
    Mutant("ex07_gradient_check", "no_abs_in_numerator", replace=((CHECK_ERROR, "error = ((a - numeric) / denom).max().item()"),)),
    Mutant("ex07_gradient_check", "absolute_error", replace=((CHECK_ERROR, "error = (a - numeric).abs().max().item()"),)),
    Mutant("ex07_gradient_check", "returns_error_only", replace=(("return error, error <= tol", "return error"),)),
    Mutant("ex07_gradient_check", "tensor_verdict", replace=((CHECK_ERROR, "error = ((a - numeric).abs() / denom).max()"),)),
    Mutant("ex07_gradient_check", "calls_library_relative_error", breaks="forbids:dlcourse.gradcheck.relative_error",
           source=("from dlcourse.gradcheck import relative_error as _relative_error\n\n\n"
                   "def gradient_check(f, X, analytic_grad, h=1e-6, tol=1e-6):\n"
                   "    error = _relative_error(analytic_grad, numerical_grad(f, X, eps=h))\n"
                   "    return error, error <= tol\n")),
    Mutant("ex07_gradient_check", "calls_library_grad_check", breaks="forbids:dlcourse.gradcheck.grad_check",
           source=("from dlcourse import grad_check\n\n\n"
                   "def gradient_check(f, X, analytic_grad, h=1e-6, tol=1e-6):\n"
                   "    error = grad_check(f, X, analytic_grad, eps=h, tol=math.inf)   # tol=inf: never raises\n"
                   "    return error, error <= tol\n")),
    Mutant("ex07_gradient_check", "subtracts_in_place", breaks="no_mutation", replace=(
        (CHECK_ERROR, "error = (a.sub_(numeric).abs_() / denom).max().item()"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_central_difference", "two_evaluations_and_half_over_h", source=(
        "def central_difference(f, x, h=1e-5):\n"
        "    f_plus, f_minus = f(x + h), f(x - h)\n"
        "    return float(f_plus - f_minus) / (2.0 * h)\n")),
    Alternative("ex02_numerical_gradient", "flat_view_loop", source=(
        "def numerical_gradient(f, X, h=1e-5):\n"
        "    Xc = X.detach().clone().double()\n"
        "    grad = torch.empty_like(Xc)\n"
        "    flat, gflat = Xc.view(-1), grad.view(-1)\n"
        "    for i in range(flat.numel()):\n"
        "        old = flat[i].item()\n"
        "        flat[i] = old + h\n"
        "        f_plus = float(f(Xc))\n"
        "        flat[i] = old - h\n"
        "        f_minus = float(f(Xc))\n"
        "        flat[i] = old\n"
        "        gflat[i] = (f_plus - f_minus) / (2 * h)\n"
        "    return grad\n")),
    Alternative("ex03_relative_error", "stacked_amax", source=(
        "def relative_error(a, b):\n"
        "    a, b = a.double(), b.double()\n"
        "    denom = torch.stack([a.abs(), b.abs(), torch.full_like(a, 1e-12)]).amax(dim=0)\n"
        "    return float(torch.amax((a - b).abs() / denom))\n")),
    Alternative("ex04_sigmoid_relu_backward", "expanded_and_where", source=(
        "def sigmoid_backward(dout, out):\n"
        "    return dout * (out - out * out)\n\n\n"
        "def relu_backward(dout, X):\n"
        "    return torch.where(X > 0, dout, torch.zeros_like(dout))\n")),
    Alternative("ex05_linear_backward", "einsum", source=(
        "def linear_backward(dout, X, W):\n"
        "    return (torch.einsum('nk,dk->nd', dout, W), torch.einsum('nd,nk->dk', X, dout),\n"
        "            torch.einsum('nk->k', dout))\n")),
    Alternative("ex06_two_layer_forward_backward", "matmul_transposes_and_numel_of_y_hat", source=(
        "def two_layer_forward_backward(X, y, params):\n"
        "    A = torch.sigmoid(X @ params['W1'] + params['b1'])\n"
        "    y_hat = A @ params['W2'] + params['b2']\n"
        "    r = y_hat - y\n"
        "    loss = (r * r).sum() / r.numel()\n"
        "    dy = r * (2.0 / r.numel())\n"
        "    dH = torch.matmul(dy, params['W2'].transpose(0, 1)) * A * (1 - A)\n"
        "    return loss, {'W2': torch.matmul(A.transpose(0, 1), dy), 'b2': dy.sum(0),\n"
        "                  'W1': torch.matmul(X.transpose(0, 1), dH), 'b1': dH.sum(0)}\n")),
    Alternative("ex07_gradient_check", "amax_and_bool", source=(
        "def gradient_check(f, X, analytic_grad, h=1e-6, tol=1e-6):\n"
        "    n = numerical_grad(f, X, eps=h)\n"
        "    a = analytic_grad.detach().double().to(n.device)\n"
        "    error = float(torch.amax((a - n).abs() / torch.clamp(torch.maximum(a.abs(), n.abs()), min=1e-12)))\n"
        "    return error, bool(error <= tol)\n")),
]

_PARAMS = Map({"W1": T("D", "M", dtype="float"), "b1": T("M", dtype="float"),
               "W2": T("M", "K", dtype="float"), "b2": T("K", dtype="float")})

CONTRACTS = [
    Contract("ex01_central_difference", "central_difference", {"f": Fn(), "x": Float(), "h": Float(lo=0)},
             returns=Float()),
    Contract("ex02_numerical_gradient", "numerical_gradient", {"f": Fn(), "X": T(..., dtype="float"), "h": Float(lo=0)},
             returns=T(..., dtype="float64"),
             rules=("device", "no_mutation", "forbids:dlcourse.gradcheck.numerical_grad"), diverse="X"),
    Contract("ex03_relative_error", "relative_error", {"a": T(..., dtype="float"), "b": T(..., dtype="float")},
             returns=Float(lo=0), rules=("no_mutation", "forbids:dlcourse.gradcheck.relative_error"), diverse="a"),
    Contract("ex04_sigmoid_relu_backward", "sigmoid_backward", {"dout": T(..., dtype="float"), "out": T(..., dtype="float")},
             returns=T(..., dtype="float"), rules=("device", "no_mutation"), diverse="dout"),
    Contract("ex04_sigmoid_relu_backward", "relu_backward", {"dout": T(..., dtype="float"), "X": T(..., dtype="float")},
             returns=T(..., dtype="float"), rules=("device", "no_mutation"), diverse="dout"),
    Contract("ex05_linear_backward", "linear_backward",
             {"dout": T("N", "K", dtype="float"), "X": T("N", "D", dtype="float"), "W": T("D", "K", dtype="float")},
             returns=Tup(T("N", "D", dtype="float"), T("D", "K", dtype="float"), T("K", dtype="float")),
             rules=("device", "no_mutation"), batch="X"),
    Contract("ex06_two_layer_forward_backward", "two_layer_forward_backward",
             {"X": T("N", "D", dtype="float"), "y": T("N", "K", dtype="float"), "params": _PARAMS},
             returns=Tup(OneOf(T(dtype="float"), Float()), _PARAMS), rules=("device", "no_mutation", "no_autograd"),
             batch="X"),
    Contract("ex07_gradient_check", "gradient_check",
             {"f": Fn(), "X": T(..., dtype="float"), "analytic_grad": T(..., dtype="float"), "h": Float(lo=0),
              "tol": Float(lo=0)},
             returns=Tup(Float(lo=0), Bool()),
             rules=("no_mutation", "forbids:dlcourse.gradcheck.grad_check", "forbids:dlcourse.gradcheck.relative_error"),
             diverse="X"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 central_difference
    "ex01_central_difference-forward_difference": (
        "using the one-sided forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h, not like h²",
        "evaluate f on both sides of x and divide by their distance: (f(x + h) - f(x - h)) / (2 * h)"),
    "no_factor_two": (
        "dividing f(x + h) - f(x - h) by h: the two points are 2h apart, so the estimate is twice the derivative",
        "divide by the distance between the two points, 2 * h, in parentheses"),
    "precedence_bug": (
        "writing `/ 2 * h`, which divides by 2 and then multiplies by h, so the result is h² times the derivative",
        "put the denominator in parentheses: `/ (2 * h)`"),
    "ex01_central_difference-wrong_sign": (
        "subtracting in the wrong order, f(x - h) - f(x + h), so the slope comes out with the opposite sign",
        "put f(x + h) first: (f(x + h) - f(x - h)) / (2 * h)"),
    "ex01_central_difference-ignores_h": (
        "using a fixed step of 1e-5 instead of the h passed in, so a call with h=0.1 or h=0.5 gives another number",
        "use the argument h in all three places: f(x + h), f(x - h) and 2 * h"),
    "backward_difference": (
        "using the one-sided backward difference (f(x) - f(x - h)) / h, whose error shrinks only like h, not like h²",
        "use both neighbours of x: (f(x + h) - f(x - h)) / (2 * h)"),
    # ex02 numerical_gradient
    "ex02_numerical_gradient-forward_difference": (
        "estimating each entry with the forward difference (f(X + h E_i) - f(X)) / h, which is only accurate to O(h)",
        "evaluate f with the entry at old + h and at old - h, put it back, and divide the difference by 2 * h"),
    "never_restores_the_copy": (
        "leaving each perturbed entry at old - h, so every later entry is measured at a shifted point instead of at X",
        "after the two evaluations set `Xc[idx] = old` before moving on to the next index"),
    "perturbs_x_in_place": (
        "adding and subtracting h on the caller's X itself, so the tensor passed in is changed (each entry is left at old - h)",
        "perturb a copy, `Xc = X.detach().to(torch.float64).clone()`, and put each entry of the copy back after its two evaluations"),
    "keeps_float32": (
        "perturbing a copy in X's own dtype: a float32 X gives a float32 result, and the step h = 1e-5 is mostly rounded away",
        "make the copy float64 with `X.detach().to(torch.float64).clone()` and build grad from that copy"),
    "float32_then_cast": (
        "taking the differences in float32 and casting only the result to float64: the dtype is right, but only about 3 digits are",
        "convert before perturbing: the copy that f sees must already be float64 (`X.detach().to(torch.float64).clone()`)"),
    "perturbs_everything_at_once": (
        "moving every entry by h at once, which gives one directional derivative copied into all entries, not each partial",
        "loop over `np.ndindex(*X.shape)` and move only one entry by ±h at a time"),
    "perturbs_whole_rows": (
        "moving a whole row X[i] by ±h at once, so each entry gets the sum of its row's partial derivatives",
        "index single entries with `for idx in np.ndindex(*X.shape)` and perturb `Xc[idx]`, one entry at a time"),
    "ex02_numerical_gradient-ignores_h": (
        "perturbing by a fixed 1e-5 instead of the h passed in, so numerical_gradient(..., h=1e-3) gives other numbers",
        "use the argument h for the perturbation (old ± h) and in the denominator 2 * h"),
    "calls_library_numerical_grad": (
        "calling the course library's `numerical_grad`, which the instructions rule out for this exercise",
        "write the loop yourself: for each index, evaluate f with the entry at ± h on a float64 copy, restore it, divide by 2 * h"),
    "returns_on_cpu_via_numpy": (
        "going through NumPy, so the gradient comes back on the CPU even when X is on a GPU",
        "stay in torch: perturb a float64 clone of X (it keeps X's device) and create grad with `torch.zeros_like` of that clone"),
    # ex03 relative_error
    "ex03_relative_error-mean_not_max": (
        "averaging the entry-wise errors, so one badly wrong entry is diluted by the many good ones",
        "take the largest entry-wise error with `.max().item()`, not `.mean()`"),
    "denominator_a_only": (
        "dividing by |a| alone: the error is no longer symmetric, and an entry where a is 0 but b is not gives 1e9 instead of 1",
        "divide by the larger of the two absolute values: `torch.maximum(a.abs(), b.abs()).clamp(min=1e-12)`"),
    "no_abs_in_denominator": (
        "taking torch.maximum(a, b) without absolute values: for negative entries it is negative, floored to 1e-12, so the error explodes",
        "take the absolute values first, `torch.maximum(a.abs(), b.abs())`, then `.clamp(min=1e-12)`"),
    "no_floor_divides_by_zero": (
        "leaving the denominator without a floor, so two zero entries give 0 / 0 = nan instead of a perfect match",
        "floor it: `torch.maximum(a.abs(), b.abs()).clamp(min=1e-12)`"),
    "sum_in_denominator": (
        "dividing by |a| + |b| instead of max(|a|, |b|), which roughly halves every error",
        "divide by the larger absolute value: `torch.maximum(a.abs(), b.abs()).clamp(min=1e-12)`"),
    "ratio_of_norms": (
        "comparing whole-tensor norms, so a large relative error in a tiny entry (1e-9 vs 2e-9) is swamped by the large entries",
        "divide entry by entry, |a_j - b_j| / max(|a_j|, |b_j|, 1e-12), then take the max over all entries"),
    "returns_a_tensor": (
        "returning a 0-dim tensor instead of the Python float the exercise asks for",
        "end with `.item()` after the `.max()`"),
    "ex03_relative_error-no_abs_in_numerator": (
        "using the signed difference a - b, so entries where a < b give negative ratios that the max passes over",
        "take the absolute difference, `(a - b).abs()`, before dividing and taking the max"),
    "ex03_relative_error-calls_library_relative_error": (
        "calling the course library's `relative_error`, which the instructions rule out for this exercise",
        "write it yourself: |a - b| divided entry-wise by `torch.maximum(a.abs(), b.abs()).clamp(min=1e-12)`, then the max as a float"),
    "ex03_relative_error-subtracts_in_place": (
        "calling `sub_` and `abs_` on `a.detach()`, which shares a's memory, so the caller's tensor a is overwritten with |a - b|",
        "compute out of place: `(a - b).abs()` makes a new tensor and leaves a untouched"),
    # ex04 sigmoid_backward / relu_backward
    "ex04_sigmoid_relu_backward-sigmoid_grad_is_s": (
        "taking σ'(X) to be σ(X): dout * out drops the factor (1 - out)",
        "the sigmoid's derivative written with its output is out * (1 - out); multiply dout by all of it"),
    "sigmoid_forgets_dout": (
        "returning only the local derivative out * (1 - out) without multiplying by the upstream gradient dout",
        "chain rule: dL/dX is dout times σ'(X), entry by entry"),
    "sigmoid_applied_again": (
        "applying torch.sigmoid to out, but out is already σ(X), so the derivative is taken at the wrong point",
        "use out directly: σ'(X) = out * (1 - out), no exponential or torch.sigmoid needed"),
    "sigmoid_one_minus_only": (
        "returning dout * (1 - out), which drops the factor out of σ'(X) = out * (1 - out)",
        "multiply dout by both factors, out and (1 - out)"),
    "relu_passes_at_zero": (
        "masking with X >= 0, so the gradient passes at X exactly 0, where PyTorch (and this exercise) uses 0",
        "use a strict comparison, X > 0, for the mask"),
    "relu_mask_only": (
        "returning the mask (X > 0) itself, never multiplied by the upstream gradient dout",
        "the mask only says where the gradient passes: multiply dout by it"),
    "relu_masks_by_dout": (
        "masking with the sign of dout instead of the sign of X, the ReLU's input",
        "the gradient passes where the forward input X was positive: mask with (X > 0), whatever the sign of dout"),
    "relu_in_place": (
        "writing zeros into dout with `dout[X <= 0] = 0`, so the caller's upstream gradient tensor is changed",
        "build a new tensor instead: multiply dout by the boolean mask (X > 0), or use torch.where"),
    "relu_of_dout": (
        "applying relu to dout, which keeps the positive upstream gradients instead of those where X > 0",
        "the mask comes from the forward input: keep dout where X > 0 and 0 elsewhere"),
    "sigmoid_in_place": (
        "using `dout *= ...`, which multiplies the caller's dout in place, so the tensor passed in is changed",
        "write the product as a new expression (dout * ...), not with *= on an argument"),
    "relu_returns_float32": (
        "casting the result with .float(), so a float64 dout comes back as float32",
        "keep dout's dtype: dout times the boolean mask already has it, no cast needed"),
    # ex05 linear_backward
    "dX_no_transpose": (
        "computing dX = dout @ W without the transpose: (N, K) @ (D, K) only fits when D = K, and then gives wrong numbers",
        "dX has X's shape (N, D): multiply dout (N, K) by W.T (K, D)"),
    "dW_wrong_order": (
        "computing dout.T @ X, which is (K, D), the transpose of dW, instead of W's shape (D, K)",
        "dW has W's shape (D, K): put X.T on the left, (D, N) @ (N, K)"),
    "dW_transposed_square": (
        "transposing the product, so dW comes out (K, D); when D = K the shape fits but the entries are swapped",
        "X.T @ dout is already (D, K), W's shape: no transpose at the end"),
    "dW_averaged": (
        "dividing dW by the batch size N, but any 1/N of a mean loss is already inside dout",
        "no averaging in a backward pass: X.T @ dout already sums over the batch"),
    "db_wrong_axis": (
        "summing dout over dim=1 (the K outputs), which gives an (N,) vector instead of b's shape (K,)",
        "the bias is added to every row, so sum over the batch axis, dim=0"),
    "db_mean": (
        "averaging dout over the batch instead of summing, which divides db by N a second time",
        "sum over the batch axis with dout.sum(dim=0): the 1/N of a mean loss is already in dout"),
    "db_total": (
        "summing every entry of dout into one number instead of one gradient per bias entry, shape (K,)",
        "reduce only the batch axis, dim=0"),
    "returns_dW_first": (
        "returning (dW, dX, db), but the exercise asks for the tuple in the order (dX, dW, db)",
        "return dX first, then dW, then db"),
    "transposes_X_in_place": (
        "calling `X.t_()`, which transposes the caller's X in place, so the tensor passed in changes shape",
        "use the out-of-place X.T: a view that leaves X as it was"),
    "db_keeps_dim": (
        "summing with keepdim=True, so db is (1, K) instead of b's shape (K,)",
        "drop keepdim: dout.sum(dim=0) has shape (K,)"),
    # ex06 two_layer_forward_backward
    "ex06_two_layer_forward_backward-sigmoid_grad_is_s": (
        "computing dZ1 = dA1 * A1, which drops the factor (1 - A1) of the sigmoid's derivative A1 * (1 - A1)",
        "through the sigmoid, multiply dA1 by A1 * (1 - A1), with A1 the sigmoid's output from the forward pass"),
    "skips_sigmoid_backward": (
        "passing dA1 straight through as dZ1, as if the sigmoid were not in the network",
        "go back through the sigmoid too: multiply dA1 by its derivative A1 * (1 - A1) before the first linear layer"),
    "dW1_missing_transpose": (
        "computing dZ1.T @ X, which is (M, D), the transpose of dW1, instead of W1's shape (D, M)",
        "dW1 has W1's shape (D, M): X.T (D, N) on the left of dZ1 (N, M)"),
    "db1_wrong_axis": (
        "summing dZ1 over dim=1 (the M units), which gives (N,) instead of b1's shape (M,)",
        "sum over the batch axis, dim=0, as for every bias"),
    "dW2_from_pre_activation": (
        "using the pre-activation Z1 in dW2, but the second layer's input is the sigmoid's output A1",
        "dW2 = A1.T @ dy_hat: a weight's gradient uses the input that multiplied it in the forward pass"),
    "mse_grad_missing_2": (
        "dropping the 2 from the derivative of the square, so every gradient is half its true value",
        "the derivative of (y_hat - y)² is 2 (y_hat - y): dy_hat = 2 * (y_hat - y) / y.numel()"),
    "divides_by_N_only": (
        "dividing dy_hat by N, but the loss is the mean over all N·K entries, so the gradients are K times too large",
        "divide by the number of entries of y, y.numel() = N * K, the same count the mean uses"),
    "loss_sum_over_classes": (
        "summing the squared errors over the K outputs before averaging over rows: loss and gradients are K times the required mean",
        "take the mean over all N·K entries, like F.mse_loss, and divide dy_hat by y.numel()"),
    "ex06_two_layer_forward_backward-wrong_sign": (
        "using y - y_hat in dy_hat, so every gradient has the opposite sign and points uphill",
        "the derivative of (y_hat - y)² with respect to y_hat is 2 (y_hat - y): keep y_hat first"),
    "dA_no_transpose": (
        "computing dA1 = dy_hat @ W2 without the transpose: (N, K) @ (M, K) only fits when M = K, and then gives wrong numbers",
        "dA1 has A1's shape (N, M): multiply dy_hat (N, K) by W2.T (K, M)"),
    "uses_autograd": (
        "letting autograd compute the gradients with .backward(), which the instructions rule out (no autograd in this exercise)",
        "write the backward pass by hand: dy_hat, then dW2, db2 and dA1, then dZ1 through the sigmoid, then dW1 and db1"),
    "updates_params_in_place": (
        "subtracting from params['W1'] in place, so the caller's weight tensor is changed",
        "only compute and return the gradients; leave every tensor in params as it was"),
    "autograd_under_enable_grad": (
        "switching autograd back on with torch.enable_grad() and calling torch.autograd.grad, which the instructions rule out",
        "write the backward pass by hand: dy_hat, then dW2, db2 and dA1, then dZ1 through the sigmoid, then dW1 and db1"),
    "ex06_two_layer_forward_backward-drops_bias_gradients": (
        "returning gradients only for W1 and W2, but grads must also hold b1 and b2",
        "add the bias gradients, each summed over the batch (dim=0), under the keys 'b1' and 'b2'"),
    # ex07 gradient_check
    "first_entry_only": (
        "comparing only the first entry of the two gradients, so a wrong entry anywhere else passes",
        "take the maximum of the entry-wise relative errors over the whole tensor: `.max().item()`"),
    "ex07_gradient_check-mean_not_max": (
        "averaging the entry-wise relative errors, so a single wrong entry is diluted and can pass the check",
        "take the largest entry-wise error with `.max().item()`, not `.mean()`"),
    "verdict_inverted": (
        "returning passed = error > tol, so a correct gradient fails and a wrong one passes",
        "a gradient passes when its error is small: passed = error <= tol"),
    "ignores_tol": (
        "comparing with a fixed 1e-7 instead of the tol passed in, so gradient_check(..., tol=1e-4) still fails",
        "use the argument: passed = error <= tol"),
    "ex07_gradient_check-ignores_h": (
        "calling numerical_grad without eps=h, so it always uses the library's default step instead of the h passed in",
        "pass the step on: numerical_grad(f, X, eps=h)"),
    "no_floor_nan": (
        "leaving the denominator without a floor: entries where both gradients are 0 give 0 / 0 = nan and a correct gradient fails",
        "floor it: `torch.maximum(a.abs(), numeric.abs()).clamp(min=1e-12)`"),
    "compares_with_itself": (
        "overwriting the numerical gradient with the analytic one, so the error is always 0 and every gradient passes",
        "compare analytic_grad with the result of numerical_grad(f, X, eps=h), kept in a variable of its own"),
    "ex07_gradient_check-no_abs_in_numerator": (
        "using the signed difference a - n, so entries where the analytic gradient is too small give negative errors the max passes over",
        "take |a - n| entry-wise before dividing and taking the max"),
    "absolute_error": (
        "returning the largest absolute difference without dividing, so the error depends on the gradient's scale",
        "divide each |a_j - n_j| by max(|a_j|, |n_j|, 1e-12) before taking the max"),
    "returns_error_only": (
        "returning only the error, but the function must return the pair (error, passed)",
        "return a tuple: the error as a Python float and passed = error <= tol as a bool"),
    "tensor_verdict": (
        "keeping the error as a 0-dim tensor, so error and passed come back as tensors, not a float and a bool",
        "call `.item()` on the max: then error is a float and error <= tol is a Python bool"),
    "ex07_gradient_check-calls_library_relative_error": (
        "calling the course library's `relative_error`, which the instructions rule out; only `numerical_grad` may come from the library",
        "write the relative error out: |a - n| over `torch.maximum(a.abs(), n.abs()).clamp(min=1e-12)`, entry by entry, then the max"),
    "calls_library_grad_check": (
        "calling the course library's `grad_check`, which the instructions rule out; only `numerical_grad` may come from the library",
        "get the numerical gradient from `numerical_grad` with step h and compute the max entry-wise relative error yourself, in float64"),
    "ex07_gradient_check-subtracts_in_place": (
        "calling `sub_` on a: for a float64 analytic_grad `.to()` returns that same tensor, so the caller's gradient is overwritten",
        "compute out of place: `(a - numeric).abs()` creates a new tensor"),
}
