"""Plausible wrong answers to lab06_softmax_cross_entropy; each must lose exactly its own exercise's points."""
from exercises.contracts import Contract, Float, Int, Mod, Seq, T
from exercises.mutants import Alternative, Mutant

MUTANTS = [
    # ex01 softmax
    Mutant("ex01_softmax", "no_max_subtraction", replace=(("torch.exp(logits - m)", "torch.exp(logits)"),)),
    Mutant("ex01_softmax", "fixed_dim0", replace=(("m = logits.amax(dim=dim, keepdim=True)", "m = logits.amax(dim=0, keepdim=True)"),
                                                  ("e.sum(dim=dim, keepdim=True)", "e.sum(dim=0, keepdim=True)"))),
    Mutant("ex01_softmax", "ignores_dim_argument", replace=(("dim=dim", "dim=-1"),)),
    Mutant("ex01_softmax", "global_max", replace=(("logits.amax(dim=dim, keepdim=True)", "logits.max()"),)),
    Mutant("ex01_softmax", "no_keepdim", replace=(("m = logits.amax(dim=dim, keepdim=True)", "m = logits.amax(dim=dim)"),
                                                  ("e.sum(dim=dim, keepdim=True)", "e.sum(dim=dim)"))),
    Mutant("ex01_softmax", "in_place_shift", source=(
        "def softmax(logits, dim=-1):\n"
        "    logits -= logits.amax(dim=dim, keepdim=True)\n"
        "    e = torch.exp(logits)\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n"), breaks="no_mutation"),
    Mutant("ex01_softmax", "uses_torch_softmax", source=(
        "def softmax(logits, dim=-1):\n"
        "    return torch.softmax(logits, dim=dim)\n"), breaks="forbids:torch.softmax"),
    Mutant("ex01_softmax", "uses_tensor_softmax_method", source=(
        "def softmax(logits, dim=-1):\n"
        "    return logits.softmax(dim)\n"), breaks="forbids:torch.softmax"),
    Mutant("ex01_softmax", "uses_functional_softmax", source=(
        "def softmax(logits, dim=-1):\n"
        "    return F.softmax(logits, dim=dim)\n"), breaks="forbids:torch.softmax"),
    Mutant("ex01_softmax", "forgot_exp", replace=(("e = torch.exp(logits - m)", "e = logits - m"),)),
    Mutant("ex01_softmax", "adds_max", replace=(("logits - m", "logits + m"),)),
    # ex02 log_softmax
    Mutant("ex02_log_softmax", "log_of_softmax", source=(
        "def log_softmax(logits, dim=-1):\n"
        "    return torch.log(torch.softmax(logits, dim=dim))\n")),
    Mutant("ex02_log_softmax", "no_max_subtraction", replace=(("shifted = logits - logits.amax(dim=dim, keepdim=True)", "shifted = logits"),)),
    Mutant("ex02_log_softmax", "wrong_sign", replace=(("return shifted - torch.log(", "return -shifted + torch.log("),)),
    Mutant("ex02_log_softmax", "sum_over_dim0", replace=((".sum(dim=dim, keepdim=True)", ".sum(dim=0, keepdim=True)"),)),
    Mutant("ex02_log_softmax", "forgot_logsumexp", replace=(("return shifted - torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))", "return shifted"),)),
    Mutant("ex02_log_softmax", "log_outside_sum", replace=(("torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))", "shifted.sum(dim=dim, keepdim=True)"),)),
    Mutant("ex02_log_softmax", "no_keepdim", replace=((".sum(dim=dim, keepdim=True)", ".sum(dim=dim)"),)),
    Mutant("ex02_log_softmax", "detached", replace=(("return shifted - torch.log(", "return shifted.detach() - torch.log("),)),
    Mutant("ex02_log_softmax", "in_place_shift", source=(
        "def log_softmax(logits, dim=-1):\n"
        "    logits -= logits.amax(dim=dim, keepdim=True)\n"
        "    return logits - torch.log(torch.exp(logits).sum(dim=dim, keepdim=True))\n"), breaks="no_mutation"),
    Mutant("ex02_log_softmax", "uses_torch_log_softmax", source=(
        "def log_softmax(logits, dim=-1):\n"
        "    return torch.log_softmax(logits, dim=dim)\n"), breaks="forbids:torch.log_softmax"),
    Mutant("ex02_log_softmax", "uses_functional_log_softmax", source=(
        "def log_softmax(logits, dim=-1):\n"
        "    return F.log_softmax(logits, dim=dim)\n"), breaks="forbids:torch.log_softmax"),
    Mutant("ex02_log_softmax", "uses_torch_logsumexp", source=(
        "def log_softmax(logits, dim=-1):\n"
        "    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)\n"), breaks="forbids:torch.logsumexp"),
    Mutant("ex02_log_softmax", "uses_tensor_logsumexp_method", source=(
        "def log_softmax(logits, dim=-1):\n"
        "    return logits - logits.logsumexp(dim, keepdim=True)\n"), breaks="forbids:torch.logsumexp"),
    # ex03 one_hot
    Mutant("ex03_one_hot", "int64_dtype", replace=(("torch.zeros(len(y), num_classes, device=y.device)",
                                                   "torch.zeros(len(y), num_classes, dtype=torch.long, device=y.device)"),
                                                  ("= 1.0", "= 1"))),
    Mutant("ex03_one_hot", "f_one_hot_int", source="def one_hot(y, num_classes):\n    return F.one_hot(y, num_classes)\n"),
    Mutant("ex03_one_hot", "width_from_labels", source="def one_hot(y, num_classes):\n    return F.one_hot(y).float()\n"),
    Mutant("ex03_one_hot", "whole_columns", replace=(("Y[torch.arange(len(y), device=y.device), y] = 1.0", "Y[:, y] = 1.0"),)),
    Mutant("ex03_one_hot", "transposed", replace=(("return Y", "return Y.T"),)),
    # ex04 cross_entropy_onehot
    Mutant("ex04_cross_entropy_onehot", "sum_not_mean", replace=((".sum(dim=1).mean()", ".sum(dim=1).sum()"),)),
    Mutant("ex04_cross_entropy_onehot", "mean_over_all_entries", replace=((".sum(dim=1).mean()", ".mean()"),)),
    Mutant("ex04_cross_entropy_onehot", "missing_minus", replace=(("return -(Y * log_probs)", "return (Y * log_probs)"),)),
    Mutant("ex04_cross_entropy_onehot", "naive_log_softmax", replace=(("torch.log_softmax(logits, dim=1)", "torch.log(torch.softmax(logits, dim=1))"),)),
    Mutant("ex04_cross_entropy_onehot", "probabilities_not_logs", replace=(("torch.log_softmax(logits, dim=1)", "torch.softmax(logits, dim=1)"),)),
    Mutant("ex04_cross_entropy_onehot", "softmax_over_batch", replace=(("torch.log_softmax(logits, dim=1)", "torch.log_softmax(logits, dim=0)"),)),
    Mutant("ex04_cross_entropy_onehot", "log_softmax_of_targets", replace=(("-(Y * log_probs)", "-(torch.log_softmax(Y, dim=1) * logits)"),)),
    # ex05 cross_entropy_index
    Mutant("ex05_cross_entropy_index", "all_pairs_indexing", replace=(("log_probs[torch.arange(len(y), device=y.device), y]", "log_probs[:, y]"),)),
    Mutant("ex05_cross_entropy_index", "double_softmax_builtin", source=(
        "def cross_entropy_index(logits, y):\n"
        "    return F.cross_entropy(torch.softmax(logits, dim=1), y)\n"), breaks="forbids:torch.nn.functional.cross_entropy"),
    Mutant("ex05_cross_entropy_index", "uses_builtin", source=(
        "def cross_entropy_index(logits, y):\n"
        "    return F.cross_entropy(logits, y)\n"), breaks="forbids:torch.nn.functional.cross_entropy"),
    Mutant("ex05_cross_entropy_index", "uses_nll_loss", source=(
        "def cross_entropy_index(logits, y):\n"
        "    return F.nll_loss(torch.log_softmax(logits, dim=1), y)\n"), breaks="forbids:torch.nn.functional.nll_loss"),
    Mutant("ex05_cross_entropy_index", "uses_cross_entropy_module", source=(
        "def cross_entropy_index(logits, y):\n"
        "    return nn.CrossEntropyLoss()(logits, y)\n"), breaks="forbids:torch.nn.CrossEntropyLoss"),
    Mutant("ex05_cross_entropy_index", "one_hot_with_f_one_hot", source=(
        "def cross_entropy_index(logits, y):\n"
        "    Y = F.one_hot(y, logits.shape[1]).float()\n"
        "    return -(Y * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()\n"), breaks="no_one_hot"),
    Mutant("ex05_cross_entropy_index", "one_hot_by_comparison", source=(
        "def cross_entropy_index(logits, y):\n"
        "    Y = (y[:, None] == torch.arange(logits.shape[1], device=y.device)).float()\n"
        "    return -(Y * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()\n"), breaks="no_one_hot"),
    Mutant("ex05_cross_entropy_index", "one_hot_from_eye_rows", source=(
        "def cross_entropy_index(logits, y):\n"
        "    Y = torch.eye(logits.shape[1], device=logits.device)[y]\n"
        "    return -(Y * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()\n"), breaks="no_one_hot"),
    Mutant("ex05_cross_entropy_index", "probabilities_not_logs", replace=(("torch.log_softmax(logits, dim=1)", "torch.softmax(logits, dim=1)"),)),
    Mutant("ex05_cross_entropy_index", "missing_minus", replace=(("return -picked.mean()", "return picked.mean()"),)),
    Mutant("ex05_cross_entropy_index", "sum_not_mean", replace=(("return -picked.mean()", "return -picked.sum()"),)),
    Mutant("ex05_cross_entropy_index", "naive_log_softmax", replace=(("torch.log_softmax(logits, dim=1)", "torch.log(torch.softmax(logits, dim=1))"),)),
    Mutant("ex05_cross_entropy_index", "gather_wrong_dim", replace=(("log_probs[torch.arange(len(y), device=y.device), y]", "log_probs.gather(0, y[:, None]).squeeze(1)"),)),
    Mutant("ex05_cross_entropy_index", "raw_logits_no_log_softmax", replace=(("torch.log_softmax(logits, dim=1)", "logits"),)),
    # ex06 predict / accuracy
    Mutant("ex06_predict_accuracy", "predict_dim0", replace=(("    return logits.argmax(dim=1)\n", "    return logits.argmax(dim=0)\n"),)),
    Mutant("ex06_predict_accuracy", "predict_flattened", replace=(("    return logits.argmax(dim=1)\n", "    return logits.argmax()\n"),)),
    Mutant("ex06_predict_accuracy", "predict_argmin", replace=(("    return logits.argmax(dim=1)\n", "    return logits.argmin(dim=1)\n"),)),
    Mutant("ex06_predict_accuracy", "accuracy_counts", replace=((".float().mean().item()", ".float().sum().item()"),)),
    Mutant("ex06_predict_accuracy", "accuracy_tensor", replace=((".float().mean().item()", ".float().mean()"),)),
    Mutant("ex06_predict_accuracy", "accuracy_integer_division", replace=(("(logits.argmax(dim=1) == y).float().mean().item()",
                                                                         "(logits.argmax(dim=1) == y).sum().item() // len(y)"),)),
    Mutant("ex06_predict_accuracy", "accuracy_dim0", replace=(("(logits.argmax(dim=1) == y)", "(logits.argmax(dim=0) == y)"),)),
    # ex07 train_classifier
    Mutant("ex07_train_classifier", "double_softmax", replace=(("F.cross_entropy(model(X), y)", "F.cross_entropy(torch.softmax(model(X), dim=1), y)"),)),
    Mutant("ex07_train_classifier", "no_zero_grad", replace=(("        optimizer.zero_grad()\n", ""),)),
    Mutant("ex07_train_classifier", "mse_on_one_hot", replace=(("F.cross_entropy(model(X), y)", "F.mse_loss(model(X), F.one_hot(y, model.out_features).float())"),)),
    Mutant("ex07_train_classifier", "sum_reduction", replace=(("F.cross_entropy(model(X), y)", "F.cross_entropy(model(X), y, reduction=\"sum\")"),)),
    Mutant("ex07_train_classifier", "step_before_backward", replace=(("        loss.backward()\n        optimizer.step()\n",
                                                                      "        optimizer.step()\n        loss.backward()\n"),)),
    Mutant("ex07_train_classifier", "loss_after_step", replace=(("losses.append(loss.item())", "losses.append(F.cross_entropy(model(X), y).item())"),)),
    Mutant("ex07_train_classifier", "ignores_lr", replace=(("lr=lr)", "lr=0.01)"),)),
    Mutant("ex07_train_classifier", "stores_tensors", replace=(("losses.append(loss.item())", "losses.append(loss)"),)),
    Mutant("ex07_train_classifier", "trains_a_new_model", replace=(("    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n",
                                                                    "    model = nn.Linear(X.shape[1], int(y.max()) + 1).to(X.device)\n"
                                                                    "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"),)),
    Mutant("ex07_train_classifier", "adam_not_sgd", replace=(("torch.optim.SGD(model.parameters(), lr=lr)", "torch.optim.Adam(model.parameters(), lr=lr)"),)),
]


# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex05_cross_entropy_index", "cpu_row_indices", source=(  # CUDA indexing accepts CPU index tensors
        "def cross_entropy_index(logits, y):\n"
        "    log_probs = torch.log_softmax(logits, dim=1)\n"
        "    return -log_probs[torch.arange(len(y)), y].mean()\n")),
    Alternative("ex01_softmax", "max_values_and_exp", source=(
        "def softmax(logits, dim=-1):\n"
        "    e = torch.exp(logits - logits.max(dim=dim, keepdim=True).values)\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n")),
    Alternative("ex02_log_softmax", "max_values_float64_inside", source=(
        "def log_softmax(logits, dim=-1):\n"
        "    z = (logits - logits.max(dim=dim, keepdim=True).values).double()\n"
        "    return (z - z.exp().sum(dim=dim, keepdim=True).log()).to(logits.dtype)\n")),
    Alternative("ex03_one_hot", "eye_rows", source=(
        "def one_hot(y, num_classes):\n"
        "    return torch.eye(num_classes, device=y.device)[y]\n")),
    Alternative("ex04_cross_entropy_onehot", "einsum_manual_logsumexp", source=(
        "def cross_entropy_onehot(logits, Y):\n"
        "    m = logits.amax(dim=1, keepdim=True)\n"
        "    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))\n"
        "    return -torch.einsum('nk,nk->', Y, log_probs) / logits.shape[0]\n")),
    Alternative("ex05_cross_entropy_index", "gather", source=(
        "def cross_entropy_index(logits, y):\n"
        "    shifted = logits - logits.amax(dim=1, keepdim=True)\n"
        "    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))\n"
        "    return -log_probs.gather(1, y[:, None]).mean()\n")),
    Alternative("ex06_predict_accuracy", "max_indices", source=(
        "def predict(logits):\n"
        "    return logits.max(dim=1).indices\n\n\n"
        "def accuracy(logits, y):\n"
        "    return float((predict(logits) == y).double().mean())\n")),
    Alternative("ex07_train_classifier", "zero_grad_first_and_float", source=(
        "def train_classifier(model, X, y, epochs=100, lr=0.1):\n"
        "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n"
        "    history = []\n"
        "    for _ in range(epochs):\n"
        "        opt.zero_grad()\n"
        "        loss = F.cross_entropy(model(X), y)\n"
        "        history.append(float(loss))\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return history\n")),
]

