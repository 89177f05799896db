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

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 predict
    "forgot_bias": (
        "the bias b is never added, so every prediction is off by b",
        "add the bias after the product: X @ W + b; it broadcasts over the rows"),
    "elementwise_not_matmul": (
        "`X * W.T` multiplies element by element and gives (N, D) products instead of the (N, K) sums over the features",
        "use matrix multiplication, `@`: (N, D) @ (D, K) gives (N, K)"),
    "squeezed_to_N": (
        "`.squeeze(1)` turns the (N, 1) predictions into shape (N,), but y_hat must keep its (N, K) shape",
        "return X @ W + b as it is, without squeezing"),
    "subtracts_bias": (
        "the bias is subtracted instead of added",
        "add it: X @ W + b"),
    "sums_features_flat": (
        "`(X * W.T).sum(dim=1)` gives one number per example, shape (N,), and is right only for K = 1",
        "a matrix product does the sum over the features for every output at once: X @ W, shape (N, K)"),
    "W_transposed": (
        "the weights W already have shape (D, K), so `X @ W.T` only works when D == K, and then gives the wrong numbers",
        "no transpose: X @ W (nn.Linear stores its weight as (K, D), but this W is (D, K))"),
    "casts_to_float32": (
        "`.float()` turns float64 predictions into float32, but y_hat must keep the dtype of X",
        "drop the cast: X @ W + b already has the inputs' dtype"),
    # ex02 mse
    "ex02_mse-sum_not_mean": (
        "`.sum()` adds the squared errors up, so the cost grows with the number of entries instead of being their mean",
        "average over every entry with .mean()"),
    "mean_over_dim0": (
        "`.mean(dim=0)` averages down the rows only and returns one value per column, shape (D,), instead of a 0-dim tensor",
        "call .mean() with no dim: it averages over every entry"),
    "not_squared": (
        "the differences are averaged without squaring them, so errors above and below the target cancel out",
        "square each difference before averaging: (y_hat - y) ** 2"),
    "absolute_error": (
        "this is the mean absolute error, |y_hat - y|, not the mean squared error",
        "square the differences instead of taking .abs()"),
    "root_mse": (
        "the square root turns the MSE into the root mean squared error",
        "return the mean of the squared differences, without .sqrt()"),
    "detached_item": (
        "`.item()` returns a Python float, cut off from autograd, so training cannot call .backward() on it",
        "return the 0-dim tensor that .mean() gives"),
    "rebuilt_tensor_detached": (
        "`torch.tensor(... .item())` builds a new tensor with no autograd history, so .backward() cannot reach y_hat",
        "return ((y_hat - y) ** 2).mean() itself, with no .item() and no torch.tensor(...)"),
    "no_shape_check": (
        "mismatched shapes are not refused: (N, 1) minus (N,) broadcasts silently to an (N, N) table and gives a wrong cost",
        "first compare y_hat.shape with y.shape, and raise ValueError when they differ"),
    "shape_check_wrong_error": (
        "mismatched shapes raise RuntimeError, but the instructions ask for ValueError",
        "raise ValueError(...) when y_hat.shape != y.shape"),
    "square_of_mean": (
        "this squares the mean difference instead of averaging the squared differences, so errors of opposite sign cancel",
        "square first, then average: ((y_hat - y) ** 2).mean()"),
    "ex02_mse-returns_float32": (
        "`.float()` turns a float64 cost into float32, but the cost must keep the dtype of y_hat and y",
        "drop the cast: the mean already has the inputs' dtype"),
    # ex03 mse_gradients
    "wrong_sign": (
        "the residual is target minus prediction, y - X @ W - b, so both gradients point the wrong way",
        "use prediction minus target: r = X @ W + b - y"),
    "missing_factor_2": (
        "the factor 2 from the derivative of r ** 2 is missing, so both gradients are half as large",
        "multiply both gradients by 2: 2 / N * X.T @ r and 2 / N * r.sum(dim=0)"),
    "ex03_mse_gradients-sum_not_mean": (
        "the sums over the examples are never divided by N, so both gradients are N times too large",
        "divide both by N = X.shape[0], as the mean in the cost does"),
    "forgot_bias_in_residual": (
        "the residual leaves out b (X @ W - y), so both gradients are computed as if b were 0",
        "include the bias: r = X @ W + b - y"),
    "db_not_reduced": (
        "db is the whole (N, 1) residual column, scaled, instead of its sum over the examples; db must have the shape of b, (1,)",
        "sum the residual over the examples: r.sum(dim=0), times 2 / N"),
    "db_0dim": (
        "`r.sum()` gives a 0-dim tensor, but db must have the shape of b, (1,)",
        "sum over the examples only: r.sum(dim=0) keeps the shape (1,)"),
    "dW_without_X": (
        "dW is built from the residual sum alone, like db, without X: the chain rule brings in each example's x_i",
        "dW = 2 * X.T @ r / N, of shape (D, 1)"),
    "divides_by_D": (
        "the count N is read from X.shape[1], the number of features D, so the gradients are divided by D instead of N",
        "the number of examples is N = X.shape[0]"),
    "uses_autograd": (
        "the gradients come from torch.autograd.grad, which the exercise rules out; under torch.no_grad() there is no graph to use",
        "write the formulas yourself from r = X @ W + b - y: dW from X.T @ r, db from r.sum(dim=0), both times 2 / N"),
    "dW_transposed": (
        "`residual.T @ X` has shape (1, D), the transpose of the (D, 1) shape of W",
        "put X.T first: 2 * X.T @ r / N has shape (D, 1)"),
    # ex04 gd_step
    "in_place": (
        "`W -= ...` and `b -= ...` work in place, so the caller's W and b are changed",
        "return new tensors: W_new = W - lr * dW, and the same for b"),
    "ascent": (
        "the step adds lr times the gradient, so it goes uphill and the cost grows",
        "step against the gradient: W - lr * dW and b - lr * db"),
    "ex04_gd_step-ignores_lr": (
        "the learning rate is left out, so every step is the full gradient, as if lr were 1",
        "scale each gradient by lr: W - lr * dW and b - lr * db"),
    "swapped_outputs": (
        "the pair comes back as (b_new, W_new), the wrong order",
        "return (W_new, b_new)"),
    "bias_not_updated": (
        "b is returned unchanged (a copy), so the bias never moves",
        "update it like W: b_new = b - lr * db"),
    "ex04_gd_step-returns_float32": (
        "`.float()` turns float64 parameters into float32, but W_new and b_new must keep the dtype of W and b",
        "drop the cast: W - lr * dW already has the dtype of W"),
    # ex05 fit_autograd
    "ex05_fit_autograd-forgot_zero_grad": (
        "the gradients are never zeroed and .backward() adds to .grad, so every step uses the sum of all gradients so far",
        "after each update, call W.grad.zero_() and b.grad.zero_()"),
    "update_outside_no_grad": (
        "`W -= lr * W.grad` outside torch.no_grad() changes a leaf that requires grad in place, and PyTorch raises an error",
        "do the two updates inside `with torch.no_grad():`"),
    "rebinds_W": (
        "`W = W - lr * W.grad` makes a new tensor with no .grad: W is no longer the leaf that autograd fills",
        "update the leaf in place, inside torch.no_grad(): W -= lr * W.grad"),
    "sum_loss": (
        "the loss sums the squared errors instead of averaging them, so the losses and the steps are N times too large",
        "use the mean of the squared errors, .mean()"),
    "bias_not_trained": (
        "b is never updated, so the bias stays at 0",
        "update b as well, inside torch.no_grad(): b -= lr * b.grad"),
    "random_init": (
        "the weights W start from random numbers instead of zeros, so the run does not start where the instructions say",
        "start from torch.zeros(D, 1, dtype=X.dtype, device=X.device, requires_grad=True)"),
    "gradient_ascent": (
        "the updates add lr times the gradient, so the parameters go uphill and the loss grows",
        "step against the gradient: W -= lr * W.grad and b -= lr * b.grad"),
    "loss_tensors_not_floats": (
        "`loss.detach()` puts 0-dim tensors into losses, not Python floats",
        "append loss.item()"),
    "one_epoch_short": (
        "`range(epochs - 1)` runs one step fewer than asked, so losses has epochs - 1 entries",
        "loop over range(epochs)"),
    "returns_clones": (
        "`W.clone()` still requires grad and stays attached to the graph; the returned parameters must be detached",
        "return W.detach() and b.detach()"),
    "ex05_fit_autograd-ignores_lr": (
        "the step size is fixed at 0.1 instead of the lr passed in",
        "use lr in both updates: W -= lr * W.grad"),
    "ignores_X_dtype": (
        "the parameters W and b are created in the default float32, so with a float64 X the product X @ W fails on mixed dtypes",
        "create them with dtype=X.dtype as well as device=X.device"),
    # ex06 fit_torch
    "ex06_fit_torch-forgot_zero_grad": (
        "optimizer.zero_grad() is never called, so the gradients of all the epochs add up and the steps keep growing",
        "call optimizer.zero_grad() at the start of every epoch, before loss.backward()"),
    "forgot_step": (
        "optimizer.step() is never called, so the parameters never change and the loss stays flat",
        "call optimizer.step() after loss.backward() in every epoch"),
    "l1_loss": (
        "nn.L1Loss is the mean absolute error, not the mean squared error",
        "use loss_fn = nn.MSELoss()"),
    "ex06_fit_torch-ignores_lr": (
        "the optimizer gets lr=0.01 instead of the lr passed in",
        "pass it on: torch.optim.SGD(model.parameters(), lr=lr)"),
    "squeezed_prediction": (
        "`model(X).squeeze(1)` is (N,) while y is (N, 1): nn.MSELoss broadcasts to (N, N), warns on stderr, learns only the mean",
        "keep both (N, 1): loss_fn(model(X), y)"),
    "adam_not_sgd": (
        "torch.optim.Adam takes different steps from the plain gradient descent the exercise asks for",
        "use torch.optim.SGD(model.parameters(), lr=lr)"),
    "returns_tensor_losses": (
        "the loss tensors themselves go into losses, still attached to their graphs, instead of Python floats",
        "append loss.item()"),
    "ignores_device": (
        "the data X, y and the model are never moved to device, so the training does not run there",
        "move X and y with .to(device), and build the model as nn.Linear(D, 1).to(device)"),
    # ex07 least_squares
    "no_column_of_ones": (
        "lstsq is solved on X alone and b is fixed at 0, so the fitted line is forced through the origin",
        "append a column of ones after the features, torch.cat([X, ones], dim=1), so that the bias is the last coefficient"),
    "ones_first_wrong_split": (
        "the ones are the first column of A, but theta is split as if they were last: W gets the bias and b the last weight",
        "append the ones after the features, torch.cat([X, ones], dim=1), so that the last row of theta is b"),
    "b_shape_1x1": (
        "`theta[-1:]` keeps a (1, 1) slice, but b must have shape (1,)",
        "index the last row with theta[-1], which has shape (1,)"),
    "b_as_mean_of_y": (
        "the weights are fitted without a column of ones and b is set to the mean of y: right only when every column of X has mean 0",
        "fit W and b together: lstsq on A = [X 1], then split theta into its first D rows and its last row"),
    "float64_result": (
        "the results W and b are converted to float64, but they must keep the dtype of X",
        "return the slices of theta as they are: with A built in X's dtype they already have it"),
    "W_as_row": (
        "`theta[:-1].T` gives W the shape (1, D) instead of (D, 1)",
        "theta[:-1] already has shape (D, 1): no transpose"),
}
