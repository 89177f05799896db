"""Save and restore a model's (and optionally its optimizer's) ``state_dict``, with clear errors.

:func:`save_checkpoint` writes ``{"model": ..., "optimizer": ... or None, **extra}`` with ``torch.save``;
:func:`load_checkpoint` reads it back with ``weights_only=True`` (no arbitrary code runs while loading) and
raises :class:`CheckpointError` saying what is wrong: no file, not a checkpoint, layers that do not fit.
A failed load leaves the model and the optimizer as they were.
"""
from __future__ import annotations

import io
from pathlib import Path

import torch
from torch import nn

__all__ = ["CheckpointError", "save_checkpoint", "load_checkpoint"]


class CheckpointError(RuntimeError):
    """A checkpoint file that is missing, unreadable, or does not fit the model/optimizer given."""


def _check_extra(extra: dict) -> None:
    """Every extra value must load back with ``weights_only=True`` (numbers, strings, tensors, lists...)."""
    for key, value in extra.items():
        buf = io.BytesIO()
        torch.save(value, buf)
        buf.seek(0)
        try:
            torch.load(buf, weights_only=True)
        except Exception as e:  # noqa: BLE001 - the unpickler raises several kinds
            raise CheckpointError(
                f"save_checkpoint cannot store {key}={value!r} (a {type(value).__module__}.{type(value).__qualname__}): "
                "load_checkpoint could not read it back. Store plain numbers, strings, tensors, or lists and dicts "
                f"of them, e.g. {key}=float(...) or {key}=int(...)") from e


def save_checkpoint(path, model: nn.Module, optimizer: torch.optim.Optimizer | None = None, **extra) -> Path:
    """Write ``{"model": model.state_dict(), "optimizer": optimizer.state_dict() or None, **extra}`` to
    ``path`` (parent folders are created). Extra keyword values (epoch, accuracy...) are stored as given;
    one that :func:`load_checkpoint` could not read back (a NumPy scalar, an arbitrary object) raises
    :class:`CheckpointError` before anything is written."""
    _check_extra(extra)
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
    optimizer requested from a checkpoint saved without one; the model and optimizer are then unchanged.
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
    if not isinstance(state["model"], dict):
        raise CheckpointError(f"the 'model' entry of {path} is a {type(state['model']).__name__}, not a state_dict: "
                              "was it written by save_checkpoint?")
    if optimizer is not None and state.get("optimizer") is None:
        raise CheckpointError(f"{path} was saved without an optimizer state; pass optimizer=None or "
                              "save_checkpoint(path, model, optimizer) to resume training")
    before = {k: v.detach().clone() for k, v in model.state_dict().items()}
    try:
        model.load_state_dict(state["model"])
    except (RuntimeError, TypeError) as e:
        model.load_state_dict(before)  # load_state_dict copies the layers that fit before it raises
        raise CheckpointError(f"the checkpoint {path} does not fit this model (different layers or sizes?):\n{e}") from e
    if optimizer is not None:
        try:
            optimizer.load_state_dict(state["optimizer"])
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            model.load_state_dict(before)
            raise CheckpointError(f"the optimizer state in {path} does not fit this optimizer: {e}") from e
    return state
