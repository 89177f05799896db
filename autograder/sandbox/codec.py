"""A data-only wire format between the grader and code running in a sandbox.

Values are JSON, with tensors and arrays as base64 bytes plus dtype, shape, device, strides and
``requires_grad``. Two directions, two rule sets:

- **out of the sandbox** (:func:`pack` / :func:`unpack`): plain data only — ``None``, bools, numbers,
  strings, lists, tuples, string-keyed dicts, tensors (with their ``.grad``), arrays, numpy scalars,
  ``torch.dtype``, ``torch.device``, the *state* of a ``torch.Generator`` and of an ``nn.Module``
  (its parameters, buffers and train/eval flags, never its code). Decoding never runs code (no pickle), so
  whatever a submission sends back is safe to read here.
- **into the sandbox** (``pack(..., inputs=...)`` / ``unpack(..., namespace=...)``): also generators
  (rebuilt from their state), instructor-built modules (pickled by the grader, unpickled only inside the
  sandbox, with classes looked up in the notebook's namespace) and callables named by the notebook name
  they are bound to (``{"$ns": "name"}``).

Also here: the length-prefixed frames the sandbox speaks over its pipes, with a size cap.
"""
from __future__ import annotations

import base64
import io
import json
import re
import struct

MAX_FRAME = 16 * 2**20  # a frame larger than this is treated as a broken (or hostile) channel
_HEADER = struct.Struct(">I")


class Unsupported(TypeError):
    """The value is not plain data (a module, a generator, a function…)."""


class ChannelError(RuntimeError):
    """The other side sent something that is not a well-formed frame."""


def _np():
    import numpy

    return numpy


def _torch():
    import torch

    return torch


class Inputs:
    """What :func:`pack` may encode beyond plain data when it packs a probe's inputs (reference side):
    ``callable_name(fn)`` gives the notebook name a callable argument can be looked up by in the sandbox
    (or ``None``), ``module_ok(m)`` says whether a module's classes can be rebuilt there."""

    def __init__(self, callable_name=None, module_ok=None, scratch: str | None = None):
        self.callable_name = callable_name or (lambda fn: None)
        self.module_ok = module_ok or (lambda m: False)
        self.scratch = scratch  # paths under this folder are files of the call: sent by content, rebuilt in a fresh folder
        self.objects: list = []  # modules and optimizers, pickled together so that shared parameters stay shared

    def pack(self, value, limit: int):
        """``value`` packed for a sandbox; modules and optimizers travel in one pickle next to it."""
        self.objects = []
        packed = pack(value, limit=limit, inputs=self)
        if not self.objects:
            return packed
        torch = _torch()
        buf = io.BytesIO()
        torch.save(self.objects, buf)
        if buf.tell() > limit:
            _too_big(buf.tell())
        return {"$with_objects": base64.b64encode(buf.getvalue()).decode("ascii"), "value": packed}


