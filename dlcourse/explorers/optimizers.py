"""Lecture 10, optimizers: torch.optim optimizers racing on 2-D loss surfaces.

A :class:`Surface` is a loss ``f(x, y)`` of two parameters written with plain arithmetic, so the same
function evaluates a NumPy grid (for contours) and a torch tensor, together with its gradient written out
by hand (autograd is the fallback when a surface has none). :func:`trajectory` runs one real ``torch.optim``
optimizer from the surface's starting point, feeding it those gradients, and records every point it visits;
:class:`OptimizerRaceExplorer` draws several of them at once on the contours, with their losses per step.

Each surface carries a learning rate per optimizer chosen so that the default race is instructive (an
optimizer's good learning rate depends on how it scales the gradient: SGD's step is ``lr * g``, Adam's is
about ``lr`` whatever the size of ``g``); the explorer's ``lr_scale`` multiplies all of them at once.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

from .base import Explorer

#: name -> (torch.optim class, keyword arguments other than lr), in the order the lecture introduces them
OPTIMIZERS: dict[str, tuple[type, dict]] = {
    "SGD": (torch.optim.SGD, {}),
    "Momentum": (torch.optim.SGD, {"momentum": 0.9}),
    "Nesterov": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
    "AdaGrad": (torch.optim.Adagrad, {}),
    "RMSProp": (torch.optim.RMSprop, {}),
    "AdaDelta": (torch.optim.Adadelta, {}),
    "Adam": (torch.optim.Adam, {}),
}


@dataclass(frozen=True)
class Surface:
    """A 2-D loss ``f(x, y)`` with where to start, where the minimum is, the plot window, a default learning
    rate per optimizer (``lrs``) and, optionally, its gradient ``grad(x, y) -> (df/dx, df/dy)``."""

    name: str
    f: Callable
    start: tuple[float, float]
    minimum: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    lrs: dict = field(default_factory=dict)
    grad: Callable | None = None
    log_contours: bool = False

    def __call__(self, x, y):
        return self.f(x, y)


def _ravine(x, y):
    return x * x / 20.0 + y * y


def _ravine_grad(x, y):
    return x / 10.0, 2.0 * y


_C, _S = math.cos(math.pi / 4), math.sin(math.pi / 4)


def _rotated_ravine(x, y):
    u, v = _C * x + _S * y, -_S * x + _C * y  # the same ravine, turned by 45 degrees
    return u * u / 20.0 + v * v


def _rotated_ravine_grad(x, y):
    u, v = _C * x + _S * y, -_S * x + _C * y
    return _C * u / 10.0 - _S * 2.0 * v, _S * u / 10.0 + _C * 2.0 * v


def _rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(x, y):
    return -2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)


SURFACES: dict[str, Surface] = {
    "ravine": Surface(
        "ravine  f = x²/20 + y²", _ravine, start=(-7.0, 2.0), minimum=(0.0, 0.0), xlim=(-8.0, 8.0), ylim=(-3.0, 3.0),
        grad=_ravine_grad,
        lrs={"SGD": 0.9, "Momentum": 0.1, "Nesterov": 0.1, "AdaGrad": 1.5, "RMSProp": 0.1, "AdaDelta": 50.0,
             "Adam": 0.3}),
    "rotated ravine": Surface(
        "the ravine turned by 45°", _rotated_ravine, start=(_C * -7.0 - _S * 2.0, _S * -7.0 + _C * 2.0), minimum=(0.0, 0.0), xlim=(-8.0, 8.0),
        ylim=(-6.0, 6.0), grad=_rotated_ravine_grad,
        lrs={"SGD": 0.9, "Momentum": 0.1, "Nesterov": 0.1, "AdaGrad": 1.5, "RMSProp": 0.1, "AdaDelta": 50.0,
             "Adam": 0.3}),
    "rosenbrock": Surface(
        "Rosenbrock  f = (1 − x)² + 100 (y − x²)²", _rosenbrock, start=(-1.5, 2.0), minimum=(1.0, 1.0),
        xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), grad=_rosenbrock_grad, log_contours=True,
        lrs={"SGD": 1.5e-3, "Momentum": 1e-3, "Nesterov": 1e-3, "AdaGrad": 1.0, "RMSProp": 0.05, "AdaDelta": 20.0,
             "Adam": 0.1}),
}


def make_optimizer(name: str, params, lr: float) -> torch.optim.Optimizer:
    """The ``torch.optim`` optimizer called ``name`` in :data:`OPTIMIZERS`, with learning rate ``lr``."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose from {list(OPTIMIZERS)}")
    cls, kwargs = OPTIMIZERS[name]
    return cls(params, lr=lr, **kwargs)


