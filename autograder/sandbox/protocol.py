"""The typed messages between the grader and a sandbox: a :class:`Job` goes in, a :class:`Result` comes out.

On the wire both are frames of :mod:`autograder.sandbox.codec` (JSON, data only). A job carries the code
cells to run (for a student: the answer cells they wrote and the *visible* part of every test cell; hidden
tests never enter a student's sandbox) and, attached to the cell after which an exercise's hidden tests
would have run, that exercise's probe *inputs* (never a reference output). Everything in a result is
untrusted: it was produced by the student's process and is only data to compare.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

STREAM_CAP = 256 * 1024  # characters kept per stream per cell (enforced by the grader when it reads)
DISPLAY_CAP = 2 * 2**20  # bytes of rich output kept per cell


@dataclass
class Limits:
    cell_timeout: float = 300.0  # seconds per cell
    memory: int = 4 * 2**30  # bytes for the whole sandbox (cgroup where the host allows it)
    cpu: int = 1260  # CPU seconds per notebook
    processes: int = 64
    file_size: int = 64 * 2**20
    output: int = 48 * 2**20  # bytes of frames the grader reads from one notebook before it stops reading


@dataclass
class Job:
    cells: list[dict]  # {"index": int, "source": str, "wrap": [names] (reference), "probes": [probe inputs]}
    limits: Limits = field(default_factory=Limits)
    record: bool = False  # the reference run: record the tests' calls and take the reference signatures
    visible: list[str] = field(default_factory=list)  # names defined by visible (public) code: callables by name
    seed: int = 0

    def to_wire(self) -> dict:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: dict) -> "Job":
        return cls(cells=list(data["cells"]), limits=Limits(**data.get("limits", {})), record=bool(data.get("record")),
                   visible=list(data.get("visible", [])), seed=int(data.get("seed", 0)))


@dataclass
class Result:
    cells: dict = field(default_factory=dict)  # cell index -> {"outputs": [...], "execution_count": int}
    probes: dict = field(default_factory=dict)  # probe id -> the student's signature (untrusted data)
    reference: list = field(default_factory=list)  # reference run only: [(probe, signature)]
    exit: int | None = None
    problem: str = ""
    timeout: bool = False

    def to_wire(self) -> dict:
        return {"cells": {str(k): v for k, v in self.cells.items()}, "probes": {str(k): v for k, v in self.probes.items()},
                "reference": self.reference, "exit": self.exit, "problem": self.problem, "timeout": self.timeout}

    @classmethod
    def from_wire(cls, data: dict) -> "Result":
        return cls(cells={int(k): v for k, v in data.get("cells", {}).items()}, probes={int(k): v for k, v in data.get("probes", {}).items()},
                   reference=list(data.get("reference", [])), exit=data.get("exit"), problem=str(data.get("problem", "")),
                   timeout=bool(data.get("timeout")))
