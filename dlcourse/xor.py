"""The XOR data set and a NumPy trainer for the 2 -> hidden -> 1 sigmoid network of lecture and lab 09.

:func:`xor_net_training` is the lecture's training loop (same initialisation, same gradients), run for
many seeds at once; :class:`dlcourse.explorers.xor.XORTrainingExplorer` draws its snapshots.
"""
from __future__ import annotations

import numpy as np

from .numerics import logistic, stable_bce
from .plots import to_numpy

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


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
        H = logistic(X @ W1 + b1)                              # (S, N, hidden)
        Z2 = H @ W2 + b2                                       # (S, N, 1)
        y_hat = logistic(Z2)
        losses[:, step] = stable_bce(Z2, y, axis=(1, 2))       # the mean BCE from the logits, per seed
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
    H = logistic(X @ params["W1"] + params["b1"])
    return H, logistic(H @ params["W2"] + params["b2"])
