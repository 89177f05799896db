"""The grader's probes, measured: they must reject the plausible wrong answers and accept the correct ones.

For every lab, ``tests/probe_audit.py`` runs the reference as a grading run does, then checks each mutant
(exercises/mutants) and each correct alternative against the probes alone. A mutant the probes do not reject
would keep its points if a student faked the visible tests in their sandbox; the few listed in
``NOT_BY_PROBES`` are rejected by the visible tests only, for the reason given (each is still graded 0 by
the grader, which tests/test_grading.py's mutant students show). Also: no student job carries hidden-test
code or a reference output, and every exercise has probes (90 of 90).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest

from autograder.course import LABS, ROOT, fill_answers, lab_names, solution_answers, source_notebook
from tests.conftest import WITH_SIMGPU

pytestmark = pytest.mark.slow

# mutant id -> why the probes cannot see it (what the visible tests in the sandbox still catch)
NOT_BY_PROBES: dict[str, str] = {
    # rules about how an answer computes, not what it returns (forbidden calls and autograd's mode are replayed)
    "ex02_confusion-python_loop": "a loop over the examples gives the same matrix; the visible test counts PyTorch calls",
    "ex06_evaluate-ignores_batch_size": "one batch of all rows gives the same outputs; the visible test records the batch sizes",
}


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    return {}


def audit(lab, tmp_path):
    target = tmp_path / f"{lab}.json"
    run = subprocess.run([sys.executable, "-m", "tests.probe_audit", lab, str(target)], cwd=ROOT, capture_output=True,
                         text=True, timeout=900, env={**os.environ, **WITH_SIMGPU})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(target.read_text())


@pytest.mark.parametrize("lab", lab_names())
def test_probes_reject_mutants_and_accept_alternatives(lab, tmp_path):
    result = audit(lab, tmp_path)
    from autograder.grading.plan import Plan

    plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
    assert result["reference"] == "", f"the reference fails its own probes: {result['reference']}"
    assert sorted(result["exercises"]) == plan.exercises, f"exercises without probes: {sorted(set(plan.exercises) - set(result['exercises']))}"
    assert not result["broken"], f"these mutants or alternatives do not compile: {result['broken']}"
    missed = sorted(k for k, v in result["mutants"].items() if not v and k not in NOT_BY_PROBES)
    assert not missed, f"the probes accept these wrong answers: {missed}"
    stale = sorted(k for k, v in result["mutants"].items() if v and k in NOT_BY_PROBES)
    assert not stale, f"the probes now reject {stale}: remove them from NOT_BY_PROBES"
    rejected = {k: v for k, v in result["alternatives"].items() if v}
    assert not rejected, f"the probes reject correct answers: {rejected}"
    helpers = sorted(k for k, v in result["helpers"].items() if not v)
    assert not helpers, f"a course-library function passes as the answer it should not give away: {helpers}"


@pytest.mark.parametrize("lab", lab_names())
def test_student_jobs_hold_no_hidden_tests_or_reference_outputs(lab, tmp_path):
    """What enters a student's sandbox: the answers, the released tests, and probe *inputs* — nothing else."""
    from autograder.grading.plan import Plan, nbg
    from autograder.sandbox.host import Zygote
    from autograder.sandbox.protocol import Limits

    plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
    z = Zygote("leak-check", isolate=False)
    try:
        result = z.run(plan.reference_job(Limits(cell_timeout=120.0), seed=7), deadline=900)
    finally:
        z.stop()
    probes = [{**p, "id": k} for k, (p, _) in enumerate(result.reference)]
    nb, _ = plan.assemble(fill_answers(nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4), solution_answers(lab)))
    wire = json.dumps(plan.student_job(nb, probes, Limits()).to_wire())
    released = "\n".join(c.source for c in plan.release.cells) + "\n".join(solution_answers(lab).values())
    hidden = []
    for cell in plan.source.cells:
        src = cell.source
        if nbg(cell).get("grade") and "### BEGIN HIDDEN TESTS" in src:
            block = src.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS", 1)[0]
            hidden += [ln.strip() for ln in block.splitlines() if len(ln.strip()) > 25 and ln.strip() not in released]
    assert "HIDDEN TESTS" not in wire
    # a hidden line may only appear as an instructor callable passed to a function (an input, like a tensor)
    leaked = [ln for ln in hidden if json.dumps(ln)[1:-1] in wire and "lambda" not in ln and not ln.startswith("def ")]
    assert not leaked, f"hidden test code in a student job: {leaked[:3]}"
    allowed = {"id", "name", "kind", "seed", "inputs", "init", "state", "training", "then_forward", "time_limit", "tight", "tol", "disabled", "grad_enabled", "not_allowed", "watch"}
    sent = [p for c in json.loads(wire)["cells"] for p in c.get("probes", [])]
    assert len(sent) == len(probes)
    assert all(set(p) <= allowed for p in sent), "a probe carries more than its inputs"
    assert '"signature"' not in wire and '"args_after"' not in wire and '"grads"' not in wire


def test_codec_round_trip_and_refusals():
    """Out of a sandbox only data decodes: modules as state, no pickle, no callables; malformed frames are refused."""
    import io

    import torch

    from autograder.sandbox.codec import ChannelError, ModuleState, Tensor, encode_frame, pack, read_frame, unpack

    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Dropout(0.5)).eval()
    packed = json.loads(json.dumps(pack({"w": torch.arange(6.0).reshape(2, 3).T, "m": model, "k": {0: 1.5}})))
    back = unpack(packed)
    assert isinstance(back["w"], Tensor) and back["w"].strides == (1, 3) and back["w"].values.shape == (3, 2)
    assert isinstance(back["m"], ModuleState) and back["m"].training["."] is False and set(back["m"].params) == {"0.weight", "0.bias"}
    assert back["k"] == {0: 1.5}
    for hostile in ({"$module_pickle": "AAAA"}, {"$with_objects": "AAAA", "value": 1}, {"$ns": "print"}, {"$source": "lambda: 1"},
                    {"$import": "os"}, {"$tensor": {"dtype": "|O", "shape": [1], "data": ""}}):
        with pytest.raises(ChannelError):
            unpack(hostile)
    with pytest.raises(ChannelError):
        read_frame(io.BytesIO(b"\xff\xff\xff\xff"))
    budget = [10]
    with pytest.raises(ChannelError):
        read_frame(io.BytesIO(encode_frame({"op": "cell", "text": "x" * 100})), budget=budget)


@pytest.mark.sandbox
def test_sockets_in_bound_folders_are_masked():
    """A unix socket left in a folder the sandbox binds (datasets/) cannot be reached from inside."""
    import socket

    from autograder.sandbox.host import command

    path = ROOT / "datasets" / ".probe-test.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        cmd = command(123456, isolate=True)
        assert any(cmd[i:i + 3] == ["--ro-bind", "/dev/null", str(path)] for i in range(len(cmd))), "the socket is not masked"
    finally:
        server.close()
        path.unlink(missing_ok=True)
