"""Lecture 13, classic architectures: receptive fields and parameter counts of convolution stacks.

``conv_params`` and ``receptive_field`` are the two formulas behind VGG's stacked 3x3 convolutions and
Inception's 1x1 bottlenecks; ``ReceptiveFieldExplorer`` lets a lecture compare a stack of small kernels
with one big kernel of the same receptive field, and a direct convolution with a 1x1-reduced one.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.patches as mpatches
import numpy as np

from .base import Explorer


def conv_params(c_in: int, c_out: int, k: int, bias: bool = True) -> int:
    """Parameters of ``nn.Conv2d(c_in, c_out, k, bias=bias)``: k*k*C_in*C_out weights (+ C_out biases)."""
    return k * k * c_in * c_out + (c_out if bias else 0)


def receptive_field(kernels: Sequence[int], strides: Sequence[int] | None = None) -> int:
    """Receptive field (in input pixels, along one side) of one output unit after a stack of layers.

    r = 1 + sum_l (k_l - 1) * prod_{i<l} s_i  -- each layer widens the field by (k - 1) steps of its input grid,
    and one step of that grid is the product of the strides before it.
    """
    strides = [1] * len(kernels) if strides is None else list(strides)
    if len(strides) != len(kernels):
        raise ValueError(f"need one stride per kernel, got {len(kernels)} kernels and {len(strides)} strides")
    r, jump = 1, 1
    for k, s in zip(kernels, strides):
        r += (k - 1) * jump
        jump *= s
    return r


def stack_vs_single(k: int = 3, n: int = 2, channels: int = 64) -> dict:
    """n stacked k x k convolutions (C channels -> C channels, no bias) against the one kernel with the same field."""
    rf = receptive_field([k] * n)
    stack = n * conv_params(channels, channels, k, bias=False)
    single = conv_params(channels, channels, rf, bias=False)
    return {"receptive_field": rf, "stack_params": stack, "single_params": single, "single_kernel": rf,
            "stack_per_C2": n * k * k, "single_per_C2": rf * rf, "ratio": stack / single}


def bottleneck(c_in: int = 192, c_reduce: int = 16, c_out: int = 32, k: int = 5, size: int = 28) -> dict:
    """A k x k convolution C_in -> C_out, directly or after a 1x1 reduction to c_reduce channels (no biases).

    Also the multiply-adds on a size x size feature map (padding keeps the size).
    """
    direct = conv_params(c_in, c_out, k, bias=False)
    reduced = conv_params(c_in, c_reduce, 1, bias=False) + conv_params(c_reduce, c_out, k, bias=False)
    return {"direct_params": direct, "bottleneck_params": reduced, "saving": 1 - reduced / direct,
            "direct_macs": direct * size * size, "bottleneck_macs": reduced * size * size}


class ReceptiveFieldExplorer(Explorer):
    """Kernel size, number of stacked layers and channels -> receptive field and parameters; plus a 1x1 bottleneck."""

    def __init__(self) -> None:
        super().__init__(cols=2, size=(5.0, 4.0))

    def make_controls(self) -> dict:
        import ipywidgets as w

        return {
            "k": w.Dropdown(options=[1, 3, 5, 7], value=3, description="kernel k"),
            "n": w.IntSlider(value=2, min=1, max=6, description="layers"),
            "channels": w.Dropdown(options=[16, 64, 256], value=64, description="channels C"),
            "c_reduce": w.Dropdown(options=[8, 16, 32, 64, 192], value=16, description="1x1 reduce"),
        }

    def draw(self, k: int, n: int, channels: int, c_reduce: int) -> dict:
        cmp = stack_vs_single(k, n, channels)
        bot = bottleneck(192, c_reduce, 32, 5)
        rf = cmp["receptive_field"]
        ax = self.axes[0]
        fields = [receptive_field([k] * i) for i in range(n + 1)]
        colors = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#7f7f7f"]
        for i, f in reversed(list(enumerate(fields))):
            off = (rf - f) / 2
            ax.add_patch(mpatches.Rectangle((off, off), f, f, facecolor=colors[i % len(colors)], alpha=0.35,
                                            edgecolor="k", label=f"after {i} layer{'s' if i != 1 else ''}: {f}x{f}"))
        ax.set_xlim(-0.5, rf + 0.5)
        ax.set_ylim(-0.5, rf + 0.5)
        ax.set_aspect("equal")
        ax.set_xticks(np.arange(0, rf + 1, max(1, rf // 8)))
        ax.set_yticks([])
        ax.legend(fontsize=7, loc="upper right", framealpha=0.8)
        ax.set_title(f"{n} stacked {k}x{k} convs see {rf}x{rf} input pixels")
        ax = self.axes[1]
        names = [f"{n} x {k}x{k}", f"one {rf}x{rf}", "5x5 direct", f"1x1 ({c_reduce}) + 5x5"]
        values = [cmp["stack_params"], cmp["single_params"], bot["direct_params"], bot["bottleneck_params"]]
        bars = ax.bar(names, values, color=["#1f77b4", "#ff7f0e", "#7f7f7f", "#2ca02c"])
        for b, v in zip(bars, values):
            ax.annotate(f"{v:,}", (b.get_x() + b.get_width() / 2, v), ha="center", va="bottom", fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_ylabel("parameters (no bias)")
        ax.set_title(f"C={channels}: stack/single = {cmp['ratio']:.2f}; 192->32 bottleneck saves {bot['saving']:.0%}", fontsize=9)
        return {**cmp, **{f"bottleneck_{key}" if not key.startswith(("direct", "bottleneck")) else key: v
                          for key, v in bot.items()}, "fields": fields, "k": k, "n": n, "channels": channels,
                "c_reduce": c_reduce}
