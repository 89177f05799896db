"""Plausible wrong answers to lab05_logistic_regression; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

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
        "    return torch.sigmoid(z)\n")),
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
        "    return F.binary_cross_entropy_with_logits(logits, y)\n")),
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
        ("X_std = (X - mean) / std", "X -= mean\n    X /= std\n    X_std = X"),)),
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
]
