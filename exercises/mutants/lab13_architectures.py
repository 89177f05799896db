"""Plausible wrong answers to lab13_architectures; each must lose exactly its own exercise's points."""
from exercises.contracts import Bool, Contract, Float, Gen, Int, Mod, Opt, Seq, T
from exercises.mutants import Alternative, Mutant

CONV = "return k * k * c_in * c_out + (c_out if bias else 0)"
RF = "        r += (k - 1) * jump\n        jump *= s\n"
LRN = "return x / (k + alpha / size * window) ** beta"
PAD = "padded = F.pad(sq, (0, 0, 0, 0, size // 2, (size - 1) // 2))"
TOP = "top = int(torch.randint(0, H - size + 1, (1,), generator=generator))"
LEFT = "left = int(torch.randint(0, W - size + 1, (1,), generator=generator))"
FLIP = "out.append(crop.flip(-1) if flip else crop)"
DELTA = "delta = P @ (alpha.to(x) * lam)"
SHORTCUT_IF = "if stride != 1 or c_in != c_out:"
RET_BLOCK = "return F.relu(out + self.shortcut(x))"
CAT = "return torch.cat([x, self.conv(F.relu(self.bn(x)))], dim=1)"
FREEZE = "for p in model.features.parameters():"
COUNT = "return sum(p.numel() for p in model.parameters() if p.requires_grad)"

