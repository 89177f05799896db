"""``simgpu``: a second device that lives in CPU memory, so a CPU-only machine still catches device bugs.

Most classes are graded on machines without a GPU. There, an answer that forgets ``device=X.device``,
returns ``.cpu()`` or mixes a CPU tensor into a computation passes every check, because every tensor is on
the CPU anyway. ``simgpu`` makes such answers fail as they would on CUDA:

* tensors on ``simgpu`` hold real values (computed on the CPU), so checks compare values as usual;
* an operation that mixes a ``simgpu`` tensor with a CPU tensor raises PyTorch's own error,
  ``Expected all tensors to be on the same device ...`` (0-dim CPU tensors and CPU index tensors are
  allowed, as CUDA allows them);
* ``.numpy()`` on a ``simgpu`` tensor raises, as on CUDA; ``.cpu()``, ``.to(...)``, ``.item()``,
  ``.tolist()``, autograd, ``nn.Module.to``, optimizers, ``torch.save``/``torch.load`` work.

It is PyTorch's ``PrivateUse1`` backend, renamed and served from Python: a tensor subclass whose device is
``simgpu:0`` and which carries a CPU tensor with the values. :func:`enable` registers it once per process;
:func:`dlcourse.devices.available_devices` lists it on machines without CUDA or MPS (``$DLCOURSE_DEVICES``
chooses otherwise), so the labs' hidden tests run on it. Not a performance device: each operation costs
a few tens of microseconds more than on the CPU.
"""
from __future__ import annotations

import threading

import torch
from torch.utils._pytree import tree_flatten, tree_map

NAME = "simgpu"
CPU = torch.device("cpu")

# Operations that legitimately take tensors on two devices.
_CROSS_DEVICE = {"aten::copy_", "aten::_to_copy", "aten::_copy_from", "aten::_copy_from_and_resize",
                 "aten::to", "aten::index", "aten::index_put_", "aten::index_put", "aten::_index_put_impl_",
                 "aten::set_"}
_lock = threading.Lock()
_enabled = False
_libraries: list = []  # torch.library registrations live as long as these objects


def _device() -> torch.device:
    return torch.device(NAME, 0)


class SimTensor(torch.Tensor):
    """A tensor on ``simgpu``: its values live in ``self.elem``, a CPU tensor of the same shape."""

    elem: torch.Tensor

    @staticmethod
    def __new__(cls, elem: torch.Tensor):
        out = torch.Tensor._make_wrapper_subclass(
            cls, elem.size(), strides=elem.stride(), storage_offset=elem.storage_offset(),
            dtype=elem.dtype, layout=elem.layout, device=_device(), requires_grad=False)
        out.elem = elem
        return out

    __torch_function__ = torch._C._disabled_torch_function_impl

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        return _run(func, args, kwargs or {})

    def __format__(self, spec: str) -> str:
        if self.dim() == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents=None) -> str:
        text = repr(self.elem.detach())[:-1] + f", device='{self.device}'"
        if self.grad_fn is not None:
            text += f", grad_fn=<{type(self.grad_fn).__name__}>"
        elif self.requires_grad:
            text += ", requires_grad=True"
        return text + ")"

    def numpy(self, *, force: bool = False):
        raise TypeError(f"can't convert {self.device} device type tensor to numpy. "
                        "Use Tensor.cpu() to copy the tensor to host memory first.")

    def tolist(self):
        return self.elem.tolist()

    def __reduce_ex__(self, protocol):
        elem = self.elem.detach()
        _saving.add(elem.untyped_storage().data_ptr())  # torch.save tags this storage's location as simgpu
        return (_rebuild, (elem, self.requires_grad))

    # A "traceable wrapper subclass": nn.Module.to() then swaps each parameter's contents in place (as it
    # assigns .data on CUDA), so an optimizer made before model.to(device) still holds the model's parameters.
    def __tensor_flatten__(self):
        return ["elem"], None

    @staticmethod
    def __tensor_unflatten__(inner, ctx, outer_size, outer_stride):
        return SimTensor(inner["elem"])


_saving: set = set()  # storages of simgpu values being saved (their location is written as simgpu)
_loading: set = set()  # storages torch.load put on simgpu (not moved elsewhere by map_location)


def _rebuild(elem: torch.Tensor, requires_grad: bool) -> torch.Tensor:
    """Unpickle a ``simgpu`` tensor (``torch.load`` with ``weights_only=True`` allows this function): on
    simgpu, unless ``map_location`` sent its values elsewhere; then a plain tensor there."""
    key = elem.untyped_storage().data_ptr()
    if key not in _loading:
        return elem.requires_grad_(requires_grad) if elem.is_floating_point() else elem
    enable()
    return SimTensor(elem).requires_grad_(requires_grad)


