"""Optional Dask-distributed backend for ``python -m autograder grade --scheduler ADDRESS``.

A class that outgrows one machine: the grader (the trusted process that owns the gradebook) stays where it
is; only the sandboxed notebook runs move to Dask workers. Each Dask worker keeps its own pre-warmed sandbox
zygotes (:class:`autograder.sandbox.host.Zygote`), one per notebook it runs at a time, and sends back the same
data-only result a local zygote gives. Probing, scoring, tampering verdicts and gradebook writes happen in the
grader, exactly as without Dask.

What every worker machine needs: this course at the same version (``dlcourse/``, ``autograder/``,
``datasets/``; checked before the first job), the course's Python environment, and bubblewrap (or
``--no-sandbox`` for trusted notebooks). Workers never see ``solutions/``, the gradebook or the submissions
folder: a job carries the assembled notebook's code cells and the grader's probe inputs, nothing else.

Start one for a test or a single big machine with ``dask scheduler`` and ``dask worker ADDRESS --nthreads 2``
(``--nthreads``: notebooks run at once on that worker).
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import tempfile
import threading
from pathlib import Path

from .course import ROOT, GradingError

_lock = threading.Lock()
_idle: list = []
_all: list = []


@functools.lru_cache(maxsize=1)
def course_version() -> str:
    """A digest of the code and data a sandboxed notebook can use: grader and workers must agree on it.
    Computed once per process (a worker checks it on every job)."""
    h = hashlib.sha256()
    for part in ("dlcourse", "autograder"):
        for path in sorted((ROOT / part).rglob("*.py")):
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    for path in sorted((ROOT / "datasets").rglob("*")):
        if path.is_file():
            h.update(f"{path.relative_to(ROOT)}:{path.stat().st_size}".encode())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _slot_base() -> int:
    """Sandbox uids must not collide between worker processes or runs on one machine: a random block per process."""
    from .sandbox.host import run_uid_base

    return run_uid_base()


def _stop_all() -> None:
    with _lock:
        zygotes = list(_all)
        _all.clear()
        _idle.clear()
    for z in zygotes:
        z.stop()


def run_on_worker(job: dict, deadline: float, isolate: bool, version: str, limits: dict) -> dict:
    """Runs on a Dask worker: take an idle zygote (start one if none), run ``job`` in it, give it back."""
    from .sandbox.host import Zygote
    from .sandbox.protocol import Job, Limits

    mine = course_version()
    if mine != version:
        raise RuntimeError(f"this Dask worker runs a different copy of the course (version {mine}, the grader's is {version}): "
                           f"update the course on every worker machine to the grader's commit")
    with _lock:
        z = _idle.pop() if _idle else None
        if z is None:
            if not _all:
                atexit.register(_stop_all)
            slot = _slot_base() + len(_all)
            z = Zygote(slot, isolate=isolate, log=Path(tempfile.gettempdir()) / f"dlcourse-grader-slot{slot}.log", uid=slot,
                       limits=Limits(**limits))
            _all.append(z)
    try:
        return z.run(Job.from_wire(job), deadline=deadline).to_wire()
    finally:
        with _lock:
            if z in _all:
                _idle.append(z)


class DaskSlot:
    """Stands in for a local :class:`~autograder.sandbox.host.Zygote`: ``run`` sends the job to the cluster."""

    def __init__(self, client, *, isolate: bool, version: str, limits) -> None:
        self.client, self.isolate, self.version, self.limits = client, isolate, version, limits

    def run(self, job, *, deadline: float):
        import dataclasses

        from .sandbox.protocol import Result

        future = self.client.submit(run_on_worker, job.to_wire(), deadline, self.isolate, self.version,
                                    dataclasses.asdict(self.limits), pure=False)
        # the worker's zygote enforces the deadline; the margin covers a zygote starting on a cold worker
        return Result.from_wire(future.result(timeout=deadline + 300))

    def stop(self) -> None:
        pass


def connect(address: str):
    """A Dask client for ``address`` and the number of notebooks the cluster runs at once."""
    try:
        from distributed import Client
    except ImportError as err:
        raise GradingError("--scheduler needs Dask: pip install 'distributed==2026.8.0' (see requirements-dev.txt)") from err
    try:
        client = Client(address, timeout="30s")
    except OSError as err:
        raise GradingError(f"cannot reach the Dask scheduler at {address}: {err}") from err
    slots = sum(client.nthreads().values())
    if slots == 0:
        client.close()
        raise GradingError(f"the Dask scheduler at {address} has no workers: start some with `dask worker {address}`")
    return client, slots