MUTANTS = [
    # ex01 conv_params / receptive_field
    Mutant("ex01_counts", "param_count_without_bias", replace=((CONV, "return k * k * c_in * c_out"),)),
    Mutant("ex01_counts", "bias_counted_always", replace=((CONV, "return k * k * c_in * c_out + c_out"),)),
    Mutant("ex01_counts", "kernel_counted_once", replace=((CONV, "return k * c_in * c_out + (c_out if bias else 0)"),)),
    Mutant("ex01_counts", "rf_ignores_strides", replace=((RF, "        r += k - 1\n"),)),
    Mutant("ex01_counts", "rf_jump_updated_too_early", replace=((RF, "        jump *= s\n        r += (k - 1) * jump\n"),)),
    Mutant("ex01_counts", "rf_sum_of_kernels", replace=((RF, "        r += k\n"),)),
    Mutant("ex01_counts", "library_conv_params", replace=((CONV, "from dlcourse.explorers.architectures import conv_params as lib\n"
                                                                 "    return lib(c_in, c_out, k, bias)"),),
           breaks="forbids:dlcourse.explorers.architectures.conv_params"),
    Mutant("ex01_counts", "library_receptive_field", source=(
        "def conv_params(c_in, c_out, k, bias=True):\n"
        "    return k * k * c_in * c_out + (c_out if bias else 0)\n\n\n"
        "def receptive_field(kernels, strides=None):\n"
        "    import dlcourse.explorers.architectures as arch\n"
        "    return arch.receptive_field(kernels, strides)\n"), breaks="forbids:dlcourse.explorers.architectures.receptive_field"),
    Mutant("ex01_counts", "library_imported_as_answer", source=(
        "from dlcourse.arch_viz import conv_params, receptive_field\n"), breaks="forbids:dlcourse.explorers.architectures.conv_params"),
    # ex02 local_response_norm
    Mutant("ex02_lrn", "alpha_not_divided_by_size", replace=((LRN, "return x / (k + alpha * window) ** beta"),)),
    Mutant("ex02_lrn", "window_off_centre", replace=((PAD, "padded = F.pad(sq, (0, 0, 0, 0, (size - 1) // 2, size // 2))"),)),
    Mutant("ex02_lrn", "abs_not_square", replace=(("sq = x * x", "sq = x.abs()"),)),
    Mutant("ex02_lrn", "window_over_width", replace=((PAD, "padded = F.pad(sq, (size // 2, (size - 1) // 2))"),
                                                      ("padded[:, i:i + C]", "padded[..., i:i + sq.shape[-1]]"))),
    Mutant("ex02_lrn", "power_missing", replace=((LRN, "return x / (k + alpha / size * window)"),)),
    Mutant("ex02_lrn", "uses_local_response_norm", source=(
        "def local_response_norm(x, size, alpha=1e-4, beta=0.75, k=1.0):\n"
        "    return F.local_response_norm(x, size, alpha, beta, k)\n"), breaks="forbids:torch.nn.functional.local_response_norm"),
    Mutant("ex02_lrn", "uses_the_layer", source=(
        "def local_response_norm(x, size, alpha=1e-4, beta=0.75, k=1.0):\n"
        "    return nn.LocalResponseNorm(size, alpha, beta, k)(x)\n"), breaks="forbids:torch.nn.functional.local_response_norm"),
    Mutant("ex02_lrn", "divides_in_place", replace=((LRN, "return x.div_((k + alpha / size * window) ** beta)"),), breaks="no_mutation"),
    Mutant("ex02_lrn", "window_from_H", replace=(("C = x.shape[1]", "C = x.shape[2]"),)),
    # ex03 random_crop_flip
    Mutant("ex03_crop_flip", "offset_off_by_one", replace=((TOP, TOP.replace("H - size + 1", "H - size")),
                                                           (LEFT, LEFT.replace("W - size + 1", "W - size")))),
    Mutant("ex03_crop_flip", "flip_vertical", replace=((FLIP, "out.append(crop.flip(-2) if flip else crop)"),)),
    Mutant("ex03_crop_flip", "flip_channels", replace=((FLIP, "out.append(crop.flip(0) if flip else crop)"),)),
    Mutant("ex03_crop_flip", "same_window_for_the_batch", source=(
        "def random_crop_flip(x, size, generator):\n"
        "    N, C, H, W = x.shape\n"
        "    top = int(torch.randint(0, H - size + 1, (1,), generator=generator))\n"
        "    left = int(torch.randint(0, W - size + 1, (1,), generator=generator))\n"
        "    flip = bool(torch.rand(1, generator=generator) < 0.5)\n"
        "    crop = x[:, :, top:top + size, left:left + size]\n"
        "    return crop.flip(-1) if flip else crop\n")),
    Mutant("ex03_crop_flip", "ignores_generator", replace=(
        (TOP, "top = int(torch.randint(0, H - size + 1, (1,)))"),
        (LEFT, "left = int(torch.randint(0, W - size + 1, (1,)))"),
        ("flip = bool(torch.rand(1, generator=generator) < 0.5)", "flip = bool(torch.rand(1) < 0.5)"))),
    Mutant("ex03_crop_flip", "left_drawn_first", replace=((TOP + "\n        " + LEFT, LEFT + "\n        " + TOP),)),
    Mutant("ex03_crop_flip", "uses_H_for_W", replace=((LEFT, LEFT.replace("W - size + 1", "H - size + 1")),)),
    Mutant("ex03_crop_flip", "flips_in_place", replace=((FLIP, "if flip:\n            crop.copy_(crop.flip(-1))\n        out.append(crop)"),),
           breaks="no_mutation"),
    # ex04 pca_color_jitter
    Mutant("ex04_pca_jitter", "pixels_mix_channels", replace=(("pixels = x.permute(0, 2, 3, 1).reshape(-1, 3)", "pixels = x.reshape(-1, 3)"),)),
    Mutant("ex04_pca_jitter", "eigenvalues_forgotten", replace=((DELTA, "delta = P @ alpha.to(x)"),)),
    Mutant("ex04_pca_jitter", "eigenvectors_as_rows", replace=((DELTA, "delta = P.T @ (alpha.to(x) * lam)"),)),
    Mutant("ex04_pca_jitter", "covariance_not_centred", replace=(("cov = torch.cov(pixels.T)", "cov = pixels.T @ pixels / (len(pixels) - 1)"),)),
    Mutant("ex04_pca_jitter", "sqrt_of_eigenvalues", replace=((DELTA, "delta = P @ (alpha.to(x) * lam.sqrt())"),)),
    Mutant("ex04_pca_jitter", "in_place", replace=(("return x + delta.view(1, 3, 1, 1)", "return x.add_(delta.view(1, 3, 1, 1))"),),
           breaks="no_mutation"),
    Mutant("ex04_pca_jitter", "biased_covariance", replace=(("cov = torch.cov(pixels.T)", "cov = torch.cov(pixels.T, correction=0)"),)),
    Mutant("ex04_pca_jitter", "covariance_of_pixels_not_channels", replace=(("cov = torch.cov(pixels.T)", "cov = torch.cov(pixels)"),)),
    # ex05 BasicBlock
    Mutant("ex05_basic_block", "shortcut_missing", replace=((RET_BLOCK, "return F.relu(out)"),)),
    Mutant("ex05_basic_block", "relu_before_addition", replace=((RET_BLOCK, "return F.relu(out) + self.shortcut(x)"),)),
    Mutant("ex05_basic_block", "projection_always", replace=((SHORTCUT_IF, "if True:"),)),
    Mutant("ex05_basic_block", "projection_never", replace=((SHORTCUT_IF, "if False:"),)),
    Mutant("ex05_basic_block", "projection_only_on_stride", replace=((SHORTCUT_IF, "if stride != 1:"),)),
    Mutant("ex05_basic_block", "stride_on_second_conv", replace=(
        ("self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)", "self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=1, padding=1, bias=False)"),
        ("self.conv2 = nn.Conv2d(c_out, c_out, 3, stride=1, padding=1, bias=False)", "self.conv2 = nn.Conv2d(c_out, c_out, 3, stride=stride, padding=1, bias=False)"))),
    Mutant("ex05_basic_block", "no_relu_between_convs", replace=(("out = F.relu(self.bn1(self.conv1(x)))", "out = self.bn1(self.conv1(x))"),)),
    Mutant("ex05_basic_block", "convs_with_bias", replace=(("padding=1, bias=False)", "padding=1)"),)),
    Mutant("ex05_basic_block", "projection_ignores_stride", replace=(("nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False)", "nn.Conv2d(c_in, c_out, 1, bias=False)"),)),
    # ex06 DenseLayer / DenseBlock
    Mutant("ex06_dense_block", "adds_instead_of_concatenating", source=(
        "class DenseLayer(nn.Module):\n"
        "    def __init__(self, c_in, growth):\n"
        "        super().__init__()\n"
        "        self.bn = nn.BatchNorm2d(c_in)\n"
        "        self.conv = nn.Conv2d(c_in, c_in, 3, padding=1, bias=False)\n"
        "    def forward(self, x):\n"
        "        return x + self.conv(F.relu(self.bn(x)))\n\n\n"
        "class DenseBlock(nn.Module):\n"
        "    def __init__(self, c0, num_layers, growth):\n"
        "        super().__init__()\n"
        "        self.layers = nn.ModuleList([DenseLayer(c0, growth) for i in range(num_layers)])\n"
        "    def forward(self, x):\n"
        "        for layer in self.layers:\n"
        "            x = layer(x)\n"
        "        return x\n")),
    Mutant("ex06_dense_block", "new_channels_first", replace=((CAT, "return torch.cat([self.conv(F.relu(self.bn(x))), x], dim=1)"),)),
    Mutant("ex06_dense_block", "keeps_only_new_features", source=(
        "class DenseLayer(nn.Module):\n"
        "    def __init__(self, c_in, growth):\n"
        "        super().__init__()\n"
        "        self.bn = nn.BatchNorm2d(c_in)\n"
        "        self.conv = nn.Conv2d(c_in, growth, 3, padding=1, bias=False)\n"
        "    def forward(self, x):\n"
        "        return self.conv(F.relu(self.bn(x)))\n\n\n"
        "class DenseBlock(nn.Module):\n"
        "    def __init__(self, c0, num_layers, growth):\n"
        "        super().__init__()\n"
        "        self.layers = nn.ModuleList([DenseLayer(c0 if i == 0 else growth, growth) for i in range(num_layers)])\n"
        "    def forward(self, x):\n"
        "        for layer in self.layers:\n"
        "            x = layer(x)\n"
        "        return x\n")),
    Mutant("ex06_dense_block", "conv_with_bias", replace=(("self.conv = nn.Conv2d(c_in, growth, 3, padding=1, bias=False)", "self.conv = nn.Conv2d(c_in, growth, 3, padding=1)"),)),
    Mutant("ex06_dense_block", "no_relu", replace=((CAT, "return torch.cat([x, self.conv(self.bn(x))], dim=1)"),)),
    Mutant("ex06_dense_block", "every_layer_gets_c0", replace=(("DenseLayer(c0 + i * growth, growth)", "DenseLayer(c0, growth)"),)),
    Mutant("ex06_dense_block", "concatenates_along_the_batch", replace=((CAT, "return torch.cat([x, self.conv(F.relu(self.bn(x)))], dim=0)"),)),
    # ex07 freeze_features
    Mutant("ex07_freeze", "freezes_the_head_too", replace=((FREEZE, "for p in model.parameters():"),)),
    Mutant("ex07_freeze", "counts_all_parameters", replace=((COUNT, "return sum(p.numel() for p in model.parameters())"),)),
    Mutant("ex07_freeze", "counts_tensors_not_elements", replace=((COUNT, "return sum(1 for p in model.parameters() if p.requires_grad)"),)),
    Mutant("ex07_freeze", "conv_weights_only", replace=((FREEZE, "for p in [m.weight for m in model.features if isinstance(m, nn.Conv2d)]:"),)),
    Mutant("ex07_freeze", "eval_instead_of_freezing", source=(
        "def freeze_features(model):\n"
        "    model.features.eval()\n"
        "    return sum(p.numel() for p in model.parameters() if p.requires_grad)\n")),
    Mutant("ex07_freeze", "freezes_the_head_not_the_features", replace=((FREEZE, "for p in model.head.parameters():"),)),
    Mutant("ex07_freeze", "counts_frozen_parameters", replace=((COUNT, "return sum(p.numel() for p in model.parameters() if not p.requires_grad)"),)),
    Mutant("ex07_freeze", "returns_a_tensor", replace=((COUNT, "return torch.tensor(sum(p.numel() for p in model.parameters() if p.requires_grad))"),)),
]

