"""Lectures 05-06, classification: a logistic-regression boundary in the plane, and softmax with a
temperature, each with its cross-entropy. Computed in NumPy (float64)."""
from __future__ import annotations

import numpy as np

from ..numerics import logistic, stable_bce
from ..plots import to_numpy
from .base import Explorer


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
        super().__init__(cols=2)

    def make_controls(self) -> dict:
        import ipywidgets as w

        def slider(name, value, r):
            return w.FloatSlider(value=value, min=r[0], max=r[1], step=(r[1] - r[0]) / 200, description=name,
                                 continuous_update=False)

        return {"w1": slider("w1", self.start[0], self.w_range), "w2": slider("w2", self.start[1], self.w_range),
                "b": slider("b", self.start[2], self.b_range)}

    @staticmethod
    def bce(z: np.ndarray, y: np.ndarray) -> float:
        """Mean binary cross-entropy from logits, in the stable form max(z, 0) − z·y + log(1 + e^(−|z|))."""
        return float(stable_bce(z, y))

    def boundary(self, w1: float, w2: float, b: float):
        """Two points (x1s, x2s) of the line w1·x1 + w2·x2 + b = 0 across the plot, or (None, None)."""
        (x1_lo, x2_lo), (x1_hi, x2_hi) = self.lims
        if abs(w2) > 1e-12:
            xs = np.array([x1_lo, x1_hi])
            return xs, -(w1 * xs + b) / w2
        if abs(w1) > 1e-12:
            return np.full(2, -b / w1), np.array([x2_lo, x2_hi])
        return None, None

    def draw(self, w1, w2, b) -> dict:
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
        ax.plot(zs, logistic(zs), color="k", lw=1)
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
        super().__init__(cols=2)

    def make_controls(self) -> dict:
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

    def arrange(self) -> list:
        """The logit sliders in one column, the temperature and the true class in another."""
        import ipywidgets as w

        c = self.controls
        return [w.VBox([c[f"z{k}"] for k in range(self.K)]), w.VBox([c["T"], c["target"]])]

    @staticmethod
    def log_softmax(scaled: np.ndarray) -> np.ndarray:
        """log softmax of a 1-D array with the log-sum-exp trick (finite for any finite input)."""
        m = np.max(scaled)
        return scaled - m - np.log(np.sum(np.exp(scaled - m)))

    def draw(self, T, target, **logits) -> dict:
        unknown = set(logits) - {f"z{k}" for k in range(self.K)}
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}: the logits are z0..z{self.K - 1}")
        z = np.array([float(logits[f"z{k}"]) for k in range(self.K)])
        T, target = float(T), int(target)
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


