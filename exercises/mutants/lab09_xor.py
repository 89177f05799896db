"""Plausible wrong answers to lab09_xor; each must lose exactly its own exercise's points."""
from exercises.contracts import A, Contract, Float, Fn, Int, Map, Mod, OneOf, Seq, T, Tup
from exercises.mutants import Alternative, Mutant

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
    Mutant("ex02_best_linear_accuracy", "centres_X_in_place", breaks="no_mutation", replace=(
        ("X = np.asarray(X, dtype=np.float64)\n", "X = np.asarray(X, dtype=np.float64)\n    X -= X.mean(axis=0)\n"),)),
    # ex03 forward
    Mutant("ex03_forward", "no_hidden_sigmoid", replace=(("H = sigmoid(Z1)", "H = Z1"),)),
    Mutant("ex03_forward", "no_output_sigmoid", replace=(("y_hat = sigmoid(Z2)", "y_hat = Z2"),)),
    Mutant("ex03_forward", "forgot_hidden_bias", replace=(('Z1 = X @ params["W1"] + params["b1"]', 'Z1 = X @ params["W1"]'),)),
    Mutant("ex03_forward", "transposed_W1", replace=(('Z1 = X @ params["W1"]', 'Z1 = X @ params["W1"].T'),)),
    Mutant("ex03_forward", "tanh_hidden", replace=(("H = sigmoid(Z1)", "H = np.tanh(Z1)"),)),
    Mutant("ex03_forward", "cache_H_holds_preactivation", replace=(('"H": H', '"H": Z1'),)),
    Mutant("ex03_forward", "drops_Z2_from_cache", replace=(('"Z2": Z2, ', ''),)),
    Mutant("ex03_forward", "stores_cache_in_params", breaks="no_mutation", replace=(
        ("    return y_hat, cache\n", "    params.update(cache)                 # keep everything in one dict\n    return y_hat, cache\n"),)),
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
    Mutant("ex04_backward", "dZ2_in_place_in_cache", breaks="no_mutation", replace=(
        ("dZ2 = (y_hat - y) / N", "dZ2 = y_hat\n    dZ2 -= y\n    dZ2 /= N"),)),
    Mutant("ex04_backward", "drops_bias_gradients", replace=(
        ('return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}', 'return {"W1": dW1, "W2": dW2}'),)),
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
    Mutant("ex05_train_numpy", "ignores_seed", replace=(("np.random.default_rng(seed)", "np.random.default_rng(0)"),)),
    Mutant("ex05_train_numpy", "ignores_hidden", replace=(
        ("size=(D, hidden)", "size=(D, 2)"), ("size=(hidden, 1)", "size=(2, 1)"), ("np.zeros(hidden)", "np.zeros(2)"))),
    Mutant("ex05_train_numpy", "ignores_steps", replace=(("for _ in range(steps):", "for _ in range(2000):"),)),
    Mutant("ex05_train_numpy", "clips_y_in_place", breaks="no_mutation", replace=(
        ("    losses = []\n", "    np.clip(y, 1e-7, 1 - 1e-7, out=y)     # keep the logs finite\n    losses = []\n"),)),
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
    Mutant("ex06_torch_xor", "ignores_lr", replace=(("lr=lr)", "lr=1.0)"),)),
    Mutant("ex06_torch_xor", "ignores_steps", replace=(("for _ in range(steps):", "for _ in range(1000):"),)),
    # ex07 hidden_representation
    Mutant("ex07_hidden_representation", "preactivation", replace=(("return model[1](model[0](X))", "return model[0](X)"),)),
    Mutant("ex07_hidden_representation", "whole_model_output", replace=(("return model[1](model[0](X))", "return model(X)"),)),
    Mutant("ex07_hidden_representation", "keeps_gradient_history", source=(
        "def hidden_representation(model, X):\n"
        "    return model[1](model[0](X))\n"), breaks="no_gradient_history"),
    Mutant("ex07_hidden_representation", "relu_instead_of_sigmoid", replace=(
        ("return model[1](model[0](X))", "return torch.relu(model[0](X))"),)),
    Mutant("ex07_hidden_representation", "weight_not_transposed", replace=(
        ("return model[1](model[0](X))", "return torch.sigmoid(X @ model[0].weight + model[0].bias)"),)),
    Mutant("ex07_hidden_representation", "returns_numpy", replace=(
        ("return model[1](model[0](X))", "return model[1](model[0](X)).cpu().numpy()"),)),
    Mutant("ex07_hidden_representation", "strips_output_layer_in_place", breaks="no_mutation", source=(
        "def hidden_representation(model, X):\n"
        "    with torch.no_grad():\n"
        "        del model[2]                 # drop the output layer: what is left is the hidden part\n"
        "        return model(X)\n")),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_xor_data", "itertools_product_and_logical_xor", source=(
        "import itertools\n\n\n"
        "def xor_data():\n"
        "    X = np.array(list(itertools.product([0.0, 1.0], repeat=2)))\n"
        "    y = np.logical_xor(X[:, :1], X[:, 1:]).astype(np.float64)\n"
        "    return X, y\n")),
    Alternative("ex02_best_linear_accuracy", "vectorised_over_thresholds", source=(
        "def best_linear_accuracy(X, y, n_angles=360):\n"
        "    X = np.array(X, dtype=np.float64)\n"
        "    y = np.asarray(y).reshape(-1) == 1\n"
        "    best = 0.0\n"
        "    for k in range(n_angles):\n"
        "        w = np.array([np.cos(2 * np.pi * k / n_angles), np.sin(2 * np.pi * k / n_angles)])\n"
        "        s = X @ w\n"
        "        t = np.concatenate([[-np.inf], s])[:, None]          # (N + 1, 1) thresholds\n"
        "        best = max(best, float(((s[None, :] > t) == y[None, :]).mean(axis=1).max()))\n"
        "    return best\n")),
    Alternative("ex03_forward", "einsum_dot_and_dict_call", source=(
        "def forward(X, params):\n"
        "    Z1 = np.einsum('nd,dm->nm', X, params['W1']) + params['b1'][None, :]\n"
        "    H = sigmoid(Z1)\n"
        "    Z2 = np.dot(H, params['W2']) + params['b2']\n"
        "    y_hat = sigmoid(Z2)\n"
        "    return y_hat, dict(X=X, Z1=Z1, H=H, Z2=Z2, y_hat=y_hat)\n")),
    # (recomputing sigmoid(cache["Z1"]) instead of reading cache["H"] is correct too, but the grader's probes
    # rescale each cache entry on its own, so H and sigmoid(Z1) disagree there: see the lab owner's report)
    Alternative("ex04_backward", "einsum", source=(
        "def backward(cache, y, params):\n"
        "    N = len(y)\n"
        "    H = cache['H']\n"
        "    dZ2 = (cache['y_hat'] - y) / N\n"
        "    dZ1 = np.einsum('nk,mk->nm', dZ2, params['W2']) * H * (1.0 - H)\n"
        "    return {'W1': np.einsum('nd,nm->dm', cache['X'], dZ1), 'b1': np.einsum('nm->m', dZ1),\n"
        "            'W2': np.einsum('nm,nk->mk', H, dZ2), 'b2': np.einsum('nk->k', dZ2)}\n")),
    Alternative("ex05_train_numpy", "stable_loss_from_logits_Z2", source=(
        "def train_numpy(X, y, forward_fn, backward_fn, hidden=2, lr=1.0, steps=2000, seed=0):\n"
        "    rng = np.random.default_rng(seed)\n"
        "    params = {'W1': rng.normal(0.0, 1.0, size=(X.shape[1], hidden))}\n"
        "    params['b1'] = np.zeros(hidden)\n"
        "    params['W2'] = rng.normal(0.0, 1.0, size=(hidden, 1))\n"
        "    params['b2'] = np.zeros(1)\n"
        "    losses = []\n"
        "    for _ in range(steps):\n"
        "        _, cache = forward_fn(X, params)\n"
        "        Z2 = cache['Z2']                            # BCE from the logits: log(1 + e^z) - y z\n"
        "        losses.append(float(np.mean(np.logaddexp(0.0, Z2) - y * Z2)))\n"
        "        grads = backward_fn(cache, y, params)\n"
        "        for name in params:\n"
        "            params[name] = params[name] - lr * grads[name]\n"
        "    return params, losses\n")),
    # (named layers, nn.Sequential(OrderedDict(...)), are correct too, but the probes compare module names)
    Alternative("ex06_torch_xor", "appended_layers_and_functional_loss", source=(
        "def build_xor_model(hidden=2):\n"
        "    model = nn.Sequential()\n"
        "    for layer in (nn.Linear(2, hidden), nn.Sigmoid(), nn.Linear(hidden, 1)):\n"
        "        model.append(layer)\n"
        "    return model\n\n\n"
        "def train_torch(model, X, y, steps=1000, lr=1.0):\n"
        "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n"
        "    history = []\n"
        "    for _ in range(steps):\n"
        "        opt.zero_grad()\n"
        "        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(X), y)\n"
        "        history.append(float(loss))\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return history\n")),
    Alternative("ex07_hidden_representation", "slice_and_detach", source=(
        "def hidden_representation(model, X):\n"
        "    return model[:2](X).detach()\n")),
]

