"""Wrong answers for lab03_cost_gradient_descent; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

MUTANTS = [
    # ex01 cost: ((W * x - y) ** 2).mean()
    Mutant("ex01_cost", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex01_cost", "no_square", replace=((" ** 2", ""),)),
    Mutant("ex01_cost", "absolute_error", replace=(("((W * x - y) ** 2)", "(W * x - y).abs()"),)),
    Mutant("ex01_cost", "root_mse", replace=(("((W * x - y) ** 2).mean()", "((W * x - y) ** 2).mean().sqrt()"),)),
    Mutant("ex01_cost", "detached_item",
           source="def cost(W, x, y):\n    return torch.tensor(((W * x - y) ** 2).mean().item())\n"),

    # ex02 cost_gradient: 2 * ((W * x - y) * x).mean()
    Mutant("ex02_cost_gradient", "wrong_sign", replace=(("(W * x - y)", "(y - W * x)"),)),
    Mutant("ex02_cost_gradient", "missing_factor_2", replace=(("return 2 * ", "return "),)),
    Mutant("ex02_cost_gradient", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex02_cost_gradient", "forgot_x", replace=(("((W * x - y) * x)", "(W * x - y)"),)),
    Mutant("ex02_cost_gradient", "x_squared_twice", replace=(("((W * x - y) * x)", "((W * x - y) * x * x)"),)),

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
                  "    return W, b\n"),

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
                  "    return torch.stack(history)\n"),
    Mutant("ex04_run_gd", "aliased_history",
           source="def run_gd(x, y, W0, lr, steps, grad_fn):\n"
                  "    W = W0.clone()\n"
                  "    history = [W]\n"
                  "    for _ in range(steps):\n"
                  "        W -= lr * grad_fn(W, x, y)\n"
                  "        history.append(W)\n"
                  "    return torch.stack(history)\n"),
    Mutant("ex04_run_gd", "ignores_grad_fn", replace=(("grad_fn(W, x, y)", "2 * ((W * x - y) * x).mean()"),)),

    # ex05 max_stable_lr: 2 / largest eigenvalue of 2 X^T X / N
    Mutant("ex05_max_stable_lr", "missing_factor_2_in_hessian", replace=(("hessian = 2 * X.T @ X", "hessian = X.T @ X"),)),
    Mutant("ex05_max_stable_lr", "one_over_lambda", replace=(("float(2 / lam_max)", "float(1 / lam_max)"),)),
    Mutant("ex05_max_stable_lr", "smallest_eigenvalue", replace=(("[-1]", "[0]"),)),
    Mutant("ex05_max_stable_lr", "sum_not_mean", replace=((" / X.shape[0]", ""),)),
    Mutant("ex05_max_stable_lr", "trace_not_eigenvalue",
           replace=(("torch.linalg.eigvalsh(hessian.cpu())[-1]", "torch.trace(hessian.cpu())"),)),
    Mutant("ex05_max_stable_lr", "returns_tensor", replace=(("return float(2 / lam_max)", "return 2 / lam_max"),)),

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
