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
