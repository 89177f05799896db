"""Interactive explorers for lectures.

Each explorer separates *computing and drawing* (``update(**values)``, which redraws its figure and returns
a dict describing what it drew) from *wiring* (``widget``, ipywidgets controls whose changes call
``update``). Lectures call ``display(explorer.widget)``; tests call ``update`` with chosen values and read
the returned state or the figure's artists.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .plots import figure, plot_line_fit, show_grid, to_numpy


class Explorer:
    """Base class: subclasses define ``controls()`` (name -> ipywidget) and ``draw(**values) -> dict``."""

    def __init__(self) -> None:
        self.fig, self.axes = figure(*self.layout)
        self.state: dict[str, Any] = {}
        self._widget = None

    layout: tuple = (1, 1)

    def controls(self) -> dict:
        raise NotImplementedError

    def draw(self, **values) -> dict:
        raise NotImplementedError

    def update(self, **values) -> dict:
        """Redraw with ``values`` (missing ones keep their current control value) and return the state."""
        if self._widget is not None:
            current = {k: c.value for k, c in self._controls.items()}
            values = {**current, **values}
        for ax in self.axes:
            ax.clear()
        self.state = self.draw(**values)
        if self._widget is not None:
            from IPython.display import clear_output, display

            with self._out:
                clear_output(wait=True)
                display(self.fig)
        return self.state

    @property
    def widget(self):
        """The ipywidgets box (controls above the figure); built on first use."""
        if self._widget is None:
            import ipywidgets as w

            self._controls = self.controls()
            self._out = w.Output()
            for ctrl in self._controls.values():
                ctrl.observe(lambda change: self.update(), names="value")
            self._widget = w.VBox([w.HBox(list(self._controls.values())), self._out])
            self.update()
        return self._widget


class ReductionExplorer(Explorer):
    """Pick an axis and a reduction; see which elements of a 2-D tensor are combined into each output."""

    OPS = ("sum", "mean", "max", "argmax")

    def __init__(self, T: torch.Tensor) -> None:
        if not isinstance(T, torch.Tensor) or T.dim() != 2:
            raise ValueError(f"ReductionExplorer needs a 2-D tensor, got {getattr(T, 'shape', type(T))}")
        self.T = T.detach().to(torch.float32).cpu()
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        return {
            "dim": w.Dropdown(options=[("dim=0 (down the rows)", 0), ("dim=1 (along each row)", 1), ("all", None)], value=0, description="axis"),
            "op": w.Dropdown(options=list(self.OPS), value="sum", description="reduction"),
        }

    def draw(self, dim=0, op="sum") -> dict:
        if op not in self.OPS:
            raise ValueError(f"op must be one of {self.OPS}, got {op!r}")
        rows, cols = self.T.shape
        if dim is None:
            groups = np.zeros((rows, cols), dtype=int)
            result = getattr(self.T, op)()
        else:
            groups = np.broadcast_to(np.arange(cols) if dim == 0 else np.arange(rows)[:, None], (rows, cols))
            out = getattr(self.T, op)(dim=dim)
            result = out.values if op == "max" else out
        show_grid(self.axes[0], self.T, groups=groups % 8, title=f"T, shape {tuple(self.T.shape)}: same colour = combined together")
        res = to_numpy(result).reshape(1, -1) if to_numpy(result).ndim <= 1 else to_numpy(result)
        show_grid(self.axes[1], res, groups=np.arange(res.size).reshape(res.shape) % 8 if dim is not None else None,
                  fmt="{:.3g}", title=f"T.{op}({'' if dim is None else f'dim={dim}'}) -> shape {tuple(torch.as_tensor(result).shape)}")
        return {"result": torch.as_tensor(result), "groups": groups}


class LineFitExplorer(Explorer):
    """Sliders for W and b redraw H(x) = W x + b over the data and report the cost (MSE)."""

    def __init__(self, x, y, *, W_range=(-2.0, 2.0), b_range=(-2.0, 2.0), xlabel="x", ylabel="y") -> None:
        self.x, self.y = to_numpy(x).reshape(-1), to_numpy(y).reshape(-1)
        if self.x.shape != self.y.shape:
            raise ValueError(f"x and y must have the same length, got {self.x.shape[0]} and {self.y.shape[0]}")
        self.W_range, self.b_range, self.labels = W_range, b_range, (xlabel, ylabel)
        self.layout = (2, 1)
        Ws = np.linspace(*W_range, 81)
        self._Ws = Ws
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        mid = lambda r: (r[0] + r[1]) / 2  # noqa: E731
        step = lambda r: (r[1] - r[0]) / 100  # noqa: E731
        return {
            "W": w.FloatSlider(value=mid(self.W_range), min=self.W_range[0], max=self.W_range[1], step=step(self.W_range), description="W"),
            "b": w.FloatSlider(value=mid(self.b_range), min=self.b_range[0], max=self.b_range[1], step=step(self.b_range), description="b"),
        }

    def cost(self, W: float, b: float) -> float:
        return float(np.mean((W * self.x + b - self.y) ** 2))

    def draw(self, W=0.0, b=0.0) -> dict:
        state = plot_line_fit(self.axes[0], self.x, self.y, W, b, xlabel=self.labels[0], ylabel=self.labels[1])
        costs = [self.cost(w_, b) for w_ in self._Ws]
        ax = self.axes[1]
        ax.plot(self._Ws, costs, color="C0")
        ax.plot([W], [state["cost"]], "o", color="C3")
        ax.set(xlabel="W (b fixed)", ylabel="cost(W, b)", title="the cost as a function of W")
        return state
