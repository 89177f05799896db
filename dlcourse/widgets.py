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


class GradientDescentExplorer(Explorer):
    """Gradient descent on the MSE of H(x) = W x + b: sliders pick the learning rate and the number of steps.

    Left: contours of the cost over (W, b) with the path taken from ``(W0, b0)``; right: the cost after each
    step (log scale) against the least-squares minimum. ``update(lr=.., steps=..)`` returns
    ``{"W": path of W, "b": path of b, "costs": cost at each point of the path, "best_cost": minimum cost,
    "diverged": bool}``; the path has ``steps + 1`` points unless the run diverged and was cut short.
    """

    def __init__(self, x, y, *, W0=0.0, b0=0.0, lr_range=(1e-3, 1.0), lr=0.1, max_steps=50,
                 W_range=None, b_range=None) -> None:
        self.x, self.y = to_numpy(x).astype(np.float64).reshape(-1), to_numpy(y).astype(np.float64).reshape(-1)
        if self.x.shape != self.y.shape:
            raise ValueError(f"x and y must have the same length, got {self.x.shape[0]} and {self.y.shape[0]}")
        if not 0 < lr_range[0] < lr_range[1]:
            raise ValueError(f"lr_range must be two increasing positive numbers, got {lr_range}")
        self.W0, self.b0, self.lr_range, self.lr0, self.max_steps = float(W0), float(b0), lr_range, lr, int(max_steps)
        xm, ym = self.x.mean(), self.y.mean()
        var = np.mean((self.x - xm) ** 2)
        self.W_best = float(np.mean((self.x - xm) * (self.y - ym)) / var) if var > 0 else 0.0
        self.b_best = float(ym - self.W_best * xm)
        self.best_cost = self.cost(self.W_best, self.b_best)
        span = lambda best, start: max(1.3 * abs(best - start), 1e-3 * max(1.0, abs(best)))  # noqa: E731
        self.W_range = W_range or (self.W_best - span(self.W_best, self.W0), self.W_best + span(self.W_best, self.W0))
        self.b_range = b_range or (self.b_best - span(self.b_best, self.b0), self.b_best + span(self.b_best, self.b0))
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        lo, hi = np.log10(self.lr_range[0]), np.log10(self.lr_range[1])
        return {
            "lr": w.FloatLogSlider(value=self.lr0, base=10, min=lo, max=hi, step=(hi - lo) / 40, description="lr", readout_format=".3g"),
            "steps": w.IntSlider(value=min(10, self.max_steps), min=0, max=self.max_steps, description="steps"),
        }

    def cost(self, W: float, b: float) -> float:
        return float(np.mean((W * self.x + b - self.y) ** 2))

    def path(self, lr: float, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """W, b and the cost after each of ``steps`` gradient-descent steps (stops early if it diverges)."""
        W, b = self.W0, self.b0
        Ws, bs, costs = [W], [b], [self.cost(W, b)]
        limit = 1e6 * max(costs[0], 1e-12)
        diverged = False
        with np.errstate(all="ignore"):
            for _ in range(int(steps)):
                r = W * self.x + b - self.y
                dW, db = 2 * np.mean(r * self.x), 2 * np.mean(r)
                W, b = W - lr * dW, b - lr * db
                c = self.cost(W, b)
                if not np.isfinite(c) or c > limit:
                    diverged = True
                    break
                Ws.append(W), bs.append(b), costs.append(c)
        return np.array(Ws), np.array(bs), np.array(costs), diverged

    def draw(self, lr=0.1, steps=10) -> dict:
        Ws, bs, costs, diverged = self.path(lr, steps)
        ax = self.axes[0]
        gW, gb = np.meshgrid(np.linspace(*self.W_range, 80), np.linspace(*self.b_range, 80))
        grid = np.mean((gW[..., None] * self.x + gb[..., None] - self.y) ** 2, axis=-1)
        levels = self.best_cost + np.geomspace(1e-3, 1.0, 12) * (grid.max() - self.best_cost)
        ax.contour(gW, gb, grid, levels=levels, cmap="viridis", linewidths=0.8)
        ax.plot(Ws, bs, "o-", color="C3", ms=3, lw=1, label="gradient descent")
        ax.plot([self.W_best], [self.b_best], "*", color="k", ms=12, label="least squares")
        ax.set(xlim=self.W_range, ylim=self.b_range, xlabel="W", ylabel="b",
               title=f"lr = {lr:.3g}: W = {Ws[-1]:.4g}, b = {bs[-1]:.4g}" + (" (diverged)" if diverged else ""))
        ax.legend(loc="upper left", fontsize=8)
        ax = self.axes[1]
        ax.plot(np.arange(len(costs)), costs, "o-", color="C3", ms=3, lw=1, label="cost after each step")
        ax.axhline(self.best_cost, color="k", ls="--", lw=1, label=f"minimum {self.best_cost:.4g}")
        ax.set_yscale("log")
        ax.set(xlabel="step", ylabel="cost (MSE)", title=f"after {len(costs) - 1} steps: cost = {costs[-1]:.4g}")
        ax.legend(loc="upper right", fontsize=8)
        return {"W": Ws, "b": bs, "costs": costs, "best_cost": self.best_cost, "diverged": diverged}
