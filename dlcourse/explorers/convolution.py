"""Lecture 11, convolution: a 3x3 kernel editor applied live to MNIST digits.

:class:`KernelExplorer` shows a digit, the kernel (nine editable weights, or a preset: blur, sharpen, edge
detectors) and the feature map ``F.conv2d`` computes from them. ``update(index=..., preset=..., kernel=...,
padding=...)`` returns the state it drew; its ``"feature_map"`` is exactly ``F.conv2d`` of the digit with
the kernel (cross-correlation, no flip), so tests can compare.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ..plots import show_grid, to_numpy
from .base import Explorer

#: preset name -> 3x3 kernel (rows top to bottom)
PRESETS: dict[str, torch.Tensor] = {
    "identity": torch.tensor([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "box blur": torch.full((3, 3), 1.0 / 9.0),
    "gaussian blur": torch.tensor([[1.0, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16.0,
    "sharpen": torch.tensor([[0.0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "vertical edges (Sobel x)": torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "horizontal edges (Sobel y)": torch.tensor([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "outline (Laplacian)": torch.tensor([[-1.0, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
}
WEIGHTS = tuple(f"k{i}{j}" for i in range(3) for j in range(3))
PADDINGS = {"valid (p=0)": 0, "same (p=1)": 1}


def apply_kernel(image: torch.Tensor, kernel: torch.Tensor, padding: int = 0) -> torch.Tensor:
    """image: (H, W) or (1, H, W); kernel: (3, 3) -> feature map (H + 2p - 2, W + 2p - 2), via F.conv2d."""
    x = image.reshape(1, 1, *image.shape[-2:]).to(torch.float32)
    w = torch.as_tensor(kernel, dtype=torch.float32).reshape(1, 1, 3, 3)
    return F.conv2d(x, w, padding=int(padding))[0, 0]


class KernelExplorer(Explorer):
    """Edit a 3x3 kernel (or pick a preset) and a digit; see the image, the kernel and the feature map."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor | None = None, *, preset: str = "vertical edges (Sobel x)") -> None:
        if X.dim() != 4 or X.shape[1] != 1:
            raise ValueError(f"KernelExplorer needs images (N, 1, H, W), got shape {tuple(X.shape)}")
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {list(PRESETS)}, got {preset!r}")
        self.X = X.detach().to(torch.float32).cpu()
        self.y = None if y is None else torch.as_tensor(y).detach().cpu()
        self.initial = preset
        super().__init__(cols=3, size=(13 / 3, 4.0))

    def make_controls(self) -> dict:
        import ipywidgets as w

        k = PRESETS[self.initial]
        ctrls = {
            "index": w.IntSlider(value=0, min=0, max=len(self.X) - 1, description="digit"),
            "preset": w.Dropdown(options=[*PRESETS, "custom"], value=self.initial, description="preset"),
            "padding": w.Dropdown(options=list(PADDINGS.items()), value=0, description="padding"),
        }
        for name, v in zip(WEIGHTS, k.reshape(-1).tolist()):
            ctrls[name] = w.FloatText(value=round(v, 4), step=0.25, layout=w.Layout(width="80px"))
        return ctrls

    def arrange(self) -> list:
        """Digit slider, preset and padding in one column, the 3x3 grid of weights beside them."""
        import ipywidgets as w

        c = self.controls
        grid = w.GridBox([c[n] for n in WEIGHTS], layout=w.Layout(grid_template_columns="repeat(3, 85px)"))
        return [w.VBox([c["index"], c["preset"], c["padding"]]), w.VBox([w.Label("kernel weights"), grid])]

    def update(self, *, kernel=None, **values) -> dict:
        """Redraw. ``preset`` loads a preset's nine weights; ``kernel`` (3x3) sets all nine, and so does any
        of ``k00``..``k22`` alone, with the preset becoming "custom"; ``index``, ``padding`` (0 or 1) as the
        controls. Everything not given keeps its current value."""
        preset = values.get("preset")
        if preset is not None and preset != "custom":
            if preset not in PRESETS:
                raise ValueError(f"preset must be one of {list(PRESETS)} or 'custom', got {preset!r}")
            kernel = PRESETS[preset]
        elif kernel is not None or any(name in values for name in WEIGHTS):
            values["preset"] = "custom"
        if kernel is not None:
            k = torch.as_tensor(kernel, dtype=torch.float32).reshape(-1)
            if k.numel() != 9:
                raise ValueError(f"kernel must have 3x3 = 9 weights, got {k.numel()}")
            values.update({n: float(v) for n, v in zip(WEIGHTS, k.tolist())})
        return super().update(**values)

    def draw(self, index, preset, padding, **weights) -> dict:
        index = int(index)
        if not 0 <= index < len(self.X):
            raise ValueError(f"index must be in [0, {len(self.X) - 1}], got {index}")
        kernel = torch.tensor([float(weights[n]) for n in WEIGHTS], dtype=torch.float32).reshape(3, 3)
        image = self.X[index, 0]
        fmap = apply_kernel(image, kernel, padding)
        label = "" if self.y is None else f" (label {int(self.y[index])})"
        ax_img, ax_k, ax_f = self.axes
        ax_img.imshow(to_numpy(image), cmap="gray")
        ax_img.set_title(f"digit #{index}{label}, {tuple(image.shape)}", fontsize=10)
        ax_img.axis("off")
        show_grid(ax_k, kernel, fmt="{:.3g}", title=f"kernel: {preset}")
        lim = float(fmap.abs().max()) or 1.0
        ax_f.imshow(to_numpy(fmap), cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax_f.set_title(f"feature map {tuple(fmap.shape)}, range [{float(fmap.min()):.2f}, {float(fmap.max()):.2f}]",
                       fontsize=10)
        ax_f.axis("off")
        return {"index": index, "preset": preset, "padding": int(padding), "kernel": kernel,
                "image": image, "feature_map": fmap}
