"""Plausible wrong answers to lab13_architectures; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

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
    # ex02 local_response_norm
    Mutant("ex02_lrn", "alpha_not_divided_by_size", replace=((LRN, "return x / (k + alpha * window) ** beta"),)),
    Mutant("ex02_lrn", "window_off_centre", replace=((PAD, "padded = F.pad(sq, (0, 0, 0, 0, (size - 1) // 2, size // 2))"),)),
    Mutant("ex02_lrn", "abs_not_square", replace=(("sq = x * x", "sq = x.abs()"),)),
    Mutant("ex02_lrn", "window_over_width", replace=((PAD, "padded = F.pad(sq, (size // 2, (size - 1) // 2))"),
                                                      ("padded[:, i:i + C]", "padded[..., i:i + sq.shape[-1]]"))),
    Mutant("ex02_lrn", "power_missing", replace=((LRN, "return x / (k + alpha / size * window)"),)),
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
    Mutant("ex03_crop_flip", "left_drawn_first", replace=((TOP, LEFT.replace("left =", "_left =")),
                                                          (LEFT, TOP + "\n        left = _left"))),
    # ex04 pca_color_jitter
    Mutant("ex04_pca_jitter", "pixels_mix_channels", replace=(("pixels = x.permute(0, 2, 3, 1).reshape(-1, 3)", "pixels = x.reshape(-1, 3)"),)),
    Mutant("ex04_pca_jitter", "eigenvalues_forgotten", replace=((DELTA, "delta = P @ alpha.to(x)"),)),
    Mutant("ex04_pca_jitter", "eigenvectors_as_rows", replace=((DELTA, "delta = P.T @ (alpha.to(x) * lam)"),)),
    Mutant("ex04_pca_jitter", "covariance_not_centred", replace=(("cov = torch.cov(pixels.T)", "cov = pixels.T @ pixels / (len(pixels) - 1)"),)),
    Mutant("ex04_pca_jitter", "sqrt_of_eigenvalues", replace=((DELTA, "delta = P @ (alpha.to(x) * lam.sqrt())"),)),
    Mutant("ex04_pca_jitter", "in_place", replace=(("return x + delta.view(1, 3, 1, 1)", "return x.add_(delta.view(1, 3, 1, 1))"),)),
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
]