def pack(value, *, limit: int = 2**20, inputs: Inputs | None = None, _depth: int = 0):
    """``value`` as JSON-able data; :class:`Unsupported` if it is not data or exceeds ``limit`` bytes."""
    if _depth > 20:
        raise Unsupported("nested too deeply")
    if inputs is not None and isinstance(value, str) and inputs.scratch and value.startswith(inputs.scratch.rstrip("/") + "/"):
        return _path(value, inputs.scratch, limit)
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) or len(value) <= limit else _too_big(len(value))
    if isinstance(value, int):
        return value if abs(value) < 2**62 else {"$int": str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    sub = dict(limit=limit, inputs=inputs, _depth=_depth + 1)
    if isinstance(value, (list, tuple)):
        items = [pack(v, **sub) for v in value]
        return {"$tuple": items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {"$dict": {k: pack(v, **sub) for k, v in value.items()}}
        if all(isinstance(k, (str, int)) and not isinstance(k, bool) for k in value):  # an optimizer's state: int keys
            return {"$map": [[k, pack(v, **sub)] for k, v in value.items()]}
        raise Unsupported("dict with keys that are not strings or ints")
    kind = type(value).__module__.split(".")[0]
    if kind != "torch" and "torch" in __import__("sys").modules:
        torch = _torch()
        if isinstance(value, (torch.nn.Module, torch.optim.Optimizer, torch.Tensor)):
            kind = "torch"  # a subclass defined in the notebook
    if kind == "torch":
        torch = _torch()
        if isinstance(value, torch.dtype):
            return {"$torch_dtype": str(value).removeprefix("torch.")}
        if isinstance(value, torch.device):
            return {"$torch_device": str(value)}
        if isinstance(value, torch.Generator):
            return {"$generator": _array(value.get_state().numpy(), limit), "device": str(value.device)}
        if isinstance(value, torch.Tensor):
            return _tensor(value, limit)
        if isinstance(value, (torch.nn.Module, torch.optim.Optimizer)):
            if inputs is not None:
                if isinstance(value, torch.nn.Module) and not inputs.module_ok(value):
                    raise Unsupported(f"a {type(value).__name__} whose classes the sandbox cannot rebuild")
                if isinstance(value, torch.optim.Optimizer) and not type(value).__module__.startswith("torch.optim"):
                    raise Unsupported(f"an optimizer of class {type(value).__name__}")
                for k, obj in enumerate(inputs.objects):
                    if obj is value:
                        return {"$obj": k}
                inputs.objects.append(value)
                return {"$obj": len(inputs.objects) - 1}
            if isinstance(value, torch.optim.Optimizer):
                return optimizer_state(value, limit)
            return module_state(value, limit)
    if kind == "numpy":
        np = _np()
        if isinstance(value, np.ndarray):
            if value.dtype == object or value.dtype.kind in "cUSV":
                raise Unsupported(f"array of dtype {value.dtype}")
            return {"$ndarray": _array(value, limit), "strides": list(value.strides)}
        if isinstance(value, np.generic):
            return {"$npscalar": _array(np.asarray(value), limit)}
    if inputs is not None and callable(value):
        name = inputs.callable_name(value)
        if isinstance(name, dict):
            return name
        if name:
            return {"$ns": name}
    raise Unsupported(f"{type(value).__name__} is not plain data")


def _tensor(value, limit: int) -> dict:
    torch = _torch()
    if value.layout != torch.strided or value.is_complex() or value.dtype in (torch.bfloat16,):
        raise Unsupported(f"tensor of layout {value.layout} / dtype {value.dtype}")
    t = value.detach().to("cpu").contiguous()
    out = {"$tensor": _array(t.numpy(), limit), "device": value.device.type, "requires_grad": bool(value.requires_grad),
           "strides": list(value.stride()) if value.dim() else [], "grad_fn": value.grad_fn is not None}
    grad = value.grad if value.is_leaf else None
    if grad is not None and grad.layout == torch.strided:
        out["grad"] = _array(grad.detach().to("cpu").contiguous().numpy(), limit)
    return out


def _path(value: str, scratch: str, limit: int) -> dict:
    """A file path of the call: its name, and its content if the file exists (an instructor-made file)."""
    import os

    rel = os.path.relpath(value, scratch)
    out = {"$path": os.path.basename(rel)}
    if os.path.isfile(value):
        if os.path.getsize(value) > limit:
            _too_big(os.path.getsize(value))
        with open(value, "rb") as f:
            out["content"] = base64.b64encode(f.read()).decode("ascii")
    return out


def optimizer_state(optimizer, limit: int = 2**22) -> dict:
    """A ``torch.optim`` optimizer as data: its class, hyper-parameters and per-parameter state."""
    sd = optimizer.state_dict()
    groups = [{k: v for k, v in g.items() if k != "params" and isinstance(v, (int, float, bool, tuple, type(None)))} for g in sd["param_groups"]]
    state = {str(k): {name: v for name, v in st.items()} for k, st in sd["state"].items()}
    return {"$optimizer": type(optimizer).__name__, "param_groups": pack(groups, limit=limit), "state": pack(state, limit=limit)}


def module_state(module, limit: int = 2**22) -> dict:
    """An ``nn.Module`` as data: class name, train/eval flags, parameters (with requires_grad and grad), buffers."""
    params = {name: _tensor(p, limit) for name, p in module.named_parameters()}
    buffers = {name: _tensor(b, limit) for name, b in module.named_buffers()}
    attrs = {}
    for name, m in module.named_modules():
        for key, value in vars(m).items():
            if key.startswith("_") or key == "training" or not _plain(value):
                continue
            try:
                attrs[f"{name}.{key}" if name else key] = pack(value, limit=2**16)
            except Unsupported:
                pass
    return {"$module": type(module).__qualname__, "training": {name or ".": bool(m.training) for name, m in module.named_modules()},
            "params": params, "buffers": buffers, "attrs": attrs}


def _plain(value, depth: int = 0) -> bool:
    """Python data a module may keep as an attribute (a recording test module's log, a size, a flag)."""
    if isinstance(value, (bool, int, float, str)) or value is None:
        return True
    if isinstance(value, (list, tuple)) and depth < 3 and len(value) <= 10_000:
        return all(_plain(v, depth + 1) for v in value)
    return False


def _too_big(n):
    raise Unsupported(f"{n} bytes is over the size limit")


def _array(array, limit: int) -> dict:
    np = _np()
    array = np.ascontiguousarray(array) if array.ndim else np.array(array)  # (ascontiguousarray makes 0-d arrays 1-d)
    if array.nbytes > limit:
        _too_big(array.nbytes)
    return {"dtype": array.dtype.str, "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _unarray(d: dict):
    np = _np()
    if not isinstance(d, dict):
        raise ChannelError("malformed array")
    dtype = np.dtype(str(d["dtype"]))
    if dtype == object or dtype.kind not in "biuf":
        raise ChannelError(f"unexpected dtype {d['dtype']!r}")
    shape = tuple(int(s) for s in d["shape"])
    if any(s < 0 for s in shape):
        raise ChannelError("negative dimension")
    data = base64.b64decode(d["data"], validate=True)
    count = 1
    for s in shape:
        count *= s
    if count * dtype.itemsize != len(data):
        raise ChannelError("array data does not match its shape")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _device_value(name: str):
    """A ``torch.device`` as data on the trusted side, which need not have ``simgpu`` registered: then its name."""
    try:
        return _torch().device(name)
    except RuntimeError:
        if name.split(":")[0] == "simgpu":
            return name
        raise ChannelError(f"unknown device {name!r}") from None


def _live_device(name: str):
    """The device a tensor was on where the call was recorded, inside the sandbox (``simgpu`` is registered on
    first use); a device this machine lacks is a broken channel."""
    from dlcourse.devices import device_available, pick_device

    if not device_available(name):
        raise ChannelError(f"device {name!r} is not available here")
    return pick_device(name)


class Tensor:
    """A tensor as it came back from the sandbox (trusted side): values plus everything else it reported."""

    def __init__(self, d: dict):
        self.values = _unarray(d["$tensor"])
        self.device = str(d.get("device", "cpu"))
        self.requires_grad = bool(d.get("requires_grad"))
        self.strides = tuple(int(s) for s in d.get("strides", []))
        self.grad_fn = bool(d.get("grad_fn"))
        self.grad = _unarray(d["grad"]) if isinstance(d.get("grad"), dict) else None


class ModuleState:
    """An ``nn.Module`` as it came back from the sandbox: data only."""

    def __init__(self, d: dict, depth: int):
        self.cls = str(d["$module"])
        self.training = {str(k): bool(v) for k, v in dict(d.get("training", {})).items()}
        self.params = {str(k): Tensor(v) for k, v in dict(d.get("params", {})).items()}
        self.buffers = {str(k): Tensor(v) for k, v in dict(d.get("buffers", {})).items()}
        self.attrs = {str(k): unpack(v, _depth=depth + 1) for k, v in dict(d.get("attrs", {})).items()}


class GeneratorState:
    def __init__(self, d: dict):
        self.state = _unarray(d["$generator"])
        self.device = str(d.get("device", "cpu"))


class OptimizerState:
    def __init__(self, d: dict):
        self.cls = str(d["$optimizer"])
        self.param_groups = unpack(d.get("param_groups", []))
        self.state = unpack(d.get("state", {"$dict": {}}))


def unpack(data, *, namespace: dict | None = None, _depth: int = 0, _objects: list | None = None):
    """Inverse of :func:`pack`. Without ``namespace`` (the grader's side) tensors come back as
    :class:`Tensor`, modules as :class:`ModuleState`, and anything that would run code is refused with
    :class:`ChannelError`. With ``namespace`` (inside the sandbox: the notebook's globals) tensors, arrays,
    generators, pickled modules and ``$ns`` callables are rebuilt as live objects."""
    if _depth > 22:
        raise ChannelError("nested too deeply")
    live = namespace is not None
    if data is None or isinstance(data, (bool, str)):
        return data
    if isinstance(data, int):
        return data
    sub = dict(namespace=namespace, _depth=_depth + 1, _objects=_objects)
    if isinstance(data, list):
        return [unpack(v, **sub) for v in data]
    if isinstance(data, dict) and len(data) >= 1:
        if "$tuple" in data:
            return tuple(unpack(v, **sub) for v in data["$tuple"])
        if "$dict" in data:
            return {str(k): unpack(v, **sub) for k, v in data["$dict"].items()}
        if "$map" in data:
            out = {}
            for pair in data["$map"]:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], (str, int)) and not isinstance(pair[0], bool)):
                    raise ChannelError("malformed map")
                out[pair[0]] = unpack(pair[1], **sub)
            return out
        if "$float" in data:
            return float(data["$float"])
        if "$int" in data:
            return int(data["$int"])
        if "$torch_dtype" in data:
            torch = _torch()
            dtype = getattr(torch, str(data["$torch_dtype"]), None)
            if not isinstance(dtype, torch.dtype):
                raise ChannelError(f"unknown torch dtype {data['$torch_dtype']!r}")
            return dtype
        if "$torch_device" in data:
            return _live_device(str(data["$torch_device"])) if live else _device_value(str(data["$torch_device"]))
        if "$tensor" in data:
            if not live:
                return Tensor(data)
            torch = _torch()
            t = torch.from_numpy(_unarray(data["$tensor"]))
            device = str(data.get("device", "cpu"))
            if device != "cpu":
                t = t.to(_live_device(device))
            if data.get("requires_grad") and t.is_floating_point():
                t.requires_grad_(True)
            return t
        if "$ndarray" in data:
            return _unarray(data["$ndarray"])
        if "$npscalar" in data:
            return _unarray(data["$npscalar"])[()]
        if "$generator" in data:
            if not live:
                return GeneratorState(data)
            torch = _torch()
            g = torch.Generator(device=str(data.get("device", "cpu")))
            g.set_state(torch.from_numpy(_unarray(data["$generator"])))
            return g
        if "$module" in data:
            if live:
                raise ChannelError("module state where a module was expected")
            return ModuleState(data, _depth)
        if "$optimizer" in data and not live:
            return OptimizerState(data)
        if "$with_objects" in data and live:
            objects = _load_objects(base64.b64decode(data["$with_objects"]), namespace)
            return unpack(data["value"], namespace=namespace, _depth=_depth + 1, _objects=objects)
        if "$obj" in data and live and _objects is not None:
            return _objects[int(data["$obj"])]
        if "$source" in data and live:
            return _instructor_callable(data, namespace, sub)
        if "$import" in data and live:
            import importlib

            return importlib.import_module(str(data["$import"]))
        if "$path" in data and live:
            return _rebuild_path(data)
        if "$ns" in data and live:
            name = str(data["$ns"])
            if name not in namespace:
                raise NameError(f"{name} is not defined in the notebook")
            return _counted(name, namespace[name])
    raise ChannelError(f"unexpected value in the channel: {str(data)[:80]!r}")


