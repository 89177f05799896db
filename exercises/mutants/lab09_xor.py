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

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 xor_data
    "y_flat_vector": (
        "returning y as a flat (4,) array, but y must be a (4, 1) column",
        "write y as a column, a list of one-element lists, or reshape it to (4, 1)"),
    "integer_arrays": (
        "writing the numbers as 0 and 1, so NumPy makes integer arrays instead of float64",
        "write 0.0 and 1.0 (or pass dtype=np.float64) for both X and y"),
    "or_labels": (
        "labelling the row (1, 1) with 1, which is OR: XOR is 1 only when exactly one input is 1",
        "the last row, (1, 1), gets the label 0"),
    "other_row_order": (
        "listing the rows as (0,0), (1,0), (0,1), (1,1) instead of the required order (0,0), (0,1), (1,0), (1,1)",
        "keep the truth-table order (0,0), (0,1), (1,0), (1,1), with each label in the same row as its inputs"),
    "torch_tensors": (
        "returning torch tensors, but xor_data must return NumPy arrays",
        "return the np.array objects themselves, without torch.tensor(...)"),
    "shared_module_level_arrays": (
        "returning the same module-level arrays on every call, so a caller who changes the result changes what later calls return",
        "create new arrays with np.array(...) inside the function, on every call"),
    # ex02 best_linear_accuracy
    "half_circle_of_directions": (
        "trying θ = πk / n_angles, only half the circle, so rules that call the points below a line 1 (like NAND) are never tried",
        "go all the way round: θ = 2πk / n_angles for k = 0, ..., n_angles - 1"),
    "no_threshold_below_all_points": (
        "never trying t = -inf, so the rule that calls every point 1 is missing",
        "try t = -np.inf as well as every projection s_i"),
    "greater_or_equal": (
        "calling a point 1 when s >= t: with t = s_i that point itself counts as 1, so no threshold calls every point 0",
        "only the points strictly above the threshold are called 1: compare with s > t"),
    "y_not_flattened": (
        "comparing a (N,) prediction with a (N, 1) label, which broadcasts to an (N, N) table and gives a wrong accuracy",
        "flatten y first: np.reshape(y, -1)"),
    "counts_not_fraction": (
        "returning the number of correctly classified points instead of the fraction in [0, 1]",
        "take np.mean of the comparison: the correct points divided by N"),
    "only_axis_aligned_lines": (
        "trying only 4 directions (multiples of 90°) and ignoring n_angles, so a diagonal line like x1 + x2 > 1.5 is never tried",
        "loop k over range(n_angles) with θ = 2πk / n_angles"),
    "returns_numpy_float_array": (
        "returning a 0-dim NumPy array instead of a Python float",
        "keep best a Python float (max(best, float(...))) and return it as it is"),
    "centres_X_in_place": (
        "subtracting the mean with -=: np.asarray returns the caller's float64 array itself, so the caller's X is changed",
        "no centring is needed here; if you transform X, make a new array (X = X - ...) instead of writing into it"),
    # ex03 forward
    "no_hidden_sigmoid": (
        "skipping the first sigmoid (H = Z1), so the network is linear and the cache's H is wrong",
        "apply the setup cell's sigmoid: H = sigmoid(Z1)"),
    "no_output_sigmoid": (
        "returning the logits Z2 as y_hat, without the output sigmoid, so y_hat is not a probability",
        "y_hat = sigmoid(Z2): every unit of this network, the output included, is a sigmoid"),
    "forgot_hidden_bias": (
        "leaving b1 out of Z1 = X W1 + b1",
        "add params['b1'] after X @ params['W1']; its shape (M,) broadcasts over the rows"),
    "transposed_W1": (
        "multiplying by W1.T, but W1 is already (D, M): X @ W1.T only fits when D = M, and then gives wrong numbers",
        "X (N, D) @ W1 (D, M) is (N, M) as it is: no transpose"),
    "tanh_hidden": (
        "using tanh in the first layer, but every unit of this network is a sigmoid",
        "use the setup cell's sigmoid for H, not np.tanh"),
    "cache_H_holds_preactivation": (
        "storing the pre-activation Z1 under the cache key 'H', so the backward pass reads the wrong values",
        "cache['H'] must be sigmoid(Z1), the activations; Z1 goes under 'Z1'"),
    "drops_Z2_from_cache": (
        "leaving Z2 out of the cache, which must hold X, Z1, H, Z2 and y_hat",
        "put every intermediate result in the cache dict, Z2 included"),
    "stores_cache_in_params": (
        "calling params.update(cache), which adds the cache's keys to the caller's params dict",
        "return the cache as a new dict of its own and leave params untouched"),
    # ex04 backward
    "missing_sigmoid_derivative": (
        "using dZ1 = dH, which skips the derivative H * (1 - H) of the first layer's sigmoid",
        "multiply dH entry-wise by H * (1 - H), with H from the cache"),
    "derivative_from_preactivation": (
        "writing the sigmoid's derivative with Z1, Z1 * (1 - Z1), but that formula needs the sigmoid's output H",
        "use H = cache['H'] in the derivative: H * (1 - H)"),
    "sum_not_mean": (
        "dropping the 1/N of the mean loss from dZ2, so every gradient is N times too large",
        "the loss is the mean over the batch: divide y_hat - y by N = X.shape[0]"),
    "ex04_backward-wrong_sign": (
        "using y - y_hat in dZ2, so every gradient has the opposite sign and a step would climb the loss",
        "dL/dZ2 = (y_hat - y) / N: y_hat comes first"),
    "extra_output_sigmoid_derivative": (
        "multiplying dZ2 by y_hat (1 - y_hat), but for a sigmoid followed by the BCE that factor has already cancelled",
        "the output sigmoid and the BCE together give just (y_hat - y) / N; no extra derivative there"),
    "bias_gradient_wrong_axis": (
        "summing dZ1 over axis=1 (the M units), which gives (N,) instead of b1's shape (M,)",
        "sum over the batch, axis=0"),
    "bias_gradient_mean": (
        "averaging dZ2 over the batch for db2, which divides by N a second time (dZ2 already carries the 1/N)",
        "sum over the batch: dZ2.sum(axis=0)"),
    "dW1_transposed": (
        "transposing dW1, so it comes out (M, D) instead of W1's shape (D, M)",
        "X.T @ dZ1 is already (D, M): no transpose at the end"),
    "dZ2_in_place_in_cache": (
        "setting dZ2 = y_hat and then using -= and /=, which overwrite cache['y_hat'] in place",
        "compute dZ2 as a new array in one expression from y_hat and y"),
    "ex04_backward-drops_bias_gradients": (
        "returning only dW1 and dW2, but the dict must also hold the bias gradients 'b1' and 'b2'",
        "add db1 and db2, each dZ summed over the batch (axis=0), to the returned dict"),
    # ex05 train_numpy
    "zero_initialisation": (
        "starting W1 and W2 at zero, so the two units of the first layer stay identical forever and cannot learn XOR",
        "initialise as instructed: rng = np.random.default_rng(seed), then W1 = rng.normal(0.0, 1.0, size=...), then W2"),
    "ex05_train_numpy-gradient_ascent": (
        "adding lr * grad to each parameter, which climbs the loss instead of descending it",
        "step downhill: params[k] - lr * grads[k]"),
    "ex05_train_numpy-ignores_lr": (
        "subtracting the raw gradient without multiplying by lr, so the lr argument has no effect",
        "scale every update: params[k] - lr * grads[k]"),
    "legacy_global_random_state": (
        "drawing the weights with np.random.seed and np.random.randn, which give other numbers than np.random.default_rng(seed)",
        "use rng = np.random.default_rng(seed) and rng.normal(0.0, 1.0, size=...) for W1, then for W2"),
    "loss_recorded_after_update": (
        "recording the loss after the update, with the new parameters, instead of the loss before each step",
        "compute the loss from the y_hat that forward_fn returned at the start of the step, before updating params"),
    "same_weights_for_every_hidden_unit": (
        "giving every unit of the first layer the same weights, so their gradients are equal and the symmetry is never broken",
        "draw independent numbers for every entry: W1 = rng.normal(0.0, 1.0, size=...) with W1's full shape, then W2 the same way"),
    "calls_own_forward_and_backward": (
        "calling your forward and backward from exercises 3 and 4 instead of the forward_fn and backward_fn passed in",
        "call forward_fn(X, params) and backward_fn(cache, y, params), the arguments"),
    "ignores_seed": (
        "seeding the generator with 0 instead of the seed passed in, so every seed gives the same start",
        "create rng = np.random.default_rng(seed) with the argument"),
    "ignores_hidden": (
        "building 2 units in the first layer whatever layer size is passed in",
        "use the layer-size argument (the one after backward_fn) in the shapes of W1, b1 and W2"),
    "ex05_train_numpy-ignores_steps": (
        "always running 2000 steps instead of the steps passed in, so losses has the wrong length",
        "loop for _ in range(steps)"),
    "clips_y_in_place": (
        "clipping y with out=y, which overwrites the caller's labels",
        "don't write into y: the loss needs no clipping here, and anything you do clip should be a new array (np.clip without out=)"),
    # ex06 build_xor_model + train_torch
    "no_hidden_nonlinearity": (
        "putting the two Linear layers right after each other: without a sigmoid between them they are one linear map",
        "put nn.Sigmoid() between nn.Linear(2, ...) and the last nn.Linear(..., 1)"),
    "sigmoid_at_the_output": (
        "ending the model with nn.Sigmoid(), so it outputs probabilities and nn.BCEWithLogitsLoss applies a second sigmoid",
        "output logits: no sigmoid after the last nn.Linear, the loss applies it"),
    "relu_hidden": (
        "using nn.ReLU() between the layers, but the model asked for has nn.Sigmoid() there",
        "the order is nn.Linear, nn.Sigmoid(), nn.Linear: use nn.Sigmoid() where the ReLU is"),
    "hidden_size_ignored": (
        "building 2 units in the first layer whatever layer size is passed in",
        "use build_xor_model's argument as the layer size in both nn.Linear(2, ·) and nn.Linear(·, 1)"),
    "no_biases": (
        "building both Linear layers with bias=False, which removes the biases the XOR network needs",
        "keep nn.Linear's default bias=True"),
    "no_zero_grad": (
        "gradients from earlier steps pile up, because .grad is never cleared",
        "call optimizer.zero_grad() before each loss.backward()"),
    "ex06_torch_xor-gradient_ascent": (
        "calling (-loss).backward(), so each SGD step climbs the loss instead of descending it",
        "call loss.backward() on the loss itself; optimizer.step() already subtracts lr * grad"),
    "mse_loss": (
        "training with nn.MSELoss on the logits instead of nn.BCEWithLogitsLoss",
        "use loss_fn = nn.BCEWithLogitsLoss() on model(X) and y"),
    "losses_kept_as_tensors": (
        "appending the loss tensors themselves, not Python floats, which also keeps each step's graph alive",
        "append loss.item()"),
    "ex06_torch_xor-ignores_lr": (
        "creating SGD with lr=1.0 instead of the lr passed in",
        "torch.optim.SGD(model.parameters(), lr=lr)"),
    "ex06_torch_xor-ignores_steps": (
        "always running 1000 steps instead of the steps passed in, so the list of losses has the wrong length",
        "loop for _ in range(steps)"),
    # ex07 hidden_representation
    "preactivation": (
        "returning model[0](X), the pre-activations, without the sigmoid model[1]",
        "apply both modules: the first nn.Linear, then the sigmoid (model[:2] does both)"),
    "whole_model_output": (
        "returning model(X), the (N, 1) output logits, instead of the (N, M) activations after the sigmoid",
        "run only the first two modules (model[:2]), not the output layer"),
    "keeps_gradient_history": (
        "computing the activations with autograd on, so the result has requires_grad=True and carries the model's graph",
        "wrap the computation in `with torch.no_grad():` (or call .detach() on the result)"),
    "relu_instead_of_sigmoid": (
        "applying torch.relu to model[0](X), but the model's nonlinearity is its sigmoid, model[1]",
        "use the model's own sigmoid: model[1] applied to model[0](X)"),
    "weight_not_transposed": (
        "computing X @ model[0].weight, but nn.Linear stores its weight as (M, 2), so the product needs the transpose",
        "use the layer itself, model[0](X), or X @ model[0].weight.T + model[0].bias, then the sigmoid"),
    "returns_numpy": (
        "converting the result to a NumPy array on the CPU, but the exercise asks for a tensor on X's device",
        "return the tensor itself, without .cpu().numpy()"),
    "strips_output_layer_in_place": (
        "deleting model[2] from the caller's model, so the network passed in loses its output layer",
        "read the modules without changing the model: model[:2] builds a new Sequential of the first two"),
}
