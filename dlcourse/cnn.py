"""A fast recipe for a small MNIST CNN, checkpoints, and a draw-a-digit explorer.

* :func:`mnist_cnn` builds the classic two conv+pool blocks followed by a fully connected classifier
  (batch norm after each convolution makes it train fast); :data:`RECIPE` holds the settings lecture 12 and
  the benchmark use.
* :func:`train_cnn` trains it on tensors already on the device (one tensor for the whole training set, no
  DataLoader, no per-sample Python loop) with Adam and a one-cycle learning rate
  (``torch.optim.lr_scheduler.OneCycleLR``), scoring a validation set a few times per epoch and optionally
  stopping as soon as a target accuracy is reached.
* :func:`save_checkpoint` / :func:`load_checkpoint` store and restore ``state_dict``\\ s, with clear errors.
* :func:`render_strokes` and :class:`DigitDrawExplorer` turn a few pen strokes into a 28x28 image and
  classify it.
"""
from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .train import batch_indices, evaluate_accuracy, predict
from .widgets import Explorer

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081

#: The settings lecture 12 and the benchmark ``python -m bench mnist_cnn_time_to_99`` use: 99% test accuracy
#: after about 2.25 of the 3 scheduled epochs (measured with 1 and 2 CPU threads; see the benchmark for the
#: time). With a 2-epoch schedule the run ended at 98.99% on a loaded machine: 3 leaves evaluations to spare.
RECIPE = {"c1": 8, "c2": 16, "hidden": 128, "dropout": 0.1, "epochs": 3, "batch_size": 128, "max_lr": 0.01}


def mnist_cnn(c1: int = 16, c2: int = 32, *, hidden: int = 0, dropout: float = 0.0, batchnorm: bool = True,
              classes: int = 10) -> nn.Sequential:
    """conv(1->c1, 3x3) -> [BN] -> ReLU -> maxpool 2 -> conv(c1->c2, 3x3) -> [BN] -> ReLU -> maxpool 2 ->
    flatten -> [linear(c2*7*7 -> hidden) -> ReLU, when hidden > 0] -> [dropout] -> linear(-> classes).
    Input (N, 1, 28, 28), output logits (N, classes)."""
    if c1 < 1 or c2 < 1 or hidden < 0 or not 0.0 <= dropout < 1.0:
        raise ValueError(f"need c1, c2 >= 1, hidden >= 0 and 0 <= dropout < 1, got c1={c1}, c2={c2}, "
                         f"hidden={hidden}, dropout={dropout}")

    def block(cin, cout):
        layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=not batchnorm)]
        if batchnorm:
            layers.append(nn.BatchNorm2d(cout))
        return layers + [nn.ReLU(), nn.MaxPool2d(2)]

    width = hidden or c2 * 7 * 7
    head = [nn.Flatten()] + ([nn.Linear(c2 * 7 * 7, hidden), nn.ReLU()] if hidden else [])
    head += ([nn.Dropout(dropout)] if dropout > 0 else []) + [nn.Linear(width, classes)]
    return nn.Sequential(*block(1, c1), *block(c1, c2), *head)


def normalize_mnist(X: torch.Tensor) -> torch.Tensor:
    """Standardise [0, 1] MNIST pixels with the training-set mean and std (what :func:`train_cnn` expects)."""
    return (X - MNIST_MEAN) / MNIST_STD


