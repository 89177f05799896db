"""Plausible wrong answers to lab02_linear_regression; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

MUTANTS = [
    # ex01 predict
    Mutant("ex01_predict", "forgot_bias", replace=(("return X @ W + b", "return X @ W"),)),
    Mutant("ex01_predict", "elementwise_not_matmul", replace=(("return X @ W + b", "return X * W.T + b"),)),
    Mutant("ex01_predict", "squeezed_to_N", replace=(("return X @ W + b", "return (X @ W + b).squeeze(1)"),)),
    Mutant("ex01_predict", "subtracts_bias", replace=(("return X @ W + b", "return X @ W - b"),)),
    Mutant("ex01_predict", "sums_features_flat", replace=(("return X @ W + b", "return (X * W.T).sum(dim=1) + b"),)),
    # ex02 mse
    Mutant("ex02_mse", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex02_mse", "mean_over_dim0", replace=((".mean()", ".mean(dim=0)"),)),
    Mutant("ex02_mse", "not_squared", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).mean()"),)),
    Mutant("ex02_mse", "absolute_error", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).abs().mean()"),)),
    Mutant("ex02_mse", "root_mse", replace=((".mean()", ".mean().sqrt()"),)),
    Mutant("ex02_mse", "detached_item", replace=((".mean()", ".mean().item()"),)),
    Mutant("ex02_mse", "rebuilt_tensor_detached", replace=(("return ((y_hat - y) ** 2).mean()",
                                                             "return torch.tensor(((y_hat - y) ** 2).mean().item())"),)),
    Mutant("ex02_mse", "no_shape_check", replace=(("if y_hat.shape != y.shape:", "if False:"),)),
    Mutant("ex02_mse", "shape_check_wrong_error", replace=(("raise ValueError(", "raise RuntimeError("),)),
    Mutant("ex02_mse", "square_of_mean", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).mean() ** 2"),)),
    # ex03 mse_gradients
    Mutant("ex03_mse_gradients", "wrong_sign", replace=(("residual = X @ W + b - y", "residual = y - X @ W - b"),)),
    Mutant("ex03_mse_gradients", "missing_factor_2", replace=(("2 * X.T", "X.T"), ("2 * residual", "residual"))),
    Mutant("ex03_mse_gradients", "sum_not_mean", replace=((" / N", ""),)),
    Mutant("ex03_mse_gradients", "forgot_bias_in_residual", replace=(("residual = X @ W + b - y", "residual = X @ W - y"),)),
    Mutant("ex03_mse_gradients", "db_not_reduced", replace=(("residual.sum(dim=0)", "residual"),)),
    Mutant("ex03_mse_gradients", "db_0dim", replace=(("residual.sum(dim=0)", "residual.sum()"),)),
    Mutant("ex03_mse_gradients", "dW_without_X", replace=(("2 * X.T @ residual / N", "2 * residual.sum(dim=0, keepdim=True) / N"),)),
    Mutant("ex03_mse_gradients", "divides_by_D", replace=(("N = X.shape[0]", "N = X.shape[1]"),)),
    # ex04 gd_step
    Mutant("ex04_gd_step", "in_place", source=(
        "def gd_step(W, b, dW, db, lr):\n"
        "    W -= lr * dW\n"
        "    b -= lr * db\n"
        "    return W, b\n")),
    Mutant("ex04_gd_step", "ascent", replace=(("- lr *", "+ lr *"),)),
    Mutant("ex04_gd_step", "ignores_lr", replace=(("lr * ", ""),)),
    Mutant("ex04_gd_step", "swapped_outputs", replace=(("return W_new, b_new", "return b_new, W_new"),)),
    Mutant("ex04_gd_step", "bias_not_updated", replace=(("b_new = b - lr * db", "b_new = b.clone()"),)),
    # ex05 fit_autograd
    Mutant("ex05_fit_autograd", "forgot_zero_grad", replace=(("W.grad.zero_()", "pass"), ("b.grad.zero_()", "pass"))),
    Mutant("ex05_fit_autograd", "update_outside_no_grad", replace=(("with torch.no_grad():", "if True:"),)),
    Mutant("ex05_fit_autograd", "rebinds_W", replace=(("W -= lr * W.grad", "W = W - lr * W.grad"),)),
    Mutant("ex05_fit_autograd", "sum_loss", replace=(("((y_hat - y) ** 2).mean()", "((y_hat - y) ** 2).sum()"),)),
    Mutant("ex05_fit_autograd", "bias_not_trained", replace=(("b -= lr * b.grad", "pass"),)),
    Mutant("ex05_fit_autograd", "random_init", replace=(("W = torch.zeros(D, 1,", "W = torch.randn(D, 1,"),)),
    Mutant("ex05_fit_autograd", "gradient_ascent", replace=(("W -= lr * W.grad", "W += lr * W.grad"),
                                                            ("b -= lr * b.grad", "b += lr * b.grad"))),
    Mutant("ex05_fit_autograd", "loss_tensors_not_floats", replace=(("losses.append(loss.item())", "losses.append(loss.detach())"),)),
    Mutant("ex05_fit_autograd", "one_epoch_short", replace=(("range(epochs)", "range(epochs - 1)"),)),
    # ex06 fit_torch
    Mutant("ex06_fit_torch", "forgot_zero_grad", replace=(("optimizer.zero_grad()", "pass"),)),
    Mutant("ex06_fit_torch", "forgot_step", replace=(("optimizer.step()", "pass"),)),
    Mutant("ex06_fit_torch", "l1_loss", replace=(("nn.MSELoss()", "nn.L1Loss()"),)),
    Mutant("ex06_fit_torch", "ignores_lr", replace=(("lr=lr", "lr=0.01"),)),
    Mutant("ex06_fit_torch", "squeezed_prediction", replace=(("loss_fn(model(X), y)", "loss_fn(model(X).squeeze(1), y)"),)),
    Mutant("ex06_fit_torch", "adam_not_sgd", replace=(("torch.optim.SGD", "torch.optim.Adam"),)),
    Mutant("ex06_fit_torch", "returns_tensor_losses", replace=(("losses.append(loss.item())", "losses.append(loss)"),)),
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
]
