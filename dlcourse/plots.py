"""Plotting helpers shared by lectures and widgets.

They draw on a given matplotlib ``Axes`` and return what they drew, so widgets and tests can reuse them.
Figures are built with :func:`figure` (a plain ``matplotlib.figure.Figure``, not pyplot), so nothing is
shown twice and nothing leaks between cells.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
from matplotlib.figure import Figure


def _register_png_display() -> None:
    """Show plain ``Figure`` objects as PNG images in Jupyter, with or without pyplot's inline backend."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course environment
        return
    ip = get_ipython()
    if ip is None:
        return
    from IPython.core.pylabtools import print_figure

    ip.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: print_figure(fig, "png", bbox_inches="tight"))


_register_png_display()


def figure(ncols: int = 1, nrows: int = 1, size: tuple[float, float] = (5.0, 3.6)) -> tuple[Figure, np.ndarray]:
    """A new figure and a flat array of its axes; ``size`` is per subplot (width, height) in inches."""
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    return fig, axes


def to_numpy(x) -> np.ndarray:
    """A tensor (any device, with or without grad), array, list or number as a NumPy array."""
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def plot_line_fit(ax, x, y, W: float, b: float, *, residuals: bool = True, xlabel: str = "x", ylabel: str = "y") -> dict:
    """Scatter (x, y), draw H(x) = W x + b and, optionally, the residuals; returns the line and the MSE."""
    x, y = to_numpy(x).reshape(-1), to_numpy(y).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same number of points, got {x.shape[0]} and {y.shape[0]}")
    y_hat = W * x + b
    ax.scatter(x, y, s=12, alpha=0.6, label="data")
    xs = np.array([x.min(), x.max()])
    (line,) = ax.plot(xs, W * xs + b, color="C3", lw=2, label=f"H(x) = {W:.2f}x + {b:.2f}")
    if residuals:
        ax.vlines(x, np.minimum(y, y_hat), np.maximum(y, y_hat), colors="C3", alpha=0.15, lw=1)
    cost = float(np.mean((y_hat - y) ** 2))
    ax.set(xlabel=xlabel, ylabel=ylabel, title=f"cost (MSE) = {cost:.4g}")
    ax.legend(loc="upper left", fontsize=8)
    return {"line_x": xs, "line_y": line.get_ydata(), "cost": cost}


def plot_curve(ax, values: Sequence[float], *, label: str | None = None, xlabel: str = "step", ylabel: str = "loss", logy: bool = False) -> None:
    """A training curve (loss per step/epoch)."""
    ax.plot(np.arange(len(values)), to_numpy(list(values)), label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if logy:
        ax.set_yscale("log")
    if label:
        ax.legend(fontsize=8)


def show_grid(ax, values, *, groups=None, fmt: str = "{:g}", title: str | None = None) -> None:
    """Draw a 2-D array as a table of numbers; ``groups`` (same shape, ints) colours cells by group."""
    v = to_numpy(values)
    if v.ndim != 2:
        raise ValueError(f"show_grid draws 2-D arrays, got shape {v.shape}")
    colours = np.zeros_like(v, dtype=float) if groups is None else to_numpy(groups).astype(float)
    ax.imshow(colours, cmap="Pastel1", vmin=0, vmax=8, aspect="equal")
    for (i, j), val in np.ndenumerate(v):
        ax.text(j, i, fmt.format(val), ha="center", va="center", fontsize=11)
    ax.set_xticks(range(v.shape[1]), [f"col {j}" for j in range(v.shape[1])], fontsize=8)
    ax.set_yticks(range(v.shape[0]), [f"row {i}" for i in range(v.shape[0])], fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)


def show_images(images, labels=None, *, ncols: int = 8, size: float = 1.2) -> Figure:
    """A grid of grayscale images (N, 1, H, W) or (N, H, W), titled with ``labels`` if given."""
    imgs = to_numpy(images)
    if imgs.ndim == 4:
        if imgs.shape[1] != 1:
            raise ValueError(f"show_images expects one channel, got shape {imgs.shape}")
        imgs = imgs[:, 0]
    if imgs.ndim != 3:
        raise ValueError(f"show_images expects (N, 1, H, W) or (N, H, W), got shape {imgs.shape}")
    n = len(imgs)
    nrows = max(1, -(-n // ncols))
    fig = Figure(figsize=(size * ncols, size * nrows * 1.15), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for k, ax in enumerate(axes):
        ax.axis("off")
        if k < n:
            ax.imshow(imgs[k], cmap="gray_r")
            if labels is not None:
                ax.set_title(str(to_numpy(labels)[k]), fontsize=9)
    return fig
