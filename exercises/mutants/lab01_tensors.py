"""Wrong answers for lab01_tensors; each must lose exactly its own exercise's points."""
from exercises.contracts import A, Anything, Contract, Float, Int, T
from exercises.mutants import Mutant

MUTANTS = [
    # ex01 row_normalize: X / X.sum(dim=1, keepdim=True)
    Mutant("ex01_row_normalize", "wrong_axis", replace=(("dim=1", "dim=0"),)),
    Mutant("ex01_row_normalize", "no_keepdim", replace=((", keepdim=True", ""),)),
    Mutant("ex01_row_normalize", "mean_not_sum", replace=(("X.sum(", "X.mean("),)),
    Mutant("ex01_row_normalize", "divide_by_max",
           replace=(("X.sum(dim=1, keepdim=True)", "X.max(dim=1, keepdim=True).values"),)),
    Mutant("ex01_row_normalize", "in_place",
           source="def row_normalize(X):\n    X /= X.sum(dim=1, keepdim=True)\n    return X\n", breaks="no_mutation"),
    Mutant("ex01_row_normalize", "reshape_uses_D",
           replace=(("X.sum(dim=1, keepdim=True)", "X.sum(dim=1).reshape(X.shape[1], 1)"),)),
    Mutant("ex01_row_normalize", "to_float32",
           replace=(("return X / X.sum(dim=1, keepdim=True)", "return (X / X.sum(dim=1, keepdim=True)).float()"),)),

    # ex02 standardize: (X - X.mean(dim=0)) / X.std(dim=0, correction=0)
    Mutant("ex02_standardize", "wrong_axis", replace=(("dim=0", "dim=1"),)),
    Mutant("ex02_standardize", "unbiased_std", replace=((", correction=0", ""),)),
    Mutant("ex02_standardize", "no_centering", replace=(("return (X - mu) / sigma", "return X / sigma"),)),
    Mutant("ex02_standardize", "global_stats",
           source="def standardize(X):\n    return (X - X.mean()) / X.std(correction=0)\n"),
    Mutant("ex02_standardize", "in_place",
           source="def standardize(X):\n    X -= X.mean(dim=0)\n    X /= X.std(dim=0, correction=0)\n    return X\n",
           breaks="no_mutation"),

    Mutant("ex02_standardize", "reshape_uses_N",
           replace=(("mu = X.mean(dim=0)  ", "mu = X.mean(dim=0).reshape(1, X.shape[0])  "),)),
    Mutant("ex02_standardize", "returns_float64",
           replace=(("return (X - mu) / sigma", "return (X.double() - mu) / sigma"),)),

    # ex03 images_to_chw: images.permute(0, 3, 1, 2).contiguous().to(torch.float32) / 255
    Mutant("ex03_images_to_chw", "reshape_not_permute",
           replace=(("images.permute(0, 3, 1, 2)",
                     "images.reshape(images.shape[0], images.shape[3], images.shape[1], images.shape[2])"),)),
    Mutant("ex03_images_to_chw", "wrong_permutation", replace=(("permute(0, 3, 1, 2)", "permute(0, 3, 2, 1)"),)),
    Mutant("ex03_images_to_chw", "no_scaling", replace=((" / 255", ""),)),
    Mutant("ex03_images_to_chw", "integer_division",
           source="def images_to_chw(images):\n    return (images.permute(0, 3, 1, 2) // 255).float().contiguous()\n"),
    Mutant("ex03_images_to_chw", "not_contiguous", replace=((".contiguous()", ""),), breaks="contiguous"),
    Mutant("ex03_images_to_chw", "stays_uint8",
           source="def images_to_chw(images):\n    return images.permute(0, 3, 1, 2).contiguous()\n"),

    Mutant("ex03_images_to_chw", "returns_float64", replace=(("X.to(torch.float32) / 255", "X.to(torch.float64) / 255"),)),
    Mutant("ex03_images_to_chw", "converts_input_data",
           source="def images_to_chw(images):\n"
                  "    images.data = images.data.float() / 255     # convert the pixels first\n"
                  "    return images.permute(0, 3, 1, 2).contiguous()\n", breaks="no_mutation"),

    # ex04 class_means: torch.stack([X[y == k].mean(dim=0) for k in range(K)], dim=0)
    Mutant("ex04_class_means", "stack_wrong_axis", replace=(("torch.stack(means, dim=0)", "torch.stack(means, dim=1)"),)),
    Mutant("ex04_class_means", "cat_not_stack", replace=(("torch.stack(", "torch.cat("),)),
    Mutant("ex04_class_means", "sum_not_mean", replace=(("X[y == k].mean(dim=0)", "X[y == k].sum(dim=0)"),)),
    Mutant("ex04_class_means", "divide_by_N", replace=(("X[y == k].mean(dim=0)", "X[y == k].sum(dim=0) / len(X)"),)),
    Mutant("ex04_class_means", "mean_wrong_axis", replace=(("X[y == k].mean(dim=0)", "X[y == k].mean(dim=1)"),)),
    Mutant("ex04_class_means", "index_not_mask", replace=(("X[y == k].mean(dim=0)", "X[y[k]]"),)),

    Mutant("ex04_class_means", "reuses_X_storage",
           source="def class_means(X, y, K):\n"
                  "    M = X[:K]                      # K rows to hold the means\n"
                  "    for k in range(K):\n"
                  "        M[k] = X[y == k].mean(dim=0)\n"
                  "    return M\n", breaks="no_mutation"),
    Mutant("ex04_class_means", "returns_float64", replace=(("X[y == k].mean(dim=0)", "X[y == k].double().mean(dim=0)"),)),

    # ex05 accuracy: (logits.argmax(dim=1) == y).float().mean().item()
    Mutant("ex05_accuracy", "argmax_wrong_axis", replace=(("logits.argmax(dim=1)", "logits.argmax(dim=0)"),)),
    Mutant("ex05_accuracy", "integer_division",
           source="def accuracy(logits, y):\n    return (logits.argmax(dim=1) == y).sum().item() // len(y)\n"),
    Mutant("ex05_accuracy", "count_not_fraction", replace=(("(y_hat == y).float().mean().item()", "(y_hat == y).sum().item()"),)),
    Mutant("ex05_accuracy", "returns_tensor", replace=((".mean().item()", ".mean()"),)),
    Mutant("ex05_accuracy", "compares_max_value", replace=(("logits.argmax(dim=1)", "logits.max(dim=1).values"),)),
    Mutant("ex05_accuracy", "flat_argmax", replace=(("logits.argmax(dim=1)", "logits.argmax()"),)),

    Mutant("ex05_accuracy", "shifts_logits_in_place",
           source="def accuracy(logits, y):\n"
                  "    logits -= logits.max(dim=1, keepdim=True).values     # stable scores first\n"
                  "    return (logits.argmax(dim=1) == y).float().mean().item()\n", breaks="no_mutation"),

    # ex06 one_hot: zeros (N, K) float32, Y[arange(N), y] = 1
    Mutant("ex06_one_hot", "int_dtype",
           source="import torch.nn.functional as F\ndef one_hot(y, K):\n    return F.one_hot(y, K)\n"),
    Mutant("ex06_one_hot", "infers_K",
           source="import torch.nn.functional as F\ndef one_hot(y, K):\n    return F.one_hot(y).float()\n"),
    Mutant("ex06_one_hot", "transposed", replace=(("    return Y\n", "    return Y.T\n"),)),
    Mutant("ex06_one_hot", "forgot_row_index",
           replace=(("Y[torch.arange(len(y), device=y.device), y] = 1.0", "Y[:, y] = 1.0"),)),
    Mutant("ex06_one_hot", "bool_dtype",
           source="def one_hot(y, K):\n    return y[:, None] == torch.arange(K, device=y.device)\n"),

    Mutant("ex06_one_hot", "unsqueezes_y_in_place",
           source="def one_hot(y, K):\n"
                  "    return torch.zeros(len(y), K, device=y.device).scatter_(1, y.unsqueeze_(1), 1.0)\n",
           breaks="no_mutation"),

    # ex07 to_tensor: torch.tensor(array, dtype=torch.float32, device=device)
    Mutant("ex07_to_tensor", "from_numpy_float",
           source="def to_tensor(array, device):\n    return torch.from_numpy(array).float().to(device)\n",
           breaks="no_shared_memory"),
    Mutant("ex07_to_tensor", "as_tensor_shares",
           source="def to_tensor(array, device):\n    return torch.as_tensor(array, dtype=torch.float32, device=device)\n",
           breaks="no_shared_memory"),
    Mutant("ex07_to_tensor", "keeps_numpy_dtype", replace=(("dtype=torch.float32, ", ""),)),
    Mutant("ex07_to_tensor", "returns_numpy",
           source="def to_tensor(array, device):\n    return array.astype(np.float32)\n"),
    Mutant("ex07_to_tensor", "from_numpy_no_cast",
           source="def to_tensor(array, device):\n    return torch.from_numpy(array).to(device)\n"),
    Mutant("ex07_to_tensor", "ignores_device", replace=((", device=device", ""),), breaks="device"),
]

