"""The optional Dask backend (`grade --scheduler ADDRESS`) on a local cluster started with Dask's own CLI.

The notebooks run on the Dask workers' sandboxes; probing, verdicts and the gradebook stay with the grader,
so a run on the cluster must give exactly the rows a local run gives — for honest, partial and tampering
submissions alike.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.course import LABS, ROOT, fill_answers, solution_answers
from tests.conftest import HAVE_BWRAP

distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install -r requirements-dev.txt)")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dask")]
LAB = "lab01_tensors"
BIN = Path(sys.executable).parent
isolate = [] if HAVE_BWRAP else ["--no-sandbox"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` and two single-thread `dask worker`s, as an instructor would start them."""
    where = tmp_path_factory.mktemp("dask")
    info = where / "scheduler.json"
    common = {"cwd": where, "stdout": subprocess.DEVNULL, "start_new_session": True}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--scheduler-file", str(info), "--host", "127.0.0.1", "--port", "0", "--no-dashboard"],
                              stderr=open(where / "scheduler.log", "wb"), **common)]
    deadline = time.monotonic() + 60
    while not info.is_file():
        assert time.monotonic() < deadline, (where / "scheduler.log").read_text()
        time.sleep(0.2)
    procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(info), "--nworkers", "2", "--nthreads", "1",
                                   "--no-dashboard"], stderr=open(where / "workers.log", "wb"), **common))
    address = json.loads(info.read_text())["address"]
    with distributed.Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=120)
    yield address
    for p in reversed(procs):
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def grades(out):
    with open(out / "grades.csv", newline="") as f:
        return [(r["student"], r["grade_id"], r["score"], r["reason"]) for r in csv.DictReader(f)]


def test_cluster_grades_exactly_like_local_workers(cluster, tmp_path):
    released = nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)
    ref = solution_answers(LAB)
    subs = tmp_path / "submitted"
    cases = {
        "honest": ref,
        "partial": {k: v for k, v in ref.items() if k != "ex02_standardize"},
        # a wrong answer that fakes a pass (comparisons always true): the probes, judged by the grader, not the worker, catch it
        "cheat": {**ref, "ex05_accuracy": "import numpy as np, torch\nnp.allclose = lambda *a, **k: True\n"
                  "torch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)\n"
                  + ref["ex05_accuracy"].replace(".mean().item()", ".sum().item()")},
    }
    for student, answers in cases.items():
        (subs / student / LAB).mkdir(parents=True)
        nbformat.write(fill_answers(released, answers), subs / student / LAB / f"{LAB}.ipynb")
    runs = {}
    for how, extra in {"local": ["--workers", "2"], "dask": ["--scheduler", cluster]}.items():
        out = tmp_path / how
        run = subprocess.run([sys.executable, "-m", "autograder", "grade", LAB, str(subs), "--out", str(out), *extra, *isolate],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        runs[how] = grades(out)
    assert runs["dask"] == runs["local"], "a cluster run must give the same rows as local workers"
    totals = {s: sum(float(r[2]) for r in runs["dask"] if r[0] == s) for s in cases}
    assert totals["honest"] > totals["partial"] > 0
    assert any(r[0] == "cheat" and float(r[2]) == 0 and "grader's own check" in r[3] for r in runs["dask"]), "the wrong answer is caught on the cluster too"


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    (tmp_path / "subs").mkdir()
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", LAB, str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                          "--scheduler", "tcp://127.0.0.1:9", *isolate], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in run.stderr


def test_worker_with_another_copy_of_the_course_refuses():
    from autograder.cluster import run_on_worker

    with pytest.raises(RuntimeError, match="different copy of the course"):
        run_on_worker({"cells": []}, 10, False, "0000000000000000", {})
