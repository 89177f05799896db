"""Lectures 02-04, linear regression: the MSE cost of a line, gradient descent on it, the learning rate
and the batch size.

All four explorers study the same thing, the mean squared error of a linear model and the gradient steps
that lower it, computed in NumPy (float64) so that a redraw is instant.
"""
from __future__ import annotations

import numpy as np

from ..numerics import mean_square
from ..plots import plot_line_fit, to_numpy
from ..train import iterations_per_epoch
from .base import Explorer


class LineFitExplorer(Explorer):
    """Sliders for W and b redraw H(x) = W x + b over the data and report the cost (MSE)."""

    def __init__(self, x, y, *, W_range=(-2.0, 2.0), b_range=(-2.0, 2.0), xlabel="x", ylabel="y") -> None:
        self.x, self.y = to_numpy(x).reshape(-1), to_numpy(y).reshape(-1)
        if self.x.shape != self.y.shape:
            raise ValueError(f"x and y must have the same length, got {self.x.shape[0]} and {self.y.shape[0]}")
        self.W_range, self.b_range, self.labels = W_range, b_range, (xlabel, ylabel)
        self._Ws = np.linspace(*W_range, 81)
        super().__init__(cols=2)

    def make_controls(self) -> dict:
        import ipywidgets as w

        mid = lambda r: (r[0] + r[1]) / 2  # noqa: E731
        step = lambda r: (r[1] - r[0]) / 100  # noqa: E731
        return {
            "W": w.FloatSlider(value=mid(self.W_range), min=self.W_range[0], max=self.W_range[1], step=step(self.W_range), description="W"),
            "b": w.FloatSlider(value=mid(self.b_range), min=self.b_range[0], max=self.b_range[1], step=step(self.b_range), description="b"),
        }

    def cost(self, W: float, b: float) -> float:
        """The MSE of H(x) = W x + b on the data."""
        return float(mean_square(W * self.x + b - self.y))

    def draw(self, W, b) -> dict:
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
        super().__init__(cols=2)

    def make_controls(self) -> dict:
        import ipywidgets as w

        lo, hi = np.log10(self.lr_range[0]), np.log10(self.lr_range[1])
        return {
            "lr": w.FloatLogSlider(value=self.lr0, base=10, min=lo, max=hi, step=(hi - lo) / 40, description="lr", readout_format=".3g"),
            "steps": w.IntSlider(value=min(10, self.max_steps), min=0, max=self.max_steps, description="steps"),
        }

    def cost(self, W: float, b: float) -> float:
        """The MSE of H(x) = W x + b on the data."""
        return float(mean_square(W * self.x + b - self.y))

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

    def draw(self, lr, steps) -> dict:
        Ws, bs, costs, diverged = self.path(lr, steps)
        ax = self.axes[0]
        gW, gb = np.meshgrid(np.linspace(*self.W_range, 80), np.linspace(*self.b_range, 80))
        grid = mean_square(gW[..., None] * self.x + gb[..., None] - self.y, axis=-1)
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
        super().__init__(cols=2)

    def make_controls(self) -> dict:
        import ipywidgets as w

        start = 32 if 32 in self.batch_sizes else self.batch_sizes[len(self.batch_sizes) // 2]
        return {
            "batch_size": w.SelectionSlider(options=self.batch_sizes, value=start, description="batch_size"),
            "lr": w.FloatLogSlider(value=self.lr, base=10, min=-3, max=-1, step=0.25, description="lr"),
        }

    def _loss(self, W, b) -> float:
        return float(mean_square(self.X @ W + b - self.y))

    def train(self, batch_size: int, lr: float) -> tuple[np.ndarray, np.ndarray]:
        """Mini-batch SGD for ``self.epochs`` epochs: (loss of each step's batch, training loss after each epoch)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        rng = np.random.default_rng(self.seed)
        W, b = np.zeros(self.X.shape[1]), 0.0
        per_epoch = iterations_per_epoch(self.N, batch_size)
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
                    step_losses[step] = mean_square(err)
                    step += 1
                    W = W - lr * 2.0 * Xb.T @ err / len(idx)
                    b = b - lr * 2.0 * float(np.mean(err))
                loss = self._loss(W, b)
                if not np.isfinite(loss) or loss > self.DIVERGED:
                    break  # diverged: the rest stays NaN
                epoch_losses[epoch + 1] = loss
        step_losses[~(step_losses <= self.DIVERGED)] = np.nan
        return step_losses, epoch_losses

    def draw(self, batch_size, lr) -> dict:
        batch_size, lr = int(batch_size), float(lr)
        per_epoch = iterations_per_epoch(self.N, batch_size)
        steps, epoch_losses = self.train(batch_size, lr)
        _, full_losses = self.train(self.N, lr)

        ax = self.axes[0]
        sizes = np.array(self.batch_sizes)
        ax.plot(sizes, [iterations_per_epoch(self.N, int(s)) for s in sizes], "o-", color="C0", ms=4)
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

    The cost is a parabola in W with second derivative L = 2 mean(x²) (the curvature: in lecture 03, L is not
    a loss), so one step maps the distance to the minimum W* = mean(x y) / mean(x²) to (1 - lr L) times
    itself, and the excess cost cost(W) - cost(W*) = (L / 2)(W - W*)² to (1 - lr L)² times itself: the run
    creeps down one side of the bowl for lr < 1/L, zig-zags across it for 1/L < lr < 2/L (W overshoots W*
    every step, the jumps shrink and the cost still falls at every step), and diverges for lr > 2/L.
    Left: the bowl cost(W) with the path of ``steps`` steps from ``W0``; right: the distance to the minimum
    cost after each step (log scale). ``update(lr=.., steps=.., W0=..)`` returns ``{"W": path (steps + 1,),
    "costs": cost at each point, "W_star", "L", "lr_max" (= 2 / L), "factor" (= 1 - lr L), "regime"}``
    with ``regime`` one of "stuck" (lr = 0), "converges" (from one side), "zig-zags" (converges while
    jumping across W*), "bounces" (lr = 2/L exactly: forever between two points) and "diverges". (Lab 03's
    ``classify_run`` says "oscillating" for something else: a run whose cost went up at least once.)
    Computed in NumPy (float64).
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
        super().__init__(cols=2, play="steps")

    def make_controls(self) -> dict:
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

    def cost(self, W: float) -> float:
        """The MSE of H(x) = W x on the data."""
        return float(mean_square(W * self.x - self.y))

    def regime(self, lr: float) -> str:
        """What gradient descent with learning rate ``lr`` does on this bowl (see the class docstring)."""
        if lr == 0:
            return "stuck"
        factor = 1.0 - lr * self.L
        if np.isclose(factor, -1.0, rtol=0.0, atol=1e-12):
            return "bounces"
        if abs(factor) > 1:
            return "diverges"
        return "converges" if factor >= 0 else "zig-zags"

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

    def draw(self, lr, steps, W0) -> dict:
        lr, W0 = float(lr), float(W0)
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


