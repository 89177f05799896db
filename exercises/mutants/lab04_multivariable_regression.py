"""Wrong answers for lab04_multivariable_regression; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

MUTANTS = [
    # ex01 predict: X @ W + b
    Mutant("ex01_predict", "transposed_W", replace=(("X @ W + b", "X @ W.T + b"),)),
    Mutant("ex01_predict", "missing_bias", replace=(("X @ W + b", "X @ W"),)),
    Mutant("ex01_predict", "bias_as_column", replace=(("X @ W + b", "X @ W + b.reshape(-1, 1)"),)),
    Mutant("ex01_predict", "elementwise_product", replace=(("X @ W + b", "(X * W.T).sum(dim=1, keepdim=True) + b"),)),
    Mutant("ex01_predict", "detached", replace=(("X @ W + b", "(X @ W + b).detach()"),)),

    # ex02 mse: shape check, then ((y_hat - y) ** 2).mean()
    Mutant("ex02_mse", "sum_not_mean", replace=((".mean()", ".sum()"),)),
    Mutant("ex02_mse", "sum_over_outputs", replace=((".mean()", ".reshape(y.shape[0], -1).sum(dim=1).mean()"),)),
    Mutant("ex02_mse", "mean_per_output", replace=((".mean()", ".mean(dim=0)"),)),
    Mutant("ex02_mse", "absolute_error", replace=(("((y_hat - y) ** 2).mean()", "(y_hat - y).abs().mean()"),)),
    Mutant("ex02_mse", "no_shape_check",
           source="def mse(y_hat, y):\n    return ((y_hat - y) ** 2).mean()\n"),
    Mutant("ex02_mse", "squeezes_instead_of_raising",
           source="def mse(y_hat, y):\n    return ((y_hat.squeeze() - y.squeeze()) ** 2).mean()\n"),

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
                   "        yield X[start:start + batch_size], y[start:start + batch_size]\n")),

    # ex04 count_parameters: sum(n_in * n_out + n_out)
    Mutant("ex04_count_parameters", "forgets_biases", replace=(("n_in * n_out + n_out", "n_in * n_out"),)),
    Mutant("ex04_count_parameters", "bias_per_input", replace=(("n_in * n_out + n_out", "n_in * n_out + n_in"),)),
    Mutant("ex04_count_parameters", "one_bias_per_layer", replace=(("n_in * n_out + n_out", "n_in * n_out + 1"),)),
    Mutant("ex04_count_parameters", "skips_last_layer",
           replace=(("zip(sizes[:-1], sizes[1:])", "zip(sizes[:-2], sizes[1:-1])"),)),
    Mutant("ex04_count_parameters", "weights_of_first_layer_only",
           source="def count_parameters(sizes):\n    return sizes[0] * sizes[1] + sum(sizes[1:])\n"),

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
                   "    return X_train, X_test\n")),

    # ex07 train_regression: DataLoader(shuffle=True, generator), SGD, MSE on model(X_b).squeeze(1)
    Mutant("ex07_train", "broadcast_loss", replace=(("model(X_b).squeeze(1) - y_b", "model(X_b) - y_b"),)),
    Mutant("ex07_train", "no_zero_grad", replace=(("            optimizer.zero_grad()\n", ""),)),
    Mutant("ex07_train", "no_step", replace=(("            optimizer.step()\n", ""),)),
    Mutant("ex07_train", "no_shuffle", replace=(("shuffle=True", "shuffle=False"),)),
    Mutant("ex07_train", "drops_last_batch", replace=(("shuffle=True,", "shuffle=True, drop_last=True,"),)),
    Mutant("ex07_train", "one_epoch_only", replace=(("for _ in range(epochs):", "for _ in range(1):"),)),
]
