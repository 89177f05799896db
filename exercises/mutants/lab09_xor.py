"""Plausible wrong answers to lab09_xor; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

XOR_Y = "y = np.array([[0.0], [1.0], [1.0], [0.0]])"
UPDATE = "params = {name: params[name] - lr * grads[name] for name in params}"

MUTANTS = [
    # ex01 xor_data
    Mutant("ex01_xor_data", "y_flat_vector", replace=((XOR_Y, "y = np.array([0.0, 1.0, 1.0, 0.0])"),)),
    Mutant("ex01_xor_data", "integer_arrays", source=(
        "def xor_data():\n"
        "    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])\n"
        "    y = np.array([[0], [1], [1], [0]])\n"
        "    return X, y\n")),
    Mutant("ex01_xor_data", "or_labels", replace=((XOR_Y, "y = np.array([[0.0], [1.0], [1.0], [1.0]])"),)),
    Mutant("ex01_xor_data", "other_row_order", replace=(
        ("X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])",
         "X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])"),)),
    Mutant("ex01_xor_data", "torch_tensors", replace=(("return X, y", "return torch.tensor(X), torch.tensor(y)"),)),
    Mutant("ex01_xor_data", "shared_module_level_arrays", source=(
        "_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])\n"
        "_XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])\n\n\n"
        "def xor_data():\n"
        "    return _XOR_X, _XOR_Y\n")),
    # ex02 best_linear_accuracy
    Mutant("ex02_best_linear_accuracy", "half_circle_of_directions", replace=(
        ("theta = 2 * np.pi * k / n_angles", "theta = np.pi * k / n_angles"),)),
    Mutant("ex02_best_linear_accuracy", "no_threshold_below_all_points", replace=(
        ("np.concatenate([[-np.inf], s])", "s"),)),
    Mutant("ex02_best_linear_accuracy", "greater_or_equal", replace=(("(s > t)", "(s >= t)"),)),
    Mutant("ex02_best_linear_accuracy", "y_not_flattened", replace=(
        ("y = np.reshape(np.asarray(y, dtype=np.float64), -1)", "y = np.asarray(y, dtype=np.float64)"),)),
    Mutant("ex02_best_linear_accuracy", "counts_not_fraction", replace=(
        ("float(np.mean(y_hat == y))", "float(np.sum(y_hat == y))"),)),
    Mutant("ex02_best_linear_accuracy", "only_axis_aligned_lines", replace=(
        ("for k in range(n_angles):\n        theta = 2 * np.pi * k / n_angles",
         "for k in range(4):\n        theta = np.pi / 2 * k"),)),
    Mutant("ex02_best_linear_accuracy", "returns_numpy_float_array", replace=(("return best", "return np.array(best)"),)),
    # ex03 forward
    Mutant("ex03_forward", "no_hidden_sigmoid", replace=(("H = sigmoid(Z1)", "H = Z1"),)),
    Mutant("ex03_forward", "no_output_sigmoid", replace=(("y_hat = sigmoid(Z2)", "y_hat = Z2"),)),
    Mutant("ex03_forward", "forgot_hidden_bias", replace=(('Z1 = X @ params["W1"] + params["b1"]', 'Z1 = X @ params["W1"]'),)),
    Mutant("ex03_forward", "transposed_W1", replace=(('Z1 = X @ params["W1"]', 'Z1 = X @ params["W1"].T'),)),
    Mutant("ex03_forward", "tanh_hidden", replace=(("H = sigmoid(Z1)", "H = np.tanh(Z1)"),)),
    Mutant("ex03_forward", "cache_H_holds_preactivation", replace=(('"H": H', '"H": Z1'),)),
    # ex04 backward
    Mutant("ex04_backward", "missing_sigmoid_derivative", replace=(("dZ1 = dH * H * (1 - H)", "dZ1 = dH"),)),
    Mutant("ex04_backward", "derivative_from_preactivation", replace=(
        ("dZ1 = dH * H * (1 - H)", 'dZ1 = dH * cache["Z1"] * (1 - cache["Z1"])'),)),
    Mutant("ex04_backward", "sum_not_mean", replace=(("dZ2 = (y_hat - y) / N", "dZ2 = y_hat - y"),)),
    Mutant("ex04_backward", "wrong_sign", replace=(("dZ2 = (y_hat - y) / N", "dZ2 = (y - y_hat) / N"),)),
    Mutant("ex04_backward", "extra_output_sigmoid_derivative", replace=(
        ("dZ2 = (y_hat - y) / N", "dZ2 = (y_hat - y) * y_hat * (1 - y_hat) / N"),)),
    Mutant("ex04_backward", "bias_gradient_wrong_axis", replace=(("db1 = dZ1.sum(axis=0)", "db1 = dZ1.sum(axis=1)"),)),
    Mutant("ex04_backward", "bias_gradient_mean", replace=(("db2 = dZ2.sum(axis=0)", "db2 = dZ2.mean(axis=0)"),)),
    Mutant("ex04_backward", "dW1_transposed", replace=(("dW1 = X.T @ dZ1", "dW1 = (X.T @ dZ1).T"),)),
    # ex05 train_numpy
    Mutant("ex05_train_numpy", "zero_initialisation", replace=(
        ("W1 = rng.normal(0.0, 1.0, size=(D, hidden))", "W1 = np.zeros((D, hidden))"),
        ("W2 = rng.normal(0.0, 1.0, size=(hidden, 1))", "W2 = np.zeros((hidden, 1))"))),
    Mutant("ex05_train_numpy", "gradient_ascent", replace=((UPDATE, UPDATE.replace(" - lr *", " + lr *")),)),
    Mutant("ex05_train_numpy", "ignores_lr", replace=((UPDATE, UPDATE.replace(" - lr * grads", " - grads")),)),
    Mutant("ex05_train_numpy", "legacy_global_random_state", replace=(
        ("W1 = rng.normal(0.0, 1.0, size=(D, hidden))", "np.random.seed(seed)\n    W1 = np.random.randn(D, hidden)"),
        ("W2 = rng.normal(0.0, 1.0, size=(hidden, 1))", "W2 = np.random.randn(hidden, 1)"))),
    Mutant("ex05_train_numpy", "loss_recorded_after_update", source=(
        "def train_numpy(X, y, forward_fn, backward_fn, hidden=2, lr=1.0, steps=2000, seed=0):\n"
        "    rng = np.random.default_rng(seed)\n"
        "    W1 = rng.normal(0.0, 1.0, size=(X.shape[1], hidden))\n"
        "    W2 = rng.normal(0.0, 1.0, size=(hidden, 1))\n"
        "    params = {'W1': W1, 'b1': np.zeros(hidden), 'W2': W2, 'b2': np.zeros(1)}\n"
        "    losses = []\n"
        "    for _ in range(steps):\n"
        "        y_hat, cache = forward_fn(X, params)\n"
        "        grads = backward_fn(cache, y, params)\n"
        "        params = {k: params[k] - lr * grads[k] for k in params}\n"
        "        y_hat, _ = forward_fn(X, params)\n"
        "        losses.append(float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))))\n"
        "    return params, losses\n")),
    Mutant("ex05_train_numpy", "same_weights_for_every_hidden_unit", replace=(
        ("W1 = rng.normal(0.0, 1.0, size=(D, hidden))", "W1 = np.repeat(rng.normal(0.0, 1.0, size=(D, 1)), hidden, axis=1)"),
        ("W2 = rng.normal(0.0, 1.0, size=(hidden, 1))", "W2 = np.full((hidden, 1), rng.normal())"))),
    Mutant("ex05_train_numpy", "calls_own_forward_and_backward", replace=(
        ("y_hat, cache = forward_fn(X, params)", "y_hat, cache = forward(X, params)"),
        ("grads = backward_fn(cache, y, params)", "grads = backward(cache, y, params)"))),
    # ex06 build_xor_model + train_torch
    Mutant("ex06_torch_xor", "no_hidden_nonlinearity", replace=(
        ("nn.Sequential(nn.Linear(2, hidden), nn.Sigmoid(), nn.Linear(hidden, 1))",
         "nn.Sequential(nn.Linear(2, hidden), nn.Linear(hidden, 1))"),)),
    Mutant("ex06_torch_xor", "sigmoid_at_the_output", replace=(
        ("nn.Linear(hidden, 1))", "nn.Linear(hidden, 1), nn.Sigmoid())"),)),
    Mutant("ex06_torch_xor", "relu_hidden", replace=(("nn.Sigmoid(), nn.Linear(hidden, 1)", "nn.ReLU(), nn.Linear(hidden, 1)"),)),
    Mutant("ex06_torch_xor", "hidden_size_ignored", replace=(
        ("nn.Sequential(nn.Linear(2, hidden), nn.Sigmoid(), nn.Linear(hidden, 1))",
         "nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1))"),)),
    Mutant("ex06_torch_xor", "no_biases", replace=(
        ("nn.Sequential(nn.Linear(2, hidden), nn.Sigmoid(), nn.Linear(hidden, 1))",
         "nn.Sequential(nn.Linear(2, hidden, bias=False), nn.Sigmoid(), nn.Linear(hidden, 1, bias=False))"),)),
    Mutant("ex06_torch_xor", "no_zero_grad", replace=(("        optimizer.zero_grad()\n", ""),)),
    Mutant("ex06_torch_xor", "gradient_ascent", replace=(("loss.backward()", "(-loss).backward()"),)),
    Mutant("ex06_torch_xor", "mse_loss", replace=(("loss_fn = nn.BCEWithLogitsLoss()", "loss_fn = nn.MSELoss()"),)),
    Mutant("ex06_torch_xor", "losses_kept_as_tensors", replace=(("losses.append(loss.item())", "losses.append(loss)"),)),
    # ex07 hidden_representation
    Mutant("ex07_hidden_representation", "preactivation", replace=(("return model[1](model[0](X))", "return model[0](X)"),)),
    Mutant("ex07_hidden_representation", "whole_model_output", replace=(("return model[1](model[0](X))", "return model(X)"),)),
    Mutant("ex07_hidden_representation", "keeps_gradient_history", source=(
        "def hidden_representation(model, X):\n"
        "    return model[1](model[0](X))\n")),
    Mutant("ex07_hidden_representation", "relu_instead_of_sigmoid", replace=(
        ("return model[1](model[0](X))", "return torch.relu(model[0](X))"),)),
    Mutant("ex07_hidden_representation", "weight_not_transposed", replace=(
        ("return model[1](model[0](X))", "return torch.sigmoid(X @ model[0].weight + model[0].bias)"),)),
    Mutant("ex07_hidden_representation", "returns_numpy", replace=(
        ("return model[1](model[0](X))", "return model[1](model[0](X)).cpu().numpy()"),)),
]