_PARAMS = Map({"W1": A("D", "M", dtype="float"), "b1": A("M", dtype="float"),
               "W2": A("M", 1, dtype="float"), "b2": A(1, dtype="float")})
_CACHE = Map({"X": A("N", "D", dtype="float"), "Z1": A("N", "M", dtype="float"), "H": A("N", "M", dtype="float"),
              "Z2": A("N", 1, dtype="float"), "y_hat": A("N", 1, dtype="float")})

CONTRACTS = [
    Contract("ex01_xor_data", "xor_data", {},
             returns=Tup(A(4, 2, dtype="float64"), A(4, 1, dtype="float64"))),
    Contract("ex02_best_linear_accuracy", "best_linear_accuracy",
             {"X": A("N", 2, dtype="float"), "y": OneOf(A("N", dtype="float"), A("N", 1, dtype="float")),
              "n_angles": Int(lo=1)},
             returns=Float(lo=0, hi=1), rules=("no_mutation",), batch="X", diverse=None,
             why_not="X holds points of the plane: always 2 columns"),
    Contract("ex03_forward", "forward", {"X": A("N", "D", dtype="float"), "params": _PARAMS},
             returns=Tup(A("N", 1, dtype="float"), _CACHE), rules=("no_mutation",), batch="X"),
    Contract("ex04_backward", "backward", {"cache": _CACHE, "y": A("N", 1, dtype="float"), "params": _PARAMS},
             returns=_PARAMS, rules=("no_mutation",), batch="y", diverse=None,
             why_not="the multi-axis arrays come inside the cache and params dicts; y is (N, 1) "
                     "(the hidden case has N=7, D=3, M=5)"),
    Contract("ex05_train_numpy", "train_numpy",
             {"X": A("N", "D", dtype="float"), "y": A("N", 1, dtype="float"), "forward_fn": Fn(), "backward_fn": Fn(),
              "hidden": Int(lo=1), "lr": Float(lo=0), "steps": Int(lo=1), "seed": Int(lo=0)},
             returns=Tup(_PARAMS, Seq(Float())), rules=("no_mutation",), batch="X"),
    Contract("ex06_torch_xor", "build_xor_model", {"hidden": Int(lo=1)}, returns=Mod()),
    Contract("ex06_torch_xor", "train_torch",
             {"model": Mod(), "X": T("N", 2, dtype="float"), "y": T("N", 1, dtype="float"), "steps": Int(lo=1),
              "lr": Float(lo=0)},
             returns=Seq(Float()), batch="X", diverse=None, why_not="X holds the two XOR inputs: always 2 columns"),
    Contract("ex07_hidden_representation", "hidden_representation", {"model": Mod(), "X": T("N", 2, dtype="float")},
             returns=T("N", None, dtype="float"), rules=("device", "no_mutation", "no_gradient_history"), batch="X", diverse=None,
             why_not="X holds the two XOR inputs: always 2 columns"),
]
