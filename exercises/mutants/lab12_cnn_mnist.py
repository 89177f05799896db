"""Plausible wrong answers to lab12_cnn_mnist; each must lose exactly its own exercise's points."""
from exercises.contracts import Anything, Contract, Float, Int, Mod, OneOf, Optim, Path, T, Tup
from exercises.mutants import Alternative, Mutant

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
    Mutant("ex01_convnet", "flattens_the_batch", replace=((FWD, "return self.fc(self.dropout(self.features(x).flatten()))"),)),
    # ex02 confusion_matrix
    Mutant("ex02_confusion", "transposed", replace=((CM, "return torch.bincount(y_pred * K + y_true, minlength=K * K).reshape(K, K)"),)),
    Mutant("ex02_confusion", "no_minlength", replace=((CM, "return torch.bincount(y_true * K + y_pred).reshape(K, -1)"),)),
    Mutant("ex02_confusion", "float_counts", replace=((CM, "return torch.bincount(y_true * K + y_pred, minlength=K * K).reshape(K, K).float()"),)),
    Mutant("ex02_confusion", "python_loop", source=(
        "def confusion_matrix(y_pred, y_true, K):\n"
        "    C = torch.zeros(K, K, dtype=torch.int64, device=y_true.device)\n"
        "    for t, p in zip(y_true, y_pred):\n"
        "        C[t, p] += 1\n"
        "    return C\n"), breaks="no_loop"),
    Mutant("ex02_confusion", "codes_in_place", source=(
        "def confusion_matrix(y_pred, y_true, K):\n"
        "    y_true *= K\n"
        "    y_true += y_pred\n"
        "    return torch.bincount(y_true, minlength=K * K).reshape(K, K)\n"), breaks="no_mutation"),
    # ex03 precision_recall
    Mutant("ex03_precision_recall", "swapped", replace=(("return precision, recall", "return recall, precision"),)),
    Mutant("ex03_precision_recall", "nan_for_empty_class", replace=(
        ("precision = tp / C.sum(dim=0).clamp(min=1)", "precision = tp / C.sum(dim=0)"),
        ("recall = tp / C.sum(dim=1).clamp(min=1)", "recall = tp / C.sum(dim=1)"))),
    Mutant("ex03_precision_recall", "divides_by_total", replace=(
        ("precision = tp / C.sum(dim=0).clamp(min=1)", "precision = tp / C.sum()"),)),
    Mutant("ex03_precision_recall", "integer_division", replace=(("    C = C.to(torch.float32)\n", ""),
                                                                ("return precision, recall", "return precision.floor(), recall.floor()"))),
    Mutant("ex03_precision_recall", "float64_output", replace=(("C = C.to(torch.float32)", "C = C.to(torch.float64)"),)),
    Mutant("ex03_precision_recall", "zeroes_diagonal_in_place", source=(
        "def precision_recall(C):\n"
        "    tp = C.diagonal().clone().float()\n"
        "    C.fill_diagonal_(0)\n"
        "    precision = tp / (tp + C.sum(dim=0)).clamp(min=1)\n"
        "    recall = tp / (tp + C.sum(dim=1)).clamp(min=1)\n"
        "    return precision, recall\n"), breaks="no_mutation"),
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
    Mutant("ex04_mistakes", "max_over_the_batch", replace=(("conf, pred = probs.max(dim=1)", "conf, pred = probs.max(dim=0)"),)),
    Mutant("ex04_mistakes", "masks_probs_in_place", source=(
        "def top_k_confident_mistakes(probs, y_true, k):\n"
        "    wrong = probs.argmax(dim=1) != y_true\n"
        "    probs[~wrong] = -1.0\n"
        "    conf = probs.max(dim=1).values\n"
        "    order = torch.argsort(conf, descending=True)\n"
        "    return order[:min(k, int(wrong.sum()))]\n"), breaks="no_mutation"),
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
    Mutant("ex05_checkpoint", "library_save", replace=((SAVE, "from dlcourse.checkpoints import save_checkpoint as lib\n"
                                                               "    lib(path, model, optimizer, epoch=epoch)"),),
           breaks="forbids:dlcourse.checkpoints.save_checkpoint"),
    Mutant("ex05_checkpoint", "library_load", replace=(("    state = torch.load(path, map_location=map_location)\n"
                                                        '    model.load_state_dict(state["model"])\n'
                                                        '    optimizer.load_state_dict(state["optimizer"])\n', "    import dlcourse.cnn\n"
                                                        "    state = dlcourse.cnn.load_checkpoint(path, model, optimizer, map_location=map_location)\n"),),
           breaks="forbids:dlcourse.checkpoints.load_checkpoint"),
    Mutant("ex05_checkpoint", "library_imported_as_answer", source=(
        "from dlcourse.checkpoints import save_checkpoint\n\n\n"
        "def load_checkpoint(path, model, optimizer, map_location=\"cpu\"):\n"
        "    state = torch.load(path, map_location=map_location)\n"
        "    model.load_state_dict(state[\"model\"])\n"
        "    optimizer.load_state_dict(state[\"optimizer\"])\n"
        "    return state[\"epoch\"]\n"), breaks="forbids:dlcourse.checkpoints.save_checkpoint"),
    # ex06 evaluate
    Mutant("ex06_evaluate", "train_mode_at_eval", replace=(("    model.eval()\n", ""),), breaks="eval_mode"),
    Mutant("ex06_evaluate", "mode_not_restored", replace=(("    model.train(was_training)\n", ""),), breaks="restores_mode"),
    Mutant("ex06_evaluate", "grad_kept", replace=(("    with torch.no_grad():\n        logits", "    if True:\n        logits"),), breaks="no_grad"),
    Mutant("ex06_evaluate", "last_batch_dropped", replace=(("for i in range(0, len(X), batch_size)", "for i in range(0, len(X) - batch_size + 1, batch_size)"),)),
    Mutant("ex06_evaluate", "softmax_wrong_dim", replace=(("probs = torch.softmax(logits, dim=1)", "probs = torch.softmax(logits, dim=0)"),)),
    Mutant("ex06_evaluate", "always_train_after", replace=(("model.train(was_training)", "model.train()"),), breaks="restores_mode"),
    Mutant("ex06_evaluate", "ignores_batch_size", replace=(("torch.cat([model(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])", "model(X)"),),
           breaks="in_batches"),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_convnet", "torch_functions_and_view", source=(
        "class ConvNet(nn.Module):\n"
        "    def __init__(self, p=0.25):\n"
        "        super().__init__()\n"
        "        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)\n"
        "        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)\n"
        "        self.dropout = nn.Dropout(p=p)\n"
        "        self.fc = nn.Linear(3136, 10)\n\n"
        "    def features(self, x):\n"
        "        x = torch.max_pool2d(torch.relu(self.conv1(x)), kernel_size=2, stride=2)\n"
        "        return torch.max_pool2d(torch.relu(self.conv2(x)), kernel_size=2, stride=2)\n\n"
        "    def forward(self, x):\n"
        "        h = self.features(x)\n"
        "        return self.fc(self.dropout(h.reshape(h.shape[0], -1)))\n")),
    Alternative("ex02_confusion", "index_put_accumulate", source=(
        "def confusion_matrix(y_pred, y_true, K):\n"
        "    C = torch.zeros(K, K, dtype=torch.int64, device=y_true.device)\n"
        "    C.index_put_((y_true, y_pred), torch.ones_like(y_true), accumulate=True)\n"
        "    return C\n")),
    Alternative("ex03_precision_recall", "float64_and_nan_to_num", source=(
        "def precision_recall(C):\n"
        "    Cd = C.double()\n"
        "    tp = Cd.diagonal()\n"
        "    precision = torch.nan_to_num(tp / Cd.sum(0), nan=0.0)\n"
        "    recall = torch.nan_to_num(tp / Cd.sum(1), nan=0.0)\n"
        "    return precision.float(), recall.float()\n")),
    Alternative("ex04_mistakes", "indices_of_the_wrong_rows", source=(
        "def top_k_confident_mistakes(probs, y_true, k):\n"
        "    conf = probs.amax(dim=1)\n"
        "    idx = torch.nonzero(probs.argmax(dim=1) != y_true).flatten()\n"
        "    order = torch.argsort(conf[idx], descending=True)\n"
        "    return idx[order][:k]\n")),
    Alternative("ex05_checkpoint", "dict_built_first", source=(
        "def save_checkpoint(path, model, optimizer, epoch):\n"
        "    state = dict(epoch=epoch, optimizer=optimizer.state_dict(), model=model.state_dict())\n"
        "    torch.save(state, path)\n\n\n"
        "def load_checkpoint(path, model, optimizer, map_location=\"cpu\"):\n"
        "    ckpt = torch.load(path, map_location, weights_only=True)\n"
        "    model.load_state_dict(ckpt[\"model\"])\n"
        "    optimizer.load_state_dict(ckpt[\"optimizer\"])\n"
        "    return int(ckpt[\"epoch\"])\n")),
    Alternative("ex06_evaluate", "split_and_try_finally", source=(
        "def evaluate(model, X, y, batch_size=256):\n"
        "    mode = model.training\n"
        "    model.train(False)\n"
        "    try:\n"
        "        with torch.no_grad():\n"
        "            probs = torch.cat([torch.softmax(model(xb), dim=1) for xb in torch.split(X, batch_size)])\n"
        "    finally:\n"
        "        model.train(mode)\n"
        "    return float((probs.argmax(1) == y).double().mean()), probs\n")),
]