PROBE_FOLDERS: list[str] = []  # folders made for the files of the current probe (inside the sandbox)
CALLBACKS: dict[str, int] = {}  # how often the current probe's function called each callable it was given


def _counted(name: str, fn):
    """A callable argument, counted: a function that should call it (and not its own copy) shows in the signature."""
    import functools
    import types

    if not isinstance(fn, types.FunctionType):
        return fn
    CALLBACKS.setdefault(name, 0)

    @functools.wraps(fn)
    def counted(*args, **kwargs):
        CALLBACKS[name] = CALLBACKS.get(name, 0) + 1
        return fn(*args, **kwargs)

    return counted


def _instructor_callable(data: dict, namespace: dict, sub: dict):
    """Rebuild an instructor's callable (a test's lambda or helper passed as an argument) inside the sandbox."""
    import builtins

    scope = {"__builtins__": builtins}
    for name, value in dict(data.get("globals", {})).items():
        scope[str(name)] = unpack(value, **sub)
    if data.get("lambda"):
        fn = eval(str(data["$source"]), scope)  # noqa: S307 - instructor code, run inside the sandbox
    else:
        exec(str(data["$source"]), scope)  # noqa: S102
        fn = scope[str(data["name"])]
    return _counted(str(data.get("name", "callable")), fn)


