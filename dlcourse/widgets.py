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
            values = {**{k: c.value for k, c in self._controls.items()}, **values}
        for ax in self.axes:
            ax.clear()
        self.state = self.draw(**values)  # validates: a bad value raises before any control moves
        if self._widget is not None:
            from IPython.display import clear_output, display

            self._sync_controls(values)
            with self._out:
                clear_output(wait=True)
                display(self.fig)
        return self.state

    def _sync_controls(self, values: dict) -> None:
        """Move the controls to the values just drawn, without redrawing once per control."""
        import traitlets

        self._syncing = True
        try:
            for k, v in values.items():
                ctrl = self._controls.get(k)
                if ctrl is not None and ctrl.value != v:
                    try:
                        ctrl.value = v
                    except traitlets.TraitError:
                        pass  # a value the control cannot show (e.g. beyond a slider's range) was still drawn
        finally:
            self._syncing = False

    @property
    def widget(self):
        """The ipywidgets box (controls above the figure); built on first use."""
        if self._widget is None:
            import ipywidgets as w

            self._controls = self.controls()
            self._out = w.Output()
            for ctrl in self._controls.values():
                ctrl.observe(lambda change: None if getattr(self, "_syncing", False) else self.update(), names="value")
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


def broadcast_table(shape_a, shape_b) -> dict:
    """Apply PyTorch's broadcasting rule to two shapes, axis by axis, the way a student would on paper.

    The shapes are aligned on the right; a missing axis counts as size 1. On each axis the sizes must be
    equal, or one of them must be 1 (that operand is stretched). Returns ``a`` and ``b`` (padded on the
    left with ``None``), ``status`` per axis ("same", "stretch A", "stretch B" or "clash"), ``sizes`` (the
    size of the result on each axis, ``None`` where the sizes clash), ``result`` (the broadcast shape, or
    ``None``) and ``ok``.
    """
    a, b = tuple(int(s) for s in shape_a), tuple(int(s) for s in shape_b)
    n = max(len(a), len(b))
    pa = (None,) * (n - len(a)) + a
    pb = (None,) * (n - len(b)) + b
    result, status = [], []
    for sa, sb in zip(pa, pb):
        xa, xb = 1 if sa is None else sa, 1 if sb is None else sb
        if xa == xb:
            result.append(xa)
            status.append("same" if sa is not None and sb is not None else ("stretch A" if sa is None else "stretch B"))
        elif xa == 1:
            result.append(xb)
            status.append("stretch A")
        elif xb == 1:
            result.append(xa)
            status.append("stretch B")
        else:
            result.append(None)
            status.append("clash")
    ok = "clash" not in status
    return {"a": pa, "b": pb, "status": status, "sizes": result, "result": tuple(result) if ok else None, "ok": ok}


def _parse_shape(text) -> tuple:
    if isinstance(text, (tuple, list)):
        return tuple(int(s) for s in text)
    text = str(text).strip().strip("()[]")
    parts = [p for p in text.replace(" ", ",").split(",") if p]
    shape = tuple(int(p) for p in parts)
    if any(s < 0 for s in shape):
        raise ValueError("sizes must be >= 0")
    return shape


class BroadcastExplorer(Explorer):
    """Type two shapes; see them aligned on the right, which operand is stretched on each axis, and the result."""

    def __init__(self, a="4, 3", b="3") -> None:
        self.defaults = (str(a), str(b))
        self.layout = (1, 1, (6.0, 2.4))
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        return {
            "a": w.Text(value=self.defaults[0], description="shape of A", continuous_update=False),
            "b": w.Text(value=self.defaults[1], description="shape of B", continuous_update=False),
        }

    def draw(self, a="4, 3", b="3") -> dict:
        ax = self.axes[0]
        ax.set_axis_off()
        try:
            sa, sb = _parse_shape(a), _parse_shape(b)
        except ValueError:
            ax.set_title(f"could not read the shapes {a!r} and {b!r}: write sizes separated by commas, e.g. 4, 3", fontsize=10)
            return {"a": None, "b": None, "status": [], "sizes": [], "result": None, "ok": False, "error": "unreadable shape"}
        table = broadcast_table(sa, sb)
        n = len(table["status"])
        if n == 0:
            ax.set_title("two scalars: the result is a scalar, shape ()", fontsize=10)
            return table
        colours = np.full((3, n), 8.0)
        colours[2] = 1
        for j, st in enumerate(table["status"]):
            if st == "clash":
                colours[2, j] = 0
                colours[0, j] = colours[1, j] = 0
            elif st == "stretch A":
                colours[0, j] = 5
            elif st == "stretch B":
                colours[1, j] = 5
        ax.set_axis_on()
        ax.imshow(colours, cmap="Pastel1", vmin=0, vmax=8, aspect="auto")
        res = table["sizes"]
        for i, row in enumerate((table["a"], table["b"], res)):
            for j, size in enumerate(row):
                if i == 2 and table["status"][j] == "clash":
                    text = "clash"
                elif size is None:
                    text = "(1)" if i < 2 else ""
                else:
                    text = str(size)
                ax.text(j, i, text, ha="center", va="center", fontsize=12)
        ax.set_xticks(range(n), [f"axis {j - n}" for j in range(n)], fontsize=8)
        ax.set_yticks(range(3), ["A", "B", "A op B"], fontsize=9)
        if table["ok"]:
            title = f"{sa} and {sb} broadcast to {table['result']} (yellow: stretched to match)"
        else:
            bad = [j - n for j, st in enumerate(table["status"]) if st == "clash"]
            title = f"{sa} and {sb} do not broadcast: sizes differ on axis {bad[0]} and neither is 1"
        ax.set_title(title, fontsize=10)
        return table