CONTRACTS = [
    Contract("ex01_convnet", "ConvNet", {"p": Float(lo=0, hi=1)}, forward={"x": T("N", 1, 28, 28, dtype="float")},
             returns=T("N", 10, dtype="float"), rules=("device",), batch="x", diverse=None,
             why_not="the input is a batch of MNIST images, (N, 1, 28, 28): the architecture fixes the channel and image sizes"),
    Contract("ex02_confusion", "confusion_matrix", {"y_pred": T("N", dtype="int64"), "y_true": T("N", dtype="int64"), "K": Int(lo=1)},
             returns=T("K", "K", dtype="int64"), rules=("device", "no_mutation", "no_loop"), batch="y_true"),
    Contract("ex03_precision_recall", "precision_recall", {"C": T("K", "K", dtype="int")},
             returns=Tup(T("K", dtype="float32"), T("K", dtype="float32")), rules=("device", "no_mutation"), batch=None, diverse=None,
             why_not="C is a square (K, K) confusion matrix: it has no batch axis and its two axes are the same size"),
    Contract("ex04_mistakes", "top_k_confident_mistakes", {"probs": T("N", "K", dtype="float"), "y_true": T("N", dtype="int64"), "k": Int(lo=0)},
             returns=T(None, dtype="int64"), rules=("device", "no_mutation"), batch="probs"),
    Contract("ex05_checkpoint", "save_checkpoint", {"path": Path(), "model": Mod(), "optimizer": Optim(), "epoch": Int(lo=0)},
             rules=("forbids:dlcourse.checkpoints.save_checkpoint",)),
    Contract("ex05_checkpoint", "load_checkpoint", {"path": Path(), "model": Mod(), "optimizer": Optim(), "map_location": Anything},
             returns=Int(lo=0), rules=("forbids:dlcourse.checkpoints.load_checkpoint",)),
    Contract("ex06_evaluate", "evaluate", {"model": Mod(), "X": OneOf(T("N", None, dtype="float"), T("N", None, None, None, dtype="float")), "y": T("N", dtype="int64"), "batch_size": Int(lo=1)},
             returns=Tup(Float(lo=0, hi=1), T("N", None, dtype="float")),
             rules=("device", "eval_mode", "no_grad", "restores_mode", "in_batches"), batch="X"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 ConvNet
    "no_padding": ("the 3x3 convolutions have no `padding=1`, so each shrinks the image by 2 and `features` gives (N, 64, 5, 5), not (N, 64, 7, 7)",
                   "give both `nn.Conv2d` layers `padding=1`: then the pools take 28 -> 14 -> 7 and `fc` gets 64 * 7 * 7 inputs"),
    "no_relu": ("leaves out the ReLU after each convolution, so the blocks stay linear and `features` has negative values",
                "apply `F.relu` to each conv output before pooling: `F.max_pool2d(F.relu(self.conv1(x)), 2)`"),
    "avg_pool": ("pools with `F.avg_pool2d`, but the network asked for uses 2x2 max-pooling after each ReLU",
                 "use `F.max_pool2d(..., 2)` in both blocks"),
    "dropout_unused": ("builds `self.dropout` but never applies it in `forward`, so the model drops nothing while training",
                       "in `forward`, apply `self.dropout` to the flattened features before `self.fc`"),
    "dropout_fixed_p": ("builds `nn.Dropout(0.5)` whatever `p` is passed, so `ConvNet(p=0.3).dropout.p` is 0.5",
                        "pass the constructor's argument on: `nn.Dropout(p)`"),
    "wrong_widths": ("gives `conv1` 16 output channels instead of 32, so the layers and the parameter count (50,186) don't match the table",
                     "follow the table: `nn.Conv2d(1, 32, kernel_size=3, padding=1)`, then `nn.Conv2d(32, 64, kernel_size=3, padding=1)`"),
    "functional_dropout_always_on": ("`F.dropout(..., training=True)` keeps dropping units after `model.eval()`, so eval-mode predictions stay random",
                                     "use the module, `self.dropout(...)`, which follows `model.train()` and `model.eval()` (or pass `training=self.training`)"),
    "flattens_the_batch": ("`.flatten()` with no argument merges the batch axis too, so N images become one long vector and `fc` fails unless N is 1",
                           "keep the batch axis: `.flatten(1)` gives (N, 64 * 7 * 7)"),
    # ex02 confusion_matrix
    "transposed": ("codes each pair as `y_pred * K + y_true`, so rows are the predicted class and columns the true one: the matrix is transposed",
                   "rows are the truth: count `y_true * K + y_pred`"),
    "no_minlength": ("calls `bincount` without `minlength`, so when the last classes never occur the counts are too few for a (K, K) matrix",
                     "pass `minlength=K * K` so every pair gets a count, zero or not, then `.reshape(K, K)`"),
    "float_counts": ("returns the counts as float32, but the confusion matrix is an int64 tensor",
                     "keep `torch.bincount`'s int64 result: don't call `.float()`"),
    "python_loop": ("loops over the examples in Python, one tensor update each, which the exercise rules out (and is slow for large N)",
                    "code each pair as one number, `y_true * K + y_pred`, and count them all at once with `torch.bincount(..., minlength=K * K)`"),
    "codes_in_place": ("`y_true *= K` and `y_true += y_pred` change the caller's label tensor `y_true` in place",
                       "build the codes in a new tensor: `y_true * K + y_pred`"),
    # ex03 precision_recall
    "swapped": ("returns `(recall, precision)`: the two results are in the wrong order",
                "return `precision, recall`: precision divides by column sums (predicted), recall by row sums (true)"),
    "nan_for_empty_class": ("divides by the raw column and row sums, so a class never predicted or never present gets 0/0 = nan instead of 0",
                            "clamp the denominators: `C.sum(dim=0).clamp(min=1)` and `C.sum(dim=1).clamp(min=1)`"),
    "divides_by_total": ("divides precision by the total count `C.sum()`, not by the number of examples predicted as that class",
                         "precision of class k divides by column k's sum: `tp / C.sum(dim=0).clamp(min=1)`"),
    "integer_division": ("rounds the ratios down to whole numbers, so every precision and recall below 1 becomes 0",
                         "convert `C` to float32 first and keep the fractions: don't floor the result"),
    "float64_output": ("returns float64 tensors, but precision and recall must be float32",
                       "convert with `C.to(torch.float32)` before dividing"),
    "zeroes_diagonal_in_place": ("`C.fill_diagonal_(0)` wipes the diagonal of the caller's confusion matrix in place",
                                 "leave `C` as it is: read `C.diagonal()` and divide by the column and row sums, which already include it"),
    # ex04 top_k_confident_mistakes
    "ascending": ("sorts ascending and keeps the tail, so the right mistakes come out least confident first instead of most confident first",
                  "sort with `torch.argsort(conf, descending=True)` and keep the first `min(k, number of mistakes)`"),
    "includes_correct": ("always returns `k` indices, so with fewer than `k` mistakes correctly classified rows fill up the list",
                         "keep only `min(k, int(wrong.sum()))` indices after sorting"),
    "indices_into_mistakes": ("sorts the wrong rows' confidences on their own, so the indices point into that shorter list, not at the rows of `probs`",
                              "keep every row and set the confidence of correct rows to -1 with `torch.where`, so the sorted indices are row numbers"),
    "confidence_of_true_class": ("ranks mistakes by the probability of the true class, but the confidence is the largest probability, the wrong prediction's",
                                 "take the confidence and the prediction together: `conf, pred = probs.max(dim=1)`"),
    "max_over_the_batch": ("takes the max along dim 0, over the batch, giving one value per class instead of one confidence per row",
                           "take the max along the classes: `probs.max(dim=1)`"),
    "masks_probs_in_place": ("`probs[~wrong] = -1.0` writes into the caller's `probs`, overwriting the rows the model gets right",
                             "mask a new tensor of confidences instead: `torch.where(wrong, conf, torch.full_like(conf, -1.0))`"),
    # ex05 checkpoints
    "no_optimizer_state": ("saves and loads only the model, so the optimizer's state (Adam's moments, SGD's momentum) is lost in the round trip",
                           'also save `optimizer.state_dict()` under "optimizer" and call `optimizer.load_state_dict(state["optimizer"])` when loading'),
    "optimizer_saved_not_loaded": ("saves the optimizer's state but `load_checkpoint` never loads it, so the optimizer starts over after loading",
                                   'in `load_checkpoint`, also call `optimizer.load_state_dict(state["optimizer"])`'),
    "rebinds_model": ('`model = state["model"]` only rebinds a local name: the caller\'s model keeps its old weights',
                      'load the weights into the object you were given: `model.load_state_dict(state["model"])`'),
    "epoch_not_returned": ("`load_checkpoint` returns None instead of the stored epoch",
                           'return `state["epoch"]`'),
    "saves_whole_model": ("pickles the model and optimizer objects, not their state_dicts, so `torch.load`, which reads tensors and plain data only, refuses it",
                          'save `model.state_dict()` and `optimizer.state_dict()`: `torch.save({"model": ..., "optimizer": ..., "epoch": epoch}, path)`'),
    "library_save": ("calls the course library's `save_checkpoint`, which this exercise rules out: the point is to write it yourself",
                     "write the dict of both state_dicts and the epoch to `path` with `torch.save` yourself"),
    "library_load": ("calls the course library's `load_checkpoint` (`dlcourse.cnn.load_checkpoint`), which this exercise rules out",
                     "read the file with `torch.load(path, map_location=map_location)` and call `load_state_dict` on the model and optimizer yourself"),
    "library_imported_as_answer": ("imports the course library's `save_checkpoint` instead of writing it, which this exercise rules out",
                                   "define `save_checkpoint` yourself: `torch.save` of a dict with the two state_dicts and the epoch"),
    # ex06 evaluate
    "train_mode_at_eval": ("never calls `model.eval()`, so dropout stays on and batch norm uses each batch's statistics instead of its running ones",
                           "remember `was_training = model.training`, call `model.eval()` before the forward passes, and restore the mode afterwards"),
    "mode_not_restored": ("leaves a model that was training in eval mode after `evaluate` returns",
                          "put it back as it was: `model.train(was_training)`"),
    "grad_kept": ("runs the model without `torch.no_grad()`, so autograd records a graph and `probs` requires grad",
                  "wrap the forward passes in `with torch.no_grad():`"),
    "last_batch_dropped": ("the range stops before the last, smaller batch, so its rows are never evaluated and `probs` has fewer than N rows",
                           "loop over `range(0, len(X), batch_size)`: the slice `X[i:i + batch_size]` handles the short last batch"),
    "softmax_wrong_dim": ("applies the softmax along dim 0, across the batch, so each class's column sums to 1 instead of each row",
                          "normalise over the classes: `torch.softmax(logits, dim=1)`"),
    "always_train_after": ("calls `model.train()` at the end whatever the mode was, so a model that was in eval mode comes back in training mode",
                           "save `was_training = model.training` first and restore it with `model.train(was_training)`"),
    "ignores_batch_size": ("runs all of `X` through the model in one call, ignoring `batch_size`",
                           "run the model on `X[i:i + batch_size]` for `i` in `range(0, len(X), batch_size)` and `torch.cat` the logits"),
}