def _rebuild_path(data: dict) -> str:
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="probe-")
    PROBE_FOLDERS.append(folder)
    path = os.path.join(folder, os.path.basename(str(data["$path"])) or "file")
    if "content" in data:
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["content"]))
    return path


def _load_objects(raw: bytes, namespace: dict):
    """Unpickle instructor-built modules and optimizers inside the sandbox; classes the notebook defines come from its namespace."""
    import pickle

    torch = _torch()

    class NotebookUnpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "__main__" and name in namespace:
                return namespace[name]
            return super().find_class(module, name)

    class PickleModule:
        Unpickler = NotebookUnpickler
        load = staticmethod(pickle.load)

    return torch.load(io.BytesIO(raw), weights_only=False, pickle_module=PickleModule)


def encode_frame(message: dict) -> bytes:
    payload = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(payload) > MAX_FRAME:
        raise ValueError(f"message of {len(payload)} bytes is over the frame limit")
    return _HEADER.pack(len(payload)) + payload


def write_frame(stream, message: dict) -> None:
    stream.write(encode_frame(message))
    stream.flush()


def read_frame(stream, *, budget: list | None = None) -> dict | None:
    """The next message, or ``None`` at a clean end of stream; :class:`ChannelError` if it is malformed.
    ``budget`` (a one-item list of bytes still allowed) is decreased, and exceeding it is a ChannelError:
    the reader, not the writer, decides how much a sandbox may send."""
    head = _read_exactly(stream, _HEADER.size)
    if head is None:
        return None
    (size,) = _HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ChannelError(f"a frame of {size} bytes (limit {MAX_FRAME})")
    if budget is not None:
        budget[0] -= size + _HEADER.size
        if budget[0] < 0:
            raise ChannelError("more output than the grader accepts from one notebook")
    payload = _read_exactly(stream, size)
    if payload is None:
        raise ChannelError("the channel closed in the middle of a frame")
    try:
        text = payload.decode("utf-8")
        message = json.loads(text)
        if _SURROGATE.search(text):  # a lone surrogate ("\\ud800") decodes, but no notebook, page or CSV can hold it
            message = _no_surrogates(message)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise ChannelError(f"a frame that is not JSON ({type(err).__name__})") from None
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ChannelError("a frame without an 'op'")
    return message


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _no_surrogates(value):
    """``value`` with every lone surrogate in its strings replaced by '?' (paired ones were decoded as one character)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_no_surrogates(k): _no_surrogates(v) for k, v in value.items()}
    return value


def _read_exactly(stream, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            if got == 0:
                return None
            raise ChannelError("the channel closed in the middle of a frame")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