# Correct answers written another way: each must keep every point (the probes included).
ALTERNATIVES = [
    Alternative("ex01_counts", "bool_arithmetic_and_backward_recursion", source=(
        "def conv_params(c_in, c_out, k, bias=True):\n"
        "    return int(k ** 2 * c_in * c_out + bool(bias) * c_out)\n\n\n"
        "def receptive_field(kernels, strides=None):\n"
        "    strides = list(strides) if strides is not None else [1] * len(kernels)\n"
        "    r = 1\n"
        "    for k, s in reversed(list(zip(kernels, strides))):\n"
        "        r = s * r + (k - s)\n"
        "    return r\n")),
    Alternative("ex02_lrn", "loop_over_channels", source=(
        "def local_response_norm(x, size, alpha=1e-4, beta=0.75, k=1.0):\n"
        "    C = x.shape[1]\n"
        "    out = []\n"
        "    for c in range(C):\n"
        "        lo, hi = max(0, c - size // 2), min(C, c + (size - 1) // 2 + 1)\n"
        "        s = (x[:, lo:hi] ** 2).sum(dim=1)\n"
        "        out.append(x[:, c] / (k + alpha / size * s) ** beta)\n"
        "    return torch.stack(out, dim=1)\n")),
    Alternative("ex03_crop_flip", "preallocated_output", source=(
        "def random_crop_flip(x, size, generator):\n"
        "    N, C, H, W = x.shape\n"
        "    out = x.new_empty((N, C, size, size))\n"
        "    for i in range(N):\n"
        "        t = torch.randint(0, H - size + 1, (1,), generator=generator).item()\n"
        "        l = torch.randint(0, W - size + 1, (1,), generator=generator).item()\n"
        "        f = torch.rand(1, generator=generator).item() < 0.5\n"
        "        crop = x[i, :, t:t + size, l:l + size]\n"
        "        out[i] = torch.flip(crop, dims=[2]) if f else crop\n"
        "    return out\n")),
    Alternative("ex04_pca_jitter", "movedim_and_einsum", source=(
        "def pca_color_jitter(x, alpha):\n"
        "    pixels = x.movedim(1, -1).reshape(-1, 3)\n"
        "    lam, P = torch.linalg.eigh(torch.cov(pixels.T))\n"
        "    delta = torch.einsum('ij,j->i', P, alpha.to(device=x.device, dtype=x.dtype) * lam)\n"
        "    return x + delta[None, :, None, None]\n")),
    Alternative("ex05_basic_block", "identity_module_and_add", source=(
        "class BasicBlock(nn.Module):\n"
        "    def __init__(self, c_in, c_out, stride=1):\n"
        "        super().__init__()\n"
        "        self.conv1 = nn.Conv2d(c_in, c_out, kernel_size=3, stride=stride, padding=1, bias=False)\n"
        "        self.bn1 = nn.BatchNorm2d(c_out)\n"
        "        self.conv2 = nn.Conv2d(c_out, c_out, kernel_size=3, padding=1, bias=False)\n"
        "        self.bn2 = nn.BatchNorm2d(c_out)\n"
        "        self.shortcut = nn.Identity()\n"
        "        if stride > 1 or c_out != c_in:\n"
        "            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, kernel_size=1, stride=stride, bias=False),\n"
        "                                          nn.BatchNorm2d(c_out))\n\n"
        "    def forward(self, x):\n"
        "        out = self.bn2(self.conv2(self.bn1(self.conv1(x)).relu()))\n"
        "        out = out + self.shortcut(x)\n"
        "        return torch.relu(out)\n")),
    Alternative("ex06_dense_block", "concat_and_append", source=(
        "class DenseLayer(nn.Module):\n"
        "    def __init__(self, c_in, growth):\n"
        "        super().__init__()\n"
        "        self.bn = nn.BatchNorm2d(c_in)\n"
        "        self.conv = nn.Conv2d(c_in, growth, kernel_size=3, padding=1, bias=False)\n\n"
        "    def forward(self, x):\n"
        "        new = self.conv(self.bn(x).clamp(min=0))\n"
        "        return torch.concat((x, new), 1)\n\n\n"
        "class DenseBlock(nn.Module):\n"
        "    def __init__(self, c0, num_layers, growth):\n"
        "        super().__init__()\n"
        "        self.layers = nn.ModuleList()\n"
        "        c = c0\n"
        "        for _ in range(num_layers):\n"
        "            self.layers.append(DenseLayer(c, growth))\n"
        "            c += growth\n\n"
        "    def forward(self, x):\n"
        "        out = x\n"
        "        for layer in self.layers:\n"
        "            out = layer(out)\n"
        "        return out\n")),
    Alternative("ex07_freeze", "module_requires_grad", source=(
        "def freeze_features(model):\n"
        "    model.features.requires_grad_(False)\n"
        "    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))\n")),
]

