import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# nbgrader shells out to alembic, and kernels must come from this environment.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# pytest-xdist runs one notebook kernel per core: one thread each avoids oversubscribing the CPU
# (students' own kernels keep PyTorch's default).
os.environ.setdefault("OMP_NUM_THREADS", "1")
# simgpu (dlcourse.simdevice) is registered here, before any backward() (autograd sizes its device queues
# then), for the tests that use it directly. The notebooks, graders and self-checks this suite starts run on the
# CPU only, except where a test asks for simgpu by name: tests/test_mutants.py (every lab's hidden tests and
# mutants), tests/test_probes.py (the probe audits) and tests/test_grading.py's graded classes (device bugs).
os.environ.setdefault("DLCOURSE_DEVICES", "cpu")
WITH_SIMGPU = {"DLCOURSE_DEVICES": "cpu,simgpu"}
from dlcourse import simdevice  # noqa: E402

simdevice.enable()

DEVICES = ["cpu", "simgpu", "cuda", "mps"]  # simgpu: dlcourse.simdevice, a CPU-backed second device, always present
HAVE_BWRAP = shutil.which("bwrap") is not None


def device_param(name: str):
    """A pytest param for a device that is skipped, with the reason, where the device is absent."""
    import torch

    present = {"cpu": True, "simgpu": True, "cuda": torch.cuda.is_available(),
               "mps": bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())}[name]
    return pytest.param(name, id=name, marks=[] if present else [pytest.mark.skip(reason=f"no {name} device on this machine")])


def device_params(include_cpu: bool = True) -> list:
    """The one device parametrisation: every device kind, each skipped (with the reason) where absent."""
    return [device_param(d) for d in DEVICES if include_cpu or d != "cpu"]


def keep_recorded(stem: str, found: dict) -> None:
    """With ``DLCOURSE_HEADLINES_OUT=DIR``, write the headline numbers a notebook's run recorded to
    ``DIR/<stem>.json`` (e.g. for a release note listing every quoted number with its measured value)."""
    if os.environ.get("DLCOURSE_HEADLINES_OUT"):
        out = Path(os.environ["DLCOURSE_HEADLINES_OUT"])
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{stem}.json").write_text(json.dumps(found, indent=1, sort_keys=True), encoding="utf-8")


def pytest_collection_modifyitems(config, items):
    """The one sandbox gate: tests marked ``sandbox`` grade through bubblewrap, skipped where it is missing."""
    if HAVE_BWRAP:
        return
    skip = pytest.mark.skip(reason="bubblewrap is not installed (apt-get install bubblewrap)")
    for item in items:
        if item.get_closest_marker("sandbox"):
            item.add_marker(skip)


_start = time.time()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"test suite wall time: {time.time() - _start:.1f}s")
