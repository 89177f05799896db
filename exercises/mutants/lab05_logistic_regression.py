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
        ("mean, std = X.mean(dim=0), X.std(dim=0, correction=1)", "mean, std = torch.zeros_like(X[0]), torch.ones_like(X[0])"),)),
    Mutant("ex06_train_logistic_regression", "no_zero_grad", replace=(("        optimizer.zero_grad()\n", ""),)),
    Mutant("ex06_train_logistic_regression", "gradient_ascent", replace=(("loss.backward()", "(-loss).backward()"),)),
    Mutant("ex06_train_logistic_regression", "standardised_in_place", replace=(
        ("X_std = (X - mean) / std", "X -= mean\n    X /= std\n    X_std = X"),), breaks="no_mutation"),
    Mutant("ex06_train_logistic_regression", "ignores_lr", replace=(("torch.optim.SGD([W, b], lr=lr)", "torch.optim.SGD([W, b], lr=0.5)"),)),
    Mutant("ex06_train_logistic_regression", "ignores_epochs", replace=(("for _ in range(epochs):", "for _ in range(100):"),)),
    Mutant("ex06_train_logistic_regression", "statistics_of_standardised_data", replace=(
        ("return W.detach(), b.detach(), mean, std", "return W.detach(), b.detach(), X_std.mean(dim=0), X_std.std(dim=0)"),)),
    Mutant("ex06_train_logistic_regression", "statistics_over_wrong_axis", replace=(
        ("mean, std = X.mean(dim=0), X.std(dim=0, correction=1)", "mean, std = X.mean(dim=1, keepdim=True), X.std(dim=1, keepdim=True)"),)),
    Mutant("ex06_train_logistic_regression", "population_std", replace=(
        ("mean, std = X.mean(dim=0), X.std(dim=0, correction=1)", "mean, std = X.mean(dim=0), X.std(dim=0, correction=0)"),)),
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

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 sigmoid
    "textbook_formula_nan_gradient": (
        "the textbook 1 / (1 + exp(-z)) overflows at z = -100: the value looks fine, but autograd meets inf / inf and the gradient is nan",
        "only exponentiate non-positive numbers: with e = exp(-|z|), take 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, chosen with `torch.where`"),
    "exp_ratio_overflows": (
        "exp(z) / (1 + exp(z)) overflows for large positive z: at z = 100 exp(z) is inf, and inf / inf gives nan",
        "only exponentiate non-positive numbers: with e = exp(-|z|), take 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, chosen with `torch.where`"),
    "where_with_unsafe_branches": (
        "`torch.where` evaluates and differentiates both branches, and each branch overflows for the z it does not pick, so the gradient is nan",
        "compute e = exp(-|z|) once, before `torch.where`, so that both branches 1 / (1 + e) and e / (1 + e) are safe for every z"),
    "ex01_sigmoid-wrong_sign": (
        "the two `torch.where` branches are swapped, so the function returns sigmoid(-z) = 1 - sigmoid(z)",
        "with e = exp(-|z|), z >= 0 needs 1 / (1 + e) (close to 1 for large z) and z < 0 needs e / (1 + e) (close to 0)"),
    "uses_torch_sigmoid": (
        "`torch.sigmoid` is switched off in this exercise: the point is to write the stable sigmoid yourself",
        "only exponentiate non-positive numbers: with e = exp(-|z|), take 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, chosen with `torch.where`"),
    "uses_tensor_sigmoid_method": (
        "`z.sigmoid()` is `torch.sigmoid` under another name, which this exercise switches off",
        "only exponentiate non-positive numbers: with e = exp(-|z|), take 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, chosen with `torch.where`"),
    "uses_special_expit": (
        "`torch.special.expit` is `torch.sigmoid` under another name, which this exercise switches off",
        "only exponentiate non-positive numbers: with e = exp(-|z|), take 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, chosen with `torch.where`"),
    "casts_to_float32": (
        "the result is cast with `.float()`, so a float64 input comes back as float32 and loses precision",
        "drop the `.float()`: compute in the input's dtype and return that dtype"),
    "clamped_textbook_formula": (
        "clamping z to [-80, 80] changes the answer beyond it: sigmoid(-100) comes out as e^-80, and the gradient there is exactly 0",
        "no clamp is needed once nothing overflows: with e = exp(-|z|), take 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0"),
    # ex02 bce_with_logits
    "naive_log_sigmoid": (
        "the sigmoid is taken first and then logged: at z = ±100 one of p, 1 - p rounds to 0, and log 0 = -inf makes the loss inf or nan",
        "write the stable form max(z, 0) - z*y + log(1 + exp(-|z|)) yourself with `logits.clamp(min=0)`, `torch.log1p`, `torch.exp` and `.abs()`, then `.mean()`"),
    "log_sigmoid_with_epsilon": (
        "adding 1e-7 inside the logs changes the loss: each term is capped near 16 (z = -100 with y = 1 gives 16, not 100)",
        "write the stable form max(z, 0) - z*y + log(1 + exp(-|z|)) yourself with `logits.clamp(min=0)`, `torch.log1p`, `torch.exp` and `.abs()`, then `.mean()`"),
    "unstable_softplus": (
        "log(1 + exp(z)) overflows for large z: at z = 100 in float32 exp(z) is inf, so the loss is inf",
        "rewrite log(1 + e^z) as max(z, 0) + log1p(exp(-|z|)), which only exponentiates non-positive numbers"),
    "sum_not_mean": (
        "the per-example losses are summed, so the loss grows with the batch size instead of being the mean BCE",
        "average over the N examples with `.mean()`"),
    "wrong_sign_of_zy": (
        "the z*y term is added instead of subtracted, so a confident correct logit (z = 10, y = 1) is penalised instead of rewarded",
        "the loss is max(z, 0) - z*y + log(1 + exp(-|z|)): subtract `logits * y`"),
    "missing_max_term": (
        "the max(z, 0) term is left out, so the loss is wrong, even negative, for every positive logit",
        "add `logits.clamp(min=0)`: the loss is max(z, 0) - z*y + log(1 + exp(-|z|))"),
    "uses_builtin": (
        "`F.binary_cross_entropy_with_logits` is the function this exercise asks you to write, and it is switched off here",
        "write the stable form max(z, 0) - z*y + log(1 + exp(-|z|)) yourself with `logits.clamp(min=0)`, `torch.log1p`, `torch.exp` and `.abs()`, then `.mean()`"),
    "uses_logsigmoid": (
        "`F.logsigmoid` does the stable part for you and is switched off in this exercise",
        "write the stable form max(z, 0) - z*y + log(1 + exp(-|z|)) yourself with `logits.clamp(min=0)`, `torch.log1p`, `torch.exp` and `.abs()`, then `.mean()`"),
    "uses_softplus": (
        "`F.softplus` computes the stable log(1 + e^z) for you and is switched off in this exercise",
        "write softplus yourself as `z.clamp(min=0) + torch.log1p(torch.exp(-z.abs()))`, then subtract z*y and take `.mean()`"),
    "uses_bce_on_probabilities": (
        "`F.binary_cross_entropy` is switched off here, and logging `torch.sigmoid(logits)` is unstable at z = ±100 anyway",
        "write the stable form max(z, 0) - z*y + log(1 + exp(-|z|)) yourself with `logits.clamp(min=0)`, `torch.log1p`, `torch.exp` and `.abs()`, then `.mean()`"),
    "detached_item": (
        "`torch.tensor(loss.mean().item())` builds a new tensor with no autograd graph, so `backward()` cannot reach the logits",
        "return `loss.mean()` itself: `.item()` is for printing, not for a loss you differentiate"),
    # ex03 predict_labels
    "logit_compared_with_threshold": (
        "the logit is compared with the threshold, which is a probability: z > 0.5 means sigmoid(z) > 0.62, not > 0.5",
        "compare the logit with the logit of the threshold, log(t / (1 - t)) (0 for t = 0.5), or compare sigmoid(logits) with t"),
    "probability_above_zero": (
        "sigmoid(z) is always above 0, so every example is labelled 1 whatever its logit and the threshold",
        "compare sigmoid(logits) with `threshold`, or the logit with log(threshold / (1 - threshold))"),
    "ignores_threshold": (
        "the cut is always z > 0, which is right only for threshold = 0.5: any other threshold is ignored",
        "cut at the logit of the threshold, `math.log(threshold / (1 - threshold))`, which is 0 only for 0.5"),
    "returns_bool": (
        "the comparison gives a bool tensor, but the labels must be an int64 tensor of 0s and 1s",
        "convert the mask with `.long()`"),
    "greater_or_equal": (
        "`>=` labels a logit exactly at the cut as 1, but the convention is strictly greater (z = 0 at threshold 0.5 gives 0)",
        "use a strict `>` comparison"),
    "inverted_logit_of_threshold": (
        "the cut is log((1 - t) / t), the negative of the logit of t, so every threshold other than 0.5 cuts on the wrong side of 0",
        "sigmoid(z) > t exactly when z > log(t / (1 - t)): t goes on top"),
    # ex04 confusion_counts
    "fp_fn_swapped": (
        "FP and FN come back in each other's places: the order asked for is (tp, fp, tn, fn)",
        "return them as tp, fp, tn, fn; FP is predicted 1 but truly 0, FN is predicted 0 but truly 1"),
    "arguments_swapped": (
        "the predictions and the true labels are swapped, so every false positive is counted as a false negative and vice versa",
        "predicted positives come from `y_hat == 1`, actual positives from `y == 1`: FP is `y_hat == 1` with `y == 0`"),
    "tn_counts_all_agreements": (
        "TN counts every example where prediction and label agree, so it includes the true positives too",
        "TN needs both to be negative: `(y_hat == 0) & (y == 0)`, counted with `int(... .sum())`"),
    "returns_tensors": (
        "the counts are returned as 0-dim tensors, not Python ints",
        "wrap each count in `int(...)`, e.g. `int(mask.sum())`"),
    "fn_from_negatives": (
        "FN counts every predicted 0, so the true negatives are counted as false negatives too",
        "FN is predicted 0 but truly 1: `(y_hat == 0) & (y == 1)`"),
    # ex05 precision_recall_accuracy
    "precision_recall_swapped": (
        "precision and recall come back in each other's places",
        "return (precision, recall, accuracy) with precision = TP / (TP + FP) and recall = TP / (TP + FN)"),
    "no_zero_division_guard": (
        "the ratios are divided without a check, so an empty denominator raises ZeroDivisionError instead of giving 0.0",
        "guard each of the three ratios: `a / b if b else 0.0`"),
    "empty_is_one": (
        "precision is 1.0 when the model predicted no positives, but the convention for an empty denominator is 0.0",
        "return 0.0 for precision whenever TP + FP is 0"),
    "empty_is_nan": (
        "recall is nan when there are no positive examples, but the convention for an empty denominator is 0.0",
        "return 0.0 for recall whenever TP + FN is 0"),
    "accuracy_forgets_tn": (
        "accuracy counts only the true positives, so correctly rejected negatives are treated as errors",
        "accuracy = (TP + TN) / (TP + FP + TN + FN), and 0.0 when there are no examples"),
    "recall_over_all_examples": (
        "recall divides TP by all examples instead of by the actual positives TP + FN",
        "recall = TP / (TP + FN), and 0.0 when TP + FN is 0"),
    # ex06 train_logistic_regression
    "not_standardised": (
        "the features are not standardised (mean 0 and std 1 are used), so with raw values from 0.001 to 4000 no single lr suits them",
        "compute `mean = X.mean(dim=0)` and `std = X.std(dim=0)` from X, train on `(X - mean) / std`, and return those two"),
    "no_zero_grad": (
        "the gradients are never zeroed, so each `backward()` adds to all the earlier gradients and the steps keep growing",
        "call `optimizer.zero_grad()` in every epoch, before `loss.backward()`"),
    "gradient_ascent": (
        "`(-loss).backward()` makes SGD climb the loss instead of descending it, so the model gets worse with every step",
        "call `loss.backward()` on the loss itself: `optimizer.step()` already subtracts lr times the gradient"),
    "standardised_in_place": (
        "`X -= mean` and `X /= std` change the caller's X in place, so the data passed in is overwritten",
        "build a new tensor instead: `X_std = (X - mean) / std`"),
    "ignores_lr": (
        "the learning rate is fixed at 0.5, so the `lr` argument has no effect",
        "pass the argument on: `torch.optim.SGD([W, b], lr=lr)`"),
    "ignores_epochs": (
        "the loop always runs 100 steps, so the `epochs` argument has no effect",
        "loop `for _ in range(epochs):`"),
    "statistics_of_standardised_data": (
        "the returned mean and std are those of X_std (about 0 and 1), so new data would not be standardised like the training data",
        "return the mean and std of the raw X, the ones you used to build X_std"),
    "statistics_over_wrong_axis": (
        "mean and std are taken over each example's features (dim=1), giving (N, 1), instead of over the examples for each feature",
        "use `X.mean(dim=0)` and `X.std(dim=0)`: one value per feature, shape (D,)"),
    "population_std": (
        "std divides by N (correction=0), but this exercise asks for PyTorch's default X.std(dim=0), which divides by N - 1",
        "use `std = X.std(dim=0)`: the course's population convention applies everywhere except this exercise, as its instructions say"),
    "forgot_bias_in_logits": (
        "the logits leave out b, so the bias never trains and the boundary must pass through the origin of the standardised data",
        "add the bias: the logits are `(X_std @ W + b).squeeze(1)`"),
    # ex07 decision_boundary
    "ex07_decision_boundary-wrong_sign": (
        "the minus sign is missing: solving w1*x1 + w2*x2 + b = 0 for x2 gives -(w1*x1 + b) / w2",
        "negate the whole numerator w1*x1 + b before dividing by w2"),
    "weights_swapped": (
        "w1 is read from `W[1, 0]` and w2 from `W[0, 0]`, so x1 is multiplied by the second feature's weight",
        "w1 = `W[0, 0]` goes with x1, and w2 = `W[1, 0]` is the one you divide by"),
    "forgot_bias": (
        "the bias is left out, so the line always passes through the origin",
        "keep b in the numerator: x2 = -(w1*x1 + b) / w2, with b = `b[0]`"),
    "bias_sign": (
        "the bias has the wrong sign: the line drawn is w1*x1 + w2*x2 - b = 0 instead of + b",
        "keep b with the same sign as w1*x1: x2 = -(w1*x1 + b) / w2"),
    "indexes_W_as_a_row": (
        "W is read as a row (`W[0, 1]`), but it has shape (2, 1): the weights are one column, and `W[0, 1]` is out of range",
        "read down the single column: w1 = `W[0, 0]`, w2 = `W[1, 0]`"),
}
