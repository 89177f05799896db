"""Device choice and seeding.

``pick_device()`` prefers CUDA, then Apple's MPS, then the CPU. Set the environment variable
``DLCOURSE_DEVICE`` (e.g. ``cpu``) or pass ``prefer=`` to override; asking for a device that is not
present raises a clear error instead of silently falling back.

``available_devices()`` is where checks run: the CPU, then every accelerator present. On a machine with no
accelerator it adds ``simgpu`` (:mod:`dlcourse.simdevice`), a CPU-backed second device, so that an answer
which ignores its inputs' device fails there too.
"""
from __future__ import annotations

import os
import random

import numpy as np
import torch

ENV_VAR = "DLCOURSE_DEVICE"
DEVICES_VAR = "DLCOURSE_DEVICES"


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


SIMULATED = "simgpu"


def _present() -> list[torch.device]:
    devices = [torch.device("cpu")]
    if torch.cuda.is_available():
        devices.append(torch.device("cuda"))
    if _mps_available():
        devices.append(torch.device("mps"))
    return devices


def _simulated() -> torch.device:
    from . import simdevice

    return simdevice.enable()


def _kind(name: str) -> str:
    name = name.strip()
    return name.split(":")[0] if name.split(":")[0] == SIMULATED else torch.device(name).type


def available_devices() -> list[torch.device]:
    """Every device checks should run on: ``cpu``, then ``cuda`` and ``mps`` when present, else ``simgpu``.

    ``$DLCOURSE_DEVICES`` (e.g. ``cpu``, ``cpu,cuda`` or ``cpu,simgpu``) chooses from those, for a quick run
    or a test; ``simgpu`` can be asked for on any machine.
    """
    devices = _present()
    wanted = os.environ.get(DEVICES_VAR, "").strip()
    if not wanted:
        return devices if len(devices) > 1 else devices + [_simulated()]
    names = [_kind(n) for n in wanted.split(",") if n.strip()]
    chosen = [d for d in devices if d.type in names]
    if SIMULATED in names:
        chosen.append(_simulated())
    return chosen or [torch.device("cpu")]


def prepare() -> None:
    """Register ``simgpu`` now if checks will use it: PyTorch's autograd sizes its device queues at the
    first ``backward()``, so the device must exist before then (``import dlcourse`` calls this)."""
    wanted = os.environ.get(DEVICES_VAR, "").strip()
    if (SIMULATED in [_kind(n) for n in wanted.split(",") if n.strip()] if wanted else len(_present()) == 1):
        _simulated()


def device_available(name: str) -> bool:
    """True when the device type ``name`` ('cpu', 'cuda', 'mps', 'simgpu') can be used here."""
    kind = _kind(name)
    return kind == SIMULATED or any(d.type == kind for d in _present())


def pick_device(prefer: str | None = None) -> torch.device:
    """The device to train on: ``prefer`` or ``$DLCOURSE_DEVICE`` if given, else cuda > mps > cpu."""
    wanted = prefer or os.environ.get(ENV_VAR, "").strip() or None
    if wanted:
        try:
            dev = _simulated() if _kind(wanted) == SIMULATED else torch.device(wanted)
        except RuntimeError as err:
            raise ValueError(f"unknown device {wanted!r}: use 'cpu', 'cuda' or 'mps'") from err
        if not device_available(dev.type):
            have = ", ".join(d.type for d in available_devices())
            raise RuntimeError(
                f"device {wanted!r} was requested (argument or ${ENV_VAR}) but is not available on "
                f"this machine; available: {have}. Unset ${ENV_VAR} or pick one of those."
            )
        return dev
    for kind in ("cuda", "mps"):
        if device_available(kind):
            return torch.device(kind)
    return torch.device("cpu")


def seed(value: int = 0) -> None:
    """Seed Python, NumPy and PyTorch (all devices) so a run can be repeated exactly."""
    random.seed(value)
    np.random.seed(value)
    torch.manual_seed(value)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(value)
