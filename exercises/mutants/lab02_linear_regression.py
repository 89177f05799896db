"""Plausible wrong answers to lab02_linear_regression; each must lose exactly its own exercise's points."""
from exercises.contracts import Anything, Contract, Float, Int, Mod, Seq, T, Tup
from exercises.mutants import Alternative, Mutant

MUTANTS = [
    # ex01 predict
    Mutant("ex01_predict", "forgot_bias", replace=(("return X @ W + b", "return X @ W"),)),
    Mutant("ex01_predict", "elementwise_not_matmul", replace=(("return X @ W + b", "return X * W.T + b"),)),
    Mutant("ex01_predict", "squeezed_to_N", replace=(("return X @ W + b", "return (X @ W + b).squeeze(1)"),)),
    Mutant("ex01_predict", "subtracts_bias", replace=(("return X @ W + b", "return X @ W - b"),)),
    Mutant("ex01_predict", "sums_features_flat", replace=(("return X @ W + b", "return (X * W.T).sum(dim=1) + b"),)),
    Mutant("ex01_predict", "W_transposed", replace=(("return X @ W + b", "return X @ W.T + b"),)),
    Mutant("ex01_predict", "casts_to_float32", replace=(("return X @ W + b", "return (X @ W + b).float()"),)),
    # ex02 mse
    Mutant("ex02_mse", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex02_mse", "mean_over_dim0", replace=((".mean()", ".mean(dim=0)"),)),
    Mutant("ex02_mse", "not_squared", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).mean()"),)),
    Mutant("ex02_mse", "absolute_error", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).abs().mean()"),)),
    Mutant("ex02_mse", "root_mse", replace=((".mean()", ".mean().sqrt()"),)),
    Mutant("ex02_mse", "detached_item", replace=((".mean()", ".mean().item()"),), breaks="differentiable"),
    Mutant("ex02_mse", "rebuilt_tensor_detached", replace=(("return ((y_hat - y) ** 2).mean()",
                                                             "return torch.tensor(((y_hat - y) ** 2).mean().item())"),),
           breaks="differentiable"),
    Mutant("ex02_mse", "no_shape_check", replace=(("if y_hat.shape != y.shape:", "if False:"),), breaks="raises_ValueError"),
    Mutant("ex02_mse", "shape_check_wrong_error", replace=(("raise ValueError(", "raise RuntimeError("),),
           breaks="raises_ValueError"),
    Mutant("ex02_mse", "square_of_mean", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).mean() ** 2"),)),
    Mutant("ex02_mse", "returns_float32", replace=(("return ((y_hat - y) ** 2).mean()", "return ((y_hat - y) ** 2).mean().float()"),)),
    # ex03 mse_gradients
    Mutant("ex03_mse_gradients", "wrong_sign", replace=(("residual = X @ W + b - y", "residual = y - X @ W - b"),)),
    Mutant("ex03_mse_gradients", "missing_factor_2", replace=(("2 * X.T", "X.T"), ("2 * residual", "residual"))),
    Mutant("ex03_mse_gradients", "sum_not_mean", replace=((" / N", ""),)),
    Mutant("ex03_mse_gradients", "forgot_bias_in_residual", replace=(("residual = X @ W + b - y", "residual = X @ W - y"),)),
    Mutant("ex03_mse_gradients", "db_not_reduced", replace=(("residual.sum(dim=0)", "residual"),)),
    Mutant("ex03_mse_gradients", "db_0dim", replace=(("residual.sum(dim=0)", "residual.sum()"),)),
    Mutant("ex03_mse_gradients", "dW_without_X", replace=(("2 * X.T @ residual / N", "2 * residual.sum(dim=0, keepdim=True) / N"),)),
    Mutant("ex03_mse_gradients", "divides_by_D", replace=(("N = X.shape[0]", "N = X.shape[1]"),)),
    Mutant("ex03_mse_gradients", "uses_autograd", source=(
        "def mse_gradients(X, y, W, b):\n"
        "    W = W.clone().requires_grad_(True)\n"
        "    b = b.clone().requires_grad_(True)\n"
        "    loss = ((X @ W + b - y) ** 2).mean()\n"
        "    dW, db = torch.autograd.grad(loss, (W, b))\n"
        "    return dW, db\n"), breaks="no_autograd"),
    Mutant("ex03_mse_gradients", "dW_transposed", replace=(("2 * X.T @ residual / N", "2 * residual.T @ X / N"),)),
    # ex04 gd_step
    Mutant("ex04_gd_step", "in_place", source=(
        "def gd_step(W, b, dW, db, lr):\n"
        "    W -= lr * dW\n"
        "    b -= lr * db\n"
        "    return W, b\n"), breaks="no_mutation"),
    Mutant("ex04_gd_step", "ascent", replace=(("- lr *", "+ lr *"),)),
    Mutant("ex04_gd_step", "ignores_lr", replace=(("lr * ", ""),)),
    Mutant("ex04_gd_step", "swapped_outputs", replace=(("return W_new, b_new", "return b_new, W_new"),)),
    Mutant("ex04_gd_step", "bias_not_updated", replace=(("b_new = b - lr * db", "b_new = b.clone()"),)),
    Mutant("ex04_gd_step", "returns_float32", replace=(("return W_new, b_new", "return W_new.float(), b_new.float()"),)),
    # ex05 fit_autograd
    Mutant("ex05_fit_autograd", "forgot_zero_grad", replace=(("W.grad.zero_()", "pass"), ("b.grad.zero_()", "pass")),
           breaks="zero_grad"),
    Mutant("ex05_fit_autograd", "update_outside_no_grad", replace=(("with torch.no_grad():", "if True:"),),
           breaks="no_grad_update"),
    Mutant("ex05_fit_autograd", "rebinds_W", replace=(("W -= lr * W.grad", "W = W - lr * W.grad"),),
           breaks="no_grad_update"),
    Mutant("ex05_fit_autograd", "sum_loss", replace=(("((y_hat - y) ** 2).mean()", "((y_hat - y) ** 2).sum()"),)),
    Mutant("ex05_fit_autograd", "bias_not_trained", replace=(("b -= lr * b.grad", "pass"),)),
    Mutant("ex05_fit_autograd", "random_init", replace=(("W = torch.zeros(D, 1,", "W = torch.randn(D, 1,"),)),
    Mutant("ex05_fit_autograd", "gradient_ascent", replace=(("W -= lr * W.grad", "W += lr * W.grad"),
                                                            ("b -= lr * b.grad", "b += lr * b.grad"))),
    Mutant("ex05_fit_autograd", "loss_tensors_not_floats", replace=(("losses.append(loss.item())", "losses.append(loss.detach())"),)),
    Mutant("ex05_fit_autograd", "one_epoch_short", replace=(("range(epochs)", "range(epochs - 1)"),)),
    Mutant("ex05_fit_autograd", "returns_clones", replace=(("return W.detach(), b.detach(), losses", "return W.clone(), b.clone(), losses"),),
           breaks="detached_result"),
    Mutant("ex05_fit_autograd", "ignores_lr", replace=(("W -= lr * W.grad", "W -= 0.1 * W.grad"), ("b -= lr * b.grad", "b -= 0.1 * b.grad"))),
    Mutant("ex05_fit_autograd", "ignores_X_dtype", replace=(("dtype=X.dtype, ", ""),)),
    # ex06 fit_torch
    Mutant("ex06_fit_torch", "forgot_zero_grad", replace=(("optimizer.zero_grad()", "pass"),)),
    Mutant("ex06_fit_torch", "forgot_step", replace=(("optimizer.step()", "pass"),)),
    Mutant("ex06_fit_torch", "l1_loss", replace=(("nn.MSELoss()", "nn.L1Loss()"),)),
    Mutant("ex06_fit_torch", "ignores_lr", replace=(("lr=lr", "lr=0.01"),)),
    Mutant("ex06_fit_torch", "squeezed_prediction", replace=(("loss_fn(model(X), y)", "loss_fn(model(X).squeeze(1), y)"),)),
    Mutant("ex06_fit_torch", "adam_not_sgd", replace=(("torch.optim.SGD", "torch.optim.Adam"),)),
    Mutant("ex06_fit_torch", "returns_tensor_losses", replace=(("losses.append(loss.item())", "losses.append(loss)"),)),
    Mutant("ex06_fit_torch", "ignores_device", replace=(("    X, y = X.to(device), y.to(device)\n", ""),
                                                        ("nn.Linear(X.shape[1], 1).to(device)", "nn.Linear(X.shape[1], 1)")),
           breaks="device"),
    # ex07 least_squares
    Mutant("ex07_least_squares", "no_column_of_ones", source=(
        "def least_squares(X, y):\n"
        "    W = torch.linalg.lstsq(X, y).solution\n"
        "    b = torch.zeros(1, dtype=X.dtype, device=X.device)\n"
        "    return W, b\n")),
    Mutant("ex07_least_squares", "ones_first_wrong_split", replace=(("torch.cat([X, ones], dim=1)", "torch.cat([ones, X], dim=1)"),)),
    Mutant("ex07_least_squares", "b_shape_1x1", replace=(("b = theta[-1]", "b = theta[-1:]"),)),
    Mutant("ex07_least_squares", "b_as_mean_of_y", replace=(("A = torch.cat([X, ones], dim=1)", "A = X"),
                                                            ("W = theta[:-1]", "W = theta"),
                                                            ("b = theta[-1]", "b = y.mean(dim=0)"))),
    Mutant("ex07_least_squares", "float64_result", replace=(("return W, b", "return W.double(), b.double()"),)),
    Mutant("ex07_least_squares", "W_as_row", replace=(("W = theta[:-1]", "W = theta[:-1].T"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_predict", "einsum", source=(
        "def predict(X, W, b):\n"
        "    return torch.einsum('nd,dk->nk', X, W) + b\n")),
    Alternative("ex01_predict", "addmm", source=(
        "def predict(X, W, b):\n"
        "    return torch.addmm(b, X, W)\n")),
    Alternative("ex02_mse", "sum_over_numel", source=(
        "def mse(y_hat, y):\n"
        "    if tuple(y_hat.shape) != tuple(y.shape):\n"
        "        raise ValueError('y_hat and y must have the same shape')\n"
        "    d = y_hat - y\n"
        "    return (d * d).sum() / d.numel()\n")),
    Alternative("ex03_mse_gradients", "einsum_mean", source=(
        "def mse_gradients(X, y, W, b):\n"
        "    r = torch.einsum('nd,dk->nk', X, W) + b - y\n"
        "    dW = 2 * torch.einsum('nd,nk->dk', X, r) / X.shape[0]\n"
        "    db = 2 * r.mean(dim=0)\n"
        "    return dW, db\n")),
    Alternative("ex04_gd_step", "sub_alpha", source=(
        "def gd_step(W, b, dW, db, lr):\n"
        "    return torch.sub(W, dW, alpha=lr), torch.sub(b, db, alpha=lr)\n")),
    Alternative("ex05_fit_autograd", "grad_set_to_none", source=(
        "def fit_autograd(X, y, lr, epochs):\n"
        "    W = torch.zeros(X.shape[1], 1, dtype=X.dtype, device=X.device, requires_grad=True)\n"
        "    b = torch.zeros(1, dtype=X.dtype, device=X.device, requires_grad=True)\n"
        "    losses = []\n"
        "    for _ in range(epochs):\n"
        "        loss = ((X @ W + b - y) ** 2).mean()\n"
        "        losses.append(float(loss))\n"
        "        loss.backward()\n"
        "        with torch.no_grad():\n"
        "            W.sub_(lr * W.grad)\n"
        "            b.sub_(lr * b.grad)\n"
        "        W.grad = None\n"
        "        b.grad = None\n"
        "    return W.detach(), b.detach(), losses\n")),
    Alternative("ex06_fit_torch", "functional_loss_float", source=(
        "def fit_torch(X, y, lr, epochs, device):\n"
        "    X, y = X.to(device), y.to(device)\n"
        "    model = nn.Linear(X.shape[1], 1).to(device)\n"
        "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n"
        "    losses = []\n"
        "    for _ in range(epochs):\n"
        "        opt.zero_grad(set_to_none=False)\n"
        "        loss = F.mse_loss(model(X), y)\n"
        "        losses.append(float(loss))\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return model, losses\n")),
    Alternative("ex07_least_squares", "normal_equations", source=(
        "def least_squares(X, y):\n"
        "    A = torch.cat([X, torch.ones_like(X[:, :1])], dim=1)\n"
        "    theta = torch.linalg.solve(A.T @ A, A.T @ y)\n"
        "    return theta[:-1], theta[-1]\n")),
]

CONTRACTS = [
    Contract("ex01_predict", "predict", {"X": T("N", "D", dtype="float"), "W": T("D", "K", dtype="float"),
                                         "b": T("K", dtype="float")},
             returns=T("N", "K", dtype="float"), rules=("device",), batch="X"),
    Contract("ex02_mse", "mse", {"y_hat": T(..., dtype="float"), "y": T(..., dtype="float")},
             returns=T(dtype="float"), rules=("device", "differentiable", "raises_ValueError"), batch="y_hat"),
    Contract("ex03_mse_gradients", "mse_gradients", {"X": T("N", "D", dtype="float"), "y": T("N", 1, dtype="float"),
                                                     "W": T("D", 1, dtype="float"), "b": T(1, dtype="float")},
             returns=Tup(T("D", 1, dtype="float"), T(1, dtype="float")), rules=("device", "no_autograd"), batch="X"),
    Contract("ex04_gd_step", "gd_step", {"W": T("D", 1, dtype="float"), "b": T(1, dtype="float"),
                                         "dW": T("D", 1, dtype="float"), "db": T(1, dtype="float"), "lr": Float(lo=0)},
             returns=Tup(T("D", 1, dtype="float"), T(1, dtype="float")), rules=("device", "no_mutation"),
             batch=None, diverse=None,
             why_not="the inputs are the parameters W (D, 1) and b (1,) and their gradients: no batch axis, and W's "
                     "second axis is always 1"),
    Contract("ex05_fit_autograd", "fit_autograd", {"X": T("N", "D", dtype="float"), "y": T("N", 1, dtype="float"),
                                                   "lr": Float(lo=0), "epochs": Int(lo=1)},
             returns=Tup(T("D", 1, dtype="float"), T(1, dtype="float"), Seq(Float())),
             rules=("device", "no_grad_update", "zero_grad", "detached_result"), batch="X"),
    Contract("ex06_fit_torch", "fit_torch", {"X": T("N", "D", dtype="float32"), "y": T("N", 1, dtype="float32"),
                                             "lr": Float(lo=0), "epochs": Int(lo=1), "device": Anything},
             returns=Tup(Mod(), Seq(Float())), rules=("device",), batch="X"),
    Contract("ex07_least_squares", "least_squares", {"X": T("N", "D", dtype="float"), "y": T("N", 1, dtype="float")},
             returns=Tup(T("D", 1, dtype="float"), T(1, dtype="float")), rules=("device",), batch=None, diverse="X",
             why_not="least squares needs at least D + 1 rows: with a batch of one the system is underdetermined "
                     "(and lstsq on CUDA solves only tall systems)"),
]