from exercises.mutants import Alternative  # noqa: E402

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_row_normalize", "loop_over_rows", source=(
        "def row_normalize(X):\n"
        "    rows = [X[i] / X[i].sum() for i in range(X.shape[0])]\n"
        "    return torch.stack(rows) if rows else X.clone()\n")),
    Alternative("ex01_row_normalize", "einsum_reciprocal", source=(
        "def row_normalize(X):\n"
        "    return torch.einsum('nd,n->nd', X, 1.0 / X.sum(dim=1))\n")),
    Alternative("ex02_standardize", "manual_variance_float64_inside", source=(
        "def standardize(X):\n"
        "    X64 = X.double()\n"
        "    mu = X64.mean(dim=0, keepdim=True)\n"
        "    var = ((X64 - mu) ** 2).mean(dim=0, keepdim=True)\n"
        "    return ((X64 - mu) / var.sqrt()).to(X.dtype)\n")),
    Alternative("ex03_images_to_chw", "divide_then_permute", source=(
        "def images_to_chw(images):\n"
        "    return (images.float() / 255.0).permute(0, 3, 1, 2).contiguous()\n")),
    Alternative("ex04_class_means", "one_hot_matmul", source=(
        "def class_means(X, y, K):\n"
        "    Y = torch.zeros(len(y), K, dtype=X.dtype, device=X.device)\n"
        "    Y[torch.arange(len(y), device=X.device), y] = 1\n"
        "    return (Y.T @ X) / Y.sum(dim=0)[:, None]\n")),
    Alternative("ex04_class_means", "index_add", source=(
        "def class_means(X, y, K):\n"
        "    sums = torch.zeros(K, X.shape[1], dtype=X.dtype, device=X.device).index_add_(0, y, X)\n"
        "    counts = torch.bincount(y, minlength=K).to(X.dtype)\n"
        "    return sums / counts[:, None]\n")),
    Alternative("ex05_accuracy", "sum_over_len", source=(
        "def accuracy(logits, y):\n"
        "    return float((logits.argmax(dim=1) == y).sum().item() / len(y))\n")),
    Alternative("ex06_one_hot", "eye_rows", source=(
        "def one_hot(y, K):\n"
        "    return torch.eye(K, device=y.device)[y]\n")),
    Alternative("ex06_one_hot", "scatter", source=(
        "def one_hot(y, K):\n"
        "    return torch.zeros(len(y), K, device=y.device).scatter_(1, y[:, None], 1.0)\n")),
    Alternative("ex07_to_tensor", "from_numpy_copy", source=(
        "def to_tensor(array, device):\n"
        "    return torch.from_numpy(np.array(array, dtype=np.float32, copy=True)).to(device)\n")),
]