_IMG = T("N", "C", "H", "W", dtype="float")
CONTRACTS = [
    Contract("ex01_counts", "conv_params", {"c_in": Int(lo=1), "c_out": Int(lo=1), "k": Int(lo=1), "bias": Bool()},
             returns=Int(lo=1), rules=("forbids:dlcourse.explorers.architectures.conv_params",)),
    Contract("ex01_counts", "receptive_field", {"kernels": Seq(Int(lo=1)), "strides": Opt(Seq(Int(lo=1)))},
             returns=Int(lo=1), rules=("forbids:dlcourse.explorers.architectures.receptive_field",)),
    Contract("ex02_lrn", "local_response_norm", {"x": _IMG, "size": Int(lo=1), "alpha": Float(), "beta": Float(), "k": Float()},
             returns=_IMG, rules=("device", "no_mutation", "forbids:torch.nn.functional.local_response_norm"), batch="x"),
    Contract("ex03_crop_flip", "random_crop_flip", {"x": T("N", "C", "H", "W"), "size": Int(lo=1), "generator": Gen()},
             returns=T("N", "C", None, None), rules=("device", "no_mutation"), batch="x"),
    Contract("ex04_pca_jitter", "pca_color_jitter", {"x": T("N", 3, "H", "W", dtype="float"), "alpha": T(3, dtype="float")},
             returns=T("N", 3, "H", "W", dtype="float"), rules=("device", "no_mutation"), batch="x"),
    Contract("ex05_basic_block", "BasicBlock", {"c_in": Int(lo=1), "c_out": Int(lo=1), "stride": Int(lo=1)},
             forward={"x": T("N", None, None, None, dtype="float")}, returns=T("N", None, None, None, dtype="float"),
             rules=("device",), batch="x"),
    Contract("ex06_dense_block", "DenseLayer", {"c_in": Int(lo=1), "growth": Int(lo=1)},
             forward={"x": T("N", None, "H", "W", dtype="float")}, returns=T("N", None, "H", "W", dtype="float"),
             rules=("device",), batch="x"),
    Contract("ex06_dense_block", "DenseBlock", {"c0": Int(lo=1), "num_layers": Int(lo=0), "growth": Int(lo=1)},
             forward={"x": T("N", None, "H", "W", dtype="float")}, returns=T("N", None, "H", "W", dtype="float"),
             rules=("device",), batch="x"),
    Contract("ex07_freeze", "freeze_features", {"model": Mod()}, returns=Int(lo=0)),
]

