"""Checks used in lab test cells.

Each check raises :class:`CheckFailed` (an ``AssertionError``) with a message written for the student:
what was expected, what was received, and, for values, where the worst mismatch sits. Nothing is printed
to stderr, so a passing check never costs points in nbgrader.
"""
from __future__ import annotations

import copy
from typing import Any, Callable, Iterable

import numpy as np
import torch

from .devices import available_devices


class CheckFailed(AssertionError):
    """A student's answer differs from what the test expects."""


def _fail(what: str, hint: str | None) -> None:
    msg = what if not hint else f"{what}\n  hint: {hint}"
    raise CheckFailed(msg)


def _label(name: str | None) -> str:
    return f"{name}: " if name else ""


def _as_tensor(x: Any) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(x)
    return torch.as_tensor(x)


def _kind(x: Any) -> str:
    if isinstance(x, torch.Tensor):
        return f"torch.Tensor(shape={tuple(x.shape)}, dtype={x.dtype}, device={x.device})"
    if isinstance(x, np.ndarray):
        return f"numpy.ndarray(shape={x.shape}, dtype={x.dtype})"
    return type(x).__name__


def check_true(condition: bool, message: str, hint: str | None = None) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        _fail(message, hint)


def check_shape(actual: Any, shape: Iterable[int], name: str | None = None, hint: str | None = None) -> None:
    """``actual`` must have exactly ``shape``."""
    if actual is None:
        _fail(f"{_label(name)}got None — did the function forget to `return` its result?", hint)
    got = tuple(actual.shape) if hasattr(actual, "shape") else None
    want = tuple(shape)
    if got is None:
        _fail(f"{_label(name)}expected an array/tensor of shape {want}, got {_kind(actual)}", hint)
    if got != want:
        _fail(f"{_label(name)}wrong shape: got {got}, expected {want}", hint)


def check_dtype(actual: Any, dtype: Any, name: str | None = None, hint: str | None = None) -> None:
    """``actual`` must have ``dtype`` (a torch or numpy dtype)."""
    got = getattr(actual, "dtype", None)
    if got != dtype:
        _fail(f"{_label(name)}wrong dtype: got {got}, expected {dtype}", hint)


def check_device(actual: torch.Tensor, device: Any, name: str | None = None, hint: str | None = None) -> None:
    """``actual`` must be a tensor on ``device`` (only the device type is compared: cuda == cuda:0)."""
    if not isinstance(actual, torch.Tensor):
        _fail(f"{_label(name)}expected a torch.Tensor on {device}, got {_kind(actual)}", hint)
    want = torch.device(device)
    if actual.device.type != want.type:
        _fail(
            f"{_label(name)}result is on {actual.device}, expected {want.type} — keep results on the "
            f"device of the inputs (create new tensors with device=X.device)",
            hint,
        )


def check_requires_grad(actual: torch.Tensor, name: str | None = None, hint: str | None = None) -> None:
    """``actual`` must still be attached to the autograd graph."""
    if not isinstance(actual, torch.Tensor) or not actual.requires_grad:
        _fail(
            f"{_label(name)}result lost requires_grad — it was detached from the autograd graph "
            f"(avoid .item(), .detach(), .numpy() or torch.tensor(...) on intermediate values)",
            hint,
        )


def check_close(
    actual: Any,
    expected: Any,
    *,
    name: str | None = None,
    hint: str | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    device: Any = None,
    exact_dtype: bool = True,
) -> None:
    """``actual`` must equal ``expected`` (tensor, array or number) to within ``rtol``/``atol``.

    Compared in order: None returned, type (tensor vs array vs number), shape, dtype, device, then
    values; a value mismatch reports how many entries differ and the worst one with its index.
    """
    label = _label(name)
    if actual is None:
        _fail(f"{label}got None — did the function forget to `return` its result?", hint)
    if isinstance(expected, torch.Tensor) and not isinstance(actual, torch.Tensor):
        _fail(f"{label}expected a torch.Tensor, got {_kind(actual)}", hint)
    if isinstance(expected, np.ndarray) and not isinstance(actual, np.ndarray):
        _fail(f"{label}expected a numpy.ndarray, got {_kind(actual)}", hint)
    if device is not None:
        check_device(actual, device, name=name, hint=hint)
    exp_t = _as_tensor(expected)
    try:
        act_t = _as_tensor(actual)
    except Exception:
        _fail(f"{label}expected a number/array/tensor, got {_kind(actual)}", hint)
    if tuple(act_t.shape) != tuple(exp_t.shape):
        _fail(f"{label}wrong shape: got {tuple(act_t.shape)}, expected {tuple(exp_t.shape)}", hint)
    if exact_dtype and isinstance(expected, (torch.Tensor, np.ndarray)) and act_t.dtype != exp_t.dtype:
        _fail(f"{label}wrong dtype: got {act_t.dtype}, expected {exp_t.dtype}", hint)
    a = act_t.detach().to("cpu")
    e = exp_t.detach().to("cpu")
    if a.dtype == torch.bool or e.dtype == torch.bool or not (a.is_floating_point() or e.is_floating_point()):
        bad = a != e.to(a.dtype) if a.dtype == e.dtype else a.to(torch.float64) != e.to(torch.float64)
    else:
        a64, e64 = a.to(torch.float64), e.to(torch.float64)
        bad = ~torch.isclose(a64, e64, rtol=rtol, atol=atol, equal_nan=True)
    if bool(bad.any()):
        diff = (a.to(torch.float64) - e.to(torch.float64)).abs()
        diff = torch.where(torch.isnan(diff), torch.full_like(diff, float("inf")), diff)
        if diff.dim() == 0:
            _fail(f"{label}got {a.item():.6g}, expected {e.item():.6g}", hint)
        flat = int(torch.argmax(diff.reshape(-1)))
        idx = tuple(int(i) for i in np.unravel_index(flat, tuple(diff.shape)))
        n_bad, n_all = int(bad.sum()), bad.numel()
        _fail(
            f"{label}{n_bad} of {n_all} values differ; worst at index {idx}: "
            f"got {a[idx].item():.6g}, expected {e[idx].item():.6g}",
            hint,
        )


