"""Every exercise's tests reject plausible wrong answers, and only that exercise loses points.

All mutants of a lab are graded in one kernel (namespace reset between them) with nbgrader's own scoring
rules; the unmodified source is graded first in the same kernel and must score full marks on every device.
"""
import pytest

from autograder.course import SOLUTIONS, lab_names
from autograder.engine import KernelSession
from tests import mutants as M
from tests.conftest import DEVICES, device_param

CASES = [pytest.param(lab, m, id=f"{lab}-{m.id}", marks=pytest.mark.xdist_group(lab))
         for lab in lab_names() for m in M.load(lab)]
LABS = [pytest.param(lab, id=lab, marks=pytest.mark.xdist_group(lab)) for lab in lab_names()]
_cache: dict = {}


def _results(lab: str):
    if lab not in _cache:
        src = M.lab_source(lab)
        out = {}
        with KernelSession(SOLUTIONS / lab, env={"DLCOURSE_DEVICES": "cpu"}) as session:
            out["__reference__"] = session.grade(src)
            for m in M.load(lab):
                out[m.id] = session.grade(M.apply(src, m))
        _cache[lab] = out
    return _cache[lab]


@pytest.mark.slow
@pytest.mark.parametrize("lab", lab_names())
def test_every_exercise_has_mutants(lab):
    src = M.lab_source(lab)
    answers = {c.metadata["nbgrader"]["grade_id"] for c in src.cells if c.metadata.get("nbgrader", {}).get("solution")}
    covered = {m.answer for m in M.load(lab)}
    assert answers, f"{lab} has no answer cells"
    assert answers <= covered, f"{lab}: exercises without mutants: {sorted(answers - covered)}"


@pytest.mark.slow
@pytest.mark.parametrize("lab", LABS)
def test_reference_scores_full_marks(lab):
    failed = [(r.grade_id, r.message) for r in _results(lab)["__reference__"] if not r.passed]
    assert not failed, f"the reference solution of {lab} loses points: {failed}"


@pytest.mark.slow
@pytest.mark.parametrize("lab,mutant", CASES)
def test_mutant_loses_exactly_its_points(lab, mutant):
    results = _results(lab)[mutant.id]
    lost = {r.grade_id for r in results if not r.passed}
    messages = {r.grade_id: r.message for r in results if not r.passed}
    assert mutant.expected_failures <= lost, (
        f"mutant {mutant.id} was not caught by {sorted(mutant.expected_failures - lost)}: the tests accept this wrong answer"
    )
    assert lost <= mutant.expected_failures, f"mutant {mutant.id} also cost points in {sorted(lost - mutant.expected_failures)}: {messages}"
    for gid in mutant.expected_failures:
        assert messages[gid], f"mutant {mutant.id}: test {gid} failed without a message for the student"


@pytest.mark.slow
@pytest.mark.parametrize("device", [device_param(d) for d in DEVICES if d != "cpu"])
@pytest.mark.parametrize("lab", lab_names())
def test_reference_on_accelerator(lab, device):
    """The hidden tests run the checks on every available device; here on the accelerator alone."""
    with KernelSession(SOLUTIONS / lab, env={"DLCOURSE_DEVICES": f"cpu,{device}", "DLCOURSE_DEVICE": device}) as s:
        failed = [(r.grade_id, r.message) for r in s.grade(M.lab_source(lab)) if not r.passed]
    assert not failed, f"{lab} on {device}: {failed}"
