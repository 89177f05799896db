"""Plausible wrong answers to lab12_cnn_mnist; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

FEAT1 = "x = F.max_pool2d(F.relu(self.conv1(x)), 2)"
FEAT2 = "return F.max_pool2d(F.relu(self.conv2(x)), 2)"
FWD = "return self.fc(self.dropout(self.features(x).flatten(1)))"
CM = "return torch.bincount(y_true * K + y_pred, minlength=K * K).reshape(K, K)"
MIS_ORDER = "order = torch.argsort(conf, descending=True)"
SAVE = 'torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)'

MUTANTS = [
    # ex01 ConvNet
    Mutant("ex01_convnet", "no_padding", replace=(
        ("nn.Conv2d(1, 32, kernel_size=3, padding=1)", "nn.Conv2d(1, 32, kernel_size=3)"),
        ("nn.Conv2d(32, 64, kernel_size=3, padding=1)", "nn.Conv2d(32, 64, kernel_size=3)"),
        ("nn.Linear(64 * 7 * 7, 10)", "nn.Linear(64 * 5 * 5, 10)"))),
    Mutant("ex01_convnet", "no_relu", replace=((FEAT1, "x = F.max_pool2d(self.conv1(x), 2)"),
                                              (FEAT2, "return F.max_pool2d(self.conv2(x), 2)"))),
    Mutant("ex01_convnet", "avg_pool", replace=((FEAT1, "x = F.avg_pool2d(F.relu(self.conv1(x)), 2)"),
                                               (FEAT2, "return F.avg_pool2d(F.relu(self.conv2(x)), 2)"))),
    Mutant("ex01_convnet", "dropout_unused", replace=((FWD, "return self.fc(self.features(x).flatten(1))"),)),
    Mutant("ex01_convnet", "dropout_fixed_p", replace=(("self.dropout = nn.Dropout(p)", "self.dropout = nn.Dropout(0.5)"),)),
    Mutant("ex01_convnet", "wrong_widths", replace=(
        ("nn.Conv2d(1, 32, kernel_size=3, padding=1)", "nn.Conv2d(1, 16, kernel_size=3, padding=1)"),
        ("nn.Conv2d(32, 64, kernel_size=3, padding=1)", "nn.Conv2d(16, 64, kernel_size=3, padding=1)"))),
    Mutant("ex01_convnet", "functional_dropout_always_on", replace=(
        (FWD, "return self.fc(F.dropout(self.features(x).flatten(1), self.dropout.p, training=True))"),)),
    # ex02 confusion_matrix
    Mutant("ex02_confusion", "transposed", replace=((CM, "return torch.bincount(y_pred * K + y_true, minlength=K * K).reshape(K, K)"),)),
    Mutant("ex02_confusion", "no_minlength", replace=((CM, "return torch.bincount(y_true * K + y_pred).reshape(K, -1)"),)),
    Mutant("ex02_confusion", "float_counts", replace=((CM, "return torch.bincount(y_true * K + y_pred, minlength=K * K).reshape(K, K).float()"),)),
    # ex03 precision_recall
    Mutant("ex03_precision_recall", "swapped", replace=(("return precision, recall", "return recall, precision"),)),
    Mutant("ex03_precision_recall", "nan_for_empty_class", replace=(
        ("precision = tp / C.sum(dim=0).clamp(min=1)", "precision = tp / C.sum(dim=0)"),
        ("recall = tp / C.sum(dim=1).clamp(min=1)", "recall = tp / C.sum(dim=1)"))),
    Mutant("ex03_precision_recall", "divides_by_total", replace=(
        ("precision = tp / C.sum(dim=0).clamp(min=1)", "precision = tp / C.sum()"),)),
    Mutant("ex03_precision_recall", "integer_division", replace=(("    C = C.to(torch.float32)\n", ""),
                                                                ("return precision, recall", "return precision.floor(), recall.floor()"))),
    # ex04 top_k_confident_mistakes
    Mutant("ex04_mistakes", "ascending", replace=((MIS_ORDER, "order = torch.argsort(conf, descending=False)"),
                                                 ("return order[:min(k, int(wrong.sum()))]", "return order[len(order) - min(k, int(wrong.sum())):]"))),
    Mutant("ex04_mistakes", "includes_correct", replace=(("return order[:min(k, int(wrong.sum()))]", "return order[:k]"),)),
    Mutant("ex04_mistakes", "indices_into_mistakes", source=(
        "def top_k_confident_mistakes(probs, y_true, k):\n"
        "    conf, pred = probs.max(dim=1)\n"
        "    conf = conf[pred != y_true]\n"
        "    return torch.argsort(conf, descending=True)[:k]\n")),
    Mutant("ex04_mistakes", "confidence_of_true_class", replace=(
        ("conf, pred = probs.max(dim=1)", "_, pred = probs.max(dim=1)\n    conf = probs.gather(1, y_true[:, None])[:, 0]"),)),
    # ex05 checkpoint
    Mutant("ex05_checkpoint", "no_optimizer_state", replace=(
        (SAVE, 'torch.save({"model": model.state_dict(), "epoch": epoch}, path)'),
        ('    optimizer.load_state_dict(state["optimizer"])\n', ""))),
    Mutant("ex05_checkpoint", "optimizer_saved_not_loaded", replace=(('    optimizer.load_state_dict(state["optimizer"])\n', ""),)),
    Mutant("ex05_checkpoint", "rebinds_model", replace=(('model.load_state_dict(state["model"])', 'model = state["model"]'),)),
    Mutant("ex05_checkpoint", "epoch_not_returned", replace=(('return state["epoch"]', "return None"),)),
    Mutant("ex05_checkpoint", "saves_whole_model", replace=((SAVE, 'torch.save({"model": model, "optimizer": optimizer, "epoch": epoch}, path)'),
                                                           ("torch.load(path, map_location=map_location)", "torch.load(path, map_location=map_location, weights_only=False)"),
                                                           ('model.load_state_dict(state["model"])', 'model.load_state_dict(state["model"].state_dict())'),
                                                           ('optimizer.load_state_dict(state["optimizer"])', 'optimizer.load_state_dict(state["optimizer"].state_dict())'))),
    # ex06 evaluate
    Mutant("ex06_evaluate", "train_mode_at_eval", replace=(("    model.eval()\n", ""),)),
    Mutant("ex06_evaluate", "mode_not_restored", replace=(("    model.train(was_training)\n", ""),)),
    Mutant("ex06_evaluate", "grad_kept", replace=(("    with torch.no_grad():\n        logits", "    if True:\n        logits"),)),
    Mutant("ex06_evaluate", "last_batch_dropped", replace=(("for i in range(0, len(X), batch_size)", "for i in range(0, len(X) - batch_size + 1, batch_size)"),)),
    Mutant("ex06_evaluate", "softmax_wrong_dim", replace=(("probs = torch.softmax(logits, dim=1)", "probs = torch.softmax(logits, dim=0)"),)),
    Mutant("ex06_evaluate", "always_train_after", replace=(("model.train(was_training)", "model.train()"),)),
]
