"""Rules a lab states ("don't use torch.softmax", "build no one-hot matrix"), checked while an answer runs.

Used in test cells, so the same check, with the same message, runs in the student's own kernel and inside
the grader's sandbox::

    with forbid("torch.softmax", "torch.Tensor.softmax", "torch.nn.functional.softmax",
                why="write softmax with torch.exp yourself"):
        S = softmax(Z)

:func:`forbid` switches the named functions off twice: the names are replaced (so looking one up, even as
``getattr(torch, "soft" + "max")``, finds a function that raises) and a ``TorchFunctionMode`` catches calls
that reach the original through a name bound earlier (``from torch import softmax as s``); a course helper
(``dlcourse.gradcheck.numerical_grad``) is also switched off under every name the notebook or the library
binds it to. Calls PyTorch
makes internally (``F.cross_entropy`` calling ``log_softmax``) are not the answer's and are not caught.
:func:`no_one_hot` watches every tensor the answer makes and fails when one is a one-hot matrix.
"""
from __future__ import annotations

import contextlib
import importlib
import sys
from unittest import mock

import torch
from torch.overrides import TorchFunctionMode

from .checks import CheckFailed


def _resolve(dotted: str):
    owner_name, _, attr = dotted.rpartition(".")
    if owner_name == "torch.Tensor":
        owner = torch.Tensor
    else:
        owner = importlib.import_module(owner_name)
    return owner, attr, getattr(owner, attr)


def _shown(dotted: str) -> str:
    return dotted.replace("torch.nn.functional.", "F.")


def _message(dotted: str, why: str) -> str:
    return f"your answer called {_shown(dotted)}, which this exercise rules out: {why}"


class _Catch(TorchFunctionMode):
    def __init__(self, originals: list, why: str):
        super().__init__()
        self.originals, self.why = originals, why

    def __torch_function__(self, func, types, args=(), kwargs=None):
        for name, original in self.originals:
            if func is original:
                raise CheckFailed(_message(name, self.why))
        return func(*args, **(kwargs or {}))


def _switched_off(dotted: str, why: str):
    def switched_off(*args, **kwargs):
        raise CheckFailed(_message(dotted, why))

    return switched_off


@contextlib.contextmanager
def forbid(*names: str, why: str):
    """While the block runs, calling any of ``names`` (dotted: ``torch.softmax``, ``torch.Tensor.softmax``,
    ``torch.nn.functional.softmax``) raises :class:`CheckFailed` with a sentence that names it and ``why``."""
    found = [(n, *_resolve(n)) for n in names]
    caller = sys._getframe(2).f_globals  # the test cell's namespace (the notebook's), past contextmanager
    owners = [caller] + [m for k, m in list(sys.modules.items()) if k == "dlcourse" or k.startswith("dlcourse.")]
    with contextlib.ExitStack() as stack:
        for name, owner, attr, original in found:
            off = _switched_off(name, why)
            stack.enter_context(mock.patch.object(owner, attr, off))
            for other in owners:  # the same function under another name: `from dlcourse import numerical_grad`
                items = other if isinstance(other, dict) else vars(other)
                for alias, value in list(items.items()):
                    if value is original and not (other is owner and alias == attr):
                        stack.enter_context(mock.patch.dict(other, {alias: off}) if isinstance(other, dict)
                                            else mock.patch.object(other, alias, off))
        stack.enter_context(_Catch([(name, f) for name, _, _, f in found], why))
        yield


class _OneHotWatch(TorchFunctionMode):
    _BUILDS = {"__setitem__", "scatter", "scatter_", "index_put", "index_put_", "index_fill_", "masked_fill_"}

    def __init__(self, num_classes: int, why: str):
        super().__init__()
        self.k, self.why = num_classes, why

    def _is_one_hot(self, t, built: bool) -> bool:
        if not isinstance(t, torch.Tensor) or t.dim() != 2 or t.shape[1] != self.k or t.shape[0] < 1 or self.k < 2:
            return False
        if t.is_floating_point() and not built:
            return False
        with torch.no_grad():
            v = t.detach().to("cpu", torch.float64)
            return bool(((v == 0) | (v == 1)).all()) and bool((v.sum(dim=1) == 1).all())

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = getattr(func, "__name__", "")
        built = name in self._BUILDS or name in ("one_hot", "eye")
        candidates = [out] if isinstance(out, torch.Tensor) else list(out) if isinstance(out, (tuple, list)) else []
        if name.endswith("_") or name == "__setitem__":
            candidates += [a for a in args[:1] if isinstance(a, torch.Tensor)]
        if any(self._is_one_hot(t, built) for t in candidates):
            raise CheckFailed(f"your answer built a one-hot matrix of shape (N, {self.k}) ({name}), which this "
                              f"exercise rules out: {self.why}")
        return out


@contextlib.contextmanager
def no_one_hot(num_classes: int, why: str):
    """While the block runs, making an (N, ``num_classes``) tensor of 0s and 1s with one 1 per row (by
    comparison, ``F.one_hot``, ``torch.eye``, ``scatter`` or assignment) raises :class:`CheckFailed`."""
    with _OneHotWatch(num_classes, why):
        yield
