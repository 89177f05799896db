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
