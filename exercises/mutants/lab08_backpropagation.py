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