def _autograd_gradient(surf: Surface) -> Callable:
    def gradient(x: float, y: float) -> tuple[float, float]:
        q = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
        surf(q[0], q[1]).backward()
        return float(q.grad[0]), float(q.grad[1])

    return gradient


def trajectory(surface: Surface | str, optimizer: str, lr: float, steps: int, start=None,
               limit: float = 1e6) -> tuple[np.ndarray, np.ndarray, bool]:
    """Run ``steps`` steps of a ``torch.optim`` optimizer on ``surface`` (float64) from ``start``.

    Returns ``(path, losses, diverged)``: ``path`` is (k, 2), the start and every point after a step;
    ``losses`` (k,) the loss at each point. A run whose loss or coordinates become non-finite or larger than
    ``limit`` stops there (``diverged=True``) and ``k < steps + 1``; otherwise ``k = steps + 1``.
    """
    surf = SURFACES[surface] if isinstance(surface, str) else surface
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr}")
    p = torch.tensor(surf.start if start is None else start, dtype=torch.float64)
    opt = make_optimizer(optimizer, [p], lr)
    gradient = surf.grad or _autograd_gradient(surf)
    x, y = float(p[0]), float(p[1])
    path, losses = [(x, y)], [float(surf(x, y))]
    diverged = False
    for _ in range(int(steps)):
        p.grad = torch.tensor(gradient(x, y), dtype=torch.float64)
        opt.step()
        x, y = float(p[0]), float(p[1])
        with np.errstate(all="ignore"):
            loss = float(surf(np.float64(x), np.float64(y)))
        if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(loss)) or max(abs(x), abs(y)) > limit:
            diverged = True
            break
        path.append((x, y))
        losses.append(loss)
    path_np, losses_np = np.array(path), np.array(losses)
    return path_np, losses_np, diverged