def train_cnn(model: nn.Module, X: torch.Tensor, y: torch.Tensor, *, epochs: int = 1, batch_size: int = 128,
              max_lr: float = 0.01, weight_decay: float = 0.0, X_val: torch.Tensor | None = None,
              y_val: torch.Tensor | None = None, evals_per_epoch: int = 1, target: float | None = None,
              generator: torch.Generator | None = None) -> dict:
    """Train ``model`` with Adam and a one-cycle learning rate over ``epochs`` passes of ``(X, y)``.

    X: (N, 1, 28, 28) float inputs (standardised, see :func:`normalize_mnist`), y: (N,) int64 labels; both
    are moved once to the model's device. The learning rate rises from ``max_lr / 25`` to ``max_lr`` over the
    first 25% of the steps, then anneals to almost zero (``OneCycleLR``). The validation set, when given, is
    scored ``evals_per_epoch`` times per epoch (evaluation mode); with ``target`` training stops at the first
    evaluation whose accuracy is >= ``target``.

    Returns a history dict: ``"batch_loss"`` (floats), ``"evals"`` (list of dicts with ``step``, ``epoch``
    (fractional), ``seconds`` since the start of training, ``val_accuracy``), ``"seconds"`` (total wall time,
    evaluations included), ``"reached"`` (seconds until ``target`` was first met, or ``None``), ``"steps"``,
    and ``"optimizer"`` (the Adam instance, e.g. for :func:`save_checkpoint`). The model is left in training
    mode.
    """
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X and y must be non-empty with the same number of rows, got {len(X)} and {len(y)}")
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    if target is not None and X_val is None:
        raise ValueError("a target accuracy needs X_val and y_val to measure it on")
    if epochs < 1 or batch_size < 1 or evals_per_epoch < 1:
        raise ValueError(f"need epochs, batch_size, evals_per_epoch >= 1, got {epochs}, {batch_size}, {evals_per_epoch}")
    dev = next(model.parameters()).device
    X, y = X.to(dev), y.to(dev)
    N = len(X)
    per_epoch = math.ceil(N / batch_size)
    total = epochs * per_epoch
    eval_at = {round(per_epoch * (k + 1) / evals_per_epoch) for k in range(evals_per_epoch)}
    optimizer = torch.optim.Adam(model.parameters(), lr=max_lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=total)
    loss_fn = nn.CrossEntropyLoss()
    losses = torch.empty(total, device=dev)
    history: dict = {"evals": [], "reached": None, "steps": 0}
    start = time.perf_counter()
    step = 0
    for epoch in range(epochs):
        model.train()
        for i, idx in enumerate(batch_indices(N, batch_size, generator=generator, device=dev), start=1):
            loss = loss_fn(model(X[idx]), y[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            sched.step()
            losses[step] = loss.detach()
            step += 1
            if X_val is not None and i in eval_at:
                acc = evaluate_accuracy(model, X_val, y_val)
                history["evals"].append({"step": step, "epoch": step / per_epoch,
                                         "seconds": time.perf_counter() - start, "val_accuracy": acc})
                if target is not None and acc >= target:
                    history["reached"] = history["evals"][-1]["seconds"]
                    break
        if history["reached"] is not None:
            break
    history["seconds"] = time.perf_counter() - start
    history["steps"] = step
    history["batch_loss"] = losses[:step].cpu().tolist()
    history["optimizer"] = optimizer
    return history


class CheckpointError(RuntimeError):
    """A checkpoint file that is missing, unreadable, or does not fit the model/optimizer given."""


def save_checkpoint(path, model: nn.Module, optimizer: torch.optim.Optimizer | None = None, **extra) -> Path:
    """Write ``{"model": model.state_dict(), "optimizer": optimizer.state_dict() or None, **extra}`` to
    ``path`` (parent folders are created). Extra keyword values (epoch, accuracy...) are stored as given."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"model": model.state_dict(), "optimizer": None if optimizer is None else optimizer.state_dict(), **extra}
    torch.save(state, path)
    return path


def load_checkpoint(path, model: nn.Module, optimizer: torch.optim.Optimizer | None = None, *,
                    map_location="cpu") -> dict:
    """Load a checkpoint written by :func:`save_checkpoint` into ``model`` (and ``optimizer`` if given).

    ``map_location`` moves every stored tensor to that device first (a checkpoint saved on a GPU loads on a
    CPU-only machine); the model's parameters keep the device the model is on. Returns the whole checkpoint
    dict (so extra values such as the epoch can be read). Raises :class:`CheckpointError` with a clear
    message for a missing file, a file that is not a checkpoint, mismatched layer names/shapes, or an
    optimizer requested from a checkpoint saved without one.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}: save one first with save_checkpoint(path, model, optimizer)")
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as e:  # noqa: BLE001
        raise CheckpointError(f"{path} is not a readable PyTorch checkpoint ({type(e).__name__}: {e})") from e
    if not isinstance(state, dict) or "model" not in state:
        raise CheckpointError(f"{path} holds no 'model' entry: was it written by save_checkpoint?")
    try:
        model.load_state_dict(state["model"])
    except RuntimeError as e:
        raise CheckpointError(f"the checkpoint {path} does not fit this model (different layers or sizes?):\n{e}") from e
    if optimizer is not None:
        if state.get("optimizer") is None:
            raise CheckpointError(f"{path} was saved without an optimizer state; pass optimizer=None or "
                                  "save_checkpoint(path, model, optimizer) to resume training")
        try:
            optimizer.load_state_dict(state["optimizer"])
        except (ValueError, KeyError) as e:
            raise CheckpointError(f"the optimizer state in {path} does not fit this optimizer: {e}") from e
    return state


# ----- drawing a digit -------------------------------------------------------------------------------------

PRESETS = {
    "seven": "0.25,0.22 0.75,0.22 0.45,0.8",
    "one": "0.5,0.2 0.5,0.8",
    "zero": "0.5,0.2 0.32,0.35 0.32,0.65 0.5,0.8 0.68,0.65 0.68,0.35 0.5,0.2",
    "four": "0.6,0.8 0.6,0.2 0.3,0.6 0.72,0.6",
    "two": "0.3,0.32 0.45,0.2 0.65,0.25 0.65,0.42 0.3,0.8 0.72,0.8",
    "three": "0.3,0.22 0.68,0.25 0.45,0.48 0.68,0.62 0.55,0.8 0.3,0.78",
}


def parse_strokes(text: str) -> list[np.ndarray]:
    """``"x,y x,y ...; x,y ..."`` (coordinates in [0, 1], y down; ``;`` starts a new stroke) -> list of
    (P, 2) arrays. An empty string gives no strokes."""
    strokes = []
    for part in text.split(";"):
        pts = [p for p in part.replace("\n", " ").split() if p]
        if not pts:
            continue
        try:
            arr = np.array([[float(v) for v in p.split(",")] for p in pts], dtype=np.float64)
        except ValueError as e:
            raise ValueError(f"could not read the stroke {part.strip()!r}: write points as x,y separated by spaces") from e
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError(f"every point needs exactly two numbers x,y; got {part.strip()!r}")
        strokes.append(arr)
    return strokes


def render_strokes(strokes, *, size: int = 28, thickness: float = 2.2, margin: int = 4) -> torch.Tensor:
    """Draw polylines into a (1, 1, size, size) float32 image in [0, 1], anti-aliased.

    ``strokes``: a list of (P, 2) point arrays (or the text accepted by :func:`parse_strokes`), coordinates in
    [0, 1] mapped into the central ``size - 2*margin`` pixels (MNIST digits sit in a 20x20 box). A pixel's
    ink falls off linearly over one pixel beyond ``thickness / 2`` from the nearest segment.
    """
    if isinstance(strokes, str):
        strokes = parse_strokes(strokes)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5
    P = np.stack([xx.ravel(), yy.ravel()], axis=1)
    dist = np.full(len(P), np.inf)
    box = size - 2 * margin
    for s in strokes:
        pts = margin + np.clip(np.asarray(s, dtype=np.float64), 0.0, 1.0) * box
        if len(pts) == 1:
            pts = np.concatenate([pts, pts])
        for a, b in zip(pts[:-1], pts[1:]):
            ab = b - a
            t = np.clip(((P - a) @ ab) / max(ab @ ab, 1e-12), 0.0, 1.0)
            dist = np.minimum(dist, np.linalg.norm(P - (a + t[:, None] * ab), axis=1))
    ink = np.clip(thickness / 2 + 0.5 - dist, 0.0, 1.0)
    return torch.from_numpy(ink.reshape(1, 1, size, size).astype(np.float32))


class DigitDrawExplorer(Explorer):
    """Type (or pick) a few pen strokes; see the 28x28 image they make and the model's class probabilities."""

    def __init__(self, model: nn.Module, *, normalize: bool = True) -> None:
        self.model, self.normalize = model, normalize
        self.layout = (2, 1)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        return {
            "strokes": w.Text(value=PRESETS["seven"], description="strokes", layout=w.Layout(width="420px"),
                              continuous_update=False),
            "thickness": w.FloatSlider(value=2.2, min=1.0, max=4.0, step=0.2, description="thickness"),
        }

    def draw(self, strokes: str = PRESETS["seven"], thickness: float = 2.2) -> dict:
        image = render_strokes(strokes, thickness=thickness)
        x = normalize_mnist(image) if self.normalize else image
        probs = torch.softmax(predict(self.model, x), dim=1)[0].cpu()
        pred = int(probs.argmax())
        self.axes[0].imshow(image[0, 0].numpy(), cmap="gray_r", vmin=0, vmax=1)
        self.axes[0].set_title("your drawing (28x28)")
        self.axes[0].axis("off")
        bars = self.axes[1].bar(range(len(probs)), probs.numpy(), color="tab:gray")
        bars[pred].set_color("tab:orange")
        self.axes[1].set_xticks(range(len(probs)))
        self.axes[1].set_ylim(0, 1)
        self.axes[1].set_title(f"prediction: {pred} ({probs[pred]:.0%})")
        return {"image": image, "probs": probs, "prediction": pred}
