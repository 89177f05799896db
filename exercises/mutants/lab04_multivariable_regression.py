"""Wrong answers for lab04_multivariable_regression; each must lose exactly its own exercise's points."""
from exercises.contracts import Contract, Float, Gen, Int, Mod, OneOf, Seq, T, Tup
from exercises.mutants import Alternative, Mutant

MUTANTS = [
    # ex01 predict: X @ W + b
    Mutant("ex01_predict", "transposed_W", replace=(("X @ W + b", "X @ W.T + b"),)),
    Mutant("ex01_predict", "missing_bias", replace=(("X @ W + b", "X @ W"),)),
    Mutant("ex01_predict", "bias_as_column", replace=(("X @ W + b", "X @ W + b.reshape(-1, 1)"),)),
    Mutant("ex01_predict", "elementwise_product", replace=(("X @ W + b", "(X * W.T).sum(dim=1, keepdim=True) + b"),)),
    Mutant("ex01_predict", "detached", replace=(("X @ W + b", "(X @ W + b).detach()"),)),
    Mutant("ex01_predict", "unsqueezes_bias_in_place", replace=(("return X @ W + b", "b.unsqueeze_(0)\n    return X @ W + b"),),
           breaks="no_mutation"),

    # ex02 mse: shape check, then ((y_hat - y) ** 2).mean()
    Mutant("ex02_mse", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex02_mse", "sum_over_outputs", replace=((".mean()", ".reshape(y.shape[0], -1).sum(dim=1).mean()"),)),
    Mutant("ex02_mse", "mean_per_output", replace=((".mean()", ".mean(dim=0)"),)),
    Mutant("ex02_mse", "absolute_error", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).abs().mean()"),)),
    Mutant("ex02_mse", "no_shape_check",
           source="def mse(y_hat, y):\n    return ((y_hat - y) ** 2).mean()\n", breaks="shape_mismatch_raises"),
    Mutant("ex02_mse", "squeezes_instead_of_raising",
           source="def mse(y_hat, y):\n    return ((y_hat.squeeze() - y.squeeze()) ** 2).mean()\n"),
    Mutant("ex02_mse", "subtracts_in_place", replace=(("return ((y_hat - y) ** 2).mean()",
                                                       "y_hat -= y\n    return (y_hat ** 2).mean()"),), breaks="no_mutation"),

    # ex03 batches: perm = torch.randperm(N, generator=generator); slices of batch_size
    Mutant("ex03_batches", "drops_last_batch",
           replace=(("range(0, N, batch_size)", "range(0, N - batch_size + 1, batch_size)"),)),
    Mutant("ex03_batches", "no_shuffle",
           replace=(("torch.randperm(N, generator=generator)", "torch.arange(N)"),)),
    Mutant("ex03_batches", "sampled_with_replacement",
           replace=(("torch.randperm(N, generator=generator)", "torch.randint(0, N, (N,), generator=generator)"),)),
    Mutant("ex03_batches", "separate_shuffles_for_X_and_y",
           replace=(("yield X[idx], y[idx]",
                     "y_perm = torch.randperm(N, generator=generator).to(X.device)\n"
                     "        yield X[idx], y[y_perm[start:start + batch_size]]"),)),
    Mutant("ex03_batches", "fresh_generator_each_epoch",
           replace=(("generator=generator)", "generator=torch.Generator().manual_seed(0))"),)),
    Mutant("ex03_batches", "global_rng", replace=(("torch.randperm(N, generator=generator)", "torch.randperm(N)"),)),
    Mutant("ex03_batches", "overlapping_batches",
           replace=(("range(0, N, batch_size)", "range(0, N, max(1, batch_size - 1))"),)),
    Mutant("ex03_batches", "shuffles_in_place",
           source=("def batches(X, y, batch_size, generator):\n"
                   "    perm = torch.randperm(X.shape[0], generator=generator).to(X.device)\n"
                   "    X[:], y[:] = X[perm].clone(), y[perm].clone()\n"
                   "    for start in range(0, X.shape[0], batch_size):\n"
                   "        yield X[start:start + batch_size], y[start:start + batch_size]\n"), breaks="no_mutation"),
    Mutant("ex03_batches", "yields_cpu_batches", replace=(("yield X[idx], y[idx]", "yield X[idx].cpu(), y[idx].cpu()"),),
           breaks="device"),

    # ex04 count_parameters: sum(n_in * n_out + n_out)
    Mutant("ex04_count_parameters", "forgets_biases", replace=(("n_in * n_out + n_out", "n_in * n_out"),)),
    Mutant("ex04_count_parameters", "bias_per_input", replace=(("n_in * n_out + n_out", "n_in * n_out + n_in"),)),
    Mutant("ex04_count_parameters", "one_bias_per_layer", replace=(("n_in * n_out + n_out", "n_in * n_out + 1"),)),
    Mutant("ex04_count_parameters", "skips_last_layer",
           replace=(("zip(sizes[:-1], sizes[1:])", "zip(sizes[:-2], sizes[1:-1])"),)),
    Mutant("ex04_count_parameters", "weights_of_first_layer_only",
           source="def count_parameters(sizes):\n    return sizes[0] * sizes[1] + sum(sizes[1:])\n"),
    Mutant("ex04_count_parameters", "pops_the_sizes", source=(
        "def count_parameters(sizes):\n"
        "    total = 0\n"
        "    while len(sizes) > 1:\n"
        "        n_in = sizes.pop(0)\n"
        "        total += n_in * sizes[0] + sizes[0]\n"
        "    return total\n"), breaks="no_mutation"),

    # ex05 models: Sequential(Linear, ReLU, Linear) and TwoLayerNet(hidden, out)
    Mutant("ex05_models", "sequential_without_relu", replace=(("nn.Linear(D, H), nn.ReLU(), ", "nn.Linear(D, H), "),)),
    Mutant("ex05_models", "sequential_without_bias",
           replace=(("nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Linear(H, K))",
                     "nn.Sequential(nn.Linear(D, H, bias=False), nn.ReLU(), nn.Linear(H, K, bias=False))"),)),
    Mutant("ex05_models", "module_without_relu",
           replace=(("return self.out(torch.relu(self.hidden(X)))", "return self.out(self.hidden(X))"),)),
    Mutant("ex05_models", "layers_in_plain_list",
           replace=(("self.hidden = nn.Linear(D, H)\n        self.out = nn.Linear(H, K)",
                     "self.layers = [nn.Linear(D, H), nn.Linear(H, K)]"),
                    ("return self.out(torch.relu(self.hidden(X)))",
                     "return self.layers[1](torch.relu(self.layers[0](X)))"))),
    Mutant("ex05_models", "relu_after_output",
           replace=(("return self.out(torch.relu(self.hidden(X)))", "return torch.relu(self.out(self.hidden(X)))"),)),
    Mutant("ex05_models", "module_layer_sizes_swapped",
           replace=(("self.hidden = nn.Linear(D, H)\n        self.out = nn.Linear(H, K)",
                     "self.out = nn.Linear(H, K)\n        self.hidden = nn.Linear(D, H)"),)),

    # ex06 standardize: train mean and population std for both parts
    Mutant("ex06_standardize", "test_statistics_for_test",
           replace=(("(X_test - mu) / sigma", "(X_test - X_test.mean(dim=0)) / X_test.std(dim=0, correction=0)"),)),
    Mutant("ex06_standardize", "pooled_statistics",
           replace=(("mu = X_train.mean(dim=0)\n    sigma = X_train.std(dim=0, correction=0)",
                     "X_all = torch.cat([X_train, X_test])\n    mu = X_all.mean(dim=0)\n    sigma = X_all.std(dim=0, correction=0)"),)),
    Mutant("ex06_standardize", "unbiased_std", replace=((", correction=0", ""),)),
    Mutant("ex06_standardize", "wrong_axis", replace=(("mean(dim=0)", "mean(dim=1, keepdim=True)"),
                                                      ("std(dim=0, correction=0)", "std(dim=1, correction=0, keepdim=True)"))),
    Mutant("ex06_standardize", "no_centering",
           replace=(("return (X_train - mu) / sigma, (X_test - mu) / sigma", "return X_train / sigma, X_test / sigma"),)),
    Mutant("ex06_standardize", "in_place",
           source=("def standardize(X_train, X_test):\n"
                   "    mu = X_train.mean(dim=0)\n"
                   "    sigma = X_train.std(dim=0, correction=0)\n"
                   "    X_train -= mu\n    X_train /= sigma\n    X_test -= mu\n    X_test /= sigma\n"
                   "    return X_train, X_test\n"), breaks="no_mutation"),

    # ex07 train_regression: DataLoader(shuffle=True, generator), SGD, MSE on model(X_b).squeeze(1)
    Mutant("ex07_train", "broadcast_loss", replace=(("model(X_b).squeeze(1) - y_b", "model(X_b) - y_b"),)),
    Mutant("ex07_train", "no_zero_grad", replace=(("            optimizer.zero_grad()\n", ""),)),
    Mutant("ex07_train", "no_step", replace=(("            optimizer.step()\n", ""),)),
    Mutant("ex07_train", "no_shuffle", replace=(("shuffle=True", "shuffle=False"),)),
    Mutant("ex07_train", "drops_last_batch", replace=(("shuffle=True,", "shuffle=True, drop_last=True,"),)),
    Mutant("ex07_train", "one_epoch_only", replace=(("for _ in range(epochs):", "for _ in range(1):"),)),
    Mutant("ex07_train", "model_left_on_cpu", replace=(("nn.Linear(X_train.shape[1], 1).to(X_train.device)",
                                                        "nn.Linear(X_train.shape[1], 1)"),), breaks="device"),
    Mutant("ex07_train", "ignores_lr", replace=(("lr=lr)", "lr=0.02)"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_predict", "einsum", source=(
        "def predict(X, W, b):\n"
        "    return torch.einsum('nd,dk->nk', X, W) + b\n")),
    Alternative("ex02_mse", "sum_over_numel", source=(
        "def mse(y_hat, y):\n"
        "    if tuple(y_hat.shape) != tuple(y.shape):\n"
        "        raise ValueError(f'shapes differ: y_hat {tuple(y_hat.shape)}, y {tuple(y.shape)}')\n"
        "    d = y_hat - y\n"
        "    return (d * d).sum() / d.numel()\n")),
    Alternative("ex03_batches", "split_the_permutation", source=(
        "def batches(X, y, batch_size, generator):\n"
        "    perm = torch.randperm(len(X), generator=generator)\n"
        "    for idx in perm.split(batch_size):\n"
        "        idx = idx.to(X.device)\n"
        "        yield X.index_select(0, idx), y.index_select(0, idx)\n")),
    Alternative("ex04_count_parameters", "index_loop", source=(
        "def count_parameters(sizes):\n"
        "    total = 0\n"
        "    for l in range(1, len(sizes)):\n"
        "        total += (sizes[l - 1] + 1) * sizes[l]\n"
        "    return total\n")),
    Alternative("ex05_models", "functional_relu_and_list_unpacking", source=(
        "def build_sequential(D, H, K):\n"
        "    layers = [nn.Linear(D, H), nn.ReLU(), nn.Linear(H, K)]\n"
        "    return nn.Sequential(*layers)\n\n\n"
        "class TwoLayerNet(nn.Module):\n"
        "    def __init__(self, D, H, K):\n"
        "        super().__init__()\n"
        "        self.hidden = nn.Linear(D, H)\n"
        "        self.out = nn.Linear(H, K)\n\n"
        "    def forward(self, X):\n"
        "        h = torch.nn.functional.relu(self.hidden(X))\n"
        "        return self.out(h)\n")),
    Alternative("ex06_standardize", "keepdim_and_manual_variance", source=(
        "def standardize(X_train, X_test):\n"
        "    mu = X_train.mean(dim=0, keepdim=True)\n"
        "    sigma = ((X_train - mu) ** 2).mean(dim=0, keepdim=True).sqrt()\n"
        "    return (X_train - mu) / sigma, (X_test - mu) / sigma\n")),
    Alternative("ex07_train", "mse_loss_module_zero_grad_first", source=(
        "def train_regression(X_train, y_train, epochs, batch_size, lr, generator):\n"
        "    model = nn.Linear(X_train.shape[1], 1).to(X_train.device)\n"
        "    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True, generator=generator)\n"
        "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n"
        "    loss_fn = nn.MSELoss()\n"
        "    for epoch in range(epochs):\n"
        "        for X_b, y_b in loader:\n"
        "            opt.zero_grad()\n"
        "            loss_fn(model(X_b).reshape(-1), y_b).backward()\n"
        "            opt.step()\n"
        "    return model\n")),
]

CONTRACTS = [
    Contract("ex01_predict", "predict", {"X": T("N", "D", dtype="float"), "W": T("D", "K", dtype="float"), "b": T("K", dtype="float")},
             returns=T("N", "K", dtype="float"), rules=("device", "no_mutation"), batch="X"),
    Contract("ex02_mse", "mse", {"y_hat": OneOf(T("N", dtype="float"), T("N", "K", dtype="float")),
                                 # any shape: a y whose shape differs from y_hat's must raise a ValueError
                                 "y": OneOf(T(None, dtype="float"), T(None, None, dtype="float"))},
             returns=T(dtype="float"), rules=("device", "no_mutation", "shape_mismatch_raises"), batch="y_hat"),
    Contract("ex03_batches", "batches", {"X": T("N", "D"), "y": OneOf(T("N"), T("N", "K")), "batch_size": Int(lo=1),
                                         "generator": Gen()},
             rules=("device", "no_mutation"), batch="X"),
    Contract("ex04_count_parameters", "count_parameters", {"sizes": Seq(Int(lo=1), min_len=1)}, returns=Int(lo=0),
             rules=("no_mutation",), diverse=None),
    Contract("ex05_models", "build_sequential", {"D": Int(lo=1), "H": Int(lo=1), "K": Int(lo=1)}, returns=Mod(), diverse=None),
    Contract("ex05_models", "TwoLayerNet", {"D": Int(lo=1), "H": Int(lo=1), "K": Int(lo=1)}, forward={"X": T("N", None, dtype="float")},
             returns=T("N", None, dtype="float"), rules=("device",), batch="X"),
    Contract("ex06_standardize", "standardize", {"X_train": T("N", "D", dtype="float"), "X_test": T("M", "D", dtype="float")},
             returns=Tup(T("N", "D", dtype="float"), T("M", "D", dtype="float")), rules=("device", "no_mutation"),
             batch="X_test", diverse="X_train"),
    Contract("ex07_train", "train_regression", {"X_train": T("N", "D", dtype="float"), "y_train": T("N", dtype="float"),
                                                "epochs": Int(lo=1), "batch_size": Int(lo=1), "lr": Float(lo=0), "generator": Gen()},
             returns=Mod(), rules=("device",), batch="X_train"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 predict
    "transposed_W": (
        "the weights W already have shape (D, K), so `X @ W.T` only works when D == K, and then gives the wrong numbers",
        "no transpose: X @ W (nn.Linear stores its weight as (K, D), but this W is (D, K))"),
    "missing_bias": (
        "the bias b is never added, so every output k is off by b[k]",
        "add the bias after the product: X @ W + b; it broadcasts over the rows"),
    "bias_as_column": (
        "`b.reshape(-1, 1)` makes the bias a (K, 1) column, so it lines up with the examples instead of the outputs",
        "add b as it is, shape (K,): broadcasting adds b[k] to output k of every row"),
    "elementwise_product": (
        "`(X * W.T).sum(dim=1, keepdim=True)` computes a single output column: it matches X @ W only when K = 1",
        "use the matrix product X @ W, which gives all K outputs, shape (N, K)"),
    "detached": (
        "`.detach()` cuts the predictions off the autograd graph, so no gradient reaches W or b",
        "return X @ W + b without .detach()"),
    "unsqueezes_bias_in_place": (
        "`b.unsqueeze_(0)` works in place, so the caller's bias b changes shape from (K,) to (1, K)",
        "no reshaping is needed: X @ W + b broadcasts b over the rows"),
    # ex02 mse
    "sum_not_mean": (
        "`.sum()` adds the squared errors up instead of averaging them over all N * K entries",
        "use .mean() with no dim"),
    "sum_over_outputs": (
        "the squared errors are summed over the K outputs and averaged only over the rows, which gives K times the MSE",
        "average over every entry: .mean() with no dim divides by N * K"),
    "mean_per_output": (
        "`.mean(dim=0)` averages over the rows only and returns K values instead of a 0-dim tensor",
        "call .mean() with no dim, which averages over every entry"),
    "absolute_error": (
        "this is the mean absolute error, |y_hat - y|, not the mean squared error",
        "square the differences instead of taking .abs()"),
    "no_shape_check": (
        "mismatched shapes are not refused: (N, 1) minus (N,) broadcasts silently to (N, N) and gives a wrong cost",
        "compare y_hat.shape with y.shape first, and raise ValueError with both shapes in the message"),
    "squeezes_instead_of_raising": (
        "squeezing both tensors hides a shape mismatch instead of raising ValueError, and shapes like (3, 2) and (2, 3) still fail",
        "when y_hat.shape != y.shape, raise ValueError with both shapes in the message"),
    "subtracts_in_place": (
        "`y_hat -= y` works in place, so the caller's predictions are overwritten with the errors",
        "compute the difference as a new tensor: y_hat - y"),
    # ex03 batches
    "ex03_batches-drops_last_batch": (
        "the range stops before the last, smaller piece, so when batch_size does not divide N the last examples are never served",
        "start the batches at range(0, N, batch_size): slicing past the end of perm just stops at the end"),
    "ex03_batches-no_shuffle": (
        "`torch.arange(N)` serves the rows in their original order every epoch: nothing is shuffled",
        "draw the order with torch.randperm(N, generator=generator)"),
    "sampled_with_replacement": (
        "`torch.randint` draws the indices with replacement, so some examples come twice in an epoch and others never",
        "use a permutation, torch.randperm(N, generator=generator), so that every row appears exactly once"),
    "separate_shuffles_for_X_and_y": (
        "y is indexed with a second permutation, so the targets no longer belong to their examples",
        "draw one permutation per epoch and index X and y with the same idx"),
    "fresh_generator_each_epoch": (
        "a new generator seeded with 0 is made at each call, so every epoch has the same order and the given generator is unused",
        "pass the generator you are given to torch.randperm: it moves on after each call"),
    "global_rng": (
        "`torch.randperm(N)` without generator= draws from the global random state, so the order does not follow the generator",
        "pass it: torch.randperm(N, generator=generator)"),
    "overlapping_batches": (
        "the batch starts step by batch_size - 1, so consecutive batches share a row and some examples are served twice",
        "start the batches at range(0, N, batch_size)"),
    "shuffles_in_place": (
        "`X[:], y[:] = ...` writes the shuffled rows into the caller's X and y",
        "shuffle by indexing, X[idx] and y[idx], which makes new tensors and leaves X and y as they are"),
    "yields_cpu_batches": (
        "`.cpu()` moves every batch to the CPU, away from the device of X",
        "yield X[idx], y[idx] as they are, after moving perm to X.device"),
    # ex04 count_parameters
    "forgets_biases": (
        "only the weights n_in * n_out are counted, not the n_out biases of each layer",
        "add the biases: n_in * n_out + n_out per layer (for [13, 10] that is 140)"),
    "bias_per_input": (
        "the biases of each layer are counted by its input size, but there is one bias per output unit",
        "count n_out biases per layer: n_in * n_out + n_out"),
    "one_bias_per_layer": (
        "each layer gets a single bias, but every output unit has its own",
        "count n_out biases per layer: n_in * n_out + n_out"),
    "skips_last_layer": (
        "`zip(sizes[:-2], sizes[1:-1])` leaves out the last layer",
        "pair every input size with its output size: zip(sizes[:-1], sizes[1:])"),
    "weights_of_first_layer_only": (
        "only the weights of the first layer are counted (plus all the biases), and a list with one size raises an error",
        "add n_in * n_out + n_out over every layer: zip(sizes[:-1], sizes[1:]) gives the pairs, and none for a single size"),
    "pops_the_sizes": (
        "`sizes.pop(0)` empties the caller's list while counting",
        "loop over the pairs without changing the list: zip(sizes[:-1], sizes[1:])"),
    # ex05 models
    "sequential_without_relu": (
        "the nn.Sequential has no nn.ReLU() between the two layers, so the network is one linear map",
        "put nn.ReLU() between nn.Linear(D, H) and nn.Linear(H, K)"),
    "sequential_without_bias": (
        "bias=False removes the biases, so the Sequential has D*H + H*K parameters instead of D*H + H + H*K + K",
        "keep the default bias=True in both nn.Linear layers"),
    "module_without_relu": (
        "`TwoLayerNet.forward` applies the two layers with no torch.relu between them",
        "apply torch.relu to the output of the first layer before passing it to self.out"),
    "layers_in_plain_list": (
        "layers kept in a plain Python list are not registered, so TwoLayerNet has no parameters to train or copy",
        "assign each nn.Linear to its own attribute of self in __init__ (or hold them in an nn.ModuleList)"),
    "relu_after_output": (
        "the ReLU is applied to the output instead of between the layers, so negative outputs become 0 and the layers act as one",
        "apply torch.relu between the two layers and return the output of self.out as it is"),
    "module_layer_sizes_swapped": (
        "self.out is created before the first layer, so the parameters are listed out.weight and out.bias first",
        "create the D -> H layer first, then self.out: parameters are listed in the order the layers are assigned"),
    # ex06 standardize
    "test_statistics_for_test": (
        "the test part is standardised with its own mean and std, but it must use the statistics of the training part",
        "compute mu and sigma from X_train only and apply the same two to both parts"),
    "pooled_statistics": (
        "the mean and std are taken over the training and test rows together, so the test data leak into the statistics",
        "compute mu and sigma from X_train alone"),
    "unbiased_std": (
        "`X_train.std(dim=0)` divides by N - 1, but the instructions ask for the population std, which divides by N",
        "pass correction=0: X_train.std(dim=0, correction=0)"),
    "wrong_axis": (
        "the mean and std are taken per row (dim=1), but every column (feature) needs its own mean and std",
        "reduce over the training examples with dim=0: one mean and one std per column"),
    "no_centering": (
        "the training mean is never subtracted, so the columns are rescaled but not centred",
        "subtract mu before dividing by sigma, in both parts"),
    "in_place": (
        "`-=` and `/=` work in place, so the caller's X_train and X_test are changed",
        "build new tensors with `-` and `/`: (X_train - mu) / sigma, and the same for X_test"),
    # ex07 train_regression
    "broadcast_loss": (
        "`model(X_b)` is (B, 1) and y_b is (B,), so their difference broadcasts to (B, B) and the model learns only the mean",
        "squeeze the predictions to (B,) first: model(X_b).squeeze(1) - y_b"),
    "no_zero_grad": (
        "optimizer.zero_grad() is never called, so the gradients of all the steps add up and training diverges",
        "call optimizer.zero_grad() before loss.backward() at every step"),
    "no_step": (
        "optimizer.step() is never called, so the parameters never change",
        "call optimizer.step() after loss.backward() at every step"),
    "ex07_train-no_shuffle": (
        "shuffle=False serves the batches in the same order every epoch, so the run differs from the one the steps describe",
        "pass shuffle=True and generator=generator to the DataLoader"),
    "ex07_train-drops_last_batch": (
        "drop_last=True throws away the last, smaller batch of every epoch",
        "leave drop_last at its default, False, so that every example is used"),
    "one_epoch_only": (
        "the loop runs a single epoch, whatever epochs is",
        "loop over range(epochs)"),
    "model_left_on_cpu": (
        "the model stays on the CPU while X_train may be on a GPU, so training fails there",
        "create the model with nn.Linear(D, 1).to(X_train.device)"),
    "ignores_lr": (
        "the optimizer gets lr=0.02 instead of the lr passed in",
        "pass it on: torch.optim.SGD(model.parameters(), lr=lr)"),
}
