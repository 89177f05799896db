"""NumPy math shared by the explorers and the XOR trainer, written once.

These work on NumPy arrays (float64, no autograd, no device) because that is what the explorers compute
with; they refuse torch tensors, so none of them stands in for a lab exercise, which works on tensors.
For the number of steps in one epoch, use :func:`dlcourse.train.iterations_per_epoch`.
"""
from __future__ import annotations

import numpy as np
import torch


def _array(x, name: str) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        raise TypeError(f"dlcourse.numerics works on NumPy arrays, got a torch tensor for {name}: "
                        "convert it with dlcourse.plots.to_numpy, or use the torch function instead")
    return np.asarray(x, dtype=np.float64)


def mean_square(r, axis=None):
    """The mean of ``r ** 2`` over ``axis`` (all elements by default).

    With ``r = y_hat - y``, the residuals, this is the MSE cost. Returns a NumPy float, or an array
    when ``axis`` keeps some axes.
    """
    return np.mean(_array(r, "r") ** 2, axis=axis)


def stable_bce(z, y, axis=None):
    """Mean binary cross-entropy of labels ``y`` (0/1) given logits ``z``, written so it never overflows.

    ``max(z, 0) - z * y + log(1 + exp(-|z|))`` is ``-y log σ(z) - (1 - y) log(1 - σ(z))`` rewritten so
    that ``exp`` only sees numbers <= 0. The mean is taken over ``axis`` (all elements by default).
    """
    z, y = _array(z, "z"), _array(y, "y")
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), axis=axis)


def logistic(z):
    """The logistic sigmoid 1 / (1 + exp(-z)), element-wise, accurate in both tails and without warnings.

    ``exp`` only sees ``-|z|``: for ``z >= 0`` it is ``1 / (1 + e)``, for ``z < 0`` ``e / (1 + e)``, with
    ``e = exp(-|z|)``. Returns a NumPy array of the shape of ``z`` (a NumPy float for a number).
    """
    z = _array(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)