def _copy(value: Any) -> Any:
    """A deep copy of tensors, arrays and the lists/tuples/dicts holding them (other objects: deepcopy)."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, torch.nn.Module):
        return _ModuleState(value)
    if isinstance(value, torch.Generator):
        return None  # consuming random numbers is what a generator is for: not a mutation
    if type(value).__eq__ is object.__eq__:
        return _UNCOPYABLE  # compared by identity: a copy would always look "changed"
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy(v) for v in value) if isinstance(value, list) else tuple(_copy(v) for v in value)
    try:
        return copy.deepcopy(value)
    except Exception:
        return _UNCOPYABLE


_UNCOPYABLE = object()


class _ModuleState:
    """A module's parameters and buffers, and its train/eval mode, as they were."""

    def __init__(self, module: torch.nn.Module) -> None:
        self.state = {k: v.detach().clone() for k, v in module.state_dict().items()}
        self.training = module.training

    def same_as(self, module: Any) -> bool:
        if not isinstance(module, torch.nn.Module) or module.training != self.training:
            return False
        now = module.state_dict()
        return now.keys() == self.state.keys() and all(_same(self.state[k], now[k]) for k in now)


def _same(old: Any, new: Any) -> bool:
    if old is _UNCOPYABLE or (old is None and isinstance(new, torch.Generator)):
        return True
    if isinstance(old, _ModuleState):
        return old.same_as(new)
    if isinstance(old, torch.Tensor):
        return isinstance(new, torch.Tensor) and old.shape == new.shape and old.dtype == new.dtype and torch.equal(old, new.detach().to(old.device))
    if isinstance(old, np.ndarray):
        return isinstance(new, np.ndarray) and old.shape == new.shape and np.array_equal(old, new, equal_nan=old.dtype.kind == "f")
    if isinstance(old, dict):
        return isinstance(new, dict) and old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, (list, tuple)):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new))
    try:
        return bool(old == new)
    except Exception:
        return True


def check_no_mutation(fn: Callable, *args: Any, name: str | None = None, hint: str | None = None, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` and fail if it changed any argument in place.

    Tensors, arrays, and lists/tuples/dicts of them are compared entry by entry (values, shape, dtype).
    Returns what ``fn`` returned, so the call can double as the one being tested.
    """
    values = list(args) + list(kwargs.values())
    before = [_copy(v) for v in values]
    result = fn(*args, **kwargs)
    label = name or getattr(fn, "__name__", "the function")
    for pos, (old, new) in enumerate(zip(before, values)):
        if not _same(old, new):
            _fail(
                f"{label} modified its input argument #{pos + 1} in place — work on a copy "
                f"(e.g. X.clone()) or use out-of-place operations (x = x + 1, not x += 1)",
                hint,
            )
    return result


class explain:
    """Turn an error the answer raises into a sentence saying what was asked::

        with explain("fit_autograd(X, y) should update W under torch.no_grad() and return it"):
            W = fit_autograd(X, y)

    A :class:`CheckFailed` passes through unchanged, and so does ``NotImplementedError`` (an exercise not
    attempted yet must show as such); any other exception becomes a ``CheckFailed`` that starts with
    ``asked`` and ends with the error's type and first line (``hint`` is added as usual).
    """

    def __init__(self, asked: str, hint: str | None = None) -> None:
        self.asked, self.hint = asked, hint

    def __enter__(self) -> "explain":
        return self

    def __exit__(self, kind, err, tb) -> bool:
        if err is None or isinstance(err, (CheckFailed, NotImplementedError)) or not isinstance(err, Exception):
            return False
        first = (str(err).strip().splitlines() or [""])[0][:300]
        _fail(f"{self.asked}; instead it raised {kind.__name__}: {first}", self.hint)
        return False  # not reached: _fail raises


def on_each_device(check: Callable[[torch.device], None], devices: Iterable[torch.device] | None = None) -> None:
    """Run ``check(device)`` on every available device; a failure names the device it happened on."""
    for dev in devices if devices is not None else available_devices():
        try:
            check(dev)
        except CheckFailed as err:
            raise CheckFailed(f"[on {dev.type}] {err}") from None
