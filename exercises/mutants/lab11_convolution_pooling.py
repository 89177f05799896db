"""Plausible wrong answers to lab11_convolution_pooling; each must lose exactly its own exercise's points."""
from exercises.mutants import Mutant

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
    # ex03 conv2d_im2col
    Mutant("ex03_conv2d_im2col", "flipped_kernel", replace=(("w.reshape(K, -1) @ cols", "w.flip(-2, -1).reshape(K, -1) @ cols"),)),
    Mutant("ex03_conv2d_im2col", "weights_flattened_channels_last", replace=(("w.reshape(K, -1) @ cols",
                                                                              "w.permute(0, 2, 3, 1).reshape(K, -1) @ cols"),)),
    Mutant("ex03_conv2d_im2col", "output_transposed", replace=(("return y.reshape(N, K, H_out, W_out)",
                                                                "return y.reshape(N, K, W_out, H_out).transpose(2, 3)"),)),
    Mutant("ex03_conv2d_im2col", "bias_missing", replace=(("y = y + b.view(1, K, 1)", "pass"),)),
    Mutant("ex03_conv2d_im2col", "stride_ignored", replace=(("padding=padding, stride=stride)", "padding=padding)"),
                                                             ("// stride + 1", "+ 1"))),
    Mutant("ex03_conv2d_im2col", "uses_conv2d", source=(
        "def conv2d_im2col(x, w, b=None, stride=1, padding=0):\n"
        "    return F.conv2d(x, w, b, stride=stride, padding=padding)\n")),
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
    # ex06 avg_pool2d
    Mutant("ex06_avg_pool2d", "counts_padding", replace=(("return sums / counts", "return sums / (k * k)"),)),
    Mutant("ex06_avg_pool2d", "default_stride_one", replace=(("s = k if stride is None else stride", "s = 1 if stride is None else stride"),)),
    Mutant("ex06_avg_pool2d", "sum_not_mean", replace=(("return sums / counts", "return sums"),)),
    Mutant("ex06_avg_pool2d", "padding_one_side", replace=(("pad = (padding, padding, padding, padding)", "pad = (0, 2 * padding, 0, 2 * padding)"),)),
    Mutant("ex06_avg_pool2d", "stride_ignored", replace=(("s = k if stride is None else stride", "s = k"),)),
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
]
