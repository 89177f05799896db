"""A 3x3 kernel editor applied live to MNIST digits (lecture 11).

:class:`KernelExplorer` shows a digit, the kernel (nine editable weights, or a preset: blur, sharpen, edge
detectors) and the feature map ``F.conv2d`` computes from them. ``update(index=..., preset=..., kernel=...,
padding=...)`` returns the state it drew; its ``"feature_map"`` is exactly ``F.conv2d`` of the digit with
the kernel (cross-correlation, no flip), so tests can compare.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .plots import show_grid, to_numpy
from .widgets import Explorer

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

    layout = (3, 1)

    def __init__(self, X: torch.Tensor, y: torch.Tensor | None = None, *, preset: str = "vertical edges (Sobel x)") -> None:
        if X.dim() != 4 or X.shape[1] != 1:
            raise ValueError(f"KernelExplorer needs images (N, 1, H, W), got shape {tuple(X.shape)}")
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {list(PRESETS)}, got {preset!r}")
        self.X = X.detach().to(torch.float32).cpu()
        self.y = None if y is None else torch.as_tensor(y).detach().cpu()
        self.initial = preset
        self._syncing = False
        super().__init__()
        self.fig.set_size_inches(13, 4)

    def controls(self) -> dict:
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

    @property
    def widget(self):
        """Digit slider, preset and padding on top, the 3x3 weight grid beside them, the figure below."""
        if self._widget is None:
            import ipywidgets as w

            self._controls = c = self.controls()

            def on_preset(change):
                if not self._syncing:
                    self.update(preset=change["new"])

            def on_weight(change):
                if not self._syncing:
                    self._set_controls(preset="custom")
                    self.update()

            c["preset"].observe(on_preset, names="value")
            for name in ("index", "padding"):
                c[name].observe(lambda change: self.update(), names="value")
            for name in WEIGHTS:
                c[name].observe(on_weight, names="value")
            self._out = w.Output()
            grid = w.GridBox([c[n] for n in WEIGHTS], layout=w.Layout(grid_template_columns="repeat(3, 85px)"))
            left = w.VBox([c["index"], c["preset"], c["padding"]])
            self._widget = w.VBox([w.HBox([left, w.VBox([w.Label("kernel weights"), grid])]), self._out])
            self.update()
        return self._widget

    def _set_controls(self, **values) -> None:
        if self._widget is None and not hasattr(self, "_controls"):
            return
        self._syncing = True
        try:
            for name, v in values.items():
                if name in self._controls:
                    self._controls[name].value = v
        finally:
            self._syncing = False

    def update(self, *, kernel=None, preset: str | None = None, **values) -> dict:
        """Redraw. ``preset`` loads a preset's weights; ``kernel`` (3x3) sets all nine weights (preset
        becomes "custom"); ``k00``..``k22``, ``index``, ``padding`` (0 or 1) as the controls."""
        if preset is not None:
            if preset != "custom":
                if preset not in PRESETS:
                    raise ValueError(f"preset must be one of {list(PRESETS)} or 'custom', got {preset!r}")
                kernel = PRESETS[preset]
            values["preset"] = preset
        elif kernel is not None:
            values["preset"] = "custom"
        if kernel is not None:
            k = torch.as_tensor(kernel, dtype=torch.float32).reshape(-1)
            if k.numel() != 9:
                raise ValueError(f"kernel must have 3x3 = 9 weights, got {k.numel()}")
            values.update({n: float(v) for n, v in zip(WEIGHTS, k.tolist())})
        if self._widget is not None:
            self._set_controls(**values)
        else:
            # without the widget the explorer remembers its last values itself
            base = getattr(self, "_last", None) or {"index": 0, "preset": self.initial, "padding": 0,
                                                    **dict(zip(WEIGHTS, PRESETS[self.initial].reshape(-1).tolist()))}
            values = {**base, **values}
            self._last = values
        return super().update(**values)

    def draw(self, index=0, preset="custom", padding=0, **weights) -> dict:
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
