"""Plausible wrong answers to lab11_convolution_pooling; each must lose exactly its own exercise's points."""
from exercises.contracts import Contract, Float, Int, OneOf, Opt, Seq, T
from exercises.mutants import Alternative, Mutant

_MAX_POOL_SQUARE = '''def max_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    N, C, H, W = x.shape
    H_out = (H - k) // s + 1
    out = torch.empty(N, C, H_out, H_out, dtype=x.dtype, device=x.device)   # W_out taken from H
    for i in range(H_out):
        for j in range(H_out):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].amax(dim=(-2, -1))
    return out
'''

_AVG_POOL_SQUARE = '''def avg_pool2d(x, kernel_size, stride=None, padding=0):
    k = kernel_size
    s = k if stride is None else stride
    N, C, H, W = x.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    ones = F.pad(torch.ones_like(x), (padding, padding, padding, padding))
    H_out = (H + 2 * padding - k) // s + 1
    out = torch.empty(N, C, H_out, H_out, dtype=x.dtype, device=x.device)   # W_out taken from H
    for i in range(H_out):
        for j in range(H_out):
            window = (slice(None), slice(None), slice(i * s, i * s + k), slice(j * s, j * s + k))
            out[:, :, i, j] = xp[window].sum(dim=(-2, -1)) / ones[window].sum(dim=(-2, -1))
    return out
'''