CONTRACTS = [
    Contract("ex01_row_normalize", "row_normalize", {"X": T("N", "D", dtype="float")},
             returns=T("N", "D", dtype="float"), rules=("device", "no_mutation"), batch="X"),
    Contract("ex02_standardize", "standardize", {"X": T("N", "D", dtype="float")},
             returns=T("N", "D", dtype="float"), rules=("device", "no_mutation"), batch=None, diverse="X",
             why_not="the instructions ask for N >= 2 (one row has no spread), so there is no batch of one"),
    Contract("ex03_images_to_chw", "images_to_chw", {"images": T("N", "H", "W", "C", dtype="uint8")},
             returns=T("N", "C", "H", "W", dtype="float32"), rules=("device", "no_mutation", "contiguous"),
             batch="images"),
    Contract("ex04_class_means", "class_means", {"X": T("N", "D", dtype="float"), "y": T("N", dtype="int64"),
                                                 "K": Int(lo=1)},
             returns=T(None, "D", dtype="float"), rules=("device", "no_mutation"), batch="X"),
    Contract("ex05_accuracy", "accuracy", {"logits": T("N", "K", dtype="float"), "y": T("N", dtype="int64")},
             returns=Float(lo=0, hi=1), rules=("no_mutation",), batch="logits"),
    Contract("ex06_one_hot", "one_hot", {"y": T("N", dtype="int64"), "K": Int(lo=1)},
             returns=T("N", None, dtype="float32"), rules=("device", "no_mutation"), batch="y", diverse=None,
             why_not="y is one-dimensional: its only axis is the batch"),
    Contract("ex07_to_tensor", "to_tensor", {"array": A(...), "device": Anything},
             returns=T(..., dtype="float32"), rules=("device", "no_shared_memory"),
             batch=None, diverse="array",
             why_not="the array may have any shape (0-d included): no axis is a batch"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 row_normalize
    "ex01_row_normalize-wrong_axis": (
        "the sum runs over dim=0, down each column, so the columns of the result sum to 1 instead of its rows",
        "each row is one example: divide by X.sum(dim=1, keepdim=True)"),
    "no_keepdim": (
        "`X.sum(dim=1)` has shape (N,) and broadcasting lines it up with the last axis of X: an error, or with N == D the wrong sums",
        "keep the reduced axis with keepdim=True: the sums then have shape (N, 1) and stretch along each row"),
    "mean_not_sum": (
        "dividing by the row mean instead of the row sum makes every row sum to D, not 1",
        "divide by the row sum, X.sum(dim=1, keepdim=True); the mean is that sum divided by D"),
    "divide_by_max": (
        "dividing by the row maximum scales the largest entry to 1, but the row then sums to more than 1",
        "normalise by the row total, X.sum(dim=1, keepdim=True), not by .max(...).values"),
    "ex01_row_normalize-in_place": (
        "`X /= ...` divides in place, so the caller's tensor X is changed",
        "compute a new tensor with `/` instead of `/=`"),
    "reshape_uses_D": (
        "the row sums are reshaped to (D, 1) with X.shape[1], but there are N of them: this fails whenever N != D",
        "use X.shape[0] (N), or simply keepdim=True, which gives the (N, 1) shape directly"),
    "to_float32": (
        "`.float()` turns a float64 input into a float32 result, but the output must keep the dtype of X",
        "drop the `.float()`: X / X.sum(dim=1, keepdim=True) already has the dtype of X"),
    # ex02 standardize
    "ex02_standardize-wrong_axis": (
        "the mean and std are taken along dim=1, one per row, but every column (feature) needs its own mean and std",
        "reduce over the examples with dim=0: X.mean(dim=0) and X.std(dim=0, correction=0) give one value per column"),
    "unbiased_std": (
        "`X.std(dim=0)` divides by N - 1 (the sample std), so the columns come out with std sqrt(N/(N-1)) instead of 1",
        "ask for the population std, which divides by N: X.std(dim=0, correction=0)"),
    "no_centering": (
        "the column means are never subtracted, so the columns are rescaled but their means are not 0",
        "subtract the column means before dividing: (X - mu) / sigma"),
    "global_stats": (
        "one mean and one std of the whole tensor are used, so columns on different scales do not each get mean 0 and std 1",
        "take the statistics per column with dim=0: X.mean(dim=0) and X.std(dim=0, correction=0)"),
    "ex02_standardize-in_place": (
        "`X -= ...` and `X /= ...` work in place, so the caller's tensor X is changed",
        "build a new tensor with `-` and `/`: (X - mu) / sigma"),
    "reshape_uses_N": (
        "the column means are reshaped to (1, N) with X.shape[0], but there are D of them: this fails whenever N != D",
        "no reshape is needed: X.mean(dim=0) has shape (D,) and broadcasts over the rows"),
    "ex02_standardize-returns_float64": (
        "`X.double()` makes the result float64 even for a float32 X, but the output must keep the dtype of X",
        "compute with X itself; if you work in float64 inside, convert the result back with .to(X.dtype)"),
    # ex03 images_to_chw
    "reshape_not_permute": (
        "reshape keeps the pixels in their HWC memory order and only re-cuts them, so channels and positions get mixed up",
        "move the channel axis with images.permute(0, 3, 1, 2), then call .contiguous()"),
    "wrong_permutation": (
        "permute(0, 3, 2, 1) gives (N, C, W, H): height and width are swapped",
        "keep H before W: images.permute(0, 3, 1, 2)"),
    "no_scaling": (
        "the pixels are converted to float32 but not divided by 255, so the values run up to 255 instead of lying in [0, 1]",
        "divide the float32 tensor by 255"),
    "ex03_images_to_chw-integer_division": (
        "`// 255` on the uint8 pixels rounds down, so every pixel below 255 becomes 0",
        "convert to float32 first, then use true division: .to(torch.float32) / 255"),
    "not_contiguous": (
        "permute only changes the strides, so the result is not contiguous in memory (.is_contiguous() is False)",
        "call .contiguous() on the permuted tensor"),
    "stays_uint8": (
        "the result stays uint8 with values 0 to 255: it is neither converted to float32 nor scaled to [0, 1]",
        "convert with .to(torch.float32) and divide by 255"),
    "ex03_images_to_chw-returns_float64": (
        "the pixels are converted to float64, but the output must be float32, the dtype networks expect",
        "convert with .to(torch.float32) (or .float()) before dividing by 255"),
    "converts_input_data": (
        "assigning to images.data converts the caller's tensor: after the call their uint8 images hold floats divided by 255",
        "leave images alone: permute, .contiguous() and .to(torch.float32) / 255 each return a new tensor"),
    # ex04 class_means
    "stack_wrong_axis": (
        "torch.stack(means, dim=1) puts the classes in the columns, giving shape (D, K) instead of (K, D)",
        "stack along a new first axis, dim=0, so that row k is the mean of class k"),
    "cat_not_stack": (
        "torch.cat joins the K mean vectors end to end into one (K*D,) vector instead of K rows",
        "use torch.stack(means, dim=0), which adds a new axis and gives (K, D)"),
    "sum_not_mean": (
        "each row is the sum of the class's examples, not their mean, so it grows with the number of examples in the class",
        "average the rows of the class with X[y == k].mean(dim=0)"),
    "divide_by_N": (
        "the class sum is divided by the total number of examples N, not by the number of examples in class k",
        "divide by the class count, (y == k).sum(), or simply use X[y == k].mean(dim=0)"),
    "mean_wrong_axis": (
        "`X[y == k].mean(dim=1)` averages the features of each example, one number per row, not one mean vector of length D",
        "average over the rows of the class: X[y == k].mean(dim=0) has shape (D,)"),
    "index_not_mask": (
        "`X[y[k]]` picks the one row whose index is the label of example k; it does not gather the rows of class k",
        "select the rows of class k with the boolean mask y == k, then average them over dim=0"),
    "reuses_X_storage": (
        "`M = X[:K]` is a view of X, so writing the means into M overwrites the first K rows of the caller's X",
        "collect the K means in a list and torch.stack them, or fill a new torch.zeros(K, D, dtype=X.dtype, device=X.device)"),
    "ex04_class_means-returns_float64": (
        "`.double()` makes the means float64 even for a float32 X, but the output must keep the dtype of X",
        "take the mean of X[y == k] directly, or convert the result back with .to(X.dtype)"),
    # ex05 accuracy
    "argmax_wrong_axis": (
        "argmax(dim=0) finds, for each class, the example with the largest score, not the predicted class of each example",
        "the classes run along dim=1: logits.argmax(dim=1) gives one prediction per row, shape (N,)"),
    "ex05_accuracy-integer_division": (
        "`// len(y)` rounds the count of correct predictions down, so any accuracy below 1 becomes 0 (an int, too)",
        "use true division `/`, or average the matches: convert them with .float() and take .mean().item()"),
    "count_not_fraction": (
        "the number of correct predictions is returned, not the fraction of the N examples they make up",
        "average the matches instead of adding them up: .float().mean().item()"),
    "returns_tensor": (
        "a one-element tensor is returned instead of a Python float",
        "finish with .item() to turn it into a float"),
    "compares_max_value": (
        "logits.max(dim=1).values are the largest scores themselves, compared with the labels, not the index of the largest score",
        "the predicted class is the position of the maximum: logits.argmax(dim=1) (or .max(dim=1).indices)"),
    "flat_argmax": (
        "logits.argmax() without dim flattens the (N, K) logits and returns one index, which is compared with every label",
        "take the argmax of every row with dim=1: one predicted class per example"),
    "shifts_logits_in_place": (
        "`logits -= ...` works in place, so the caller's logits are changed",
        "skip the shift: it does not change the argmax, so use logits.argmax(dim=1) on the logits as given"),
    # ex06 one_hot
    "int_dtype": (
        "`F.one_hot` returns int64, but the one-hot rows must be float32 to go into a loss",
        "convert with .float(), or fill torch.zeros(N, K, device=y.device) yourself"),
    "infers_K": (
        "`F.one_hot(y)` without the number of classes makes y.max() + 1 columns, too few when the last classes are missing from y",
        "pass K: F.one_hot(y, K), then .float()"),
    "transposed": (
        "returning Y.T gives shape (K, N): one column per example instead of one row",
        "return Y itself, shape (N, K), one row per label"),
    "forgot_row_index": (
        "`Y[:, y] = 1` fills whole columns: every row gets a 1 in the column of every label that appears anywhere in y",
        "set one entry per row: index the rows with torch.arange(N, device=y.device) and the columns with y"),
    "bool_dtype": (
        "the comparison y[:, None] == torch.arange(K) gives a bool tensor, not float32",
        "convert the comparison with .float() (or .to(torch.float32))"),
    "unsqueezes_y_in_place": (
        "y.unsqueeze_(1) reshapes the caller's labels in place, from (N,) to (N, 1)",
        "use y.unsqueeze(1) or y[:, None], which return a new view and leave y as it was"),
    # ex07 to_tensor
    "from_numpy_float": (
        "torch.from_numpy shares the array's memory, and .float() of a float32 tensor is that same tensor, so the two stay linked",
        "make a copy: torch.tensor(array, dtype=torch.float32, device=device) always allocates new memory"),
    "as_tensor_shares": (
        "torch.as_tensor reuses the array's memory when no conversion is needed (a float32 array on the CPU), so changes leak",
        "use torch.tensor(array, dtype=torch.float32, device=device), which always copies"),
    "keeps_numpy_dtype": (
        "without dtype=torch.float32 the tensor keeps the array's dtype: float64, int64, uint8 or bool",
        "ask for dtype=torch.float32 in torch.tensor(...), whatever the array's dtype"),
    "returns_numpy": (
        "a NumPy array is returned, not a torch.Tensor, and it is not on the requested device",
        "build a tensor with torch.tensor(array, dtype=torch.float32, device=device)"),
    "from_numpy_no_cast": (
        "torch.from_numpy(array) keeps the array's dtype and shares its memory",
        "use torch.tensor(array, dtype=torch.float32, device=device): it converts and always copies"),
    "ignores_device": (
        "the tensor is created on the CPU whatever device is asked for",
        "pass device=device to torch.tensor"),
}