class OptimizerRaceExplorer(Explorer):
    """Several ``torch.optim`` optimizers race from the same point on a 2-D loss surface.

    Controls: the surface, ``lr_scale`` (multiplies every optimizer's default learning rate for that
    surface, listed in ``SURFACES[name].lrs``), ``steps``, and which optimizers to show. Left: contours of
    the loss with each optimizer's path (the minimum marked with a star); right: the loss after each step
    (log scale). ``update(surface=.., lr_scale=.., steps=.., optimizers=(..))`` returns ``{"surface",
    "lr_scale", "steps", "optimizers", "lrs": {name: lr used}, "paths": {name: (k, 2) array},
    "losses": {name: (k,) array}, "final_loss": {name: float}, "distance": {name: distance of the last point
    to the minimum}, "diverged": {name: bool}, "winner": the optimizer with the lowest final loss}``.
    """

    def __init__(self, surface: str = "ravine", *, optimizers=("SGD", "Momentum", "AdaGrad", "Adam"),
                 lr_scale: float = 1.0, steps: int = 100, max_steps: int = 500) -> None:
        if surface not in SURFACES:
            raise ValueError(f"unknown surface {surface!r}; choose from {list(SURFACES)}")
        self.surface0, self.optimizers0 = surface, self._check_names(optimizers)
        self.lr_scale0, self.steps0, self.max_steps = float(lr_scale), int(steps), int(max_steps)
        super().__init__(cols=2)

    @staticmethod
    def _check_names(names) -> tuple:
        names = (names,) if isinstance(names, str) else tuple(names)
        unknown = [n for n in names if n not in OPTIMIZERS]
        if unknown:
            raise ValueError(f"unknown optimizers {unknown}; choose from {list(OPTIMIZERS)}")
        return names

    def make_controls(self) -> dict:
        import ipywidgets as w

        return {
            "surface": w.Dropdown(options=list(SURFACES), value=self.surface0, description="surface"),
            "lr_scale": w.FloatLogSlider(value=self.lr_scale0, base=10, min=-1, max=1, step=0.05,
                                         description="lr ×", readout_format=".2f", continuous_update=False),
            "steps": w.IntSlider(value=self.steps0, min=1, max=self.max_steps, description="steps",
                                 continuous_update=False),
            "optimizers": w.SelectMultiple(options=list(OPTIMIZERS), value=self.optimizers0, rows=len(OPTIMIZERS),
                                           description="show"),
        }

    def race(self, surface: str, lr_scale: float, steps: int, optimizers) -> dict:
        """The trajectories without drawing (see the class docstring for the keys)."""
        if surface not in SURFACES:
            raise ValueError(f"unknown surface {surface!r}; choose from {list(SURFACES)}")
        if not lr_scale > 0:
            raise ValueError(f"lr_scale must be positive, got {lr_scale}")
        surf = SURFACES[surface]
        names = self._check_names(optimizers)
        out = {"surface": surface, "lr_scale": float(lr_scale), "steps": int(steps), "optimizers": names,
               "lrs": {}, "paths": {}, "losses": {}, "final_loss": {}, "distance": {}, "diverged": {}}
        for name in names:
            lr = surf.lrs[name] * lr_scale
            path, losses, diverged = trajectory(surf, name, lr, int(steps))
            out["lrs"][name], out["paths"][name], out["losses"][name] = lr, path, losses
            out["final_loss"][name] = float("inf") if diverged else float(losses[-1])
            out["distance"][name] = float("inf") if diverged else float(np.hypot(*(path[-1] - np.array(surf.minimum))))
            out["diverged"][name] = diverged
        out["winner"] = min(names, key=lambda n: out["final_loss"][n]) if names else None
        return out

    def draw(self, surface, lr_scale, steps, optimizers) -> dict:
        lr_scale, steps = float(lr_scale), int(steps)
        state = self.race(surface, lr_scale, steps, optimizers)
        surf = SURFACES[surface]
        colours = {n: f"C{k}" for k, n in enumerate(OPTIMIZERS)}

        ax = self.axes[0]
        gx, gy = np.meshgrid(np.linspace(*surf.xlim, 200), np.linspace(*surf.ylim, 200))
        Z = surf(gx, gy)
        if surf.log_contours:
            ax.contour(gx, gy, np.log10(Z + 1e-3), levels=18, cmap="Greys", linewidths=0.7)
        else:
            f0 = float(surf(*surf.start))
            ax.contour(gx, gy, Z, levels=f0 * np.geomspace(1e-3, 4.0, 14), cmap="Greys", linewidths=0.7)
        for name in state["optimizers"]:
            path = state["paths"][name]
            ax.plot(path[:, 0], path[:, 1], "o-", ms=2, lw=1.2, color=colours[name], label=name)
        ax.plot(*surf.start, "ks", ms=6)
        ax.plot(*surf.minimum, "*", color="gold", mec="k", ms=14)
        ax.set(xlim=surf.xlim, ylim=surf.ylim, xlabel="x", ylabel="y", title=f"{surf.name}: {steps} steps")
        ax.title.set_fontsize(10)

        ax = self.axes[1]
        for name in state["optimizers"]:
            losses = state["losses"][name]
            tag = "diverged" if state["diverged"][name] else f"final loss {state['final_loss'][name]:.2g}"
            ax.plot(np.arange(len(losses)), np.maximum(losses, 1e-30), color=colours[name], lw=1.5,
                    label=f"{name} (lr {state['lrs'][name]:.3g}): {tag}")
        ax.set_yscale("log")
        ax.set(xlabel="step", ylabel="loss f(x, y)",
               title=f"lowest final loss: {state['winner']}" if state["winner"] else "no optimizer selected")
        ax.title.set_fontsize(10)
        if state["optimizers"]:
            ax.legend(loc="best", fontsize=7)
        return state