class BatchSizeExplorer(Explorer):
    """Mini-batch SGD on a linear regression: a batch_size slider shows iterations per epoch and the loss curves.

    Left: iterations per epoch, ceil(N / batch_size), against the batch size. Right: the loss of every
    mini-batch step (noisy), the loss on the whole training set after each epoch, and full-batch gradient
    descent (batch_size = N, one step per epoch) with the same learning rate for comparison. The model
    y_hat = X W + b starts at W = 0, b = 0; the loss is the mean squared error. Computed in NumPy (float64)
    so a redraw is instant.
    """

    DIVERGED = 1e12  # a loss above this counts as diverged and is not drawn

    def __init__(self, X, y, *, epochs: int = 20, lr: float = 0.02, seed: int = 0, batch_sizes=None) -> None:
        self.X = to_numpy(X).astype(np.float64)
        self.y = to_numpy(y).astype(np.float64).reshape(-1)
        if self.X.ndim != 2 or self.X.shape[0] != self.y.shape[0]:
            raise ValueError(f"X must be (N, D) and y (N,), got {self.X.shape} and {self.y.shape}")
        self.N = self.X.shape[0]
        self.epochs, self.lr, self.seed = int(epochs), float(lr), int(seed)
        sizes = batch_sizes if batch_sizes is not None else [b for b in (1, 2, 4, 8, 16, 32, 64, 128, 256) if b < self.N] + [self.N]
        self.batch_sizes = sorted(set(int(b) for b in sizes))
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        start = 32 if 32 in self.batch_sizes else self.batch_sizes[len(self.batch_sizes) // 2]
        return {
            "batch_size": w.SelectionSlider(options=self.batch_sizes, value=start, description="batch_size"),
            "lr": w.FloatLogSlider(value=self.lr, base=10, min=-3, max=-1, step=0.25, description="lr"),
        }

    def _loss(self, W, b) -> float:
        return float(np.mean((self.X @ W + b - self.y) ** 2))

    def train(self, batch_size: int, lr: float) -> tuple[np.ndarray, np.ndarray]:
        """Mini-batch SGD for ``self.epochs`` epochs: (loss of each step's batch, training loss after each epoch)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        rng = np.random.default_rng(self.seed)
        W, b = np.zeros(self.X.shape[1]), 0.0
        per_epoch = -(-self.N // batch_size)
        step_losses = np.full(self.epochs * per_epoch, np.nan)
        epoch_losses = np.full(self.epochs + 1, np.nan)
        epoch_losses[0] = self._loss(W, b)
        step = 0
        with np.errstate(all="ignore"):  # a diverging run must not print overflow warnings
            for epoch in range(self.epochs):
                perm = rng.permutation(self.N)
                for start in range(0, self.N, batch_size):
                    idx = perm[start:start + batch_size]
                    Xb, yb = self.X[idx], self.y[idx]
                    err = Xb @ W + b - yb
                    step_losses[step] = np.mean(err ** 2)
                    step += 1
                    W = W - lr * 2.0 * Xb.T @ err / len(idx)
                    b = b - lr * 2.0 * float(np.mean(err))
                loss = self._loss(W, b)
                if not np.isfinite(loss) or loss > self.DIVERGED:
                    break  # diverged: the rest stays NaN
                epoch_losses[epoch + 1] = loss
        step_losses[~(step_losses <= self.DIVERGED)] = np.nan
        return step_losses, epoch_losses

    def draw(self, batch_size=32, lr=None) -> dict:
        batch_size = int(batch_size)
        lr = self.lr if lr is None else float(lr)
        per_epoch = -(-self.N // batch_size)
        steps, epoch_losses = self.train(batch_size, lr)
        _, full_losses = self.train(self.N, lr)

        ax = self.axes[0]
        sizes = np.array(self.batch_sizes)
        ax.plot(sizes, -(-self.N // sizes), "o-", color="C0", ms=4)
        ax.plot([batch_size], [per_epoch], "o", color="C3", ms=9)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(sizes, [str(s) for s in sizes], fontsize=7)
        ax.minorticks_off()
        ax.set(xlabel="batch_size", ylabel="iterations per epoch",
               title=f"N = {self.N}, batch_size = {batch_size}: {per_epoch} iteration{'s' * (per_epoch != 1)} per epoch")

        ax = self.axes[1]
        ax.plot(np.arange(1, len(steps) + 1) / per_epoch, steps, color="C0", alpha=0.35, lw=0.8, label="loss of each mini-batch")
        ax.plot(np.arange(self.epochs + 1), epoch_losses, "o-", color="C0", ms=3, label=f"batch_size={batch_size}: training loss")
        ax.plot(np.arange(self.epochs + 1), full_losses, "s--", color="C3", ms=3, label=f"full batch ({self.N}): training loss")
        ax.set_yscale("log")
        final = "diverged" if np.isnan(epoch_losses[-1]) else f"{epoch_losses[-1]:.4g}"
        ax.set(xlabel="epoch", ylabel="MSE (training set)",
               title=f"after {self.epochs} epochs: {final} vs full batch {full_losses[-1]:.4g}")
        ax.legend(fontsize=8)
        return {"batch_size": batch_size, "lr": lr, "iterations_per_epoch": per_epoch, "step_losses": steps,
                "epoch_losses": epoch_losses, "full_batch_losses": full_losses,
                "final_loss": float(epoch_losses[-1]), "full_batch_final_loss": float(full_losses[-1]),
                "diverged": bool(np.isnan(epoch_losses[-1]))}


class LearningRateExplorer(Explorer):
    """Gradient descent on the cost of H(x) = W x (one weight, no bias): what the learning rate does.

    The cost is a parabola in W with second derivative L = 2 mean(x²), so one step maps the distance to the
    minimum W* = mean(x y) / mean(x²) to (1 - lr L) times itself: the run creeps down one side of the bowl
    for lr < 1/L, zig-zags across it but still converges for 1/L < lr < 2/L, and diverges for lr > 2/L.
    Left: the bowl cost(W) with the path of ``steps`` steps from ``W0``; right: the distance to the minimum
    cost after each step (log scale). ``update(lr=.., steps=.., W0=..)`` returns ``{"W": path (steps + 1,),
    "costs": cost at each point, "W_star", "L", "lr_max" (= 2 / L), "factor" (= 1 - lr L), "regime"}``
    with ``regime`` one of "stuck" (lr = 0), "converges", "oscillates" (converges while zig-zagging),
    "bounces" (lr = 2/L exactly: forever between two points) and "diverges". Computed in NumPy (float64).
    """

    def __init__(self, x, y, *, W0: float = 0.0, lr=None, max_steps: int = 30, lr_range=None,
                 xlabel: str = "W") -> None:
        self.x, self.y = to_numpy(x).astype(np.float64).reshape(-1), to_numpy(y).astype(np.float64).reshape(-1)
        if self.x.shape != self.y.shape:
            raise ValueError(f"x and y must have the same length, got {self.x.shape[0]} and {self.y.shape[0]}")
        m2 = float(np.mean(self.x ** 2)) if self.x.size else 0.0
        if not m2 > 0:
            raise ValueError("x must contain at least one non-zero value: otherwise the cost does not depend on W")
        self.L = 2.0 * m2
        self.lr_max = 2.0 / self.L
        self.W_star = float(np.mean(self.x * self.y)) / m2
        self.best_cost = self.cost(self.W_star)
        self.W0, self.max_steps, self.xlabel = float(W0), int(max_steps), xlabel
        self.lr_range = tuple(lr_range) if lr_range is not None else (0.0, 1.25 * self.lr_max)
        if not 0 <= self.lr_range[0] < self.lr_range[1]:
            raise ValueError(f"lr_range must be two increasing numbers >= 0, got {self.lr_range}")
        self.lr0 = float(lr) if lr is not None else 0.3 * self.lr_max
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        lo, hi = self.lr_range
        span = max(abs(self.W0 - self.W_star), 1e-3 * max(1.0, abs(self.W_star)))
        return {
            "lr": w.FloatSlider(value=min(max(self.lr0, lo), hi), min=lo, max=hi, step=(hi - lo) / 250,
                                description="lr", readout_format=".4g", continuous_update=False),
            "steps": w.IntSlider(value=min(10, self.max_steps), min=0, max=self.max_steps, description="steps"),
            "W0": w.FloatSlider(value=self.W0, min=self.W_star - 2 * span, max=self.W_star + 2 * span,
                                step=span / 50, description="W0", readout_format=".3g", continuous_update=False),
        }

    @property
    def widget(self):
        """Controls above the figure, with a play button that animates the steps one at a time."""
        box = super().widget
        if not hasattr(self, "_play"):
            import ipywidgets as w

            self._play = w.Play(value=self._controls["steps"].value, min=0, max=self.max_steps, step=1,
                                interval=400, description="animate the steps")
            w.jslink((self._play, "value"), (self._controls["steps"], "value"))
            box.children[0].children = (self._play, *box.children[0].children)
        return box

    def cost(self, W: float) -> float:
        return float(np.mean((W * self.x - self.y) ** 2))

    def regime(self, lr: float) -> str:
        """What gradient descent with learning rate ``lr`` does on this bowl (see the class docstring)."""
        if lr == 0:
            return "stuck"
        factor = 1.0 - lr * self.L
        if np.isclose(factor, -1.0, rtol=0.0, atol=1e-12):
            return "bounces"
        if abs(factor) > 1:
            return "diverges"
        return "converges" if factor >= 0 else "oscillates"

    def path(self, lr: float, steps: int, W0: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """W and the cost at each of the ``steps + 1`` points of gradient descent from ``W0``."""
        W = self.W0 if W0 is None else float(W0)
        Ws = [W]
        with np.errstate(all="ignore"):  # a diverging run must not print overflow warnings
            for _ in range(int(steps)):
                W = W - lr * 2.0 * float(np.mean((W * self.x - self.y) * self.x))
                Ws.append(W)
            Ws = np.array(Ws)
            costs = np.array([self.cost(W_) for W_ in Ws])
        return Ws, costs

    def draw(self, lr=None, steps=10, W0=None) -> dict:
        lr = self.lr0 if lr is None else float(lr)
        W0 = self.W0 if W0 is None else float(W0)
        Ws, costs = self.path(lr, steps, W0)
        regime = self.regime(lr)
        factor = 1.0 - lr * self.L

        ax = self.axes[0]
        half = 1.6 * max(abs(W0 - self.W_star), 1e-3 * max(1.0, abs(self.W_star)))
        grid = np.linspace(self.W_star - half, self.W_star + half, 201)
        bowl = [self.cost(g) for g in grid]
        ax.plot(grid, bowl, color="C0", lw=1.5, label="cost(W)")
        inside = np.abs(Ws - self.W_star) <= half
        limit = 1e100 * max(1.0, costs[0])  # a diverging run is drawn until here (log axes overflow beyond)
        drawn = np.where(costs <= limit, costs, np.nan)
        ax.plot(np.where(costs <= limit, Ws, np.nan), drawn, "-", color="C3", lw=0.8, alpha=0.7)
        ax.plot(Ws[inside], costs[inside], "o", color="C3", ms=4, label="gradient descent")
        ax.plot([W0], [costs[0]], "s", color="k", ms=6, label=f"start W0 = {W0:.3g}")
        ax.axvline(self.W_star, color="k", ls=":", lw=1)
        ax.set(xlim=(grid[0], grid[-1]), ylim=(min(bowl) - 0.05 * (max(bowl) - min(bowl)), 1.05 * max(bowl)),
               xlabel=self.xlabel, ylabel="cost(W)")
        left = "" if inside.all() else f" — left the plot at step {int(np.argmin(inside))}"
        ax.set_title(f"lr = {lr:.4g} = {lr / self.lr_max:.2f} × 2/L: {regime}{left}", fontsize=10)
        ax.legend(loc="upper center", fontsize=8)

        ax = self.axes[1]
        gap = np.maximum(drawn - self.best_cost, 1e-16 * max(1.0, self.best_cost))
        ax.plot(np.arange(len(gap)), gap, "o-", color="C3", ms=3, lw=1)
        ax.set_yscale("log")
        ax.set(xlabel="step", ylabel="cost(W) − cost(W*)",
               title=f"each step multiplies W − W* by 1 − lr·L = {factor:.3g}")
        ax.title.set_fontsize(10)
        return {"W": Ws, "costs": costs, "W_star": self.W_star, "best_cost": self.best_cost, "L": self.L,
                "lr_max": self.lr_max, "lr": lr, "factor": factor, "regime": regime}


class LogisticBoundaryExplorer(Explorer):
    """Sliders for w1, w2 and b move the decision boundary w1·x1 + w2·x2 + b = 0 over a 2-feature scatter.

    Left: the points coloured by class, the half-plane predicted as class 1 shaded, the boundary line; the
    title gives the mean binary cross-entropy and the accuracy of the labels ``z > 0``. Right: every point's
    true label (slightly jittered) against its logit z, under the curve σ(z); points on the wrong side of
    z = 0 are the mistakes. ``update`` returns ``loss``, ``accuracy``,
    the drawn boundary (``line_x``, ``line_y``; None when w1 = w2 = 0), ``logits`` and ``y_hat``.
    """

    def __init__(self, X, y, *, w_range=(-5.0, 5.0), b_range=(-5.0, 5.0), start=(-1.0, -1.0, 0.0),
                 xlabel="x1", ylabel="x2", class_names=("class 0", "class 1")) -> None:
        self.X = to_numpy(X).astype(np.float64)
        self.y = to_numpy(y).astype(np.float64).reshape(-1)
        if self.X.ndim != 2 or self.X.shape[1] != 2:
            raise ValueError(f"LogisticBoundaryExplorer needs X of shape (N, 2), got {self.X.shape}")
        if self.X.shape[0] != self.y.shape[0]:
            raise ValueError(f"X and y must have the same number of points, got {self.X.shape[0]} and {self.y.shape[0]}")
        if not np.isin(self.y, (0.0, 1.0)).all():
            raise ValueError("labels y must be 0 or 1")
        self.w_range, self.b_range, self.start = w_range, b_range, start
        self.labels, self.class_names = (xlabel, ylabel), class_names
        lo, hi = self.X.min(axis=0), self.X.max(axis=0)
        pad = 0.05 * np.maximum(hi - lo, 1e-9)
        self.lims = (lo - pad, hi + pad)
        self.jitter = np.random.default_rng(0).uniform(-0.04, 0.04, size=len(self.y))
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        def slider(name, value, r):
            return w.FloatSlider(value=value, min=r[0], max=r[1], step=(r[1] - r[0]) / 200, description=name,
                                 continuous_update=False)

        return {"w1": slider("w1", self.start[0], self.w_range), "w2": slider("w2", self.start[1], self.w_range),
                "b": slider("b", self.start[2], self.b_range)}

    @staticmethod
    def bce(z: np.ndarray, y: np.ndarray) -> float:
        """Mean binary cross-entropy from logits, in the stable form max(z, 0) − z·y + log(1 + e^(−|z|))."""
        return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))

    def boundary(self, w1: float, w2: float, b: float):
        """Two points (x1s, x2s) of the line w1·x1 + w2·x2 + b = 0 across the plot, or (None, None)."""
        (x1_lo, x2_lo), (x1_hi, x2_hi) = self.lims
        if abs(w2) > 1e-12:
            xs = np.array([x1_lo, x1_hi])
            return xs, -(w1 * xs + b) / w2
        if abs(w1) > 1e-12:
            return np.full(2, -b / w1), np.array([x2_lo, x2_hi])
        return None, None

    def draw(self, w1=-1.0, w2=-1.0, b=0.0) -> dict:
        w1, w2, b = float(w1), float(w2), float(b)
        z = self.X @ np.array([w1, w2]) + b
        y_hat = (z > 0).astype(np.int64)
        loss, accuracy = self.bce(z, self.y), float(np.mean(y_hat == self.y))
        ax = self.axes[0]
        (x1_lo, x2_lo), (x1_hi, x2_hi) = self.lims
        g1, g2 = np.meshgrid(np.linspace(x1_lo, x1_hi, 120), np.linspace(x2_lo, x2_hi, 120))
        side = (w1 * g1 + w2 * g2 + b > 0).astype(float)
        ax.contourf(g1, g2, side, levels=[-0.5, 0.5, 1.5], colors=["C3", "C0"], alpha=0.12)
        for k, (marker, colour) in enumerate((("x", "C3"), ("o", "C0"))):
            pts = self.X[self.y == k]
            ax.scatter(pts[:, 0], pts[:, 1], s=12, marker=marker, color=colour, alpha=0.7, label=self.class_names[k])
        line_x, line_y = self.boundary(w1, w2, b)
        if line_x is not None:
            ax.plot(line_x, line_y, color="k", lw=2, label="w·x + b = 0")
        ax.set(xlim=(x1_lo, x1_hi), ylim=(x2_lo, x2_hi), xlabel=self.labels[0], ylabel=self.labels[1],
               title=f"BCE = {loss:.3f}   accuracy = {accuracy:.1%}")
        ax.legend(loc="upper right", fontsize=8)
        ax = self.axes[1]
        reach = float(np.clip(np.abs(z).max(), 6.0, 25.0))
        zs = np.linspace(-reach, reach, 200)
        ax.plot(zs, 1 / (1 + np.exp(-zs)), color="k", lw=1)
        zc, yj = np.clip(z, -reach, reach), self.y + self.jitter
        for k, (marker, colour) in enumerate((("x", "C3"), ("o", "C0"))):
            ax.scatter(zc[self.y == k], yj[self.y == k], s=12, marker=marker, color=colour, alpha=0.6)
        ax.axhline(0.5, color="grey", lw=0.8, ls="--")
        ax.axvline(0.0, color="grey", lw=0.8, ls="--")
        ax.set(xlabel="logit z = w·x + b", ylabel="true label y  /  σ(z)", ylim=(-0.1, 1.1),
               title=f"labels vs logits, curve σ(z); mistakes: {int(np.sum(y_hat != self.y))}")
        return {"w1": w1, "w2": w2, "b": b, "loss": loss, "accuracy": accuracy, "line_x": line_x, "line_y": line_y,
                "logits": z, "y_hat": y_hat}


class SoftmaxExplorer(Explorer):
    """Sliders for K logits and a temperature T: bars show softmax(logits / T) and the cross-entropy.

    Left: the probabilities p = softmax(z / T) as bars (the true class in red, the predicted class, the
    argmax, outlined in black) against the uniform 1/K; right: each class's probability as T sweeps its
    range (log scale), with the current T marked — as T → 0 the bars approach the one-hot vector of the
    argmax, as T grows they flatten towards 1/K. The loss is the cross-entropy -log p[target], computed
    with the log-sum-exp trick, so it stays finite for any slider values. ``update(z0=.., z1=.., ..., T=..,
    target=..)`` returns ``{"logits": z (K,), "T", "scaled": z / T, "probs": (K,), "log_probs": (K,),
    "target", "loss", "prediction": argmax, "entropy"}``. Computed in NumPy (float64).
    """

    def __init__(self, logits=(2.0, 1.0, 0.1), *, class_names=None, target: int = 0, T: float = 1.0,
                 logit_range=(-5.0, 5.0), T_range=(0.05, 20.0)) -> None:
        self.logits0 = np.asarray(to_numpy(logits), dtype=np.float64).reshape(-1)
        self.K = len(self.logits0)
        if not 2 <= self.K <= 8:
            raise ValueError(f"SoftmaxExplorer shows 2 to 8 classes, got {self.K} logits")
        self.names = [str(n) for n in class_names] if class_names is not None else [f"class {k}" for k in range(self.K)]
        if len(self.names) != self.K:
            raise ValueError(f"class_names has {len(self.names)} names for {self.K} logits")
        if not 0 <= int(target) < self.K:
            raise ValueError(f"target must be a class index in 0..{self.K - 1}, got {target}")
        if not 0 < T_range[0] < T_range[1]:
            raise ValueError(f"T_range must be two increasing positive numbers, got {T_range}")
        if not logit_range[0] < logit_range[1]:
            raise ValueError(f"logit_range must be two increasing numbers, got {logit_range}")
        self.target0, self.T0 = int(target), float(T)
        self.logit_range, self.T_range = tuple(logit_range), tuple(T_range)
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        lo, hi = self.logit_range
        ctrls = {f"z{k}": w.FloatSlider(value=float(np.clip(z, lo, hi)), min=lo, max=hi, step=(hi - lo) / 100,
                                        description=f"z{k} {self.names[k]}"[:14], continuous_update=False)
                 for k, z in enumerate(self.logits0)}
        tlo, thi = np.log10(self.T_range[0]), np.log10(self.T_range[1])
        ctrls["T"] = w.FloatLogSlider(value=self.T0, base=10, min=tlo, max=thi, step=(thi - tlo) / 60,
                                      description="T", readout_format=".3g", continuous_update=False)
        ctrls["target"] = w.Dropdown(options=[(n, k) for k, n in enumerate(self.names)], value=self.target0,
                                     description="true class")
        return ctrls

    @property
    def widget(self):
        """The logit sliders in one column, the temperature and the true class in another, the figure below."""
        box = super().widget
        row = box.children[0]
        if len(row.children) == self.K + 2:
            import ipywidgets as w

            c = self._controls
            row.children = (w.VBox([c[f"z{k}"] for k in range(self.K)]), w.VBox([c["T"], c["target"]]))
        return box

    @staticmethod
    def log_softmax(scaled: np.ndarray) -> np.ndarray:
        """log softmax of a 1-D array with the log-sum-exp trick (finite for any finite input)."""
        m = np.max(scaled)
        return scaled - m - np.log(np.sum(np.exp(scaled - m)))

    def draw(self, T=None, target=None, **logits) -> dict:
        unknown = set(logits) - {f"z{k}" for k in range(self.K)}
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}: the logits are z0..z{self.K - 1}")
        z = np.array([float(logits.get(f"z{k}", self.logits0[k])) for k in range(self.K)])
        T = self.T0 if T is None else float(T)
        target = self.target0 if target is None else int(target)
        if not T > 0:
            raise ValueError(f"the temperature T must be positive, got {T}")
        if not 0 <= target < self.K:
            raise ValueError(f"target must be a class index in 0..{self.K - 1}, got {target}")
        scaled = z / T
        log_probs = self.log_softmax(scaled)
        probs = np.exp(log_probs)
        loss = float(-log_probs[target])
        prediction = int(np.argmax(z))
        entropy = float(-np.sum(probs * log_probs))

        ax = self.axes[0]
        colours = ["C3" if k == target else "C0" for k in range(self.K)]
        bars = ax.bar(np.arange(self.K), probs, color=colours, alpha=0.85)
        for k, bar in enumerate(bars):
            bar.set_edgecolor("k" if k == prediction else colours[k])
            bar.set_linewidth(2.5 if k == prediction else 0.0)
        for k, p in enumerate(probs):
            ax.text(k, p + 0.02, f"{p:.3f}", ha="center", va="bottom", fontsize=9)
        ax.axhline(1.0 / self.K, color="grey", ls="--", lw=1, label=f"uniform 1/K = {1.0 / self.K:.3g}")
        ax.set_xticks(np.arange(self.K), [f"{n}\nz = {v:.2g}" for n, v in zip(self.names, z)], fontsize=8)
        ax.set(ylim=(0, 1.12), ylabel="probability", xlabel="red: true class,  black outline: prediction (argmax)",
               title=f"softmax(z / T), T = {T:.3g}:  loss = -log p[{self.names[target]}] = {loss:.3f}")
        ax.xaxis.label.set_fontsize(8)
        ax.title.set_fontsize(10)
        ax.legend(loc="upper right", fontsize=8)

        ax = self.axes[1]
        Ts = np.geomspace(self.T_range[0], self.T_range[1], 121)
        sweep = np.exp(np.array([self.log_softmax(z / t) for t in Ts]))
        for k in range(self.K):
            ax.plot(Ts, sweep[:, k], color=f"C{k}", lw=2 if k == target else 1.2, label=self.names[k])
        ax.axvline(T, color="k", ls=":", lw=1)
        ax.axhline(1.0 / self.K, color="grey", ls="--", lw=1)
        ax.set_xscale("log")
        ax.set(ylim=(-0.02, 1.02), xlabel="temperature T", ylabel="probability",
               title="T → 0: one-hot on the argmax;  T → ∞: uniform 1/K")
        ax.title.set_fontsize(10)
        ax.legend(loc="center right", fontsize=8)
        return {"logits": z, "T": T, "scaled": scaled, "probs": probs, "log_probs": log_probs, "target": target,
                "loss": loss, "prediction": prediction, "entropy": entropy, "bar_heights": np.array([b.get_height() for b in bars])}


class WeightDecayExplorer(Explorer):
    """Overfitting and L2 regularisation on a polynomial regression: sliders pick λ and the degree.

    The model is y_hat = sum_k w_k P_k(x), a polynomial of ``degree`` written with Legendre polynomials P_k
    (each feature scaled to unit root-mean-square on the training points; w_0, the weight of the constant
    P_0 = 1, is the bias). It is trained by full-batch gradient descent from w = 0 on
    MSE(train) + λ/2 · sum_{k >= 1} w_k² (the bias is not penalised), with lr = 1 / (largest curvature), for
    ``epochs`` epochs. Left: the training and validation points and the fitted curve after the last epoch
    and at the epoch with the lowest validation loss; right: the learning curves, training and validation MSE
    (without the penalty) after every epoch, on log-log axes. Computed in NumPy (float64).

    ``update(lam=.., degree=..)`` returns ``{"lam", "degree", "epochs": 0..epochs, "train_loss",
    "val_loss" (arrays of length epochs + 1), "best_epoch" (argmin of val_loss), "best_val_loss",
    "final_train_loss", "final_val_loss", "weights" (after the last epoch), "weight_norm" (the L2 norm of
    the non-bias weights)}``.
    """

    LAMBDAS = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)

    def __init__(self, x_train, y_train, x_val, y_val, *, degree: int = 15, lam: float = 0.0, epochs: int = 3000,
                 truth=None, max_degree: int = 20) -> None:
        self.x_tr, self.y_tr = to_numpy(x_train).astype(np.float64).reshape(-1), to_numpy(y_train).astype(np.float64).reshape(-1)
        self.x_va, self.y_va = to_numpy(x_val).astype(np.float64).reshape(-1), to_numpy(y_val).astype(np.float64).reshape(-1)
        if self.x_tr.shape != self.y_tr.shape or self.x_va.shape != self.y_va.shape:
            raise ValueError("x and y of each split must have the same length")
        if len(self.x_tr) < 2 or len(self.x_va) < 1:
            raise ValueError("need at least 2 training points and 1 validation point")
        if not 1 <= degree <= max_degree:
            raise ValueError(f"degree must be between 1 and max_degree={max_degree}, got {degree}")
        if epochs < 1:
            raise ValueError(f"epochs must be >= 1, got {epochs}")
        lo, hi = min(self.x_tr.min(), self.x_va.min()), max(self.x_tr.max(), self.x_va.max())
        self._centre, self._half = (lo + hi) / 2, max((hi - lo) / 2, 1e-12)  # map x to [-1, 1]
        self.degree0, self.lam0, self.epochs, self.truth, self.max_degree = int(degree), float(lam), int(epochs), truth, int(max_degree)
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        lams = sorted(set(self.LAMBDAS) | {self.lam0})
        return {
            "lam": w.SelectionSlider(options=[(f"{v:g}", v) for v in lams], value=self.lam0, description="λ (L2)",
                                     continuous_update=False),
            "degree": w.IntSlider(value=self.degree0, min=1, max=self.max_degree, description="degree",
                                  continuous_update=False),
        }

    def features(self, x, degree: int) -> np.ndarray:
        """(N, degree + 1) Legendre features of x, scaled by their RMS over the training points."""
        from numpy.polynomial import legendre

        t = (np.asarray(x, dtype=np.float64) - self._centre) / self._half
        train = legendre.legvander((self.x_tr - self._centre) / self._half, degree)
        scale = np.sqrt((train ** 2).mean(axis=0))
        scale[scale == 0] = 1.0
        return legendre.legvander(t, degree) / scale

    def train(self, lam: float, degree: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Gradient descent: (train MSE, val MSE per epoch — epochs + 1 values —, final w, w at the best epoch)."""
        if lam < 0:
            raise ValueError(f"lam must be >= 0, got {lam}")
        P, Pv = self.features(self.x_tr, degree), self.features(self.x_va, degree)
        N = len(self.x_tr)
        mask = np.ones(degree + 1)
        mask[0] = 0.0  # the bias is not penalised
        curvature = np.linalg.eigvalsh(2 * P.T @ P / N + lam * np.diag(mask))[-1]
        lr = 1.0 / curvature
        w = np.zeros(degree + 1)
        train, val = np.empty(self.epochs + 1), np.empty(self.epochs + 1)
        best_w, best = w.copy(), np.inf
        for epoch in range(self.epochs + 1):
            r = P @ w - self.y_tr
            train[epoch] = np.mean(r ** 2)
            val[epoch] = np.mean((Pv @ w - self.y_va) ** 2)
            if val[epoch] < best:
                best, best_w = val[epoch], w.copy()
            if epoch < self.epochs:
                w = w - lr * (2 * P.T @ r / N + lam * mask * w)
        return train, val, w, best_w

    def draw(self, lam=None, degree=None) -> dict:
        lam = self.lam0 if lam is None else float(lam)
        degree = self.degree0 if degree is None else int(degree)
        train, val, w, best_w = self.train(lam, degree)
        best_epoch = int(np.argmin(val))
        epochs = np.arange(self.epochs + 1)

        ax = self.axes[0]
        lo, hi = self._centre - self._half, self._centre + self._half
        grid = np.linspace(lo, hi, 300)
        G = self.features(grid, degree)
        ax.scatter(self.x_va, self.y_va, s=8, color="C1", alpha=0.35, label="validation points")
        ax.scatter(self.x_tr, self.y_tr, s=22, color="C0", zorder=3, label="training points")
        if self.truth is not None:
            ax.plot(grid, self.truth(grid), color="k", ls=":", lw=1, label="true function")
        ax.plot(grid, G @ w, color="C3", lw=2, label=f"after {self.epochs} epochs")
        ax.plot(grid, G @ best_w, color="C2", lw=1.2, ls="--", label=f"at the best epoch ({best_epoch})")
        ys = np.concatenate([self.y_tr, self.y_va])
        pad = max(0.3 * (ys.max() - ys.min()), 0.5)
        ax.set(xlim=(lo, hi), ylim=(ys.min() - pad, ys.max() + pad), xlabel="x", ylabel="y",
               title=f"degree {degree}, λ = {lam:g}: {len(self.x_tr)} training points")
        ax.legend(loc="upper left", fontsize=7)

        ax = self.axes[1]
        ax.plot(epochs[1:], train[1:], color="C0", label="training loss")
        ax.plot(epochs[1:], val[1:], color="C1", label="validation loss")
        ax.axvline(max(best_epoch, 1), color="C2", ls="--", lw=1, label=f"lowest validation loss: epoch {best_epoch}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set(xlabel="epoch", ylabel="MSE",
               title=f"final: train {train[-1]:.3g}, validation {val[-1]:.3g} (best {val[best_epoch]:.3g})")
        ax.title.set_fontsize(10)
        ax.legend(loc="lower left", fontsize=8)
        return {"lam": lam, "degree": degree, "epochs": epochs, "train_loss": train, "val_loss": val,
                "best_epoch": best_epoch, "best_val_loss": float(val[best_epoch]),
                "final_train_loss": float(train[-1]), "final_val_loss": float(val[-1]),
                "weights": w, "weight_norm": float(np.linalg.norm(w[1:]))}


def _graph_sigmoid(t: float) -> float:
    """σ(t) for one float, without overflow for large |t|."""
    if t >= 0:
        return 1.0 / (1.0 + np.exp(-t))
    e = np.exp(t)
    return e / (1.0 + e)


class ComputationalGraphExplorer(Explorer):
    """A small computational graph: sliders set the inputs; each node shows its forward value and ∂f/∂node.

    ``graph`` is one of :attr:`GRAPHS` ("add_mul": f = (x + y)·z, "sigmoid_neuron": f = σ(w0·x0 + w1·x1 + b),
    "max_mul": f = max(x, y)·z) or a spec of the same form: ``{"title": str, "inputs": {name: start value},
    "nodes": [(name, op, (input names...)), ...]}`` with ops from :attr:`OPS` (add, mul, max, sigmoid, relu);
    the last node is the output f. Backward starts from ∂f/∂f = 1 and visits the nodes in reverse order:
    each node multiplies the gradient arriving from above (upstream) by its local gradient and adds the
    product to each input's gradient (so an input used twice collects both contributions). Ties in max
    split the gradient in halves and relu'(0) = 0, as in PyTorch.

    ``update(**inputs)`` returns ``{"graph", "values" (every node's forward value), "grads" (∂f/∂ every node),
    "local" ({(input, node): local gradient}), "upstream" ({(input, node): gradient sent back along that
    edge}), "f", "labels" (the value and gradient texts drawn, by node)}``.
    """

    OPS = {
        # name: (symbol drawn in the node, number of inputs)
        "add": ("+", 2),
        "mul": ("×", 2),
        "max": ("max", 2),
        "sigmoid": ("σ", 1),
        "relu": ("ReLU", 1),
    }

    GRAPHS = {
        "add_mul": {
            "title": "f = (x + y) · z",
            "inputs": {"x": 2.0, "y": -3.0, "z": 4.0},
            "nodes": [("q", "add", ("x", "y")), ("f", "mul", ("q", "z"))],
        },
        "sigmoid_neuron": {
            "title": "f = σ(w0·x0 + w1·x1 + b)",
            "inputs": {"w0": 1.5, "x0": 2.0, "w1": -1.0, "x1": 1.0, "b": -0.5},
            "nodes": [("p0", "mul", ("w0", "x0")), ("p1", "mul", ("w1", "x1")), ("s", "add", ("p0", "p1")),
                      ("t", "add", ("s", "b")), ("f", "sigmoid", ("t",))],
        },
        "max_mul": {
            "title": "f = max(x, y) · z",
            "inputs": {"x": 1.0, "y": 3.0, "z": -2.0},
            "nodes": [("m", "max", ("x", "y")), ("f", "mul", ("m", "z"))],
        },
    }

    DX = 1.6  # horizontal distance between columns of the drawing (the vertical one is 1)
    R = 0.2   # radius of an op node

    def __init__(self, graph="add_mul", *, value_range=(-4.0, 4.0)) -> None:
        spec = self.GRAPHS.get(graph) if isinstance(graph, str) else graph
        if spec is None:
            raise ValueError(f"unknown graph {graph!r}: use one of {sorted(self.GRAPHS)} or a spec dict")
        self.name = graph if isinstance(graph, str) else spec.get("title", "custom")
        self.title = spec.get("title", self.name)
        self.inputs = {k: float(v) for k, v in spec["inputs"].items()}
        self.nodes = [(n, op, tuple(args)) for n, op, args in spec["nodes"]]
        known = set(self.inputs)
        if not self.nodes:
            raise ValueError("a graph needs at least one operation node")
        for n, op, args in self.nodes:
            if op not in self.OPS:
                raise ValueError(f"node {n!r}: unknown op {op!r}, use one of {sorted(self.OPS)}")
            if len(args) != self.OPS[op][1]:
                raise ValueError(f"node {n!r}: {op} takes {self.OPS[op][1]} input(s), got {len(args)}")
            missing = [a for a in args if a not in known]
            if missing:
                raise ValueError(f"node {n!r} uses {missing} before they are defined")
            if n in known:
                raise ValueError(f"node name {n!r} is used twice")
            known.add(n)
        self.output = self.nodes[-1][0]
        self.value_range = value_range
        self._positions = self._layout()
        xs, ys = [p[0] for p in self._positions.values()], [p[1] for p in self._positions.values()]
        self._xlim, self._ylim = (min(xs) - 0.7, max(xs) + 0.7), (min(ys) - 0.55, max(ys) + 0.45)
        width, height = self._xlim[1] - self._xlim[0], self._ylim[1] - self._ylim[0]
        scale = min(1.25, 8.0 / width)   # inches per unit of the drawing, equal in x and y
        self.layout = (1, 1, (max(width * scale, 6.0), height * scale + 0.6))
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        lo, hi = self.value_range
        return {k: w.FloatSlider(value=v, min=lo, max=hi, step=0.1, description=k, continuous_update=False,
                                 layout=w.Layout(width="220px"))
                for k, v in self.inputs.items()}

    def _layout(self) -> dict:
        """Inputs in column 0 (top to bottom as listed); an op one column right of its deepest input, at the mean height of its inputs."""
        pos = {k: (0.0, float(len(self.inputs) - 1 - i)) for i, k in enumerate(self.inputs)}
        for n, _, args in self.nodes:
            pos[n] = (self.DX + max(pos[a][0] for a in args), float(np.mean([pos[a][1] for a in args])))
        return pos

    @staticmethod
    def _forward_op(op: str, a: list[float]) -> float:
        if op == "add":
            return a[0] + a[1]
        if op == "mul":
            return a[0] * a[1]
        if op == "max":
            return max(a[0], a[1])
        if op == "sigmoid":
            return _graph_sigmoid(a[0])
        return max(a[0], 0.0)  # relu

    @staticmethod
    def _local_grads(op: str, a: list[float], out: float) -> list[float]:
        """∂out/∂input for each input of one node."""
        if op == "add":
            return [1.0, 1.0]          # add hands the gradient on unchanged to both inputs
        if op == "mul":
            return [a[1], a[0]]        # multiply swaps: ∂(ab)/∂a = b
        if op == "max":
            if a[0] == a[1]:
                return [0.5, 0.5]      # a tie: PyTorch splits the gradient
            return [1.0, 0.0] if a[0] > a[1] else [0.0, 1.0]   # max routes it to the winner
        if op == "sigmoid":
            return [out * (1.0 - out)]  # σ' = σ(1 - σ), from the forward value
        return [1.0 if a[0] > 0 else 0.0]  # relu

    def compute(self, **inputs) -> dict:
        """Forward and backward pass (floats, no drawing)."""
        unknown = set(inputs) - set(self.inputs)
        if unknown:
            raise ValueError(f"unknown inputs {sorted(unknown)}: this graph's inputs are {list(self.inputs)}")
        values = {k: float(inputs.get(k, v)) for k, v in self.inputs.items()}
        for n, op, args in self.nodes:
            values[n] = float(self._forward_op(op, [values[a] for a in args]))
        grads = {k: 0.0 for k in values}
        grads[self.output] = 1.0
        local, upstream = {}, {}
        for n, op, args in reversed(self.nodes):
            ls = self._local_grads(op, [values[a] for a in args], values[n])
            for a, l_ in zip(args, ls):
                local[(a, n)] = float(l_)
                upstream[(a, n)] = grads[n] * float(l_)
                grads[a] += grads[n] * float(l_)   # chain rule: upstream × local, summed over uses
        return {"values": values, "grads": grads, "local": local, "upstream": upstream, "f": values[self.output]}

    def draw(self, **inputs) -> dict:
        state = self.compute(**inputs)
        values, grads = state["values"], state["grads"]
        ax = self.axes[0]
        ax.set_axis_off()
        pos = self._positions
        for n, op, args in self.nodes:
            for a in args:
                (x0, y0), (x1, y1) = pos[a], pos[n]
                ax.annotate("", xy=(x1 - self.R, y1), xytext=(x0 + self.R, y0),
                            arrowprops=dict(arrowstyle="-|>", color="0.55", lw=1.2, shrinkA=0, shrinkB=0))
                mx, my = (x0 + x1) / 2, (y0 + y1) / 2
                ax.text(mx, my - 0.06, f"×{state['local'][(a, n)]:.3g}", ha="center", va="top", fontsize=7, color="C1")
        labels = {}
        ops = {n: op for n, op, _ in self.nodes}
        for n, (x, y) in pos.items():
            if n in ops:
                ax.add_patch(_graph_circle((x, y), self.R, facecolor="#dde8f5", edgecolor="C0", lw=1.5))
                ax.text(x, y, self.OPS[ops[n]][0], ha="center", va="center", fontsize=10 if len(self.OPS[ops[n]][0]) > 2 else 14)
            else:
                ax.add_patch(_graph_box((x - self.R, y - 0.15), 2 * self.R, 0.3))
                ax.text(x, y, n, ha="center", va="center", fontsize=12, style="italic")
            value_text = f"{n} = {values[n]:.4g}"
            grad_text = f"∂f/∂{n} = {grads[n]:.4g}"
            ax.text(x, y + self.R + 0.03, value_text, ha="center", va="bottom", fontsize=9, color="C2", fontweight="bold")
            ax.text(x, y - self.R - 0.03, grad_text, ha="center", va="top", fontsize=9, color="C3")
            labels[n] = (value_text, grad_text)
        ax.set_xlim(*self._xlim)
        ax.set_ylim(*self._ylim)
        ax.set_aspect("equal")
        ax.set_title(f"{self.title} = {state['f']:.4g}\ngreen: forward values (left to right) · red: gradients ∂f/∂node "
                     f"(right to left)\norange: the local gradient ∂node/∂input on each edge", fontsize=9)
        return {"graph": self.name, **state, "labels": labels}


def _graph_circle(xy, r, **kw):
    from matplotlib.patches import Circle

    return Circle(xy, r, **kw)


def _graph_box(xy, w, h):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(xy, w, h, boxstyle="round,pad=0.02", facecolor="#f3f3f3", edgecolor="0.4", lw=1.2)


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def _sigmoid_np(z: np.ndarray) -> np.ndarray:
    """σ(z) = (1 + tanh(z / 2)) / 2: the same values as 1 / (1 + exp(-z)), without overflow warnings."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def xor_net_training(hidden: int = 2, seed=0, *, steps: int = 3000, lr: float = 1.0, every: int = 10,
                     X=None, y=None) -> dict:
    """Full-batch gradient descent on a 2 → hidden → 1 sigmoid network with the mean BCE loss, in NumPy.

    The start is ``rng = np.random.default_rng(seed)``, ``W1 = rng.normal(0, 1, (D, hidden))``,
    ``W2 = rng.normal(0, 1, (hidden, 1))``, zero biases (the same as lecture and lab 09); each step is one
    forward pass, backprop by hand and ``param -= lr * grad``. X: (N, D), y: (N, 1) of 0/1, default XOR.

    ``seed`` is an int, or a sequence of ints to train one network per seed at once (stacked along a leading
    axis: as fast as a single run on data this small). Returns ``{"steps": the snapshot steps 0, every, ...,
    steps, "params": one dict of arrays per snapshot, "loss": the loss at every step, "accuracy": the
    accuracy of y_hat > 0.5 at every step}``; with a sequence of seeds every array gains a leading seed axis
    and "loss"/"accuracy" have shape (len(seeds), steps + 1), otherwise (steps + 1,).
    """
    X = XOR_X if X is None else np.asarray(to_numpy(X), dtype=np.float64)
    y = XOR_Y if y is None else np.asarray(to_numpy(y), dtype=np.float64).reshape(-1, 1)
    if hidden < 1 or steps < 0 or every < 1:
        raise ValueError(f"need hidden >= 1, steps >= 0, every >= 1; got {hidden}, {steps}, {every}")
    single = np.ndim(seed) == 0
    seeds = [int(seed)] if single else [int(s) for s in seed]
    starts = []
    for s in seeds:
        rng = np.random.default_rng(s)
        starts.append((rng.normal(0.0, 1.0, (X.shape[1], hidden)), rng.normal(0.0, 1.0, (hidden, 1))))
    W1 = np.stack([w for w, _ in starts])                      # (S, D, hidden)
    W2 = np.stack([w for _, w in starts])                      # (S, hidden, 1)
    b1, b2 = np.zeros((len(seeds), 1, hidden)), np.zeros((len(seeds), 1, 1))
    N = len(X)
    losses, accs, snaps = np.empty((len(seeds), steps + 1)), np.empty((len(seeds), steps + 1)), []
    for step in range(steps + 1):
        H = _sigmoid_np(X @ W1 + b1)                           # (S, N, hidden)
        Z2 = H @ W2 + b2                                       # (S, N, 1)
        y_hat = _sigmoid_np(Z2)
        # mean BCE from the logits, stable for any Z2: max(z, 0) - z y + log(1 + exp(-|z|))
        losses[:, step] = np.mean(np.maximum(Z2, 0) - Z2 * y + np.log1p(np.exp(-np.abs(Z2))), axis=(1, 2))
        accs[:, step] = np.mean((y_hat > 0.5) == (y > 0.5), axis=(1, 2))
        if step % every == 0 or step == steps:
            snaps.append((step, {"W1": W1, "b1": b1[:, 0], "W2": W2, "b2": b2[:, 0]}))
        if step == steps:
            break
        dZ2 = (y_hat - y) / N
        dZ1 = (dZ2 @ W2.transpose(0, 2, 1)) * H * (1.0 - H)
        W2, b2 = W2 - lr * (H.transpose(0, 2, 1) @ dZ2), b2 - lr * dZ2.sum(axis=1, keepdims=True)
        W1, b1 = W1 - lr * (X.T @ dZ1), b1 - lr * dZ1.sum(axis=1, keepdims=True)
    params = [{k: v[0] if single else v for k, v in p.items()} for _, p in snaps]
    return {"steps": np.array([s for s, _ in snaps]), "params": params,
            "loss": losses[0] if single else losses, "accuracy": accs[0] if single else accs}


def xor_net_forward(params: dict, X) -> tuple[np.ndarray, np.ndarray]:
    """Hidden activations H (N, hidden) and outputs y_hat (N, 1) of the sigmoid network with ``params``."""
    X = np.asarray(to_numpy(X), dtype=np.float64)
    H = _sigmoid_np(X @ params["W1"] + params["b1"])
    return H, _sigmoid_np(H @ params["W2"] + params["b2"])


class XORTrainingExplorer(Explorer):
    """Scrub through the training of a 2 → hidden → 1 sigmoid network on XOR with a step slider.

    Training (:func:`xor_net_training`: NumPy, full batch, mean BCE, plain gradient descent with ``lr``) runs
    once per hidden size, for all ``seeds`` at once, and keeps the parameters every ``every`` steps, so moving
    the slider or picking another seed only redraws. Left: the decision surface P(y = 1 | x) over the input plane, the 0.5 contour and the four
    points; middle: the four points in the space of the first two hidden units (where the output unit draws
    its line); right: the loss and the accuracy over training, the current step marked.

    ``update(step=.., hidden=.., seed=..)`` returns ``{"step" (rounded down to a snapshot), "hidden",
    "seed", "loss", "accuracy", "y_hat" (4,), "H" (4, hidden), "surface" (grid, grid) probabilities,
    "grid" (the 1-D coordinates of the surface), "params"}``.
    """

    def __init__(self, *, hidden: int = 2, seed: int = 0, steps: int = 3000, lr: float = 1.0, every: int = 10,
                 hidden_sizes=(1, 2, 3, 4, 8), seeds=range(20), grid: int = 61) -> None:
        self.hidden_sizes = sorted(set(int(h) for h in hidden_sizes) | {int(hidden)})
        self.seeds = sorted(set(int(s) for s in seeds) | {int(seed)})
        if min(self.hidden_sizes) < 1:
            raise ValueError(f"hidden sizes must be >= 1, got {self.hidden_sizes}")
        if steps < 1 or every < 1 or steps % every:
            raise ValueError(f"need steps >= 1 and every >= 1 dividing steps, got steps={steps}, every={every}")
        self.hidden0, self.seed0, self.steps, self.lr, self.every = int(hidden), int(seed), int(steps), float(lr), int(every)
        self.grid = np.linspace(-0.5, 1.5, int(grid))
        gx, gy = np.meshgrid(self.grid, self.grid)
        self._grid_points = np.stack([gx.ravel(), gy.ravel()], axis=1)
        self._runs: dict = {}
        self.run(self.hidden0, self.seed0)  # the default run is trained up front
        self.layout = (3, 1, (4.0, 3.5))
        super().__init__()

    def run(self, hidden: int, seed: int) -> dict:
        """The training run for (hidden, seed); every seed of a hidden size is trained, at once, on first use."""
        hidden, seed = int(hidden), int(seed)
        if hidden not in self._runs:
            seeds = sorted(set(self.seeds) | {seed})
            runs = xor_net_training(hidden, seeds, steps=self.steps, lr=self.lr, every=self.every)
            self._runs[hidden] = {s: {"steps": runs["steps"], "loss": runs["loss"][i], "accuracy": runs["accuracy"][i],
                                      "params": [{k: v[i] for k, v in p.items()} for p in runs["params"]]}
                                  for i, s in enumerate(seeds)}
        if seed not in self._runs[hidden]:
            self._runs[hidden][seed] = xor_net_training(hidden, seed, steps=self.steps, lr=self.lr, every=self.every)
        return self._runs[hidden][seed]

    def controls(self) -> dict:
        import ipywidgets as w

        return {
            "step": w.IntSlider(value=self.steps, min=0, max=self.steps, step=self.every, description="step"),
            "hidden": w.Dropdown(options=self.hidden_sizes, value=self.hidden0, description="hidden units"),
            "seed": w.Dropdown(options=self.seeds, value=self.seed0, description="seed"),
        }

    def draw(self, step=None, hidden=None, seed=None) -> dict:
        step = self.steps if step is None else int(step)
        hidden = self.hidden0 if hidden is None else int(hidden)
        seed = self.seed0 if seed is None else int(seed)
        if not 0 <= step <= self.steps:
            raise ValueError(f"step must be in 0..{self.steps}, got {step}")
        run = self.run(hidden, seed)
        k = step // self.every
        step = int(run["steps"][k])
        params = run["params"][k]
        H, y_hat = xor_net_forward(params, XOR_X)
        _, surf = xor_net_forward(params, self._grid_points)
        surface = surf.reshape(len(self.grid), len(self.grid))
        loss, accuracy = float(run["loss"][step]), float(run["accuracy"][step])
        labels = XOR_Y.reshape(-1)
        colours = np.where(labels == 1, "C0", "C3")
        markers = np.where(labels == 1, "o", "X")

        ax = self.axes[0]
        ax.contourf(self.grid, self.grid, surface, levels=np.linspace(0, 1, 11), cmap="RdBu", vmin=0, vmax=1, alpha=0.75)
        if surface.min() < 0.5 < surface.max():
            ax.contour(self.grid, self.grid, surface, levels=[0.5], colors="k", linewidths=1.5)
        for (x1, x2), c, m in zip(XOR_X, colours, markers):
            ax.scatter([x1], [x2], s=120, c=c, marker=m, edgecolors="k", zorder=3)
        ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="x1", ylabel="x2", aspect="equal",
               title=f"step {step}: P(y = 1 | x), black line: 0.5")
        ax.title.set_fontsize(10)

        ax = self.axes[1]
        h2 = H[:, 1] if hidden >= 2 else np.zeros(4)
        if hidden <= 2:  # the output unit's probability over the hidden plane, and its 0.5 line
            hs = np.linspace(-0.05, 1.05, 45)
            A1, A2 = np.meshgrid(hs, hs)
            cols = [A1.ravel(), A2.ravel()][:hidden]
            out = _sigmoid_np(np.stack(cols, axis=1) @ params["W2"] + params["b2"]).reshape(A1.shape)
            ax.contourf(A1, A2, out, levels=np.linspace(0, 1, 11), cmap="RdBu", vmin=0, vmax=1, alpha=0.75)
            if out.min() < 0.5 < out.max():
                ax.contour(A1, A2, out, levels=[0.5], colors="k", linewidths=1.5)
        offsets = ((8, 6), (8, -12), (-34, 6), (-34, -12))
        for (x1, x2), a, c2, c, m, off in zip(XOR_X, H[:, 0], h2, colours, markers, offsets):
            ax.scatter([a], [c2], s=120, c=c, marker=m, edgecolors="k", zorder=3, gid="hidden point")
            ax.annotate(f"({x1:.0f},{x2:.0f})", (a, c2), textcoords="offset points", xytext=off, fontsize=8)
        if hidden == 1:
            title = "hidden space: h1 only (the output's 0.5 line)"
        elif hidden == 2:
            title = "hidden space (h1, h2), the output's 0.5 line"
        else:
            title = f"hidden space: units 1 and 2 of {hidden}"
        ax.set(xlim=(-0.05, 1.05), ylim=(-0.05, 1.05), xlabel="h1", ylabel="h2" if hidden >= 2 else "", aspect="equal",
               title=title)
        ax.title.set_fontsize(10)

        ax = self.axes[2]
        t = np.arange(self.steps + 1)
        ax.plot(t, run["loss"], color="C0", label="loss (BCE)")
        ax.plot(t, run["accuracy"], color="C2", lw=1, label="accuracy")
        ax.axvline(step, color="k", ls=":", lw=1)
        ax.axhline(np.log(2), color="grey", ls="--", lw=0.8, label="log 2: predicting 0.5")
        ax.set(xlabel="step", ylim=(-0.02, max(1.05, float(run["loss"].max()) * 1.05)),
               title=f"hidden = {hidden}, seed = {seed}: loss {loss:.3f}, accuracy {accuracy:.0%}")
        ax.title.set_fontsize(10)
        ax.legend(loc="center right", fontsize=7)
        return {"step": step, "hidden": hidden, "seed": seed, "loss": loss, "accuracy": accuracy,
                "y_hat": y_hat.reshape(-1), "H": H, "surface": surface, "grid": self.grid, "params": params}
