"""Plausible wrong answers to lab08_backpropagation; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

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
    Mutant("ex02_numerical_gradient", "perturbs_x_in_place", source=(
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
    # ex04 sigmoid_backward / relu_backward
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_grad_is_s", replace=(("return dout * out * (1 - out)", "return dout * out"),)),
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_forgets_dout", replace=(("return dout * out * (1 - out)", "return out * (1 - out)"),)),
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_applied_again", replace=(
        ("return dout * out * (1 - out)", "return dout * torch.sigmoid(out) * (1 - torch.sigmoid(out))"),)),
    Mutant("ex04_sigmoid_relu_backward", "sigmoid_one_minus_only", replace=(("return dout * out * (1 - out)", "return dout * (1 - out)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_passes_at_zero", replace=(("return dout * (X > 0)", "return dout * (X >= 0)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_mask_only", replace=(("return dout * (X > 0)", "return (X > 0).to(dout.dtype)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_masks_by_dout", replace=(("return dout * (X > 0)", "return dout * (dout > 0)"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_in_place", replace=(
        ("return dout * (X > 0)", "dout[X <= 0] = 0\n    return dout"),)),
    Mutant("ex04_sigmoid_relu_backward", "relu_of_dout", replace=(("return dout * (X > 0)", "return torch.relu(dout)"),)),
    # ex05 linear_backward
    Mutant("ex05_linear_backward", "dX_no_transpose", replace=(("dX = dout @ W.T", "dX = dout @ W"),)),
    Mutant("ex05_linear_backward", "dW_wrong_order", replace=(("dW = X.T @ dout", "dW = dout.T @ X"),)),
    Mutant("ex05_linear_backward", "dW_transposed_square", replace=(("dW = X.T @ dout", "dW = (X.T @ dout).T"),)),
    Mutant("ex05_linear_backward", "dW_averaged", replace=(("dW = X.T @ dout", "dW = X.T @ dout / X.shape[0]"),)),
    Mutant("ex05_linear_backward", "db_wrong_axis", replace=(("db = dout.sum(dim=0)", "db = dout.sum(dim=1)"),)),
    Mutant("ex05_linear_backward", "db_mean", replace=(("db = dout.sum(dim=0)", "db = dout.mean(dim=0)"),)),
    Mutant("ex05_linear_backward", "db_total", replace=(("db = dout.sum(dim=0)", "db = dout.sum()"),)),
    Mutant("ex05_linear_backward", "returns_dW_first", replace=(("return dX, dW, db", "return dW, dX, db"),)),
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
    Mutant("ex06_two_layer_forward_backward", "uses_autograd", source=(
        "def two_layer_forward_backward(X, y, params):\n"
        "    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}\n"
        "    y_hat = torch.sigmoid(X @ leaves['W1'] + leaves['b1']) @ leaves['W2'] + leaves['b2']\n"
        "    loss = ((y_hat - y) ** 2).mean()\n"
        "    loss.backward()\n"
        "    return loss.detach(), {k: v.grad for k, v in leaves.items()}\n")),
    Mutant("ex06_two_layer_forward_backward", "updates_params_in_place", replace=(
        ("    return loss, {", "    params['W1'] -= 0.1 * dW1\n    return loss, {"),)),
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
]
