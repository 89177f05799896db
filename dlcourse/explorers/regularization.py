"""Lecture 07, regularisation: overfitting a polynomial regression, and what L2 weight decay does to it."""
from __future__ import annotations

import numpy as np

from ..numerics import mean_square
from ..plots import to_numpy
from .base import Explorer


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
        super().__init__(cols=2)

    def make_controls(self) -> dict:
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
            train[epoch] = mean_square(r)
            val[epoch] = mean_square(Pv @ w - self.y_va)
            if val[epoch] < best:
                best, best_w = val[epoch], w.copy()
            if epoch < self.epochs:
                w = w - lr * (2 * P.T @ r / N + lam * mask * w)
        return train, val, w, best_w

    def draw(self, lam, degree) -> dict:
        lam, degree = float(lam), int(degree)
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