def _is_sim(x) -> bool:
    return isinstance(x, torch.Tensor) and x.device.type == NAME


def _unwrap(x):
    if isinstance(x, SimTensor):
        return x.elem
    if isinstance(x, torch.device) and x.type == NAME:
        return CPU
    return x


def _run(func, args, kwargs):
    """Run one aten operation on the CPU values; results go on ``simgpu`` when the operation targets it."""
    flat, _ = tree_flatten((args, kwargs))
    name = func._schema.name
    on_sim = any(_is_sim(t) for t in flat)
    if on_sim and name not in _CROSS_DEVICE:
        if any(isinstance(t, torch.Tensor) and t.device.type == "cpu" and t.dim() > 0 for t in flat):
            raise RuntimeError(
                f"Expected all tensors to be on the same device, but found at least two devices, "
                f"{_device()} and cpu! (when calling {name})")
    target = kwargs.get("device")
    to_sim = torch.device(target).type == NAME if target is not None else on_sim
    out = func(*tree_map(_unwrap, args), **tree_map(_unwrap, kwargs))
    if args and isinstance(args[0], SimTensor) and out is args[0].elem:
        return args[0]  # in-place operations return their (wrapped) input
    if not to_sim:
        return out
    return tree_map(lambda x: SimTensor(x) if isinstance(x, torch.Tensor) and not isinstance(x, SimTensor)
                    and x.device.type == "cpu" else x, out)


def _fallback(op, *args, **kwargs):
    return _run(op, args, kwargs)


def _copy_from(src, dst, non_blocking=False):
    # torch.tensor(..., device="simgpu") copies with the Python dispatch key excluded, which a boxed
    # fallback cannot serve; an operator-specific kernel can.
    _unwrap(dst).copy_(_unwrap(src))
    return dst


class _Backend:
    """What PyTorch looks up as ``torch.simgpu``: one device, always ready."""

    @staticmethod
    def is_available() -> bool:
        return True

    @staticmethod
    def is_initialized() -> bool:
        return True

    @staticmethod
    def _is_in_bad_fork() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 1

    @staticmethod
    def current_device() -> int:
        return 0

    @staticmethod
    def manual_seed_all(seed: int) -> None:
        """Random numbers on simgpu come from the CPU generator, which torch.manual_seed already seeds."""

    class device:  # noqa: N801 - PyTorch's name
        def __init__(self, index=None):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False


def _location_tag(storage):
    """``torch.save``: the values of a simgpu tensor are written with the location ``simgpu:0``."""
    if storage.device.type == "cpu" and storage.data_ptr() in _saving:
        _saving.discard(storage.data_ptr())
        return f"{NAME}:0"
    return None


def _restore_location(storage, location: str):
    """``torch.load``: storages bound for simgpu stay in CPU memory, where simgpu keeps its values. A tensor
    saved from simgpu comes back on simgpu; a CPU tensor loaded with ``map_location=<simgpu>`` comes back on
    the CPU (``load_state_dict`` still copies it onto the model's device, which is what checkpoints need)."""
    if location.split(":")[0] != NAME:
        return None
    _loading.add(storage.data_ptr())
    return storage


def enable() -> torch.device:
    """Register ``simgpu`` in this process (once) and return its device."""
    global _enabled
    with _lock:
        if _enabled:
            return _device()
        current = torch._C._get_privateuse1_backend_name()
        if current not in ("privateuseone", NAME):
            raise RuntimeError(f"PyTorch's PrivateUse1 backend is already in use here (as {current!r}); "
                               f"the simulated device {NAME!r} cannot be registered. Set DLCOURSE_DEVICES=cpu.")
        from torch.utils.backend_registration import _setup_privateuseone_for_python_backend

        _setup_privateuseone_for_python_backend(rename=NAME, backend_module=_Backend())
        fallback = torch.library.Library("_", "IMPL")
        fallback.fallback(_fallback, "PrivateUse1")
        aten = torch.library.Library("aten", "IMPL")
        aten.impl("_copy_from", _copy_from, "PrivateUse1")
        _libraries.extend([fallback, aten])
        torch.serialization.add_safe_globals([_rebuild])
        torch.serialization.register_package(0, _location_tag, _restore_location)
        _enabled = True
        return _device()


def enabled() -> bool:
    return _enabled
