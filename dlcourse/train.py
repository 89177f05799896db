"""The course's one training loop, and evaluation helpers.

:func:`fit` trains any ``nn.Module`` with mini-batch gradient steps over tensors that already sit on the
device (no ``DataLoader``, no per-sample Python loop): each epoch draws a fresh permutation of the rows and
slices it into ``ceil(N / batch_size)`` batches. It can step a learning-rate schedule after every batch,
score a validation set several times per epoch and stop at a target accuracy. It shows one progress bar
(:func:`dlcourse.quiet.progress`: a widget in Jupyter, never stderr) and returns a history dict.
:func:`train_cnn` is the lecture-12 recipe on top of it: Adam and a one-cycle learning rate.

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


def _sum_dtype(device: torch.device) -> torch.dtype:
    """float64 to add up losses, except on Apple's MPS, which has no float64 (float32 holds a float32 loss
    exactly)."""
    return torch.float32 if torch.device(device).type == "mps" else torch.float64


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


def _hits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.dim() != 2:
        raise ValueError(f"evaluate_accuracy expects outputs of shape (batch, classes), got {tuple(logits.shape)}")
    return (logits.argmax(dim=1) == y).sum()


def _totals(model: nn.Module, X: torch.Tensor, y: torch.Tensor, batch_size: int, name: str,
            loss_fn: Callable | None = None, hits: bool = False) -> tuple[float | None, float | None]:
    """One pass over ``(X, y)`` in evaluation mode without gradients: the mean of ``loss_fn`` (batches
    weighted by their size, summed in float64 but on MPS) and/or the fraction of correct argmax predictions."""
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError(f"{name} needs at least one example")
    dev = _model_device(model, X.device)
    loss_sum = torch.zeros((), dtype=_sum_dtype(dev), device=dev)
    hit_sum = torch.zeros((), dtype=torch.int64, device=dev)
    with eval_mode(model):
        for i in range(0, len(X), batch_size):
            out, yb = model(X[i:i + batch_size].to(dev)), y[i:i + batch_size].to(dev)
            if loss_fn is not None:
                loss_sum += loss_fn(out, yb).to(loss_sum.dtype) * len(yb)
            if hits:
                hit_sum += _hits(out, yb)
    return (float(loss_sum) / len(X) if loss_fn is not None else None,
            int(hit_sum) / len(X) if hits else None)


def evaluate_loss(model: nn.Module, loss_fn: Callable, X: torch.Tensor, y: torch.Tensor, *,
                  batch_size: int = 1024) -> float:
    """The mean of ``loss_fn`` over all of ``(X, y)`` in evaluation mode, without gradients.

    ``loss_fn`` must average over its batch (``reduction="mean"``, the PyTorch default); batches are weighted
    by their size, so the result does not depend on ``batch_size``.
    """
    return _totals(model, X, y, batch_size, "evaluate_loss", loss_fn=loss_fn)[0]


def evaluate_accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor, *, batch_size: int = 1024) -> float:
    """The fraction of rows whose largest output (``argmax`` over dim 1) equals the label in ``y``.

    X: (N, ...) inputs; y: (N,) int64 class labels. Runs in evaluation mode under ``torch.no_grad()`` and
    restores the previous mode of every sub-module. Returns a Python float in [0, 1].
    """
    return _totals(model, X, y, batch_size, "evaluate_accuracy", hits=True)[1]


def _check_fit_args(X, y, X_val, y_val, epochs, batch_size, evals_per_epoch, target) -> None:
    """Every argument check of :func:`fit` (and so of :func:`train_cnn`), with messages that say the fix."""
    for name, t in (("X", X), ("y", y), ("X_val", X_val), ("y_val", y_val)):
        if t is not None and not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor with one row per example, got {type(t).__name__}")
        if t is not None and t.dim() == 0:
            raise ValueError(f"{name} must have one row per example, shape (N, ...), got a 0-d tensor")
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError("fit needs at least one training example, got an empty X")
    if X_val is not None and (len(X_val) != len(y_val) or len(X_val) == 0):
        raise ValueError(f"X_val and y_val must be non-empty with the same number of rows, got {len(X_val)} "
                         f"and {len(y_val)}")
    if epochs < 0 or batch_size < 1 or evals_per_epoch < 1:
        raise ValueError(f"need epochs >= 0, batch_size >= 1 and evals_per_epoch >= 1, got epochs={epochs}, "
                         f"batch_size={batch_size}, evals_per_epoch={evals_per_epoch}")
    if target is not None:
        if X_val is None:
            raise ValueError("a target accuracy needs X_val and y_val to measure it on")
        if y_val.dtype != torch.int64:
            raise ValueError(f"a target accuracy needs int64 class labels in y_val, got {y_val.dtype}")


def _build_scheduler(scheduler, optimizer: torch.optim.Optimizer, total: int):
    """``scheduler`` as given (an object with ``.step()``), or built by calling it with
    ``(optimizer, total_steps)``; checks that it drives ``optimizer``."""
    if scheduler is None:
        return None
    if not hasattr(scheduler, "step"):
        if not callable(scheduler):
            raise TypeError("scheduler must be a learning-rate scheduler (with .step()) or a function "
                            f"(optimizer, total_steps) -> scheduler, got {type(scheduler).__name__}")
        if total == 0:
            raise ValueError("a learning-rate schedule built by fit needs at least one step: epochs must be >= 1")
        scheduler = scheduler(optimizer, total)
    if getattr(scheduler, "optimizer", optimizer) is not optimizer:
        raise ValueError("the scheduler drives another optimizer than the one given to fit: build it on the "
                         "same optimizer, e.g. OneCycleLR(optimizer, ...)")
    return scheduler


def fit(model: nn.Module, loss_fn: Callable, optimizer: torch.optim.Optimizer, X: torch.Tensor, y: torch.Tensor, *,
        epochs: int = 1, batch_size: int = 128, device: str | torch.device | None = None, progress: bool = True,
        generator: torch.Generator | None = None, shuffle: bool = True, X_val: torch.Tensor | None = None,
        y_val: torch.Tensor | None = None, desc: str | None = None,
        scheduler: torch.optim.lr_scheduler.LRScheduler | Callable | None = None, evals_per_epoch: int = 1,
        target: float | None = None) -> dict:
    """Train ``model`` for ``epochs`` passes over ``(X, y)`` with mini-batches of ``batch_size``.

    X: (N, ...) inputs; y: (N, ...) targets (e.g. (N,) int64 labels for ``nn.CrossEntropyLoss``). The model
    and the data are moved to ``device`` once (default: the model's device); every epoch shuffles the rows
    with ``generator`` (a CPU ``torch.Generator``; ``None`` uses the global seed) and takes
    ``ceil(N / batch_size)`` steps of ``zero_grad -> loss.backward() -> optimizer.step()
    [-> scheduler.step()]``, in training mode.

    * ``scheduler``: a learning-rate scheduler on ``optimizer``, stepped after every batch; or a function
      ``(optimizer, total_steps) -> scheduler`` that fit calls once the number of steps is known.
    * ``X_val``, ``y_val``: scored in evaluation mode ``evals_per_epoch`` times per epoch, evenly spaced (the
      last one after the epoch's last batch).
    * ``target``: stop at the first evaluation whose validation accuracy is >= ``target``.

    Returns a history dict:

    * ``"batch_loss"``: the loss of every mini-batch, in order (one float per step taken);
    * ``"train_loss"``: per epoch, the mean of the batch losses weighted by batch size (a running average
      taken *while* the weights changed, so slightly above the loss at the end of the epoch); an epoch cut
      short by ``target`` averages the batches it took;
    * ``"val_loss"``, and ``"val_accuracy"`` when ``y_val`` holds int64 class labels: one per evaluation,
      when ``X_val`` and ``y_val`` are given;
    * ``"evals"``: one dict per evaluation: ``step``, ``epoch`` (fractional), ``seconds`` since the start,
      ``val_loss`` and (class labels) ``val_accuracy``;
    * ``"reached"``: seconds until ``target`` was first met, or ``None``;
    * ``"iterations_per_epoch"``; ``"iterations"``: the steps planned (``epochs * iterations_per_epoch``);
      ``"steps"``: the steps taken (fewer when ``target`` stopped training); ``"seconds"``: wall time,
      evaluations included;
    * ``"optimizer"`` and ``"scheduler"`` (``None`` without one), e.g. for :func:`dlcourse.checkpoints.save_checkpoint`.

    A loss that becomes ``nan`` or ``inf`` (a learning rate that is too large) is recorded, not raised. The
    model is left in training mode.
    """
    _check_fit_args(X, y, X_val, y_val, epochs, batch_size, evals_per_epoch, target)
    dev = torch.device(device) if device is not None else _model_device(model, X.device)
    model.to(dev)
    X, y = X.to(dev), y.to(dev)
    N = len(X)
    per_epoch = iterations_per_epoch(N, batch_size)
    total = epochs * per_epoch
    scheduler = _build_scheduler(scheduler, optimizer, total)
    eval_at = {round(per_epoch * (k + 1) / evals_per_epoch) for k in range(evals_per_epoch)}
    eval_batch = max(batch_size, 1024)
    with_accuracy = X_val is not None and y_val.dtype == torch.int64
    losses = torch.empty(total, dtype=_sum_dtype(dev), device=dev)  # stays on the device: no sync per step
    history: dict = {"batch_loss": [], "train_loss": [], "iterations_per_epoch": per_epoch, "iterations": total,
                     "steps": 0, "evals": [], "reached": None, "optimizer": optimizer, "scheduler": scheduler}
    if X_val is not None:
        history["val_loss"] = []
        if with_accuracy:
            history["val_accuracy"] = []
    sizes = torch.full((per_epoch,), float(batch_size), dtype=losses.dtype, device=dev)
    sizes[-1] = N - batch_size * (per_epoch - 1)  # the last batch may be smaller
    start = time.perf_counter()
    bar = _progress(range(total), desc=desc or "training", enabled=progress, unit="batch")
    tick = bar.update if hasattr(bar, "update") else (lambda n=1: None)
    step = 0
    for epoch in range(epochs):
        model.train()
        for i, idx in enumerate(batch_indices(N, batch_size, shuffle=shuffle, generator=generator, device=dev), 1):
            loss = loss_fn(model(X[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            losses[step] = loss.detach()
            step += 1
            tick(1)
            if X_val is not None and i in eval_at:
                val_loss, val_acc = _totals(model, X_val, y_val, eval_batch, "fit", loss_fn=loss_fn, hits=with_accuracy)
                record = {"step": step, "epoch": step / per_epoch, "seconds": time.perf_counter() - start,
                          "val_loss": val_loss}
                history["val_loss"].append(val_loss)
                if with_accuracy:
                    record["val_accuracy"] = val_acc
                    history["val_accuracy"].append(val_acc)
                history["evals"].append(record)
                if target is not None and val_acc >= target:
                    history["reached"] = record["seconds"]
                    break
        done = step - epoch * per_epoch  # batches of this epoch (all of them unless target stopped it)
        seen = N if done == per_epoch else float(sizes[:done].sum())
        history["train_loss"].append(float((losses[epoch * per_epoch:step] * sizes[:done]).sum()) / seen)
        postfix = {"epoch": epoch + 1, "train_loss": f"{history['train_loss'][-1]:.4g}"}
        if X_val is not None:
            postfix["val_loss"] = f"{history['val_loss'][-1]:.4g}"
            if with_accuracy:
                postfix["val_acc"] = f"{history['val_accuracy'][-1]:.4f}"
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(postfix)
        if history["reached"] is not None:
            break
    if hasattr(bar, "close"):
        bar.close()
    history["batch_loss"] = losses[:step].cpu().tolist()
    history["steps"] = step
    history["seconds"] = time.perf_counter() - start
    return history


#: The keys :func:`train_cnn` returns (its history before it became a wrapper around :func:`fit`).
TRAIN_CNN_KEYS = ("batch_loss", "evals", "seconds", "reached", "steps", "optimizer")


def train_cnn(model: nn.Module, X: torch.Tensor, y: torch.Tensor, *, epochs: int = 1, batch_size: int = 128,
              max_lr: float = 0.01, weight_decay: float = 0.0, X_val: torch.Tensor | None = None,
              y_val: torch.Tensor | None = None, evals_per_epoch: int = 1, target: float | None = None,
              generator: torch.Generator | None = None) -> dict:
    """Train a classifier with cross-entropy, Adam and a one-cycle learning rate over ``epochs`` passes of
    ``(X, y)``: :func:`fit` with the settings of lecture 12 (see :data:`dlcourse.models.RECIPE`), no progress bar.

    X: (N, 1, 28, 28) float inputs (standardised, see :func:`dlcourse.models.normalize_mnist`), y: (N,) int64
    labels; both are moved once to the model's device. The learning rate rises from ``max_lr / 25`` to
    ``max_lr`` over the first 25% of the steps (``pct_start=0.25``), then anneals along a cosine to
    ``max_lr / 25e4`` (``OneCycleLR``); Adam's beta1 moves the other way, from 0.95 down to 0.85 over the
    warm-up and back to 0.95 by the end (``cycle_momentum``, PyTorch's default). The validation set, when
    given, is scored ``evals_per_epoch`` times per epoch (evaluation mode); with ``target`` training stops at
    the first evaluation whose accuracy is >= ``target``. Pass a validation split (``load_mnist("val")``),
    never the test set: the stopping point is a choice.

    Returns the part of fit's history listed in :data:`TRAIN_CNN_KEYS`: ``"batch_loss"``, ``"evals"``
    (``step``, ``epoch``, ``seconds``, ``val_loss``, ``val_accuracy``), ``"seconds"``, ``"reached"``,
    ``"steps"`` and ``"optimizer"`` (the Adam instance, e.g. for :func:`dlcourse.checkpoints.save_checkpoint`).
    The model is left in training mode.
    """
    optimizer = torch.optim.Adam(model.parameters(), lr=max_lr, weight_decay=weight_decay)

    def one_cycle(opt, total_steps):
        return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=total_steps, pct_start=0.25)

    history = fit(model, nn.CrossEntropyLoss(), optimizer, X, y, epochs=epochs, batch_size=batch_size,
                  progress=False, generator=generator, X_val=X_val, y_val=y_val, scheduler=one_cycle,
                  evals_per_epoch=evals_per_epoch, target=target)
    return {k: history[k] for k in TRAIN_CNN_KEYS}
