"""Plausible wrong answers to lab05_logistic_regression; each must lose exactly its own exercise's points."""
from exercises.contracts import Contract, Float, Int, T, Tup
from exercises.mutants import Alternative, Mutant

SIGMOID_RETURN = "return torch.where(z >= 0, 1 / (1 + e), e / (1 + e))"
BCE_LOSS = "loss = logits.clamp(min=0) - logits * y + torch.log1p(torch.exp(neg_abs))"
BOUNDARY = "return -(w1 * x1 + b[0]) / w2"

MUTANTS = [
    # ex01 sigmoid
    Mutant("ex01_sigmoid", "textbook_formula_nan_gradient", source=(
        "def sigmoid(z):\n"
        "    return 1 / (1 + torch.exp(-z))\n")),
    Mutant("ex01_sigmoid", "exp_ratio_overflows", source=(
        "def sigmoid(z):\n"
        "    return torch.exp(z) / (1 + torch.exp(z))\n")),
    Mutant("ex01_sigmoid", "where_with_unsafe_branches", source=(
        "def sigmoid(z):\n"
        "    return torch.where(z >= 0, 1 / (1 + torch.exp(-z)), torch.exp(z) / (1 + torch.exp(z)))\n")),
    Mutant("ex01_sigmoid", "wrong_sign", replace=((SIGMOID_RETURN, "return torch.where(z >= 0, e / (1 + e), 1 / (1 + e))"),)),
    Mutant("ex01_sigmoid", "uses_torch_sigmoid", source=(
        "def sigmoid(z):\n"
        "    return torch.sigmoid(z)\n"), breaks="forbids:torch.sigmoid"),
    Mutant("ex01_sigmoid", "uses_tensor_sigmoid_method", source=(
        "def sigmoid(z):\n"
        "    return z.sigmoid()\n"), breaks="forbids:torch.sigmoid"),
    Mutant("ex01_sigmoid", "uses_special_expit", source=(
        "def sigmoid(z):\n"
        "    return torch.special.expit(z)\n"), breaks="forbids:torch.sigmoid"),
    Mutant("ex01_sigmoid", "casts_to_float32", replace=((SIGMOID_RETURN, SIGMOID_RETURN + ".float()"),)),
    Mutant("ex01_sigmoid", "clamped_textbook_formula", source=(
        "def sigmoid(z):\n"
        "    return 1 / (1 + torch.exp(-z.clamp(-80, 80)))\n")),
    # ex02 bce_with_logits
    Mutant("ex02_bce_with_logits", "naive_log_sigmoid", source=(
        "def bce_with_logits(logits, y):\n"
        "    p = 1 / (1 + torch.exp(-logits))\n"
        "    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()\n")),
    Mutant("ex02_bce_with_logits", "log_sigmoid_with_epsilon", source=(
        "def bce_with_logits(logits, y):\n"
        "    p = 1 / (1 + torch.exp(-logits))\n"
        "    return -(y * torch.log(p + 1e-7) + (1 - y) * torch.log(1 - p + 1e-7)).mean()\n")),
    Mutant("ex02_bce_with_logits", "unstable_softplus", source=(
        "def bce_with_logits(logits, y):\n"
        "    return (torch.log(1 + torch.exp(logits)) - logits * y).mean()\n")),
    Mutant("ex02_bce_with_logits", "sum_not_mean", replace=(("return loss.mean()", "return loss.sum()"),)),
    Mutant("ex02_bce_with_logits", "wrong_sign_of_zy", replace=((" - logits * y ", " + logits * y "),)),
    Mutant("ex02_bce_with_logits", "missing_max_term", replace=(("logits.clamp(min=0) - ", "- "),)),
    Mutant("ex02_bce_with_logits", "uses_builtin", source=(
        "def bce_with_logits(logits, y):\n"
        "    return F.binary_cross_entropy_with_logits(logits, y)\n"),
        breaks="forbids:torch.nn.functional.binary_cross_entropy_with_logits"),
    Mutant("ex02_bce_with_logits", "uses_logsigmoid", source=(
        "def bce_with_logits(logits, y):\n"
        "    return -(y * F.logsigmoid(logits) + (1 - y) * F.logsigmoid(-logits)).mean()\n"),
        breaks="forbids:torch.nn.functional.logsigmoid"),
    Mutant("ex02_bce_with_logits", "uses_softplus", source=(
        "def bce_with_logits(logits, y):\n"
        "    return (F.softplus(logits) - logits * y).mean()\n"),
        breaks="forbids:torch.nn.functional.softplus"),
    Mutant("ex02_bce_with_logits", "uses_bce_on_probabilities", source=(
        "def bce_with_logits(logits, y):\n"
        "    return F.binary_cross_entropy(torch.sigmoid(logits), y)\n"),
        breaks="forbids:torch.nn.functional.binary_cross_entropy"),
    Mutant("ex02_bce_with_logits", "casts_to_float32", replace=(("return loss.mean()", "return loss.mean().float()"),)),
    Mutant("ex02_bce_with_logits", "detached_item", replace=(("return loss.mean()", "return torch.tensor(loss.mean().item())"),)),
    # ex03 predict_labels
    Mutant("ex03_predict_labels", "logit_compared_with_threshold", source=(
        "def predict_labels(logits, threshold=0.5):\n"
        "    return (logits > threshold).long()\n")),
    Mutant("ex03_predict_labels", "probability_above_zero", source=(
        "def predict_labels(logits, threshold=0.5):\n"
        "    return (torch.sigmoid(logits) > 0).long()\n")),
    Mutant("ex03_predict_labels", "ignores_threshold", source=(
        "def predict_labels(logits, threshold=0.5):\n"
        "    return (logits > 0).long()\n")),
    Mutant("ex03_predict_labels", "returns_bool", replace=(("return (logits > cut).long()", "return logits > cut"),)),
    Mutant("ex03_predict_labels", "greater_or_equal", replace=(("(logits > cut)", "(logits >= cut)"),)),
    Mutant("ex03_predict_labels", "inverted_logit_of_threshold", replace=(("threshold / (1 - threshold)", "(1 - threshold) / threshold"),)),
    # ex04 confusion_counts
    Mutant("ex04_confusion_counts", "fp_fn_swapped", replace=(("return tp, fp, tn, fn", "return tp, fn, tn, fp"),)),
    Mutant("ex04_confusion_counts", "arguments_swapped", replace=(("pred_pos, true_pos = y_hat == 1, y == 1",
                                                                   "pred_pos, true_pos = y == 1, y_hat == 1"),)),
    Mutant("ex04_confusion_counts", "tn_counts_all_agreements", replace=(("tn = int((~pred_pos & ~true_pos).sum())",
                                                                          "tn = int((pred_pos == true_pos).sum())"),)),
    Mutant("ex04_confusion_counts", "returns_tensors", source=(
        "def confusion_counts(y_hat, y):\n"
        "    tp = ((y_hat == 1) & (y == 1)).sum()\n"
        "    fp = ((y_hat == 1) & (y == 0)).sum()\n"
        "    tn = ((y_hat == 0) & (y == 0)).sum()\n"
        "    fn = ((y_hat == 0) & (y == 1)).sum()\n"
        "    return tp, fp, tn, fn\n")),
    Mutant("ex04_confusion_counts", "fn_from_negatives", replace=(("fn = int((~pred_pos & true_pos).sum())",
                                                                   "fn = int((~pred_pos).sum())"),)),
    # ex05 precision_recall_accuracy
    Mutant("ex05_precision_recall_accuracy", "precision_recall_swapped", replace=(
        ("return float(precision), float(recall), float(accuracy)", "return float(recall), float(precision), float(accuracy)"),)),
    Mutant("ex05_precision_recall_accuracy", "no_zero_division_guard", source=(
        "def precision_recall_accuracy(tp, fp, tn, fn):\n"
        "    return tp / (tp + fp), tp / (tp + fn), (tp + tn) / (tp + fp + tn + fn)\n")),
    Mutant("ex05_precision_recall_accuracy", "empty_is_one", replace=(
        ("precision = tp / (tp + fp) if tp + fp > 0 else 0.0", "precision = tp / (tp + fp) if tp + fp > 0 else 1.0"),)),
    Mutant("ex05_precision_recall_accuracy", "empty_is_nan", replace=(
        ("recall = tp / (tp + fn) if tp + fn > 0 else 0.0", "recall = tp / (tp + fn) if tp + fn > 0 else float('nan')"),)),
    Mutant("ex05_precision_recall_accuracy", "accuracy_forgets_tn", replace=(
        ("accuracy = (tp + tn) / total", "accuracy = tp / total"),)),
    Mutant("ex05_precision_recall_accuracy", "recall_over_all_examples", replace=(
        ("recall = tp / (tp + fn) if tp + fn > 0 else 0.0", "recall = tp / (tp + fp + tn + fn) if tp + fp + tn + fn > 0 else 0.0"),)),
    # ex06 train_logistic_regression
    Mutant("ex06_train_logistic_regression", "not_standardised", replace=(
        ("mean, std = X.mean(dim=0), X.std(dim=0)", "mean, std = torch.zeros_like(X[0]), torch.ones_like(X[0])"),)),
    Mutant("ex06_train_logistic_regression", "no_zero_grad", replace=(("        optimizer.zero_grad()\n", ""),)),
    Mutant("ex06_train_logistic_regression", "gradient_ascent", replace=(("loss.backward()", "(-loss).backward()"),)),
    Mutant("ex06_train_logistic_regression", "standardised_in_place", replace=(
        ("X_std = (X - mean) / std", "X -= mean\n    X /= std\n    X_std = X"),), breaks="no_mutation"),
    Mutant("ex06_train_logistic_regression", "ignores_lr", replace=(("torch.optim.SGD([W, b], lr=lr)", "torch.optim.SGD([W, b], lr=0.5)"),)),
    Mutant("ex06_train_logistic_regression", "ignores_epochs", replace=(("for _ in range(epochs):", "for _ in range(100):"),)),
    Mutant("ex06_train_logistic_regression", "statistics_of_standardised_data", replace=(
        ("return W.detach(), b.detach(), mean, std", "return W.detach(), b.detach(), X_std.mean(dim=0), X_std.std(dim=0)"),)),
    Mutant("ex06_train_logistic_regression", "statistics_over_wrong_axis", replace=(
        ("mean, std = X.mean(dim=0), X.std(dim=0)", "mean, std = X.mean(dim=1, keepdim=True), X.std(dim=1, keepdim=True)"),)),
    Mutant("ex06_train_logistic_regression", "forgot_bias_in_logits", replace=(
        ("logits = (X_std @ W + b).squeeze(1)", "logits = (X_std @ W).squeeze(1)"),)),
    # ex07 decision_boundary
    Mutant("ex07_decision_boundary", "wrong_sign", replace=((BOUNDARY, "return (w1 * x1 + b[0]) / w2"),)),
    Mutant("ex07_decision_boundary", "weights_swapped", replace=(("w1, w2 = W[0, 0], W[1, 0]", "w1, w2 = W[1, 0], W[0, 0]"),)),
    Mutant("ex07_decision_boundary", "forgot_bias", replace=((BOUNDARY, "return -(w1 * x1) / w2"),)),
    Mutant("ex07_decision_boundary", "bias_sign", replace=((BOUNDARY, "return -(w1 * x1 - b[0]) / w2"),)),
    Mutant("ex07_decision_boundary", "indexes_W_as_a_row", replace=(("w1, w2 = W[0, 0], W[1, 0]", "w1, w2 = W[0, 0], W[0, 1]"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_sigmoid", "tanh_identity", source=(
        "def sigmoid(z):\n"
        "    return 0.5 * (1 + torch.tanh(z / 2))\n")),
    Alternative("ex02_bce_with_logits", "maximum_and_sum_over_n", source=(
        "def bce_with_logits(logits, y):\n"
        "    per_example = torch.maximum(logits, torch.zeros_like(logits)) - logits * y \\\n"
        "        + torch.log1p(torch.exp(-logits.abs()))\n"
        "    return per_example.sum() / logits.shape[0]\n")),
    Alternative("ex03_predict_labels", "sigmoid_then_compare", source=(
        "def predict_labels(logits, threshold=0.5):\n"
        "    return (torch.sigmoid(logits) > threshold).to(torch.int64)\n")),
    Alternative("ex04_confusion_counts", "python_loop", source=(
        "def confusion_counts(y_hat, y):\n"
        "    tp = fp = tn = fn = 0\n"
        "    for p, t in zip(y_hat.tolist(), y.tolist()):\n"
        "        if p == 1 and t == 1:\n"
        "            tp += 1\n"
        "        elif p == 1:\n"
        "            fp += 1\n"
        "        elif t == 1:\n"
        "            fn += 1\n"
        "        else:\n"
        "            tn += 1\n"
        "    return tp, fp, tn, fn\n")),
    Alternative("ex05_precision_recall_accuracy", "ratio_helper", source=(
        "def precision_recall_accuracy(tp, fp, tn, fn):\n"
        "    def ratio(a, b):\n"
        "        return a / b if b else 0.0\n"
        "    return ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(tp + tn, tp + fp + tn + fn)\n")),
    Alternative("ex06_train_logistic_regression", "var_sqrt_and_column_weights", source=(
        "def train_logistic_regression(X, y, epochs=100, lr=0.5):\n"
        "    mean = X.mean(dim=0)\n"
        "    std = X.var(dim=0).sqrt()\n"
        "    X_std = (X - mean) / std\n"
        "    W = torch.zeros(X.shape[1], 1).to(X).requires_grad_()\n"
        "    b = torch.zeros(1).to(X).requires_grad_()\n"
        "    opt = torch.optim.SGD([W, b], lr=lr)\n"
        "    for _ in range(epochs):\n"
        "        loss = F.binary_cross_entropy_with_logits(X_std @ W[:, 0] + b, y)\n"
        "        opt.zero_grad()\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return W.detach(), b.detach(), mean, std\n")),
    Alternative("ex07_decision_boundary", "broadcast_rows", source=(
        "def decision_boundary(W, b, x1):\n"
        "    return (-b - W[0] * x1) / W[1]\n")),
]

CONTRACTS = [
    Contract("ex01_sigmoid", "sigmoid", {"z": T(..., dtype="float")}, returns=T(..., dtype="float"),
             rules=("device", "forbids:torch.sigmoid"), batch="z"),
    Contract("ex02_bce_with_logits", "bce_with_logits", {"logits": T("N", dtype="float"), "y": T("N", dtype="float")},
             returns=T(dtype="float"),
             rules=("device", "forbids:torch.nn.functional.binary_cross_entropy_with_logits",
                    "forbids:torch.nn.functional.logsigmoid", "forbids:torch.nn.functional.softplus",
                    "forbids:torch.nn.functional.binary_cross_entropy"), batch="logits"),
    Contract("ex03_predict_labels", "predict_labels", {"logits": T("N", dtype="float"), "threshold": Float(lo=0, hi=1)},
             returns=T("N", dtype="int64"), rules=("device",), batch="logits"),
    Contract("ex04_confusion_counts", "confusion_counts", {"y_hat": T("N", dtype="int64"), "y": T("N")},
             returns=Tup(Int(lo=0), Int(lo=0), Int(lo=0), Int(lo=0)), batch="y_hat"),
    Contract("ex05_precision_recall_accuracy", "precision_recall_accuracy",
             {"tp": Int(lo=0), "fp": Int(lo=0), "tn": Int(lo=0), "fn": Int(lo=0)},
             returns=Tup(Float(lo=0, hi=1), Float(lo=0, hi=1), Float(lo=0, hi=1)), diverse=None),
    Contract("ex06_train_logistic_regression", "train_logistic_regression",
             {"X": T("N", "D", dtype="float"), "y": T("N", dtype="float"), "epochs": Int(lo=1), "lr": Float(lo=0)},
             returns=Tup(T("D", 1, dtype="float"), T(1, dtype="float"), T("D", dtype="float"), T("D", dtype="float")),
             rules=("device", "no_mutation"), batch=None, diverse="X",
             why_not="it standardises with X.std(dim=0), which is nan for a single example: no batch of one"),
    Contract("ex07_decision_boundary", "decision_boundary",
             {"W": T(2, 1, dtype="float"), "b": T(1, dtype="float"), "x1": T("M", dtype="float")},
             returns=T("M", dtype="float"), rules=("device",), batch="x1"),
]
