"""Plausible wrong answers to lab07_training_practice; each must lose exactly its own exercise's points."""
from exercises.contracts import Contract, Float, Gen, Int, Mod, Opt, Seq, T, Tup
from exercises.mutants import Alternative, Mutant

MUTANTS = [
    # ex01 split
    Mutant("ex01_split", "no_shuffle", replace=(("torch.randperm(N, generator=generator)", "torch.arange(N)"),)),
    Mutant("ex01_split", "ignores_generator", replace=(("torch.randperm(N, generator=generator)", "torch.randperm(N)"),)),
    Mutant("ex01_split", "test_overlaps_val", replace=(("test_idx = perm[n_train + n_val:]", "test_idx = perm[n_train:]"),)),
    Mutant("ex01_split", "rounds_sizes", replace=(("int(fractions[1] * N)", "round(fractions[1] * N)"),
                                                  ("int(fractions[2] * N)", "round(fractions[2] * N)"))),
    Mutant("ex01_split", "train_size_from_fraction", replace=(("n_train = N - n_val - n_test", "n_train = int(fractions[0] * N)"),
                                                              ("test_idx = perm[n_train + n_val:]", "test_idx = perm[n_train + n_val:n_train + n_val + n_test]"))),
    Mutant("ex01_split", "one_permutation_per_split", replace=(
        ("val_idx = perm[n_train:n_train + n_val]", "val_idx = torch.randperm(N, generator=generator)[:n_val]"),
        ("test_idx = perm[n_train + n_val:]", "test_idx = torch.randperm(N, generator=generator)[:n_test]"))),
    Mutant("ex01_split", "int32_indices", replace=(
        ("torch.randperm(N, generator=generator)", "torch.randperm(N, generator=generator, dtype=torch.int32)"),)),
    # ex02 standardize
    Mutant("ex02_standardize", "no_floor", replace=((".clamp_min(eps)", ""),)),
    Mutant("ex02_standardize", "sample_std", replace=(("correction=0", "correction=1"),)),
    Mutant("ex02_standardize", "stats_from_all_splits", replace=(
        ("mean, std = fit_standardizer(X_train, eps)", "mean, std = fit_standardizer(torch.cat([X_train, X_val, X_test]), eps)"),)),
    Mutant("ex02_standardize", "stats_from_each_split", replace=(
        ("return standardize(X_train, mean, std), standardize(X_val, mean, std), standardize(X_test, mean, std)",
         "return tuple(standardize(Z, *fit_standardizer(Z, eps)) for Z in (X_train, X_val, X_test))"),)),
    Mutant("ex02_standardize", "in_place", breaks="no_mutation", replace=(("    return (X - mean) / std", "    X -= mean\n    X /= std\n    return X"),)),
    Mutant("ex02_standardize", "row_statistics", replace=(("X_train.mean(dim=0)", "X_train.mean(dim=1)"),
                                                          ("X_train.std(dim=0, correction=0)", "X_train.std(dim=1, correction=0)"))),
    Mutant("ex02_standardize", "fixed_floor_ignores_eps", replace=((".clamp_min(eps)", ".clamp_min(1e-6)"),)),
    Mutant("ex02_standardize", "one_mean_for_all_columns", replace=(("X_train.mean(dim=0)", "X_train.mean().expand(X_train.shape[1])"),)),
    # ex03 iterations
    Mutant("ex03_iterations", "floor", replace=(("math.ceil(N / batch_size)", "N // batch_size"),)),
    Mutant("ex03_iterations", "floor_plus_one", replace=(("math.ceil(N / batch_size)", "N // batch_size + 1"),)),
    Mutant("ex03_iterations", "rounds", replace=(("math.ceil(N / batch_size)", "round(N / batch_size)"),)),
    Mutant("ex03_iterations", "float_result", replace=(("math.ceil(N / batch_size)", "N / batch_size"),)),
    Mutant("ex03_iterations", "total_is_ceil_of_product", replace=(
        ("return epochs * iterations_per_epoch(N, batch_size)", "return math.ceil(epochs * N / batch_size)"),)),
    Mutant("ex03_iterations", "calls_library_iterations_per_epoch", breaks="forbids:dlcourse.train.iterations_per_epoch",
           source=("from dlcourse.train import iterations_per_epoch as _course_iterations\n\n\n"
                   "def iterations_per_epoch(N, batch_size):\n"
                   "    return _course_iterations(N, batch_size)\n\n\n"
                   "def total_iterations(N, batch_size, epochs):\n"
                   "    return epochs * iterations_per_epoch(N, batch_size)\n")),
    # ex04 l2_penalty
    Mutant("ex04_l2_penalty", "includes_biases", replace=(("if not name.endswith(\"bias\"):", "if True:"),)),
    Mutant("ex04_l2_penalty", "missing_half", replace=(("return lam / 2 * total", "return lam * total"),)),
    Mutant("ex04_l2_penalty", "missing_lambda", replace=(("return lam / 2 * total", "return total / 2"),)),
    Mutant("ex04_l2_penalty", "norm_not_squared", replace=(("(p ** 2).sum()", "p.norm()"),)),
    Mutant("ex04_l2_penalty", "l1_not_l2", replace=(("(p ** 2).sum()", "p.abs().sum()"),)),
    Mutant("ex04_l2_penalty", "mean_not_sum", replace=(("(p ** 2).sum()", "(p ** 2).mean()"),)),
    Mutant("ex04_l2_penalty", "detached", replace=(("return lam / 2 * total", "return torch.tensor(lam / 2 * float(total))"),)),
    Mutant("ex04_l2_penalty", "returns_on_cpu", breaks="device", replace=(("return lam / 2 * total", "return (lam / 2 * total).cpu()"),)),
    Mutant("ex04_l2_penalty", "only_model_weight", source=(
        "def l2_penalty(model, lam):\n"
        "    return lam / 2 * (model.weight ** 2).sum()\n")),
    # ex05 early_stopping
    Mutant("ex05_early_stopping", "last_epoch_not_best", replace=(("return best_epoch, epoch", "return epoch, epoch"),
                                                                   ("return best_epoch, len(val_losses) - 1", "return len(val_losses) - 1, len(val_losses) - 1"))),
    Mutant("ex05_early_stopping", "ties_pick_later", replace=(("if loss < best_loss:", "if loss <= best_loss:"),)),
    Mutant("ex05_early_stopping", "highest_loss", replace=(("if loss < best_loss:", "if loss > best_loss:"),)),
    Mutant("ex05_early_stopping", "patience_off_by_one", replace=(("epoch - best_epoch == patience", "epoch - best_epoch > patience"),)),
    Mutant("ex05_early_stopping", "looks_past_the_stop", source=(
        "def early_stopping(val_losses, patience=None):\n"
        "    import math\n"
        "    best = min(range(len(val_losses)), key=lambda e: (math.isnan(val_losses[e]), val_losses[e]))\n"
        "    best_epoch, best_loss = 0, val_losses[0]\n"
        "    for epoch, loss in enumerate(val_losses):\n"
        "        if loss < best_loss:\n"
        "            best_epoch, best_loss = epoch, loss\n"
        "        if patience is not None and epoch - best_epoch == patience:\n"
        "            return best, epoch\n"
        "    return best, len(val_losses) - 1\n")),
    Mutant("ex05_early_stopping", "stops_before_updating_best", source=(
        "def early_stopping(val_losses, patience=None):\n"
        "    best_epoch, best_loss = 0, val_losses[0]\n"
        "    for epoch, loss in enumerate(val_losses):\n"
        "        if patience is not None and epoch - best_epoch == patience:\n"
        "            return best_epoch, epoch\n"
        "        if loss < best_loss:\n"
        "            best_epoch, best_loss = epoch, loss\n"
        "    return best_epoch, len(val_losses) - 1\n")),
    # ex06 evaluate_accuracy
    Mutant("ex06_evaluate_accuracy", "train_mode", breaks="eval_mode", replace=(("    model.eval()\n", ""),)),
    Mutant("ex06_evaluate_accuracy", "mode_not_restored", breaks="restores_mode", replace=(("    model.train(was_training)\n", ""),)),
    Mutant("ex06_evaluate_accuracy", "always_back_to_train", replace=(("model.train(was_training)", "model.train()"),)),
    Mutant("ex06_evaluate_accuracy", "gradients_on", breaks="no_grad", replace=(("with torch.no_grad():", "if True:"),)),
    Mutant("ex06_evaluate_accuracy", "mean_of_batch_accuracies", source=(
        "def evaluate_accuracy(model, X, y, batch_size=256):\n"
        "    was_training = model.training\n"
        "    model.eval()\n"
        "    accs = []\n"
        "    with torch.no_grad():\n"
        "        for start in range(0, len(X), batch_size):\n"
        "            logits = model(X[start:start + batch_size])\n"
        "            accs.append((logits.argmax(dim=1) == y[start:start + batch_size]).float().mean().item())\n"
        "    model.train(was_training)\n"
        "    return sum(accs) / len(accs)\n")),
    Mutant("ex06_evaluate_accuracy", "returns_count", replace=(("return correct / len(X)", "return float(correct)"),)),
    Mutant("ex06_evaluate_accuracy", "returns_tensor", replace=(
        ("(logits.argmax(dim=1) == y[start:start + batch_size]).sum().item()", "(logits.argmax(dim=1) == y[start:start + batch_size]).sum()"),)),
    Mutant("ex06_evaluate_accuracy", "drops_last_batch", replace=(("range(0, len(X), batch_size)", "range(0, len(X) - batch_size + 1, batch_size)"),)),
    Mutant("ex06_evaluate_accuracy", "calls_library_evaluate_accuracy", breaks="forbids:dlcourse.train.evaluate_accuracy",
           source=("from dlcourse.train import evaluate_accuracy as _course_evaluate_accuracy\n\n\n"
                   "def evaluate_accuracy(model, X, y, batch_size=256):\n"
                   "    return _course_evaluate_accuracy(model, X, y, batch_size=batch_size)\n")),
    # ex07 train_softmax
    Mutant("ex07_train_softmax", "no_zero_grad", replace=(("            optimizer.zero_grad()\n", ""),)),
    Mutant("ex07_train_softmax", "softmax_before_cross_entropy", replace=(
        ("loss = loss_fn(model(X[idx]), y[idx])", "loss = loss_fn(torch.softmax(model(X[idx]), dim=1), y[idx])"),)),
    Mutant("ex07_train_softmax", "no_shuffle", replace=(("perm = torch.randperm(N, generator=generator).to(X.device)", "perm = torch.arange(N, device=X.device)"),)),
    Mutant("ex07_train_softmax", "default_init", replace=(("        model.weight.zero_()\n        model.bias.zero_()\n", "        pass\n"),)),
    Mutant("ex07_train_softmax", "drops_last_batch", replace=(("range(0, N, batch_size)", "range(0, N - batch_size + 1, batch_size)"),)),
    Mutant("ex07_train_softmax", "one_shuffle_for_all_epochs", source=(
        "def train_softmax(X, y, epochs, batch_size, lr, generator):\n"
        "    N, D = X.shape\n"
        "    model = nn.Linear(D, 10).to(X.device)\n"
        "    with torch.no_grad():\n"
        "        model.weight.zero_()\n"
        "        model.bias.zero_()\n"
        "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
        "    loss_fn = nn.CrossEntropyLoss()\n"
        "    batch_losses = []\n"
        "    perm = torch.randperm(N, generator=generator).to(X.device)\n"
        "    for epoch in range(epochs):\n"
        "        for start in range(0, N, batch_size):\n"
        "            idx = perm[start:start + batch_size]\n"
        "            optimizer.zero_grad()\n"
        "            loss = loss_fn(model(X[idx]), y[idx])\n"
        "            loss.backward()\n"
        "            optimizer.step()\n"
        "            batch_losses.append(loss.item())\n"
        "    return model, batch_losses\n")),
    Mutant("ex07_train_softmax", "adam_not_sgd", replace=(("torch.optim.SGD(", "torch.optim.Adam("),)),
    Mutant("ex07_train_softmax", "loss_tensors_not_floats", replace=(("batch_losses.append(loss.item())", "batch_losses.append(loss)"),)),
    Mutant("ex07_train_softmax", "ignores_lr", replace=(("lr=lr)", "lr=0.03)"),)),
    Mutant("ex07_train_softmax", "model_left_on_cpu", breaks="device", replace=(("nn.Linear(D, 10).to(X.device)", "nn.Linear(D, 10)"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_split", "torch_split", source=(
        "def train_val_test_split(N, fractions, generator):\n"
        "    n_val, n_test = int(fractions[1] * N), int(fractions[2] * N)\n"
        "    perm = torch.randperm(N, generator=generator)\n"
        "    return tuple(torch.split(perm, [N - n_val - n_test, n_val, n_test]))\n")),
    Alternative("ex02_standardize", "explicit_formulas", source=(
        "def fit_standardizer(X_train, eps=1e-6):\n"
        "    mean = X_train.sum(dim=0) / X_train.shape[0]\n"
        "    std = ((X_train - mean) ** 2).mean(dim=0).sqrt()\n"
        "    return mean, torch.clamp(std, min=eps)\n\n\n"
        "def standardize(X, mean, std):\n"
        "    return torch.div(X - mean[None, :], std[None, :])\n\n\n"
        "def standardize_splits(X_train, X_val, X_test, eps=1e-6):\n"
        "    stats = fit_standardizer(X_train, eps=eps)\n"
        "    return tuple(standardize(Z, *stats) for Z in (X_train, X_val, X_test))\n")),
    Alternative("ex03_iterations", "integer_ceiling", source=(
        "def iterations_per_epoch(N, batch_size):\n"
        "    return (N + batch_size - 1) // batch_size\n\n\n"
        "def total_iterations(N, batch_size, epochs):\n"
        "    return sum(iterations_per_epoch(N, batch_size) for _ in range(epochs))\n")),
    Alternative("ex04_l2_penalty", "generator_sum", source=(
        "def l2_penalty(model, lam):\n"
        "    weights = [p for name, p in model.named_parameters() if not name.endswith('bias')]\n"
        "    return 0.5 * lam * sum(w.pow(2).sum() for w in weights)\n")),
    Alternative("ex05_early_stopping", "index_loop", source=(
        "def early_stopping(val_losses, patience=None):\n"
        "    best = 0\n"
        "    for epoch in range(len(val_losses)):\n"
        "        if val_losses[epoch] < val_losses[best]:\n"
        "            best = epoch\n"
        "        elif patience is not None and epoch - best >= patience:\n"
        "            return best, epoch\n"
        "    return best, len(val_losses) - 1\n")),
    Alternative("ex06_evaluate_accuracy", "split_and_try_finally", source=(
        "def evaluate_accuracy(model, X, y, batch_size=256):\n"
        "    mode = model.training\n"
        "    model.eval()\n"
        "    try:\n"
        "        with torch.no_grad():\n"
        "            hits = sum(int((model(xb).argmax(1) == yb).sum())\n"
        "                       for xb, yb in zip(torch.split(X, batch_size), torch.split(y, batch_size)))\n"
        "    finally:\n"
        "        model.train(mode)\n"
        "    return hits / X.shape[0]\n")),
    Alternative("ex07_train_softmax", "split_perm_and_functional_loss", source=(
        "def train_softmax(X, y, epochs, batch_size, lr, generator):\n"
        "    model = nn.Linear(X.shape[1], 10).to(X.device)\n"
        "    nn.init.zeros_(model.weight)\n"
        "    nn.init.zeros_(model.bias)\n"
        "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n"
        "    losses = []\n"
        "    for _ in range(epochs):\n"
        "        for idx in torch.split(torch.randperm(len(X), generator=generator).to(X.device), batch_size):\n"
        "            opt.zero_grad()\n"
        "            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])\n"
        "            loss.backward()\n"
        "            opt.step()\n"
        "            losses.append(float(loss))\n"
        "    return model, losses\n")),
]

CONTRACTS = [
    Contract("ex01_split", "train_val_test_split",
             {"N": Int(lo=0), "fractions": Tup(Float(lo=0), Float(lo=0), Float(lo=0)), "generator": Gen()},
             returns=Tup(T(None, dtype="int64"), T(None, dtype="int64"), T(None, dtype="int64"))),
    Contract("ex02_standardize", "fit_standardizer", {"X_train": T("N", "D", dtype="float"), "eps": Float(lo=0)},
             returns=Tup(T("D", dtype="float"), T("D", dtype="float")), rules=("device", "no_mutation"), batch="X_train"),
    Contract("ex02_standardize", "standardize",
             {"X": T("M", "D", dtype="float"), "mean": T("D", dtype="float"), "std": T("D", dtype="float")},
             returns=T("M", "D", dtype="float"), rules=("device", "no_mutation"), batch="X"),
    Contract("ex02_standardize", "standardize_splits",
             {"X_train": T("N", "D", dtype="float"), "X_val": T("M", "D", dtype="float"),
              "X_test": T("L", "D", dtype="float"), "eps": Float(lo=0)},
             returns=Tup(T("N", "D", dtype="float"), T("M", "D", dtype="float"), T("L", "D", dtype="float")),
             rules=("device", "no_mutation"), batch="X_train"),
    Contract("ex03_iterations", "iterations_per_epoch", {"N": Int(lo=0), "batch_size": Int(lo=1)}, returns=Int(lo=0),
             rules=("forbids:dlcourse.train.iterations_per_epoch",)),
    Contract("ex03_iterations", "total_iterations", {"N": Int(lo=0), "batch_size": Int(lo=1), "epochs": Int(lo=0)},
             returns=Int(lo=0)),
    Contract("ex04_l2_penalty", "l2_penalty", {"model": Mod(), "lam": Float(lo=0)}, returns=T(dtype="float"),
             rules=("device",)),
    Contract("ex05_early_stopping", "early_stopping", {"val_losses": Seq(Float(), min_len=1), "patience": Opt(Int(lo=1))},
             returns=Tup(Int(lo=0), Int(lo=0))),
    Contract("ex06_evaluate_accuracy", "evaluate_accuracy",
             {"model": Mod(), "X": T("N", "D", dtype="float"), "y": T("N", dtype="int64"), "batch_size": Int(lo=1)},
             returns=Float(lo=0, hi=1),
             rules=("forbids:dlcourse.train.evaluate_accuracy", "eval_mode", "no_grad", "restores_mode"), batch="X"),
    Contract("ex07_train_softmax", "train_softmax",
             {"X": T("N", "D", dtype="float"), "y": T("N", dtype="int64"), "epochs": Int(lo=0), "batch_size": Int(lo=1),
              "lr": Float(lo=0), "generator": Gen()},
             returns=Tup(Mod(), Seq(Float())), rules=("device",), batch="X"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 split
    "ex01_split-no_shuffle": (
        "the indices are not shuffled (`torch.arange`), so the splits are the first, middle and last examples in their stored order",
        "shuffle with one `torch.randperm(N, generator=generator)` and cut that permutation into three pieces"),
    "ignores_generator": (
        "`torch.randperm(N)` without the generator ignores the seed, so the same generator does not give the same split",
        "pass it on: `torch.randperm(N, generator=generator)`"),
    "test_overlaps_val": (
        "the test split starts where validation starts, so the validation indices are in the test split too",
        "start the test piece after both training and validation: at index n_train + n_val"),
    "rounds_sizes": (
        "the validation and test sizes are rounded to the nearest integer, but the rule is to round down with `int(f * N)`",
        "use `int(fractions[1] * N)` and `int(fractions[2] * N)`, and give training everything else"),
    "train_size_from_fraction": (
        "the training size is `int(f_train * N)`, rounded down, so the indices lost to rounding end up in no split",
        "give training everything else: n_train = N - n_val - n_test"),
    "one_permutation_per_split": (
        "validation and test come from fresh permutations, so they overlap training and each other instead of being disjoint",
        "call `torch.randperm` once and cut that one permutation into consecutive pieces: training, validation, test"),
    "int32_indices": (
        "the permutation is made with dtype=torch.int32, but the indices must be int64",
        "leave `torch.randperm` at its default dtype, int64"),
    # ex02 standardize
    "no_floor": (
        "the std has no floor, so a constant column (like MNIST's border pixels) gives 0 / 0 = nan",
        "raise the std to at least eps with `.clamp_min(eps)`"),
    "sample_std": (
        "`correction=1` divides by N - 1 (the sample std), but the exercise asks for the population std, which divides by N",
        "use `X_train.std(dim=0, correction=0)`"),
    "stats_from_all_splits": (
        "the statistics are fitted on training, validation and test together, so the held-out data leaks into the preprocessing",
        "fit mean and std on X_train only, then apply those same two to all three splits"),
    "stats_from_each_split": (
        "each split is standardised with its own statistics, so validation and test are transformed differently from training",
        "fit once on X_train and reuse that mean and std for X_val and X_test"),
    "in_place": (
        "`X -= mean` and `X /= std` change the caller's tensor in place, so the data passed to `standardize` is overwritten",
        "return a new tensor: `(X - mean) / std`"),
    "row_statistics": (
        "mean and std are taken over each row (dim=1), one value per example, instead of one per column (feature)",
        "reduce over the examples: `dim=0` gives one mean and one std per column, shape (D,)"),
    "fixed_floor_ignores_eps": (
        "the floor is fixed at 1e-6, so the `eps` argument has no effect",
        "floor with the argument: `.clamp_min(eps)`"),
    "one_mean_for_all_columns": (
        "one mean of the whole matrix is subtracted from every column, instead of each column's own mean",
        "take the column means: `X_train.mean(dim=0)`"),
    # ex03 iterations
    "floor": (
        "`N // batch_size` drops the last, smaller batch, which an epoch keeps",
        "round up: `math.ceil(N / batch_size)` counts the smaller last batch as one more"),
    "floor_plus_one": (
        "`N // batch_size + 1` counts an extra, empty batch whenever batch_size divides N (and one batch for N = 0)",
        "round up: `math.ceil(N / batch_size)` counts the smaller last batch as one more"),
    "rounds": (
        "`round` goes to the nearest integer, so a last batch smaller than half a batch is not counted",
        "round up: `math.ceil(N / batch_size)` counts the smaller last batch as one more"),
    "float_result": (
        "`N / batch_size` is a float with a fraction, not a whole number of batches",
        "round it up to an int with `math.ceil`"),
    "total_is_ceil_of_product": (
        "rounding epochs * N / batch_size up treats all epochs as one long pass, but every epoch has its own smaller last batch",
        "multiply the count of one epoch by `epochs`: epochs * ceil(N / batch_size)"),
    "calls_library_iterations_per_epoch": (
        "the course library's `iterations_per_epoch` is called, but this exercise asks you to write it yourself",
        "compute it directly with `math.ceil(N / batch_size)`"),
    # ex04 l2_penalty
    "includes_biases": (
        "the biases are penalised too, but by the convention only the weights are (parameters whose names do not end in \"bias\")",
        "skip every parameter from `model.named_parameters()` whose name ends with \"bias\""),
    "missing_half": (
        "the factor 1/2 is missing, so the penalty's gradient is 2 lam W and does not match `weight_decay=lam`",
        "multiply the sum of squares by `lam / 2`"),
    "missing_lambda": (
        "lam is left out, so the penalty has the same strength whatever lam is",
        "multiply the sum of squares by `lam / 2`"),
    "norm_not_squared": (
        "`p.norm()` is the square root of the sum of squares, not the sum itself, so the gradient is not lam W",
        "add the squared entries: `(p ** 2).sum()`"),
    "l1_not_l2": (
        "`p.abs().sum()` is an L1 penalty, not the sum of squares",
        "use `(p ** 2).sum()` for each weight"),
    "mean_not_sum": (
        "`(p ** 2).mean()` divides each weight's sum of squares by its number of entries",
        "sum the squares: `(p ** 2).sum()`"),
    "detached": (
        "`torch.tensor(float(...))` makes a new CPU tensor with no autograd graph, so the penalty gives the weights no gradient",
        "return the tensor expression `lam / 2 * total` itself, with no `float()` or `.item()`"),
    "returns_on_cpu": (
        "`.cpu()` moves the penalty off the model's device, so adding it to a loss on the GPU fails",
        "leave it where it was computed: no `.cpu()`"),
    "only_model_weight": (
        "only `model.weight` is penalised, so the weights of other layers are missed (and an `nn.Sequential` has no `.weight`)",
        "loop over `model.named_parameters()` and add `(p ** 2).sum()` for every name that does not end in \"bias\""),
    # ex05 early_stopping
    "last_epoch_not_best": (
        "the stop epoch is returned as the best epoch, but the best is the one with the lowest loss up to the stop",
        "track `best_epoch` as you go and return it next to the stop epoch"),
    "ties_pick_later": (
        "`<=` lets a tie replace the best, but on ties the earlier epoch stays the best",
        "improve only on a strictly lower loss: `loss < best_loss`"),
    "highest_loss": (
        "`>` keeps the epoch with the highest validation loss instead of the lowest",
        "an epoch improves when its loss is strictly lower: `loss < best_loss`"),
    "patience_off_by_one": (
        "`> patience` stops one epoch late: training stops as soon as `epoch - best_epoch == patience`",
        "stop when `epoch - best_epoch == patience`, checked after updating the best"),
    "looks_past_the_stop": (
        "the best epoch is the minimum over the whole list, including epochs after the stop that were never trained",
        "take the best only among epochs up to the stop: the `best_epoch` your loop holds when it stops"),
    "stops_before_updating_best": (
        "the patience check runs before the best is updated, so an epoch that improves can still stop training",
        "update `best_epoch` and `best_loss` first, then check `epoch - best_epoch == patience`"),
    # ex06 evaluate_accuracy
    "train_mode": (
        "the model is never put in evaluation mode, so layers such as dropout still behave as in training while you measure",
        "call `model.eval()` before the loop"),
    "mode_not_restored": (
        "the model is left in evaluation mode, so a training run that evaluates halfway carries on with dropout switched off",
        "save `was_training = model.training` first and call `model.train(was_training)` at the end"),
    "always_back_to_train": (
        "`model.train()` always switches to training mode, even when the model was in evaluation mode before the call",
        "restore the mode it had: `model.train(was_training)`"),
    "gradients_on": (
        "the forward passes run without `torch.no_grad()`, so autograd builds a graph that measuring never needs",
        "wrap the loop in `with torch.no_grad():`"),
    "mean_of_batch_accuracies": (
        "averaging the per-batch accuracies gives the smaller last batch as much weight as a full one",
        "count the correct predictions over all batches and divide by `len(X)` once, at the end"),
    "returns_count": (
        "the number of correct predictions is returned, not the fraction of them",
        "divide the count by `len(X)`"),
    "returns_tensor": (
        "without `.item()` the count is a tensor, so the accuracy comes back as a tensor, not a Python float",
        "add `.item()` to each batch's count, or return `float(...)`"),
    "ex06_evaluate_accuracy-drops_last_batch": (
        "the loop stops before the last, smaller batch, so those examples are never counted (and N < batch_size gives no batch at all)",
        "loop `for start in range(0, len(X), batch_size)`: slicing gives the shorter last batch by itself"),
    "calls_library_evaluate_accuracy": (
        "the course library's `evaluate_accuracy` is called, but this exercise asks you to write it yourself",
        "save the mode, call `model.eval()`, count argmax hits batch by batch under `torch.no_grad()`, restore the mode, divide by `len(X)`"),
    # ex07 train_softmax
    "no_zero_grad": (
        "the gradients are never zeroed, so each batch's gradient is added to those of all earlier batches and the steps keep growing",
        "call `optimizer.zero_grad()` for every batch, before its `loss.backward()`"),
    "softmax_before_cross_entropy": (
        "softmax is applied before `nn.CrossEntropyLoss`, which applies it itself, so the loss is squashed and learning crawls",
        "give the loss the raw logits: `loss_fn(model(X[idx]), y[idx])`"),
    "ex07_train_softmax-no_shuffle": (
        "the batches come from `torch.arange(N)`, the same order in every epoch, instead of a new shuffle",
        "draw `torch.randperm(N, generator=generator)` at the start of every epoch and move it to `X.device`"),
    "default_init": (
        "the weights keep PyTorch's random initialisation instead of zeros, so the run is not repeatable from the generator",
        "zero them under `torch.no_grad()`: `model.weight.zero_()` and `model.bias.zero_()`"),
    "ex07_train_softmax-drops_last_batch": (
        "the loop skips the last, smaller batch, so some examples are never trained on and `batch_losses` is too short",
        "loop `for start in range(0, N, batch_size)`: the last batch may be smaller, and it is kept"),
    "one_shuffle_for_all_epochs": (
        "one permutation is drawn before the epoch loop, so every epoch sees the same batches in the same order",
        "draw a new `torch.randperm(N, generator=generator)` inside the epoch loop, once per epoch"),
    "adam_not_sgd": (
        "`torch.optim.Adam` is used, but the exercise asks for plain `torch.optim.SGD`, which takes different steps",
        "use `torch.optim.SGD(model.parameters(), lr=lr)`"),
    "loss_tensors_not_floats": (
        "the loss tensors are stored instead of Python floats (and each one keeps its graph alive)",
        "append `loss.item()`"),
    "ignores_lr": (
        "the learning rate is fixed at 0.03, so the `lr` argument has no effect",
        "create the optimizer with `lr=lr`"),
    "model_left_on_cpu": (
        "the model stays on the CPU while X may be on a GPU, so `model(X[idx])` fails with a device mismatch",
        "move it to the data's device: `nn.Linear(D, 10).to(X.device)`"),
}
