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
