"""A data-only wire format between the grader and code running in a sandbox.

Values are encoded as JSON with tensors and arrays as base64 bytes plus dtype and shape: decoding never
runs code (no pickle), so whatever a submission sends back can be read safely. Only plain data is
supported — ``None``, bools, numbers, strings, lists, tuples, string-keyed dicts, torch tensors, numpy
arrays and scalars, ``torch.dtype`` and ``torch.device`` — anything else raises :class:`Unsupported`.

Also here: the length-prefixed frames the sandbox speaks over its pipes, with a size cap.
"""
from __future__ import annotations

import base64
import json
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


def pack(value, *, limit: int = 2**20, _depth: int = 0):
    """``value`` as JSON-able plain data; :class:`Unsupported` if it is not data or exceeds ``limit`` bytes."""
    if _depth > 20:
        raise Unsupported("nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) or len(value) <= limit else _too_big(len(value))
    if isinstance(value, int):
        return value if abs(value) < 2**62 else {"$int": str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, (list, tuple)):
        items = [pack(v, limit=limit, _depth=_depth + 1) for v in value]
        return {"$tuple": items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Unsupported("dict with non-string keys")
        return {"$dict": {k: pack(v, limit=limit, _depth=_depth + 1) for k, v in value.items()}}
    kind = type(value).__module__.split(".")[0]
    if kind == "torch":
        torch = _torch()
        if isinstance(value, torch.dtype):
            return {"$torch_dtype": str(value).removeprefix("torch.")}
        if isinstance(value, torch.device):
            return {"$torch_device": str(value)}
        if isinstance(value, torch.Tensor):
            if value.layout != torch.strided or value.is_complex() or value.dtype in (torch.bfloat16,):
                raise Unsupported(f"tensor of layout {value.layout} / dtype {value.dtype}")
            t = value.detach().to("cpu").contiguous()
            array = t.numpy()
            return {"$tensor": _array(array, limit), "device": value.device.type, "requires_grad": bool(value.requires_grad)}
    if kind == "numpy":
        np = _np()
        if isinstance(value, np.ndarray):
            if value.dtype == object or value.dtype.kind in "cUSV":
                raise Unsupported(f"array of dtype {value.dtype}")
            return {"$ndarray": _array(value, limit)}
        if isinstance(value, np.generic):
            return {"$npscalar": _array(np.asarray(value), limit)}
    raise Unsupported(f"{type(value).__name__} is not plain data")


def _too_big(n):
    raise Unsupported(f"{n} bytes is over the size limit")


def _array(array, limit: int) -> dict:
    np = _np()
    array = np.ascontiguousarray(array)
    if array.nbytes > limit:
        _too_big(array.nbytes)
    return {"dtype": array.dtype.str, "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _unarray(d: dict):
    np = _np()
    dtype = np.dtype(d["dtype"])
    if dtype == object or dtype.kind not in "biuf":
        raise ChannelError(f"unexpected dtype {d['dtype']!r}")
    shape = tuple(int(s) for s in d["shape"])
    data = base64.b64decode(d["data"], validate=True)
    count = 1
    for s in shape:
        count *= s
    if count * dtype.itemsize != len(data):
        raise ChannelError("array data does not match its shape")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def unpack(data, *, _depth: int = 0):
    """Inverse of :func:`pack` (tensors come back on the CPU). Raises :class:`ChannelError` on bad data."""
    if _depth > 22:
        raise ChannelError("nested too deeply")
    if data is None or isinstance(data, (bool, int, str)):
        return data
    if isinstance(data, list):
        return [unpack(v, _depth=_depth + 1) for v in data]
    if isinstance(data, dict) and len(data) >= 1:
        if "$tuple" in data:
            return tuple(unpack(v, _depth=_depth + 1) for v in data["$tuple"])
        if "$dict" in data:
            return {str(k): unpack(v, _depth=_depth + 1) for k, v in data["$dict"].items()}
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
            return _torch().device(str(data["$torch_device"]))
        if "$tensor" in data:
            torch = _torch()
            t = torch.from_numpy(_unarray(data["$tensor"]))
            if data.get("requires_grad") and t.is_floating_point():
                t.requires_grad_(True)
            return t
        if "$ndarray" in data:
            return _unarray(data["$ndarray"])
        if "$npscalar" in data:
            return _unarray(data["$npscalar"])[()]
    raise ChannelError(f"unexpected value in the channel: {str(data)[:80]!r}")


def write_frame(stream, message: dict) -> None:
    payload = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(payload) > MAX_FRAME:
        raise ValueError(f"message of {len(payload)} bytes is over the frame limit")
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream) -> dict | None:
    """The next message, or ``None`` at a clean end of stream; :class:`ChannelError` if it is malformed."""
    head = _read_exactly(stream, _HEADER.size)
    if head is None:
        return None
    (size,) = _HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ChannelError(f"a frame of {size} bytes (limit {MAX_FRAME})")
    payload = _read_exactly(stream, size)
    if payload is None:
        raise ChannelError("the channel closed in the middle of a frame")
    try:
        message = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ChannelError(f"a frame that is not JSON ({err})") from None
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ChannelError("a frame without an 'op'")
    return message


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