CONTRACTS = [
    Contract("ex01_softmax", "softmax", {"logits": T(..., dtype="float"), "dim": Int()},
             returns=T(..., dtype="float"), rules=("device", "no_mutation", "forbids:torch.softmax"), batch="logits"),
    Contract("ex02_log_softmax", "log_softmax", {"logits": T(..., dtype="float"), "dim": Int()},
             returns=T(..., dtype="float"), rules=("device", "no_mutation", "forbids:torch.log_softmax", "forbids:torch.logsumexp"), batch="logits"),
    Contract("ex03_one_hot", "one_hot", {"y": T("N", dtype="int64"), "num_classes": Int(lo=1)},
             returns=T("N", None, dtype="float32"), rules=("device",), batch="y"),
    Contract("ex04_cross_entropy_onehot", "cross_entropy_onehot", {"logits": T("N", "K", dtype="float"), "Y": T("N", "K", dtype="float")},
             returns=T(dtype="float"), rules=("device",), batch="logits"),
    Contract("ex05_cross_entropy_index", "cross_entropy_index", {"logits": T("N", "K", dtype="float"), "y": T("N", dtype="int64")},
             returns=T(dtype="float"), rules=("device", "forbids:torch.nn.functional.cross_entropy", "forbids:torch.nn.functional.nll_loss",
                    "forbids:torch.nn.CrossEntropyLoss", "no_one_hot"), batch="logits",
             device_free="the row indices torch.arange(N) may live on the CPU: CUDA indexing accepts CPU index tensors"),
    Contract("ex06_predict_accuracy", "predict", {"logits": T("N", "K", dtype="float")}, returns=T("N", dtype="int64"),
             rules=("device",), batch="logits"),
    Contract("ex06_predict_accuracy", "accuracy", {"logits": T("N", "K", dtype="float"), "y": T("N", dtype="int64")},
             returns=Float(lo=0, hi=1), batch="logits"),
    Contract("ex07_train_classifier", "train_classifier", {"model": Mod(), "X": T("N", "D", dtype="float"), "y": T("N", dtype="int64"),
                                                           "epochs": Int(lo=1), "lr": Float(lo=0)},
             returns=Seq(Float()), batch="X"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 softmax
    "ex01_softmax-no_max_subtraction": (
        "`torch.exp` is applied to the raw logits, so a logit like 1000 overflows to inf and inf / inf gives nan",
        "subtract `logits.amax(dim=dim, keepdim=True)` before `torch.exp`: every exponent is then <= 0"),
    "fixed_dim0": (
        "the max and the sum are always taken along dim 0 (over the examples), whatever `dim` asks for",
        "reduce along the `dim` argument: `amax(dim=dim, keepdim=True)` and `sum(dim=dim, keepdim=True)`"),
    "ignores_dim_argument": (
        "the max and the sum always use the last axis, so a call with another `dim` (e.g. dim=0) normalises the wrong slices",
        "pass the argument on: `dim=dim` in both `amax` and `sum`"),
    "global_max": (
        "`logits.max()` subtracts one maximum for the whole tensor, so a row far below it underflows to all zeros and gives 0 / 0 = nan",
        "take one maximum per slice: `logits.amax(dim=dim, keepdim=True)`"),
    "ex01_softmax-no_keepdim": (
        "without `keepdim=True` the max and the sum lose the reduced axis and broadcast along the wrong one (a shape error, or wrong values)",
        "keep the reduced axis with size 1: `amax(dim=dim, keepdim=True)` and `sum(dim=dim, keepdim=True)`"),
    "in_place_shift": (
        "`logits -= logits.amax(...)` shifts the caller's logits tensor in place, so the input is changed by the call",
        "make a new tensor: `shifted = logits - logits.amax(dim=dim, keepdim=True)`"),
    "uses_torch_softmax": (
        "`torch.softmax` is the function this exercise asks you to write, and it is switched off here",
        "use `torch.exp`, `.amax(dim=dim, keepdim=True)` and `.sum(dim=dim, keepdim=True)`: subtract the max, exponentiate, divide by the sum"),
    "uses_tensor_softmax_method": (
        "`logits.softmax(dim)` is `torch.softmax` under another name, which this exercise switches off",
        "use `torch.exp`, `.amax(dim=dim, keepdim=True)` and `.sum(dim=dim, keepdim=True)`: subtract the max, exponentiate, divide by the sum"),
    "uses_functional_softmax": (
        "`F.softmax` is `torch.softmax` under another name, which this exercise switches off",
        "use `torch.exp`, `.amax(dim=dim, keepdim=True)` and `.sum(dim=dim, keepdim=True)`: subtract the max, exponentiate, divide by the sum"),
    "forgot_exp": (
        "the shifted logits are divided by their sum without `torch.exp`, so entries can be negative and the sum can be 0",
        "exponentiate first: e = `torch.exp(logits - m)`, then divide by `e.sum(dim=dim, keepdim=True)`"),
    "adds_max": (
        "the maximum is added instead of subtracted, so the exponents double and e^2000 overflows to inf (and nan)",
        "subtract it: with `torch.exp(logits - m)` every exponent is <= 0"),
    # ex02 log_softmax
    "log_of_softmax": (
        "`torch.log(torch.softmax(...))` rounds probabilities below 1e-45 to 0, so their log is -inf instead of a number like -1000",
        "use the log-sum-exp trick: (z - m) - log(sum(exp(z - m))), with m the max along `dim`"),
    "ex02_log_softmax-no_max_subtraction": (
        "the log-sum-exp is taken of the raw logits, so a logit like 1000 overflows exp to inf and the result is -inf or nan",
        "shift first: `shifted = logits - logits.amax(dim=dim, keepdim=True)`, and exponentiate only `shifted`"),
    "wrong_sign": (
        "the signs are flipped: the result is the log-sum-exp minus the shifted logits, the negated log-probabilities (all >= 0)",
        "return the shifted logits minus the log-sum-exp: log-probabilities are all <= 0"),
    "sum_over_dim0": (
        "the sum inside the log-sum-exp runs over dim 0 (the examples) while the max is along `dim`, so the slices are not normalised",
        "sum along the same axis as the max: `.sum(dim=dim, keepdim=True)`"),
    "forgot_logsumexp": (
        "only the max is subtracted and the log-sum-exp term is missing, so exp of each slice does not sum to 1",
        "also subtract `torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))`"),
    "log_outside_sum": (
        "the plain sum of the shifted logits is subtracted instead of log(sum(exp(...))): a log and a sum do not swap places",
        "exponentiate, sum along `dim` with `keepdim=True`, and only then take `torch.log`"),
    "ex02_log_softmax-no_keepdim": (
        "without `keepdim=True` the log-sum-exp loses the reduced axis and is subtracted along the wrong one (a shape error, or wrong values)",
        "sum with `keepdim=True`, so that the log-sum-exp of each slice broadcasts back along `dim`"),
    "detached": (
        "`shifted.detach()` cuts the gradient through the first term: the values are right, but autograd's gradient is wrong",
        "detach nothing: return `shifted - torch.log(...)` with `shifted` still in the graph"),
    "uses_torch_log_softmax": (
        "`torch.log_softmax` is the function this exercise asks you to write, and it is switched off here",
        "shift by `logits.amax(dim=dim, keepdim=True)`, then subtract `torch.log` of the `.sum(dim=dim, keepdim=True)` of `torch.exp` of the shifted logits"),
    "uses_functional_log_softmax": (
        "`F.log_softmax` is `torch.log_softmax` under another name, which this exercise switches off",
        "shift by `logits.amax(dim=dim, keepdim=True)`, then subtract `torch.log` of the `.sum(dim=dim, keepdim=True)` of `torch.exp` of the shifted logits"),
    "uses_torch_logsumexp": (
        "`torch.logsumexp` is switched off in this exercise: the log-sum-exp trick is the part to write yourself",
        "shift by `logits.amax(dim=dim, keepdim=True)`, then subtract `torch.log` of the `.sum(dim=dim, keepdim=True)` of `torch.exp` of the shifted logits"),
    "uses_tensor_logsumexp_method": (
        "`logits.logsumexp(...)` is `torch.logsumexp` under another name, which this exercise switches off",
        "shift by `logits.amax(dim=dim, keepdim=True)`, then subtract `torch.log` of the `.sum(dim=dim, keepdim=True)` of `torch.exp` of the shifted logits"),
    # ex03 one_hot
    "int64_dtype": (
        "the one-hot matrix is created with dtype=torch.long, but it must be float32",
        "keep the default float32: `torch.zeros(N, K, device=y.device)`"),
    "f_one_hot_int": (
        "`F.one_hot` returns an int64 tensor, and the one-hot rows must be float32",
        "convert its result with `.float()`"),
    "width_from_labels": (
        "`F.one_hot(y)` without `num_classes` takes its width from the largest label, so it is too narrow when the last classes are absent",
        "give the width: `F.one_hot(y, num_classes)`, then `.float()`"),
    "whole_columns": (
        "`Y[:, y] = 1` fills whole columns, so every row gets a 1 in the column of every label that occurs in y",
        "pair row i with column y[i]: index with `Y[torch.arange(N, device=y.device), y]`"),
    "transposed": (
        "the matrix is returned transposed, (K, N), instead of one row per example, (N, K)",
        "return Y itself: row i is example i, column k is class k"),
    # ex04 cross_entropy_onehot
    "ex04_cross_entropy_onehot-sum_not_mean": (
        "the per-example cross-entropies are summed over the batch, so the loss grows with N instead of being the mean",
        "after summing over the classes (dim=1), average over the examples with `.mean()`"),
    "mean_over_all_entries": (
        "`.mean()` over the whole (N, K) matrix divides by N*K, so the loss is K times too small",
        "sum over the classes first with `.sum(dim=1)`, then average over the examples with `.mean()`"),
    "missing_minus": (
        "the minus sign is missing, so the loss is negative (log-probabilities are <= 0) and minimising it pushes the true class down",
        "negate it: the cross-entropy -log S is >= 0, and lower means a better prediction"),
    "naive_log_softmax": (
        "`torch.log(torch.softmax(...))` rounds tiny probabilities to 0, so extreme logits give log 0 = -inf and the loss is inf or nan",
        "use `torch.log_softmax(logits, dim=1)`, which is allowed here and stable"),
    "probabilities_not_logs": (
        "the softmax probabilities are used instead of their logs, so the loss is minus a probability, not the cross-entropy",
        "take `torch.log_softmax(logits, dim=1)`: the cross-entropy uses log S, not S"),
    "softmax_over_batch": (
        "`log_softmax(..., dim=0)` normalises each class over the examples instead of each example over the classes",
        "the class axis is dim=1: `torch.log_softmax(logits, dim=1)`"),
    "log_softmax_of_targets": (
        "the roles are swapped: the log-softmax is taken of the targets Y and multiplied with the raw logits",
        "take the log-softmax of the logits and weight it by the targets: Y times `torch.log_softmax(logits, dim=1)`"),
    # ex05 cross_entropy_index
    "all_pairs_indexing": (
        "`log_probs[:, y]` picks column y[j] for every row, an (N, N) table, so the mean runs over all pairs, not each row's own class",
        "pair row i with column y[i]: `log_probs[torch.arange(N), y]` gives N values (or `gather(1, y[:, None])`)"),
    "double_softmax_builtin": (
        "`F.cross_entropy` is switched off here, and it applies the softmax itself, so feeding it softmax outputs applies softmax twice",
        "take `torch.log_softmax(logits, dim=1)`, pick each row's true class with `[torch.arange(N), y]` (or `.gather(1, y[:, None])`), negate and `.mean()`"),
    "uses_builtin": (
        "`F.cross_entropy` is the function this exercise asks you to write, and it is switched off here",
        "take `torch.log_softmax(logits, dim=1)`, pick each row's true class with `[torch.arange(N), y]` (or `.gather(1, y[:, None])`), negate and `.mean()`"),
    "uses_nll_loss": (
        "`F.nll_loss` does the picking and averaging for you and is switched off in this exercise",
        "take `torch.log_softmax(logits, dim=1)`, pick each row's true class with `[torch.arange(N), y]` (or `.gather(1, y[:, None])`), negate and `.mean()`"),
    "uses_cross_entropy_module": (
        "`nn.CrossEntropyLoss` is `F.cross_entropy` as a module, which this exercise switches off",
        "take `torch.log_softmax(logits, dim=1)`, pick each row's true class with `[torch.arange(N), y]` (or `.gather(1, y[:, None])`), negate and `.mean()`"),
    "one_hot_with_f_one_hot": (
        "a one-hot matrix is built with `F.one_hot`, but this exercise asks for no one-hot matrix: pick the true class by indexing",
        "index the log-probabilities directly: `log_probs[torch.arange(N), y]` (or `log_probs.gather(1, y[:, None])`)"),
    "one_hot_by_comparison": (
        "comparing y with `torch.arange(K)` builds a one-hot matrix, which this exercise rules out",
        "index the log-probabilities directly: `log_probs[torch.arange(N), y]` (or `log_probs.gather(1, y[:, None])`)"),
    "one_hot_from_eye_rows": (
        "`torch.eye(K)[y]` builds a one-hot matrix, which this exercise rules out",
        "index the log-probabilities directly: `log_probs[torch.arange(N), y]` (or `log_probs.gather(1, y[:, None])`)"),
    "ex05_cross_entropy_index-sum_not_mean": (
        "the picked log-probabilities are summed over the batch, so the loss grows with N instead of being the mean",
        "negate and average over the N examples with `.mean()`"),
    "gather_wrong_dim": (
        "`gather(0, ...)` indexes down the rows: it picks `log_probs[y[i], 0]` instead of row i's entry in column y[i]",
        "gather along the class axis: `log_probs.gather(1, y[:, None])`"),
    "raw_logits_no_log_softmax": (
        "the raw logit of the true class is picked instead of its log-probability, so nothing is normalised over the classes",
        "apply `torch.log_softmax(logits, dim=1)` first, then pick each row's true class"),
    # ex06 predict / accuracy
    "predict_dim0": (
        "`argmax(dim=0)` picks the best example for each class, a (K,) tensor, instead of the best class for each example",
        "take the argmax along the class axis: `logits.argmax(dim=1)` gives (N,)"),
    "predict_flattened": (
        "`argmax()` without a dim returns one index into the flattened tensor, not one class per row",
        "give the class axis: `logits.argmax(dim=1)`"),
    "predict_argmin": (
        "`argmin` picks the least likely class of each row",
        "the prediction is the class with the largest logit: `argmax(dim=1)`"),
    "accuracy_counts": (
        "`.sum()` counts the correct predictions instead of giving the fraction of them",
        "average with `.mean()` after `.float()`, then `.item()`"),
    "accuracy_tensor": (
        "the accuracy is returned as a 0-dim tensor, not a Python float",
        "finish with `.item()`"),
    "accuracy_integer_division": (
        "`// len(y)` is integer division, so any accuracy below 100% becomes 0 (and the result is an int)",
        "use true division, or `.float().mean().item()`"),
    "accuracy_dim0": (
        "accuracy takes the argmax over dim 0 (the examples), so it compares K per-class winners with the N labels",
        "predict along the class axis: compare `logits.argmax(dim=1)` with y"),
    # ex07 train_classifier
    "double_softmax": (
        "softmax is applied before `F.cross_entropy`, which applies log-softmax itself, so the loss is squashed and the gradients are tiny",
        "pass the raw logits: `F.cross_entropy(model(X), y)`"),
    "no_zero_grad": (
        "the gradients are never zeroed, so each `backward()` adds to all the earlier gradients and the steps keep growing",
        "call `optimizer.zero_grad()` in every epoch, before `loss.backward()`"),
    "mse_on_one_hot": (
        "the loss is the MSE between the logits and one-hot targets, not the cross-entropy the exercise asks for",
        "use `F.cross_entropy(model(X), y)` on the logits and the int64 labels"),
    "sum_reduction": (
        "`reduction=\"sum\"` adds the losses instead of averaging them, so the recorded losses and the steps are N times too large",
        "keep the default mean reduction: `F.cross_entropy(model(X), y)`"),
    "step_before_backward": (
        "`optimizer.step()` runs before `loss.backward()`, so every step finds the gradients just cleared by `zero_grad()` and nothing trains",
        "in each epoch: `optimizer.zero_grad()`, then `loss.backward()`, then `optimizer.step()`"),
    "loss_after_step": (
        "the recorded loss is recomputed after the step, but each entry must be the loss before that epoch's step",
        "append `loss.item()` of the loss you call `backward()` on, so the first entry is the untrained model's loss"),
    "ignores_lr": (
        "the learning rate is fixed at 0.01, so the `lr` argument has no effect",
        "create the optimizer with `lr=lr`"),
    "stores_tensors": (
        "the loss tensors are stored instead of Python floats (and each one keeps its graph alive)",
        "append `loss.item()`"),
    "trains_a_new_model": (
        "a new `nn.Linear` is created and trained inside the function, so the model passed in is never trained",
        "train the `model` argument in place: build the optimizer from its `model.parameters()` and create no new model"),
    "adam_not_sgd": (
        "`torch.optim.Adam` is used, but the exercise asks for plain `torch.optim.SGD`, which takes different steps",
        "use `torch.optim.SGD(model.parameters(), lr=lr)`"),
}
