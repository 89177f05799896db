"""A small, reusable training loop and evaluation helpers.

:func:`fit` trains any ``nn.Module`` with mini-batch gradient steps over tensors that already sit on the
device (no ``DataLoader``, no per-sample Python loop): each epoch draws a fresh permutation of the rows and
slices it into ``ceil(N / batch_size)`` batches. It shows one progress bar (:func:`dlcourse.quiet.progress`:
a widget in Jupyter, never stderr) and returns a history of the losses.

:func:`evaluate_loss`, :func:`evaluate_accuracy` and :func:`predict` run a model in evaluation mode under
``torch.no_grad()`` and put every sub-module back in the mode it was in before, so they can be called in
the middle of training.
"""
from __future__ import annotations

import contextlib
import math
import time
from typing import Callable, Iterator

import torch
from torch import nn

from .quiet import progress as _progress


def iterations_per_epoch(N: int, batch_size: int) -> int:
    """How many gradient steps one pass over ``N`` examples takes: ``ceil(N / batch_size)``."""
    if N < 0 or batch_size < 1:
        raise ValueError(f"need N >= 0 and batch_size >= 1, got N={N}, batch_size={batch_size}")
    return math.ceil(N / batch_size)


def batch_indices(N: int, batch_size: int, *, shuffle: bool = True, generator: torch.Generator | None = None,
                  device: str | torch.device = "cpu") -> list[torch.Tensor]:
    """The index tensors of one epoch: a permutation of ``range(N)`` (or ``range(N)`` itself when
    ``shuffle=False``) cut into consecutive batches of ``batch_size``; the last one may be smaller.

    The permutation is drawn on the CPU (with ``generator`` if given), so a seed gives the same batches on
    every device, then moved to ``device``.
    """
    iterations_per_epoch(N, batch_size)  # validates the arguments
    order = torch.randperm(N, generator=generator) if shuffle else torch.arange(N)
    return list(order.to(device).split(batch_size))


def _model_device(model: nn.Module, fallback: torch.device) -> torch.device:
    for p in model.parameters():
        return p.device
    return fallback


@contextlib.contextmanager
def eval_mode(model: nn.Module) -> Iterator[nn.Module]:
    """Evaluation mode under ``torch.no_grad()`` for the block; afterwards every sub-module gets back the
    ``training`` flag it had before (also when only some of them were in training mode)."""
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            yield model
    finally:
        for m, was_training in modes:
            m.training = was_training


def predict(model: nn.Module, X: torch.Tensor, *, batch_size: int = 1024) -> torch.Tensor:
    """The model's outputs for every row of ``X`` (evaluation mode, no gradients), in batches.

    X: (N, ...) tensor on any device; each batch is moved to the model's device. Returns (N, ...) outputs on
    the model's device.
    """
    dev = _model_device(model, X.device)
    with eval_mode(model):
        outs = [model(X[i:i + batch_size].to(dev)) for i in range(0, len(X), batch_size)]
    if not outs:
        raise ValueError("predict needs at least one example, got an empty X")
    return torch.cat(outs)


def evaluate_loss(model: nn.Module, loss_fn: Callable, X: torch.Tensor, y: torch.Tensor, *,
                  batch_size: int = 1024) -> float:
    """The mean of ``loss_fn`` over all of ``(X, y)`` in evaluation mode, without gradients.

    ``loss_fn`` must average over its batch (``reduction="mean"``, the PyTorch default); batches are weighted
    by their size, so the result does not depend on ``batch_size``.
    """
    total = _sum_over_batches(model, X, y, batch_size, "evaluate_loss", torch.float64,
                              lambda out, yb: loss_fn(out, yb).to(torch.float64) * len(yb))
    return float(total) / len(X)


def evaluate_accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor, *, batch_size: int = 1024) -> float:
    """The fraction of rows whose largest output (``argmax`` over dim 1) equals the label in ``y``.

    X: (N, ...) inputs; y: (N,) int64 class labels. Runs in evaluation mode under ``torch.no_grad()`` and
    restores the previous mode of every sub-module. Returns a Python float in [0, 1].
    """
    def hits(logits, yb):
        if logits.dim() != 2:
            raise ValueError(f"evaluate_accuracy expects outputs of shape (batch, classes), got {tuple(logits.shape)}")
        return (logits.argmax(dim=1) == yb).sum()

    return int(_sum_over_batches(model, X, y, batch_size, "evaluate_accuracy", torch.int64, hits)) / len(X)


