"""Lecture 09, XOR: scrub through the training of a small sigmoid network and watch it bend the plane."""
from __future__ import annotations

import numpy as np

from ..numerics import logistic
from ..xor import XOR_X, XOR_Y, xor_net_forward, xor_net_training
from .base import Explorer


class XORTrainingExplorer(Explorer):
    """Scrub through the training of a 2 → M → 1 sigmoid network on XOR (M = ``hidden`` units) with a step slider.

    Training (:func:`xor_net_training`: NumPy, full batch, mean BCE, plain gradient descent with ``lr``) runs
    once per hidden size, for all ``seeds`` at once, and keeps the parameters every ``every`` steps, so moving
    the slider or picking another seed only redraws. Left: the decision surface P(y = 1 | x) over the input
    plane, the 0.5 contour and the four points; middle: the four points in the space of the first two hidden
    units, their activations A1 = σ(X W1 + b1) (where the output unit draws its line); right: the loss and the
    accuracy over training, the current step marked.

    ``update(step=.., hidden=.., seed=..)`` returns ``{"step" (rounded down to a snapshot), "hidden",
    "seed", "loss", "accuracy", "y_hat" (4,), "H" (4, hidden): the hidden activations A1 (the key keeps lab
    09's cache name), "surface" (grid, grid) probabilities, "grid" (the 1-D coordinates of the surface),
    "params"}``.
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
        super().__init__(cols=3, size=(4.0, 3.5))

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

    def make_controls(self) -> dict:
        import ipywidgets as w

        return {
            "step": w.IntSlider(value=self.steps, min=0, max=self.steps, step=self.every, description="step"),
            "hidden": w.Dropdown(options=self.hidden_sizes, value=self.hidden0, description="hidden units"),
            "seed": w.Dropdown(options=self.seeds, value=self.seed0, description="seed"),
        }

    def draw(self, step, hidden, seed) -> dict:
        step, hidden, seed = int(step), int(hidden), int(seed)
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
            out = logistic(np.stack(cols, axis=1) @ params["W2"] + params["b2"]).reshape(A1.shape)
            ax.contourf(A1, A2, out, levels=np.linspace(0, 1, 11), cmap="RdBu", vmin=0, vmax=1, alpha=0.75)
            if out.min() < 0.5 < out.max():
                ax.contour(A1, A2, out, levels=[0.5], colors="k", linewidths=1.5)
        offsets = ((8, 6), (8, -12), (-34, 6), (-34, -12))
        for (x1, x2), a, c2, c, m, off in zip(XOR_X, H[:, 0], h2, colours, markers, offsets):
            ax.scatter([a], [c2], s=120, c=c, marker=m, edgecolors="k", zorder=3, gid="hidden point")
            ax.annotate(f"({x1:.0f},{x2:.0f})", (a, c2), textcoords="offset points", xytext=off, fontsize=8)
        if hidden == 1:
            title = "hidden space: unit 1 only (the output's 0.5 line)"
        elif hidden == 2:
            title = "hidden space (A1: units 1, 2), the output's 0.5 line"
        else:
            title = f"hidden space (A1): units 1 and 2 of {hidden}"
        ax.set(xlim=(-0.05, 1.05), ylim=(-0.05, 1.05), xlabel="hidden unit 1",
               ylabel="hidden unit 2" if hidden >= 2 else "", aspect="equal", title=title)
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
