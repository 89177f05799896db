"""Contracts: what each exercise promises, machine-checked against every call its tests make.

A lab's mutant module (``exercises/mutants/<lab>.py``) defines ``CONTRACTS``, one :class:`Contract` per answer
cell: the inputs its visible and hidden tests may pass (a schema of :class:`Spec` values, with named dimensions
that must agree within one call), what every correct answer returns, the rules its instructions state, and
which input carries the batch. ``tests/test_contracts.py`` runs the lab's source notebook, records every call
the tests make to each answer (:mod:`exercises.record`) and checks that

* every recorded call, and the reference's result, fits the contract (a test that passes an input the
  instructions do not allow for, or a reference that breaks a promise, fails);
* the hidden tests include a case whose dimensions are pairwise different and all at least 3, and a batch of
  one, for every exercise that takes arrays (so a transposed or square-only answer cannot pass);
* every rule the contract states is broken by at least one mutant (``Mutant.breaks``), which loses the points;
* an exercise that takes and returns tensors gets the generated device mutant (:func:`device_mutants`).

Specs: ``T("N", "D", dtype="float")`` a tensor of shape (N, D); ``T(...)`` any shape; ``T(..., "K")`` any
leading dimensions; ``A(...)`` the same for NumPy arrays; ``Int``, ``Float`` (any real number), ``Bool``,
``Str``, ``Fn`` (a callable), ``Mod`` (an ``nn.Module``), ``Optim``, ``Gen`` (a ``torch.Generator``),
``Path``, ``Opt(spec)`` (or None), ``OneOf(*specs)``, ``Seq(spec)`` (a list or tuple), ``Tup(*specs)``
(a tuple of fixed length), ``Map({key: spec})`` (a dict with at least those keys), ``Anything``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_DTYPES = {
    "float": lambda d: d.is_floating_point,
    "int": lambda d: not d.is_floating_point and not d.is_complex and d != _torch().bool,
    "bool": lambda d: d == _torch().bool,
}


def _torch():
    import torch

    return torch


def _np():
    import numpy

    return numpy


def _dtype_ok(want, dtype) -> bool:
    """``want``: None (any), 'float', 'int', 'bool', a dtype name ('int64', 'float32') or a tuple of those."""
    if want is None:
        return True
    if isinstance(want, tuple):
        return any(_dtype_ok(w, dtype) for w in want)
    torch = _torch()
    if not isinstance(dtype, torch.dtype):  # a numpy dtype: compare through its torch twin
        dtype = torch.from_numpy(_np().zeros(1, dtype=dtype)).dtype
    if want in _DTYPES:
        return _DTYPES[want](dtype)
    return dtype == getattr(torch, want)


class Spec:
    """One input or output: :meth:`check` returns '' when ``value`` fits, else what is wrong (a phrase)."""

    def check(self, value, dims: dict) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def arrays(self):
        """The array specs inside (tensors and NumPy arrays)."""
        return []

    def has_tensor(self) -> bool:
        return any(isinstance(s, T) for s in self.arrays())


def _shape_problem(dims_spec: tuple, shape: tuple, dims: dict) -> str:
    if dims_spec == (...,):
        return ""
    if dims_spec and dims_spec[0] is ...:
        tail = dims_spec[1:]
        if len(shape) < len(tail):
            return f"has shape {shape}, expected at least {len(tail)} dimensions"
        shape_part, spec_part = shape[len(shape) - len(tail):], tail
    else:
        if len(shape) != len(dims_spec):
            return f"has shape {shape}, expected {len(dims_spec)} dimensions {_pretty(dims_spec)}"
        shape_part, spec_part = shape, dims_spec
    for got, want in zip(shape_part, spec_part):
        if want is None:
            continue
        if isinstance(want, int):
            if got != want:
                return f"has shape {shape}, expected {_pretty(dims_spec)}"
        elif want in dims and dims[want] != got:
            return f"has shape {shape}, but {want} = {dims[want]} elsewhere in the call"
        else:
            dims[want] = got
    return ""


def _pretty(dims_spec) -> str:
    return "(" + ", ".join("..." if d is ... else "?" if d is None else str(d) for d in dims_spec) + ")"


@dataclass(frozen=True)
class _Array(Spec):
    dims: tuple
    dtype: Any = None
    kind = "tensor"

    def __init__(self, *dims, dtype=None):
        object.__setattr__(self, "dims", dims)
        object.__setattr__(self, "dtype", dtype)

    def arrays(self):
        return [self]

    def check(self, value, dims):
        if not self._is(value):
            return f"is {_describe(value)}, expected a {self.kind}"
        if not _dtype_ok(self.dtype, value.dtype):
            return f"has dtype {value.dtype}, expected {self.dtype}"
        return _shape_problem(self.dims, tuple(value.shape), dims)


class T(_Array):
    kind = "torch.Tensor"

    def _is(self, value):
        return isinstance(value, _torch().Tensor)


class A(_Array):
    kind = "numpy.ndarray"

    def _is(self, value):
        return isinstance(value, _np().ndarray)


@dataclass(frozen=True)
class _Simple(Spec):
    lo: Any = None
    hi: Any = None

    def check(self, value, dims):
        if not self._is(value):
            return f"is {_describe(value)}, expected {self.what}"
        if self.lo is not None and value < self.lo:
            return f"is {value}, expected at least {self.lo}"
        if self.hi is not None and value > self.hi:
            return f"is {value}, expected at most {self.hi}"
        return ""


class Int(_Simple):
    what = "an int"

    def _is(self, v):
        return isinstance(v, (int, _np().integer)) and not isinstance(v, bool)


class Float(_Simple):
    what = "a real number"

    def _is(self, v):
        return isinstance(v, (int, float, _np().integer, _np().floating)) and not isinstance(v, bool)


class Bool(_Simple):
    what = "a bool"

    def _is(self, v):
        return isinstance(v, (bool, _np().bool_))


@dataclass(frozen=True)
class _Kind(Spec):
    def check(self, value, dims):
        return "" if self._is(value) else f"is {_describe(value)}, expected {self.what}"


class Str(_Kind):
    what = "a str"

    def _is(self, v):
        return isinstance(v, str)


class Path(_Kind):
    what = "a file path"

    def _is(self, v):
        import os

        return isinstance(v, (str, os.PathLike))


class Fn(_Kind):
    what = "a callable"

    def _is(self, v):
        return callable(v)


class Mod(_Kind):
    what = "an nn.Module"

    def _is(self, v):
        return isinstance(v, _torch().nn.Module)


class Optim(_Kind):
    what = "a torch.optim optimizer"

    def _is(self, v):
        return isinstance(v, _torch().optim.Optimizer)


class Gen(_Kind):
    what = "a torch.Generator"

    def _is(self, v):
        return isinstance(v, _torch().Generator)


class _Anything(_Kind):
    what = "anything"

    def _is(self, v):
        return True


Anything = _Anything()


@dataclass(frozen=True)
class Opt(Spec):
    spec: Spec

    def check(self, value, dims):
        return "" if value is None else self.spec.check(value, dims)

    def arrays(self):
        return self.spec.arrays()


@dataclass(frozen=True)
class OneOf(Spec):
    specs: tuple

    def __init__(self, *specs):
        object.__setattr__(self, "specs", specs)

    def check(self, value, dims):
        problems = []
        for s in self.specs:
            trial = dict(dims)
            why = s.check(value, trial)
            if not why:
                dims.update(trial)
                return ""
            problems.append(why)
        return " and ".join(dict.fromkeys(problems))

    def arrays(self):
        return [a for s in self.specs for a in s.arrays()]


@dataclass(frozen=True)
class Seq(Spec):
    item: Spec
    min_len: int = 0

    def check(self, value, dims):
        if not isinstance(value, (list, tuple)):
            return f"is {_describe(value)}, expected a list or tuple"
        if len(value) < self.min_len:
            return f"has {len(value)} items, expected at least {self.min_len}"
        for i, v in enumerate(value):
            why = self.item.check(v, dims)
            if why:
                return f"item {i} {why}"
        return ""

    def arrays(self):
        return self.item.arrays()


@dataclass(frozen=True)
class Tup(Spec):
    items: tuple

    def __init__(self, *items):
        object.__setattr__(self, "items", items)

    def check(self, value, dims):
        if not isinstance(value, (list, tuple)) or len(value) != len(self.items):
            return f"is {_describe(value)}, expected a tuple of {len(self.items)}"
        for i, (v, s) in enumerate(zip(value, self.items)):
            why = s.check(v, dims)
            if why:
                return f"item {i} {why}"
        return ""

    def arrays(self):
        return [a for s in self.items for a in s.arrays()]


@dataclass(frozen=True)
class Map(Spec):
    keys: dict

    def check(self, value, dims):
        if not isinstance(value, dict):
            return f"is {_describe(value)}, expected a dict"
        missing = [k for k in self.keys if k not in value]
        if missing:
            return f"lacks the key(s) {missing} (it has {sorted(map(str, value))})"
        for k, s in self.keys.items():
            why = s.check(value[k], dims)
            if why:
                return f"[{k!r}] {why}"
        return ""

    def arrays(self):
        return [a for s in self.keys.values() for a in s.arrays()]


def _describe(value) -> str:
    torch, np = _torch(), _np()
    if isinstance(value, torch.Tensor):
        return f"a tensor {tuple(value.shape)} {value.dtype}"
    if isinstance(value, np.ndarray):
        return f"an array {value.shape} {value.dtype}"
    return f"a {type(value).__name__}"


@dataclass(frozen=True)
class Contract:
    """One exercise. ``params``: the answer function's parameters (a class: its constructor's), by name;
    ``forward``: a class's ``forward`` parameters; ``returns``: what every correct answer returns (a class:
    what ``forward`` returns). ``rules``: the rules the instructions state (each needs a mutant that breaks it).
    ``batch``: the parameter whose first axis is the batch (``None``: no batch axis); ``diverse``: the
    parameter whose shape must, in some hidden case, have pairwise different dimensions of at least 3
    (default: the batch parameter; ``None`` when the exercise takes no array with two or more axes).
    ``why_not``: why ``batch``/``diverse`` is ``None`` for an exercise that takes arrays."""

    answer: str
    name: str
    params: dict = field(default_factory=dict)
    returns: Spec | None = None
    forward: dict | None = None
    rules: tuple = ()
    batch: str | None = None
    diverse: str | None = "batch"
    why_not: str = ""
    device_free: str = ""  # why dropping the reference's device= arguments is still correct (no forgets_device mutant)

    @property
    def is_class(self) -> bool:
        return self.forward is not None

    @property
    def array_params(self) -> list[str]:
        specs = {**self.params, **(self.forward or {})}
        return [n for n, s in specs.items() if s.arrays()]

    @property
    def takes_tensors(self) -> bool:
        return any(s.has_tensor() for s in {**self.params, **(self.forward or {})}.values())

    @property
    def returns_tensors(self) -> bool:
        return self.returns is not None and self.returns.has_tensor()

    @property
    def diverse_param(self) -> str | None:
        return self.batch if self.diverse == "batch" else self.diverse

    def check_call(self, bound: dict, result=None, *, forward: bool = False, has_result: bool = False) -> str:
        """'' when a recorded call (arguments by parameter name) and its result fit, else what is wrong."""
        specs = self.forward if forward else self.params
        dims: dict = {}
        for name, value in bound.items():
            spec = specs.get(name)
            if spec is None:
                return f"passes an argument {name!r} the contract does not list"
            why = spec.check(value, dims)
            if why:
                return f"passes {name} that {why}"
        if has_result and self.returns is not None and (forward or not self.is_class):
            why = self.returns.check(result, dims)
            if why:
                return f"gets a result that {why}"
        return ""


def contracts(lab: str) -> list[Contract]:
    from exercises.mutants import load_module

    return list(getattr(load_module(lab), "CONTRACTS", []))


# ---- mutants generated from contracts ---------------------------------------------------------------------

_CPU_WRAPPER = '''


def _returns_on_cpu(value):
    import torch as _t
    if isinstance(value, _t.Tensor):
        return value.cpu()
    if isinstance(value, (tuple, list)):
        return type(value)(_returns_on_cpu(v) for v in value)
    if isinstance(value, dict):
        return {k: _returns_on_cpu(v) for k, v in value.items()}
    return value


'''


def device_mutants(lab: str):
    """Device bugs, generated for every exercise whose contract states the ``device`` rule. A CPU-only grader
    catches them on ``simgpu``:

    * ``returns_cpu_tensor`` (it takes and returns tensors): the reference's answer with ``.cpu()`` on what it
      returns, as a student who converts for printing would write;
    * ``forgets_device`` (the reference creates tensors with ``device=...``): every such argument dropped, so
      the new tensors land on the CPU and meet the inputs' device.
    """
    from exercises.mutants import Mutant, lab_source
    from autograder.notebook import nbg

    cells = {nbg(c).get("grade_id"): c for c in lab_source(lab).cells if nbg(c).get("solution")}
    out = []
    every = contracts(lab)
    for c in every:
        if not (c.takes_tensors and c.returns_tensors) or c.answer not in cells:
            continue
        shared = sum(o.answer == c.answer for o in every) > 1
        source = cells[c.answer].source
        if c.is_class:
            extra = (f"{c.name}._forward_reference = {c.name}.forward\n"
                     f"{c.name}.forward = lambda self, *a, **k: _returns_on_cpu(self._forward_reference(*a, **k))\n")
        else:
            extra = (f"_{c.name}_reference = {c.name}\n\n\n"
                     f"def {c.name}(*args, **kwargs):\n"
                     f"    return _returns_on_cpu(_{c.name}_reference(*args, **kwargs))\n")
        name = f"{c.name}_returns_cpu_tensor" if shared else "returns_cpu_tensor"
        out.append(Mutant(c.answer, name, source=source + _CPU_WRAPPER + extra, breaks="device",
                          mistake="the result comes back on the CPU, not on the device its inputs are on",
                          hint="keep every step on the inputs' device: no .cpu() or NumPy round trip, and new tensors made with device=x.device"))
    for answer in sorted({c.answer for c in every if c.takes_tensors and "device" in c.rules and c.answer in cells
                          and not c.device_free}
                         if FORGETS_DEVICE else ()):
        body = cells[answer].source.split("### BEGIN SOLUTION")[-1]
        found = tuple(dict.fromkeys(m.group(0) for m in _DEVICE_ARG.finditer(body)))
        if found:  # every `device=...` the reference passes, dropped: new tensors land on the CPU
            out.append(Mutant(answer, "forgets_device", replace=tuple((f, "") for f in found), breaks="device",
                              mistake="new tensors are created on the CPU while the inputs may be on a GPU",
                              hint="pass device=x.device (or use torch.zeros_like / new_zeros) whenever you create a tensor"))
    return out


FORGETS_DEVICE = True
_DEVICE_ARG = re.compile(r",\s*device=[A-Za-z_][\w.]*")