# What the feedback says when an answer behaves like a mutant: (the mistake, what to do instead).
MISTAKES = {
    # ex01 conv_params / receptive_field
    "param_count_without_bias": ("never counts the biases, so `conv_params(..., bias=True)` comes out `c_out` too small",
                                 "add the `c_out` biases when `bias` is True: `+ (c_out if bias else 0)`"),
    "bias_counted_always": ("adds `c_out` biases even when `bias=False`",
                            "count the biases only when `bias` is True: `+ (c_out if bias else 0)`"),
    "kernel_counted_once": ("counts `k` weights per channel pair instead of `k * k`: a k x k kernel has k*k weights for each input/output channel pair",
                            "the weights are `k * k * c_in * c_out`, then come the biases"),
    "rf_ignores_strides": ("adds `k - 1` per layer whatever the strides, but after a stride-s layer each step of the next kernel covers s input pixels",
                           "multiply each layer's `k - 1` by the running jump (the product of the earlier strides), then update the jump"),
    "rf_jump_updated_too_early": ("multiplies the jump by a layer's stride before adding that layer's `(k - 1) * jump`, so its own stride widens its own step",
                                  "add `(k - 1) * jump` first, then `jump *= s`: only the strides of earlier layers count"),
    "rf_sum_of_kernels": ("adds each whole kernel size `k` and ignores the strides, but a layer widens the field by `k - 1` times the earlier strides",
                          "start at 1 and, per layer, add `(k - 1) * jump`, then `jump *= s`"),
    "library_conv_params": ("calls the course library's `conv_params`, which this exercise rules out: the point is to write the formula yourself",
                            "return `k * k * c_in * c_out`, plus `c_out` when `bias` is True, computed yourself"),
    "library_receptive_field": ("calls the course library's `receptive_field`, which this exercise rules out: the point is to write it yourself",
                                "loop over the layers yourself: start with r = 1 and jump = 1, add `(k - 1) * jump`, then `jump *= s`"),
    "library_imported_as_answer": ("imports the course library's `conv_params` and `receptive_field` instead of writing them, which this exercise rules out",
                                   "define both functions yourself: the parameter count is a one-line formula, the receptive field a loop with a running jump"),
    # ex02 local_response_norm
    "alpha_not_divided_by_size": ("uses `alpha` as it is, like the AlexNet paper, but `nn.LocalResponseNorm` divides it by the window size",
                                  "scale the sum of squares by `alpha / size`: `x / (k + alpha / size * window) ** beta`"),
    "window_off_centre": ("pads `(size - 1) // 2` channels before and `size // 2` after, so for an even size the window is one channel off centre",
                          "pad `size // 2` zeros before and `(size - 1) // 2` after: `F.pad(sq, (0, 0, 0, 0, size // 2, (size - 1) // 2))`"),
    "abs_not_square": ("sums absolute values `|a|` over the window instead of squares `a * a`",
                       "square the activations first: `sq = x * x`"),
    "window_over_width": ("pads and slides along the last axis, the width, so it sums neighbouring pixels instead of neighbouring channels",
                          "pad dim 1 with `F.pad(sq, (0, 0, 0, 0, size // 2, (size - 1) // 2))` and add the slices `padded[:, i:i + C]`"),
    "power_missing": ("leaves out the exponent: it divides by `k + alpha / size * window` instead of that to the power `beta`",
                      "raise the denominator to the power beta: `(k + alpha / size * window) ** beta`"),
    "uses_local_response_norm": ("calls `F.local_response_norm`, which this exercise rules out: the point is to write it yourself",
                                 "square `x`, pad the channel axis with `F.pad`, add the `size` shifted slices `padded[:, i:i + C]` and divide"),
    "uses_the_layer": ("uses `nn.LocalResponseNorm`, which this exercise rules out (it calls `F.local_response_norm` inside)",
                       "write it yourself: square `x`, pad the channel axis with `F.pad`, add the `size` shifted slices and divide"),
    "divides_in_place": ("`x.div_(...)` divides the caller's tensor `x` in place, so their input is changed",
                         "return a new tensor: `x / (k + alpha / size * window) ** beta`"),
    "window_from_H": ("takes `C` from `x.shape[2]`, the height, so the shifted slices are H channels long, wrong whenever H != C",
                      "the channels are dim 1: `C = x.shape[1]`"),
    # ex03 random_crop_flip
    "offset_off_by_one": ("draws offsets with `torch.randint(0, H - size)`, whose upper bound is exclusive, so the last offset `H - size` never occurs",
                          "use `H - size + 1` (and `W - size + 1`) as the upper bound"),
    "flip_vertical": ("flips dim -2, the height, so images are mirrored upside down instead of left-right",
                      "mirror left-right by reversing the width: `crop.flip(-1)`"),
    "flip_channels": ("flips dim 0 of the crop, the channels, so the colour order is reversed instead of the image being mirrored",
                      "mirror left-right by reversing the last axis, the width: `crop.flip(-1)`"),
    "same_window_for_the_batch": ("draws one window and one flip for the whole batch, but every image gets its own three random numbers",
                                  "loop over the images; for each, draw `top`, `left` and `flip` in that order, crop `x[i]`, then `torch.stack` the crops"),
    "ignores_generator": ("draws from PyTorch's global random state instead of the given `generator`, so the crops don't follow from its seed",
                          "pass `generator=generator` to every `torch.randint` and `torch.rand` call"),
    "left_drawn_first": ("draws `left` before `top`, so with the same generator each image gets other offsets than the prescribed order gives",
                         "per image, draw `top` first, then `left`, then `flip`"),
    "uses_H_for_W": ("draws the left offset from `H - size + 1`, so for an image with H != W it can run past the width or miss columns",
                     "draw `left` with `torch.randint(0, W - size + 1, (1,), generator=generator)`"),
    "flips_in_place": ("`crop.copy_(...)` writes through the slice into the caller's `x`, so their images get flipped in place",
                       "keep the copy that `crop.flip(-1)` returns and append that instead"),
    # ex04 pca_color_jitter
    "pixels_mix_channels": ("`x.reshape(-1, 3)` groups 3 neighbouring values of one channel into a row, so the rows are not (R, G, B) pixels",
                            "move the channels last first: `x.permute(0, 2, 3, 1).reshape(-1, 3)`"),
    "eigenvalues_forgotten": ("adds `P @ alpha` and leaves out the eigenvalues: component i must be scaled by `alpha_i * lambda_i`",
                              "weight the eigenvectors by `alpha * lam`: `P @ (alpha * lam)`"),
    "eigenvectors_as_rows": ("uses `P.T`, treating the rows as the eigenvectors, but `torch.linalg.eigh` returns them in the columns",
                             "use `P @ (alpha * lam)`: column i of `P` goes with `lam[i]`"),
    "covariance_not_centred": ("computes `pixels.T @ pixels / (M - 1)` without subtracting the mean colour first, which is not the covariance",
                               "use `torch.cov(pixels.T)`, which centres each channel and divides by M - 1"),
    "sqrt_of_eigenvalues": ("scales by the square roots of the eigenvalues, but the formula adds `alpha_i * lambda_i * p_i` with the eigenvalues themselves",
                            "use `lam` itself: `P @ (alpha * lam)`"),
    "in_place": ("`x.add_(...)` adds the shift to the caller's tensor `x` in place, so their images are changed",
                 "return a new tensor: `x + delta.view(1, 3, 1, 1)`"),
    "biased_covariance": ("uses `correction=0`, dividing by M instead of M - 1 as the exercise asks",
                          "call `torch.cov(pixels.T)` with its default correction, which divides by M - 1"),
    "covariance_of_pixels_not_channels": ("passes the (M, 3) matrix to `torch.cov`, which takes rows as variables: an M x M covariance of pixels, not 3x3",
                                          "transpose first so the 3 channels are the rows: `torch.cov(pixels.T)`"),
    # ex05 BasicBlock
    "shortcut_missing": ("never adds `self.shortcut(x)`, so the block is a plain stack of convolutions with no residual connection",
                         "return `F.relu(out + self.shortcut(x))`"),
    "relu_before_addition": ("applies the ReLU before adding the shortcut, so the output can be negative; in He et al. the ReLU comes after the sum",
                             "add first, then ReLU: `F.relu(out + self.shortcut(x))`"),
    "projection_always": ("uses the 1x1 projection even when stride is 1 and `c_in == c_out`, adding parameters where the identity belongs",
                          "project only `if stride != 1 or c_in != c_out`; otherwise the shortcut is the identity `nn.Sequential()`"),
    "projection_never": ("always uses the identity shortcut, so with a stride or a change of channels `x` has the wrong shape to be added",
                         "use the 1x1 projection (conv + BN) `if stride != 1 or c_in != c_out`"),
    "projection_only_on_stride": ("projects only when stride != 1, so at stride 1 with `c_in != c_out` the identity shortcut has the wrong channels",
                                  "project when either changes: `if stride != 1 or c_in != c_out`"),
    "stride_on_second_conv": ("puts the stride on `conv2` instead of `conv1`: the shapes fit, but the block computes something else than ResNet's",
                              "downsample in the first conv: `conv1` takes `stride=stride`, `conv2` always `stride=1`"),
    "no_relu_between_convs": ("leaves out the ReLU after `bn1`, so nothing nonlinear separates the two convolutions of the residual branch",
                              "apply `F.relu` to `self.bn1(self.conv1(x))` before `conv2`"),
    "convs_with_bias": ("gives the 3x3 convolutions a bias, which the batch norm after them cancels, so the parameter count no longer matches",
                        "build both 3x3 convs with `bias=False`"),
    "projection_ignores_stride": ("the 1x1 projection has no stride, so the shortcut keeps the full size and cannot be added to the downsampled branch",
                                  "give the projection the block's stride: `nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False)`"),
    # ex06 DenseLayer / DenseBlock
    "adds_instead_of_concatenating": ("adds the new features to the input, ResNet style, so the channel count never grows past `c0`",
                                      "compute `growth` new channels and concatenate them after the input: `torch.cat([x, new], dim=1)`"),
    "new_channels_first": ("puts the new channels before the input's, but the input must be passed on unchanged, in front",
                           "concatenate `[x, new]`, in that order, along dim 1"),
    "keeps_only_new_features": ("returns only the `growth` new channels and drops the input, so later layers never see the earlier feature maps",
                                "return `torch.cat([x, new], dim=1)`, and give layer l `c0 + l * growth` input channels"),
    "conv_with_bias": ("gives the 3x3 convolution a bias, so each layer has `growth` parameters too many",
                       "build it with `nn.Conv2d(c_in, growth, 3, padding=1, bias=False)`"),
    "no_relu": ("leaves out the ReLU between the batch norm and the convolution",
                "apply `F.relu` to `self.bn(x)` before `self.conv`"),
    "every_layer_gets_c0": ("builds every layer for `c0` input channels, but layer l receives `c0 + l * growth`, so the second layer fails",
                            "build layer l as `DenseLayer(c0 + l * growth, growth)`"),
    "concatenates_along_the_batch": ("concatenates along dim 0, the batch, instead of the channels, so it fails or stacks extra images",
                                     "concatenate along the channels: `torch.cat([x, new], dim=1)`"),
    # ex07 freeze_features
    "freezes_the_head_too": ("sets `requires_grad = False` on every parameter of the model, the head included, so nothing is left to train",
                             "loop over `model.features.parameters()` only"),
    "counts_all_parameters": ("counts every parameter element, the frozen ones too, instead of only the trainable ones",
                              "sum `p.numel()` only over parameters with `p.requires_grad`"),
    "counts_tensors_not_elements": ("counts parameter tensors, not their elements: a 5x16 weight counts 1 instead of 80",
                                    "sum `p.numel()` over the parameters that still require grad"),
    "conv_weights_only": ("freezes only the conv weights, leaving the conv biases and batch norm's weight and bias trainable",
                          "loop over all of `model.features.parameters()`"),
    "eval_instead_of_freezing": ("calls `model.features.eval()`, which only changes how batch norm and dropout behave: every parameter still requires grad",
                                 "call `p.requires_grad_(False)` for every `p` in `model.features.parameters()`"),
    "freezes_the_head_not_the_features": ("freezes `model.head` instead of `model.features`: the wrong part is frozen",
                                          "loop over `model.features.parameters()` and leave the head trainable"),
    "counts_frozen_parameters": ("counts the frozen parameter elements instead of the trainable ones that are left",
                                 "sum `p.numel()` over parameters with `p.requires_grad` True"),
    "returns_a_tensor": ("returns the count as a tensor, not a Python int",
                         "return the plain `sum(...)` of the `p.numel()` values, which is an int"),
}