def _sum_over_batches(model: nn.Module, X: torch.Tensor, y: torch.Tensor, batch_size: int, name: str,
                      dtype: torch.dtype, per_batch: Callable) -> torch.Tensor:
    """Sum ``per_batch(model(xb), yb)`` over batches, in evaluation mode without gradients."""
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError(f"{name} needs at least one example")
    dev = _model_device(model, X.device)
    total = torch.zeros((), dtype=dtype, device=dev)
    with eval_mode(model):
        for i in range(0, len(X), batch_size):
            total += per_batch(model(X[i:i + batch_size].to(dev)), y[i:i + batch_size].to(dev))
    return total


def fit(model: nn.Module, loss_fn: Callable, optimizer: torch.optim.Optimizer, X: torch.Tensor, y: torch.Tensor, *,
        epochs: int = 1, batch_size: int = 128, device: str | torch.device | None = None, progress: bool = True,
        generator: torch.Generator | None = None, shuffle: bool = True, X_val: torch.Tensor | None = None,
        y_val: torch.Tensor | None = None, desc: str | None = None) -> dict:
    """Train ``model`` for ``epochs`` passes over ``(X, y)`` with mini-batches of ``batch_size``.

    X: (N, ...) inputs; y: (N, ...) targets (e.g. (N,) int64 labels for ``nn.CrossEntropyLoss``). The model
    and the data are moved to ``device`` once (default: the model's device); every epoch shuffles the rows
    with ``generator`` (a CPU ``torch.Generator``; ``None`` uses the global seed) and takes
    ``ceil(N / batch_size)`` steps of ``zero_grad -> loss.backward() -> optimizer.step()``, in training mode.
    Validation data, when given, is scored after every epoch in evaluation mode.

    Returns a history dict:

    * ``"batch_loss"``: the loss of every mini-batch, in order (``epochs * iterations_per_epoch`` floats);
    * ``"train_loss"``: per epoch, the mean of the batch losses weighted by batch size (a running average
      taken *while* the weights changed, so slightly above the loss at the end of the epoch);
    * ``"val_loss"``, and ``"val_accuracy"`` when ``y_val`` holds int64 class labels: per epoch, when
      ``X_val`` and ``y_val`` are given;
    * ``"iterations_per_epoch"``, ``"iterations"`` (total steps), ``"seconds"`` (wall time).

    A loss that becomes ``nan`` or ``inf`` (a learning rate that is too large) is recorded, not raised.
    """
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError("fit needs at least one training example, got an empty X")
    if epochs < 0:
        raise ValueError(f"epochs must be >= 0, got {epochs}")
    dev = torch.device(device) if device is not None else _model_device(model, X.device)
    model.to(dev)
    X, y = X.to(dev), y.to(dev)
    N = len(X)
    per_epoch = iterations_per_epoch(N, batch_size)
    total = epochs * per_epoch
    losses = torch.empty(total, dtype=torch.float64, device=dev)  # stays on the device: no sync per step
    history: dict = {"batch_loss": [], "train_loss": [], "iterations_per_epoch": per_epoch, "iterations": total}
    if X_val is not None:
        history["val_loss"] = []
        if y_val.dtype == torch.int64:
            history["val_accuracy"] = []
    sizes = torch.full((per_epoch,), float(batch_size), dtype=torch.float64, device=dev)
    sizes[-1] = N - batch_size * (per_epoch - 1)  # the last batch may be smaller
    start = time.perf_counter()
    bar = _progress(range(total), desc=desc or "training", enabled=progress, unit="batch")
    tick = bar.update if hasattr(bar, "update") else (lambda n=1: None)
    step = 0
    for epoch in range(epochs):
        model.train()
        for idx in batch_indices(N, batch_size, shuffle=shuffle, generator=generator, device=dev):
            loss = loss_fn(model(X[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses[step] = loss.detach()
            step += 1
            tick(1)
        epoch_losses = losses[epoch * per_epoch:(epoch + 1) * per_epoch]
        history["train_loss"].append(float((epoch_losses * sizes).sum()) / N)
        postfix = {"epoch": epoch + 1, "train_loss": f"{history['train_loss'][-1]:.4g}"}
        if X_val is not None:
            history["val_loss"].append(evaluate_loss(model, loss_fn, X_val, y_val, batch_size=max(batch_size, 1024)))
            postfix["val_loss"] = f"{history['val_loss'][-1]:.4g}"
            if "val_accuracy" in history:
                history["val_accuracy"].append(evaluate_accuracy(model, X_val, y_val, batch_size=max(batch_size, 1024)))
                postfix["val_acc"] = f"{history['val_accuracy'][-1]:.4f}"
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(postfix)
    if hasattr(bar, "close"):
        bar.close()
    history["batch_loss"] = losses.cpu().tolist()
    history["seconds"] = time.perf_counter() - start
    return history