MUTANTS = [
    # ex01 conv_output_size
    Mutant("ex01_conv_output_size", "no_floor", replace=(("(n + 2 * p - k) // s + 1", "(n + 2 * p - k) / s + 1"),)),
    Mutant("ex01_conv_output_size", "missing_plus_one", replace=(("(n + 2 * p - k) // s + 1", "(n + 2 * p - k) // s"),)),
    Mutant("ex01_conv_output_size", "padding_one_side", replace=(("n + 2 * p - k", "n + p - k"),)),
    Mutant("ex01_conv_output_size", "ceil_not_floor", replace=(("(n + 2 * p - k) // s + 1", "-(-(n + 2 * p - k) // s) + 1"),)),
    Mutant("ex01_conv_output_size", "stride_ignored", replace=(("(n + 2 * p - k) // s + 1", "(n + 2 * p - k) + 1"),)),
    # ex02 conv2d_loops
    Mutant("ex02_conv2d_loops", "flipped_kernel", replace=(("(patch * w[k]).sum()", "(patch * w[k].flip(-2, -1)).sum()"),)),
    Mutant("ex02_conv2d_loops", "off_by_one_padding", replace=(("xp = F.pad(x, (padding, padding, padding, padding))",
                                                                 "xp = F.pad(x, (0, padding, 0, padding))"),
                                                                ("H + 2 * padding", "H + padding"), ("W_in + 2 * padding", "W_in + padding"))),
    Mutant("ex02_conv2d_loops", "stride_ignored_in_patch", replace=(("xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw]",
                                                                      "xp[:, i:i + kh, j:j + kw]"),)),
    Mutant("ex02_conv2d_loops", "bias_missing", replace=(("y[k] += b[k]", "pass"),)),
    Mutant("ex02_conv2d_loops", "bias_to_every_channel", replace=(("y[k] += b[k]", "y += b[k]"),)),
    Mutant("ex02_conv2d_loops", "channels_not_summed", replace=(("(patch * w[k]).sum()", "(patch[0] * w[k, 0]).sum()"),)),
    Mutant("ex02_conv2d_loops", "no_channel_check", replace=(("if C_w != C:", "if False:"),)),
    Mutant("ex02_conv2d_loops", "missing_plus_one", replace=(("// stride + 1", "// stride"),)),
    # square-only / transposed shapes
    Mutant("ex02_conv2d_loops", "square_only", replace=(("W_out = (W_in + 2 * padding - kw) // stride + 1", "W_out = H_out"),)),
    Mutant("ex02_conv2d_loops", "kernel_width_from_height", replace=(("K, C_w, kh, kw = w.shape", "K, C_w, kh, _ = w.shape\n    kw = kh"),)),
    Mutant("ex02_conv2d_loops", "height_width_swapped", replace=(("C, H, W_in = x.shape", "C, W_in, H = x.shape"),)),
    Mutant("ex02_conv2d_loops", "uses_conv2d", breaks="forbids:torch.nn.functional.conv2d", source=(
        "def conv2d_loops(x, w, b=None, stride=1, padding=0):\n"
        "    if w.shape[1] != x.shape[0]:\n"
        "        raise ValueError('channel mismatch')\n"
        "    return F.conv2d(x[None], w, b, stride=stride, padding=padding)[0]\n")),
    Mutant("ex02_conv2d_loops", "adds_batch_axis_in_place", breaks="no_mutation", replace=((
        "    xp = F.pad(x, (padding, padding, padding, padding))\n",
        "    x.unsqueeze_(0)               # F.pad on a batch of one (in place: the caller's x changes shape)\n"
        "    xp = F.pad(x, (padding, padding, padding, padding))[0]\n"),)),
    # ex03 conv2d_im2col
    Mutant("ex03_conv2d_im2col", "flipped_kernel", replace=(("w.reshape(K, -1) @ cols", "w.flip(-2, -1).reshape(K, -1) @ cols"),)),
    Mutant("ex03_conv2d_im2col", "weights_flattened_channels_last", replace=(("w.reshape(K, -1) @ cols",
                                                                              "w.permute(0, 2, 3, 1).reshape(K, -1) @ cols"),)),
    Mutant("ex03_conv2d_im2col", "output_transposed", replace=(("return y.reshape(N, K, H_out, W_out)",
                                                                "return y.reshape(N, K, W_out, H_out).transpose(2, 3)"),)),
    Mutant("ex03_conv2d_im2col", "bias_missing", replace=(("y = y + b.view(1, K, 1)", "pass"),)),
    Mutant("ex03_conv2d_im2col", "stride_ignored", replace=(("padding=padding, stride=stride)", "padding=padding)"),
                                                             ("// stride + 1", "+ 1"))),
    Mutant("ex03_conv2d_im2col", "uses_conv2d", breaks="forbids:torch.nn.functional.conv2d", source=(
        "def conv2d_im2col(x, w, b=None, stride=1, padding=0):\n"
        "    return F.conv2d(x, w, b, stride=stride, padding=padding)\n")),
    Mutant("ex03_conv2d_im2col", "square_only", replace=(("W_out = (W_in + 2 * padding - kw) // stride + 1", "W_out = H_out"),)),
    Mutant("ex03_conv2d_im2col", "kernel_width_from_height", replace=(("K, _, kh, kw = w.shape", "K, _, kh, _ = w.shape\n    kw = kh"),)),
    Mutant("ex03_conv2d_im2col", "height_width_swapped", replace=(("N, C, H, W_in = x.shape", "N, C, W_in, H = x.shape"),)),
    Mutant("ex03_conv2d_im2col", "flattens_weights_with_resize_", breaks="no_mutation", replace=((
        "y = w.reshape(K, -1) @ cols", "y = w.resize_(K, w[0].numel()) @ cols"),)),
    # ex04 same_padding
    Mutant("ex04_same_padding", "k_minus_one", replace=(("return (k - 1) // 2", "return k - 1"),)),
    Mutant("ex04_same_padding", "half_rounded_up", replace=(("return (k - 1) // 2", "return (k + 1) // 2"),)),
    Mutant("ex04_same_padding", "no_even_check", replace=(("if k % 2 == 0:", "if False:"),)),
    Mutant("ex04_same_padding", "float_result", replace=(("return (k - 1) // 2", "return (k - 1) / 2"),)),
    # ex05 max_pool2d
    Mutant("ex05_max_pool2d", "default_stride_one", replace=(("s = k if stride is None else stride", "s = 1 if stride is None else stride"),)),
    Mutant("ex05_max_pool2d", "stride_ignored", replace=(("s = k if stride is None else stride", "s = k"),)),
    Mutant("ex05_max_pool2d", "pools_over_channels", replace=(("x.unfold(2, k, s).unfold(3, k, s)", "x.unfold(1, k, s).unfold(2, k, s)"),)),
    Mutant("ex05_max_pool2d", "mean_not_max", replace=(("windows.amax(dim=(-2, -1))", "windows.mean(dim=(-2, -1))"),)),
    Mutant("ex05_max_pool2d", "max_of_abs", replace=(("windows.amax(dim=(-2, -1))", "windows.abs().amax(dim=(-2, -1))"),)),
    Mutant("ex05_max_pool2d", "square_only", source=_MAX_POOL_SQUARE),
    Mutant("ex05_max_pool2d", "unfolds_height_twice", replace=(("x.unfold(2, k, s).unfold(3, k, s)", "x.unfold(2, k, s).unfold(2, k, s)"),)),
    Mutant("ex05_max_pool2d", "uses_max_pool2d", breaks="forbids:torch.nn.functional.max_pool2d", source=(
        "def max_pool2d(x, kernel_size, stride=None):\n"
        "    return F.max_pool2d(x, kernel_size, stride)\n")),
    Mutant("ex05_max_pool2d", "shifts_input_in_place", breaks="no_mutation", source=(
        "def max_pool2d(x, kernel_size, stride=None):\n"
        "    k = kernel_size\n"
        "    s = k if stride is None else stride\n"
        "    low = x.min()\n"
        "    x -= low                      # make every value >= 0 first (in place: the caller's x changes)\n"
        "    return x.unfold(2, k, s).unfold(3, k, s).amax(dim=(-2, -1)) + low\n")),
    # ex06 avg_pool2d
    Mutant("ex06_avg_pool2d", "counts_padding", replace=(("return sums / counts", "return sums / (k * k)"),)),
    Mutant("ex06_avg_pool2d", "default_stride_one", replace=(("s = k if stride is None else stride", "s = 1 if stride is None else stride"),)),
    Mutant("ex06_avg_pool2d", "sum_not_mean", replace=(("return sums / counts", "return sums"),)),
    Mutant("ex06_avg_pool2d", "padding_one_side", replace=(("pad = (padding, padding, padding, padding)", "pad = (0, 2 * padding, 0, 2 * padding)"),)),
    Mutant("ex06_avg_pool2d", "stride_ignored", replace=(("s = k if stride is None else stride", "s = k"),)),
    Mutant("ex06_avg_pool2d", "square_only", source=_AVG_POOL_SQUARE),
    Mutant("ex06_avg_pool2d", "padding_height_only", replace=(("pad = (padding, padding, padding, padding)", "pad = (0, 0, padding, padding)"),)),
    Mutant("ex06_avg_pool2d", "uses_avg_pool2d", breaks="forbids:torch.nn.functional.avg_pool2d", source=(
        "def avg_pool2d(x, kernel_size, stride=None, padding=0):\n"
        "    return F.avg_pool2d(x, kernel_size, stride, padding, count_include_pad=False)\n")),
    Mutant("ex06_avg_pool2d", "ones_by_aliasing", breaks="no_mutation", replace=((
        "    counts = F.pad(torch.ones_like(x), pad)",
        "    ones = x                      # meant: a tensor of ones shaped like x\n"
        "    ones.fill_(1.0)\n"
        "    counts = F.pad(ones, pad)"),)),
    # ex07 to_model_input
    Mutant("ex07_to_model_input", "reshape_not_permute", replace=(("images.permute(0, 3, 1, 2)",
                                                                    "images.reshape(images.shape[0], images.shape[3], images.shape[1], images.shape[2])"),)),
    Mutant("ex07_to_model_input", "height_width_swapped", replace=(("images.permute(0, 3, 1, 2)", "images.permute(0, 3, 2, 1)"),)),
    Mutant("ex07_to_model_input", "not_scaled_to_unit", replace=((".to(torch.float32) / 255.0", ".to(torch.float32)"),)),
    Mutant("ex07_to_model_input", "divides_before_subtracting", replace=(("return (x - mean) / std", "return x - mean / std"),)),
    Mutant("ex07_to_model_input", "stats_along_width", replace=(("mean = torch.as_tensor(mean, dtype=torch.float32, device=x.device).reshape(-1, 1, 1)",
                                                                  "mean = torch.as_tensor(mean, dtype=torch.float32, device=x.device)"),
                                                                 ("std = torch.as_tensor(std, dtype=torch.float32, device=x.device).reshape(-1, 1, 1)",
                                                                  "std = torch.as_tensor(std, dtype=torch.float32, device=x.device)"))),
    Mutant("ex07_to_model_input", "multiplies_by_std", replace=(("return (x - mean) / std", "return (x - mean) * std"),)),
    Mutant("ex07_to_model_input", "float64_result", replace=((".to(torch.float32) / 255.0", ".to(torch.float64) / 255.0"),
                                                             ("dtype=torch.float32, device=x.device).reshape(-1, 1, 1)\n    std",
                                                              "dtype=torch.float64, device=x.device).reshape(-1, 1, 1)\n    std"),
                                                             ("std = torch.as_tensor(std, dtype=torch.float32",
                                                              "std = torch.as_tensor(std, dtype=torch.float64"))),
    Mutant("ex07_to_model_input", "std_ignored", replace=(("return (x - mean) / std", "return x - mean"),)),
    Mutant("ex07_to_model_input", "channels_from_width", replace=(("images.permute(0, 3, 1, 2)", "images.permute(0, 2, 1, 3)"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_conv_output_size", "math_floor", source=(
        "import math\n\n\n"
        "def conv_output_size(n, k, s=1, p=0):\n"
        "    return math.floor((n + 2 * p - k) / s) + 1\n")),
    Alternative("ex02_conv2d_loops", "loops_over_kernel_offsets_einsum", source=(
        "def conv2d_loops(x, w, b=None, stride=1, padding=0):\n"
        "    C, H, W = x.shape\n"
        "    K, C_w, kh, kw = w.shape\n"
        "    if C_w != C:\n"
        "        raise ValueError('w and x disagree on the number of channels')\n"
        "    xp = F.pad(x, (padding, padding, padding, padding))\n"
        "    H_out = (H + 2 * padding - kh) // stride + 1\n"
        "    W_out = (W + 2 * padding - kw) // stride + 1\n"
        "    y = torch.zeros(K, H_out, W_out, dtype=x.dtype, device=x.device)\n"
        "    for u in range(kh):\n"
        "        for v in range(kw):\n"
        "            shifted = xp[:, u:u + stride * (H_out - 1) + 1:stride, v:v + stride * (W_out - 1) + 1:stride]\n"
        "            y = y + torch.einsum('kc,chw->khw', w[:, :, u, v], shifted)\n"
        "    if b is not None:\n"
        "        y = y + b.view(K, 1, 1)\n"
        "    return y\n")),
    # (an einsum answer, torch.einsum('kd,ndl->nkl', ...), is right too and keeps every test point, but returns a
    # non-contiguous tensor, which the grader's probes reject: see the lab-owner report)
    Alternative("ex03_conv2d_im2col", "per_image_matmul_float64", source=(
        "def conv2d_im2col(x, w, b=None, stride=1, padding=0):\n"
        "    N, C, H, W = x.shape\n"
        "    K, _, kh, kw = w.shape\n"
        "    H_out = (H + 2 * padding - kh) // stride + 1\n"
        "    W_out = (W + 2 * padding - kw) // stride + 1\n"
        "    cols = F.unfold(x.double(), (kh, kw), padding=padding, stride=stride)\n"
        "    flat = w.double().reshape(K, C * kh * kw)\n"
        "    y = torch.stack([flat @ cols[n] for n in range(N)])\n"
        "    if b is not None:\n"
        "        y = y + b.double()[None, :, None]\n"
        "    return y.reshape(N, K, H_out, W_out).to(x.dtype)\n")),
    Alternative("ex04_same_padding", "half_floor", source=(
        "def same_padding(k):\n"
        "    if k % 2 != 1:\n"
        "        raise ValueError('same padding needs an odd kernel')\n"
        "    return k // 2\n")),
    Alternative("ex05_max_pool2d", "f_unfold_per_channel", source=(
        "def max_pool2d(x, kernel_size, stride=None):\n"
        "    N, C, H, W = x.shape\n"
        "    k = kernel_size\n"
        "    s = stride or k\n"
        "    cols = F.unfold(x.reshape(N * C, 1, H, W), k, stride=s)     # (N*C, k*k, L)\n"
        "    H_out, W_out = (H - k) // s + 1, (W - k) // s + 1\n"
        "    return cols.amax(dim=1).reshape(N, C, H_out, W_out)\n")),
    Alternative("ex05_max_pool2d", "loops", source=(
        "def max_pool2d(x, kernel_size, stride=None):\n"
        "    k = kernel_size\n"
        "    s = k if stride is None else stride\n"
        "    N, C, H, W = x.shape\n"
        "    H_out, W_out = (H - k) // s + 1, (W - k) // s + 1\n"
        "    out = torch.empty(N, C, H_out, W_out, dtype=x.dtype, device=x.device)\n"
        "    for i in range(H_out):\n"
        "        for j in range(W_out):\n"
        "            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].amax(dim=(-2, -1))\n"
        "    return out\n")),
    Alternative("ex06_avg_pool2d", "f_unfold_counts", source=(
        "def avg_pool2d(x, kernel_size, stride=None, padding=0):\n"
        "    N, C, H, W = x.shape\n"
        "    k = kernel_size\n"
        "    s = k if stride is None else stride\n"
        "    H_out = (H + 2 * padding - k) // s + 1\n"
        "    W_out = (W + 2 * padding - k) // s + 1\n"
        "    sums = F.unfold(x.reshape(N * C, 1, H, W), k, padding=padding, stride=s).sum(dim=1)\n"
        "    ones = torch.ones(1, 1, H, W, dtype=x.dtype, device=x.device)\n"
        "    counts = F.unfold(ones, k, padding=padding, stride=s).sum(dim=1)\n"
        "    return (sums / counts).reshape(N, C, H_out, W_out)\n")),
    Alternative("ex07_to_model_input", "float_then_permute_view", source=(
        "def to_model_input(images, mean, std):\n"
        "    x = images.float().div(255).permute(0, 3, 1, 2)\n"
        "    m = torch.tensor(mean, dtype=torch.float32, device=images.device).view(1, -1, 1, 1)\n"
        "    s = torch.tensor(std, dtype=torch.float32, device=images.device).view(1, -1, 1, 1)\n"
        "    return ((x - m) / s).contiguous()\n")),
]

_STAT = OneOf(Float(), Seq(Float(), min_len=1))

CONTRACTS = [
    Contract("ex01_conv_output_size", "conv_output_size", {"n": Int(lo=1), "k": Int(lo=1), "s": Int(lo=1), "p": Int(lo=0)},
             returns=Int(lo=1)),
    Contract("ex02_conv2d_loops", "conv2d_loops",
             # w's channel axis is not tied to x's: a hidden test checks the ValueError for a mismatch
             {"x": T("C", "H", "W", dtype="float"), "w": T("K", None, "kh", "kw", dtype="float"),
              "b": Opt(T("K", dtype="float")), "stride": Int(lo=1), "padding": Int(lo=0)},
             returns=T("K", None, None, dtype="float"),
             rules=("device", "no_mutation", "forbids:torch.nn.functional.conv2d"), batch=None, diverse="x",
             why_not="one image: x is (C, H, W), with no batch axis"),
    Contract("ex03_conv2d_im2col", "conv2d_im2col",
             {"x": T("N", "C", "H", "W", dtype="float"), "w": T("K", "C", "kh", "kw", dtype="float"),
              "b": Opt(T("K", dtype="float")), "stride": Int(lo=1), "padding": Int(lo=0)},
             returns=T("N", "K", None, None, dtype="float"),
             rules=("device", "no_mutation", "forbids:torch.nn.functional.conv2d"), batch="x"),
    Contract("ex04_same_padding", "same_padding", {"k": Int(lo=1)}, returns=Int(lo=0)),
    Contract("ex05_max_pool2d", "max_pool2d", {"x": T("N", "C", "H", "W", dtype="float"), "kernel_size": Int(lo=1),
                                               "stride": Opt(Int(lo=1))},
             returns=T("N", "C", None, None, dtype="float"),
             rules=("device", "no_mutation", "forbids:torch.nn.functional.max_pool2d"), batch="x"),
    Contract("ex06_avg_pool2d", "avg_pool2d", {"x": T("N", "C", "H", "W", dtype="float"), "kernel_size": Int(lo=1),
                                               "stride": Opt(Int(lo=1)), "padding": Int(lo=0)},
             returns=T("N", "C", None, None, dtype="float"),
             rules=("device", "no_mutation", "forbids:torch.nn.functional.avg_pool2d"), batch="x"),
    Contract("ex07_to_model_input", "to_model_input", {"images": T("N", "H", "W", "C", dtype="uint8"), "mean": _STAT, "std": _STAT},
             returns=T("N", "C", "H", "W", dtype="float32"), rules=("device",), batch="images"),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 conv_output_size
    "no_floor": ("uses `/`, which returns a float (and a fraction such as 2.5 when the stride does not divide evenly), not an int count",
                 "use floor division: `(n + 2 * p - k) // s + 1` stays an int and drops a last window that would not fit"),
    "ex01_conv_output_size-missing_plus_one": ("leaves out the `+ 1` for the first window, the one at position 0, so the count is one too small",
                                               "count the starting window too: `(n + 2 * p - k) // s + 1`"),
    "ex01_conv_output_size-padding_one_side": ("adds the padding once (`n + p`), but `p` zeros go on each side, so the padded length is `n + 2*p`",
                                               "use `n + 2 * p - k` in the numerator"),
    "ceil_not_floor": ("rounds the division up, which counts a last window that sticks out past the end of the padded input",
                       "round down with `//`: only windows that fit entirely count"),
    "ex01_conv_output_size-stride_ignored": ("never divides by the stride `s`, as if the window always moved one step, so the size is too large for s > 1",
                                             "divide the free length by the stride before adding 1: `(n + 2 * p - k) // s + 1`"),
    # ex02 conv2d_loops
    "ex02_conv2d_loops-flipped_kernel": ("flips the kernel before multiplying (true convolution), but PyTorch computes a cross-correlation: no flip",
                                         "multiply each patch by `w[k]` as it is: the top-left weight goes with the top-left pixel of the patch"),
    "off_by_one_padding": ("pads only the right and bottom edges, `F.pad(x, (0, p, 0, p))`, so the image is shifted and the output is too small",
                           "pad every side: `F.pad(x, (padding, padding, padding, padding))`, and use `H + 2 * padding` in the output size"),
    "stride_ignored_in_patch": ("the patch for output `(i, j)` starts at row `i`, column `j`, so with stride > 1 it reads the wrong pixels",
                                "start the patch at row `i * stride` and column `j * stride`: `xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw]`"),
    "ex02_conv2d_loops-bias_missing": ("never adds the bias `b`, so every output channel is off by its bias",
                                       "when `b` is not None, add `b[k]` to every position of output channel `k`"),
    "bias_to_every_channel": ("`y += b[k]` adds channel k's bias to every output channel, not only to channel k, so biases pile up across channels",
                              "add each bias to its own channel only: `y[k] += b[k]`"),
    "channels_not_summed": ("multiplies only input channel 0 with the kernel's channel 0, so the other input channels never reach the output",
                            "sum `patch * w[k]` over all input channels and kernel positions: `patch` is (C, kh, kw), like `w[k]`"),
    "no_channel_check": ("does not raise `ValueError` when `w` expects a different number of channels than `x` has",
                         "compare `w.shape[1]` with `x.shape[0]` first and `raise ValueError(...)` when they differ"),
    "ex02_conv2d_loops-missing_plus_one": ("computes `H_out` and `W_out` without the `+ 1`, so the last row and column of the output are missing",
                                           "the output height is `(H + 2 * padding - kh) // stride + 1`, and the width the same with `W` and `kw`"),
    "ex02_conv2d_loops-square_only": ("sets `W_out = H_out`, so an image or kernel that is not square gets the wrong number of output columns",
                                      "compute the width on its own: `W_out = (W + 2 * padding - kw) // stride + 1`"),
    "ex02_conv2d_loops-kernel_width_from_height": ("uses the kernel's height as its width too (`kw = kh`), so a non-square kernel such as 3x2 gets the wrong patches",
                                                   "take both sizes from the weights: `K, C_w, kh, kw = w.shape`"),
    "ex02_conv2d_loops-height_width_swapped": ("unpacks `x.shape` as (C, W, H), so height and width trade places and a non-square image gets a wrong output",
                                               "`x` is (C, H, W): unpack `C, H, W = x.shape` and pair H with `kh`, W with `kw`"),
    "ex02_conv2d_loops-uses_conv2d": ("calls `F.conv2d`, which this exercise rules out: the point is to write the convolution yourself",
                                      "loop over output channels and positions and sum `patch * w[k]` yourself; `F.pad` is allowed for the padding"),
    "adds_batch_axis_in_place": ("`x.unsqueeze_(0)` changes the caller's tensor `x` in place: after the call it has an extra batch axis",
                                 "`F.pad` works on a (C, H, W) tensor as it is; if you want a batch axis, `x[None]` or `x.unsqueeze(0)` return a new view"),
    # ex03 conv2d_im2col
    "ex03_conv2d_im2col-flipped_kernel": ("flips the kernel before flattening it (true convolution), but PyTorch computes a cross-correlation: no flip",
                                          "flatten the filters as they are: `w.reshape(K, -1)`"),
    "weights_flattened_channels_last": ("flattens each filter in (kh, kw, C) order, but `F.unfold` lays a patch out in (C, kh, kw) order, so weights meet wrong pixels",
                                        "flatten `w` in its own (C, kh, kw) order, `w.reshape(K, -1)`, without permuting"),
    "output_transposed": ("reads the L positions as (W_out, H_out) and transposes, but `F.unfold` orders them row by row, so the output is scrambled",
                          "reshape straight to `(N, K, H_out, W_out)`: the positions come in row-major order"),
    "ex03_conv2d_im2col-bias_missing": ("never adds the bias `b`, so every output channel is off by its bias",
                                        "when `b` is not None, add it per output channel, broadcast over the batch and the positions: `y + b.view(1, K, 1)`"),
    "ex03_conv2d_im2col-stride_ignored": ("passes no stride to `F.unfold` and leaves it out of the output size, so with stride > 1 you get the stride-1 result",
                                          "pass `stride=stride` to `F.unfold` and divide by it in the size: `(H + 2 * padding - kh) // stride + 1`"),
    "ex03_conv2d_im2col-uses_conv2d": ("calls `F.conv2d`, which this exercise rules out: the point is to build the convolution from im2col yourself",
                                       "cut the patches with `F.unfold(x, (kh, kw), padding=padding, stride=stride)` and multiply by `w.reshape(K, -1)`"),
    "ex03_conv2d_im2col-square_only": ("sets `W_out = H_out`, so for an image or kernel that is not square the final reshape gets the wrong shape or fails",
                                       "compute the width on its own: `W_out = (W + 2 * padding - kw) // stride + 1`"),
    "ex03_conv2d_im2col-kernel_width_from_height": ("uses the kernel's height as its width too (`kw = kh`), so a non-square kernel such as 3x2 gets the wrong patches",
                                                    "take both sizes from the weights, `K, _, kh, kw = w.shape`, and unfold with `(kh, kw)`"),
    "ex03_conv2d_im2col-height_width_swapped": ("unpacks `x.shape` as (N, C, W, H), so height and width trade places and a non-square image gets a wrong output",
                                                "`x` is (N, C, H, W): unpack `N, C, H, W = x.shape` and pair H with `kh`, W with `kw`"),
    "flattens_weights_with_resize_": ("`w.resize_(...)` reshapes the caller's weight tensor in place: after the call their `w` is no longer (K, C, kh, kw)",
                                      "use `w.reshape(K, -1)`, which returns a new view and leaves `w` as it was"),
    # ex04 same_padding
    "k_minus_one": ("returns `k - 1`, the padding of both sides together, but the function returns the padding per side",
                    "solve `n + 2p - k + 1 = n` for p: half of `k - 1`, i.e. `(k - 1) // 2`"),
    "half_rounded_up": ("returns `(k + 1) // 2`, one more than needed on each side, so the output grows by 2 instead of keeping its size",
                        "per side you need `(k - 1) // 2`: 1 for k = 3, 2 for k = 5"),
    "no_even_check": ("returns a padding for an even `k` instead of raising `ValueError`: no symmetric padding keeps the size then",
                      "check `k % 2 == 0` first and `raise ValueError(...)`"),
    "float_result": ("uses `/`, so the padding comes back as a float (1.0), not an int",
                     "use floor division: `(k - 1) // 2`"),
    # ex05 max_pool2d
    "ex05_max_pool2d-default_stride_one": ("with `stride=None` the windows move one pixel at a time, but the default is `stride = kernel_size`",
                                           "set `s = kernel_size if stride is None else stride`: non-overlapping windows by default, as in PyTorch"),
    "ex05_max_pool2d-stride_ignored": ("always steps by `kernel_size` and ignores a `stride` passed in, so overlapping pooling (kernel 2, stride 1) comes out wrong",
                                       "use the given stride and fall back to the kernel size only when it is None: `s = k if stride is None else stride`"),
    "pools_over_channels": ("unfolds axes 1 and 2 (channels and height), so each window mixes neighbouring channels and the width is never pooled",
                            "pool the two spatial axes only: `x.unfold(2, k, s).unfold(3, k, s)`, then `amax` over the last two axes"),
    "mean_not_max": ("averages each window instead of taking its largest value",
                     "reduce each window with `amax(dim=(-2, -1))`"),
    "max_of_abs": ("takes the largest absolute value, so a strongly negative pixel wins and its sign is lost",
                   "take `amax` of the values themselves, without `abs()`"),
    "ex05_max_pool2d-square_only": ("uses `H_out` for the output width too, so an input with H != W gets the wrong number of columns",
                                    "compute `W_out = (W - k) // s + 1` on its own, or let `x.unfold(2, k, s).unfold(3, k, s)` give both sizes"),
    "unfolds_height_twice": ("unfolds axis 2 twice, so every window runs down the height only and the width is never pooled",
                             "unfold the height, then the width: `x.unfold(2, k, s).unfold(3, k, s)`"),
    "uses_max_pool2d": ("calls `F.max_pool2d`, which this exercise rules out: the point is to write the pooling yourself",
                        "cut the windows with `x.unfold(2, k, s).unfold(3, k, s)` and take `amax(dim=(-2, -1))`"),
    "shifts_input_in_place": ("`x -= low` changes the caller's tensor `x` in place: after the call every value of their input is shifted",
                              "no shift is needed, `amax` handles negative values; if you do transform `x`, write `x - low`, which makes a new tensor"),
    # ex06 avg_pool2d
    "counts_padding": ("divides every window's sum by `k * k`, so padded zeros count as pixels and windows on the border come out too small",
                       "divide by the real pixels per window: pool a zero-padded `torch.ones_like(x)` the same way and divide by those counts"),
    "ex06_avg_pool2d-default_stride_one": ("with `stride=None` the windows move one pixel at a time, but the default is `stride = kernel_size`",
                                           "set `s = kernel_size if stride is None else stride`: non-overlapping windows by default, as in PyTorch"),
    "sum_not_mean": ("returns each window's sum without dividing it, so it is not an average",
                     "divide the sums by the number of real pixels in each window (the same pooling of a padded tensor of ones)"),
    "ex06_avg_pool2d-padding_one_side": ("puts all `2 * padding` zeros on the right and bottom, so the windows are shifted and border pixels land in wrong windows",
                                         "pad each side by `padding`: `F.pad(x, (padding, padding, padding, padding))`, and the tensor of ones the same way"),
    "ex06_avg_pool2d-stride_ignored": ("always steps by `kernel_size` and ignores a `stride` passed in, so overlapping windows (kernel 2, stride 1) come out wrong",
                                       "use the given stride and fall back to the kernel size only when it is None: `s = k if stride is None else stride`"),
    "ex06_avg_pool2d-square_only": ("uses `H_out` for the output width too, so an input with H != W gets the wrong number of columns",
                                    "compute `W_out = (W + 2 * padding - k) // s + 1` on its own, or let `.unfold(2, k, s).unfold(3, k, s)` give both sizes"),
    "padding_height_only": ("`F.pad(x, (0, 0, p, p))` pads only the top and bottom, so the width is never padded and the output lacks columns",
                            "F.pad's tuple starts at the last axis, `(left, right, top, bottom)`: pad with `(padding, padding, padding, padding)`"),
    "uses_avg_pool2d": ("calls `F.avg_pool2d`, which this exercise rules out: the point is to write the pooling yourself",
                        "pad with `F.pad`, sum each window via `.unfold(2, k, s).unfold(3, k, s).sum(dim=(-2, -1))`, divide by the same sums of padded ones"),
    "ones_by_aliasing": ("`ones = x` makes no copy, so `ones.fill_(1.0)` overwrites the caller's tensor `x` with ones",
                         "make a new tensor of ones with `torch.ones_like(x)`"),
    # ex07 to_model_input
    "reshape_not_permute": ("uses `reshape` to turn (N, H, W, C) into (N, C, H, W): it keeps the memory order, so pixels and channels get scrambled",
                            "move the channel axis with `images.permute(0, 3, 1, 2)`"),
    "ex07_to_model_input-height_width_swapped": ("`permute(0, 3, 2, 1)` gives (N, C, W, H): each image comes out transposed, height and width swapped",
                                                 "keep the height before the width: `images.permute(0, 3, 1, 2)`"),
    "not_scaled_to_unit": ("never divides the bytes by 255, so the values stay on the 0-255 scale while `mean` and `std` are on the 0-1 scale",
                           "convert to float32 and divide by 255.0 before subtracting the mean"),
    "divides_before_subtracting": ("`x - mean / std` divides only the mean by the std (operator precedence), so `x` itself is never scaled",
                                   "put the subtraction in brackets: `(x - mean) / std`"),
    "stats_along_width": ("leaves `mean` and `std` of shape (C,), which broadcast along the last axis, the width, instead of the channels",
                          "reshape the statistics to `(C, 1, 1)` with `.reshape(-1, 1, 1)` so they broadcast over H and W"),
    "multiplies_by_std": ("multiplies by `std` instead of dividing by it, so the values are not standardised",
                          "divide: `(x - mean) / std`"),
    "float64_result": ("computes in float64 and returns a float64 tensor, but the model input must be float32",
                       "convert with `.to(torch.float32)` and make `mean` and `std` float32 tensors too"),
    "std_ignored": ("subtracts the mean but never divides by `std`, so the values are centred but not standardised",
                    "divide by the per-channel std after subtracting the mean: `(x - mean) / std`"),
    "channels_from_width": ("`permute(0, 2, 1, 3)` gives (N, W, H, C): the width lands on the channel axis and the channels stay last",
                            "bring axis 3, the channels, to position 1: `images.permute(0, 3, 1, 2)`"),
}
