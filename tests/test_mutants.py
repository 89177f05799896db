"""Every exercise's tests reject plausible wrong answers, and only that exercise loses points.

Per lab, one kernel: the unmodified source runs top to bottom first and must score full marks. Then each
mutant is graded incrementally in that namespace: its answer cell replaces the reference (the names the
reference defined are deleted first, so a mutant that fails to define them fails as it would in a full
run), and every cell that can observe that answer (found by ``exercises.mutants.deps``) is re-run and scored;
the other cells cannot observe the mutant, so they keep the reference's result. Afterwards the reference
answer and those cells run again, and global tensors, arrays and modules are restored from a snapshot in
case the mutant changed them in place. Scores follow nbgrader's own rules (``determine_grade``). The
reference run also records every call its tests make to the answers (``exercises.record``), which
``tests/test_contracts.py`` checks against the exercises' contracts.
"""
import json

import nbformat
import pytest

from autograder.course import ROOT, SOLUTIONS, lab_names
from autograder.engine import KernelSession, score_notebook
from dlcourse.report import collect, disagreements, quotes
from autograder.notebook import grade_id, nbg
from exercises import mutants as M
from exercises.mutants.deps import affected_cells, analyse
from exercises.record import recording_notebook
from tests.conftest import device_param, device_params, keep_recorded

CASES = [pytest.param(lab, m, id=f"{lab}-{m.id}", marks=pytest.mark.xdist_group(lab))
         for lab in lab_names() for m in M.load(lab)]
LABS = [pytest.param(lab, id=lab, marks=pytest.mark.xdist_group(lab)) for lab in lab_names()]
ALTERNATIVES = [pytest.param(lab, a, id=f"{lab}-{a.id}", marks=[pytest.mark.xdist_group(lab)] + (
                    [pytest.mark.xfail(reason=a.known_defect, strict=True)] if a.known_defect else []))
                for lab in lab_names() for a in M.alternatives(lab)]

SNAPSHOT = """
import torch as _t, numpy as _np
_snapshot = {}
for _k, _v in list(globals().items()):
    if _k.startswith('_'):
        continue
    if isinstance(_v, _t.Tensor):
        _snapshot[_k] = (_v, _v.detach().clone())
    elif isinstance(_v, _np.ndarray):
        _snapshot[_k] = (_v, _v.copy())
    elif isinstance(_v, _t.nn.Module):
        _snapshot[_k] = (_v, {n: p.detach().clone() for n, p in _v.state_dict().items()})
"""
RESTORE = """
with _t.no_grad():
    for _k, (_v, _c) in _snapshot.items():
        globals()[_k] = _v
        if isinstance(_v, _t.Tensor):
            if _v.shape != _c.shape or not _t.equal(_v.detach(), _c):
                _v.data = _c.clone()
        elif isinstance(_v, _np.ndarray):
            if _v.shape != _c.shape or not _np.array_equal(_v, _c, equal_nan=True):
                _v.resize(_c.shape, refcheck=False)
                _v[...] = _c
        else:
            _v.load_state_dict({n: p.clone() for n, p in _c.items()})
"""
_cache: dict = {}


def code(src):
    return nbformat.v4.new_code_cell(src)


def _results(lab: str, device: str = "simgpu"):
    """The reference's and every mutant's and alternative's scores, with ``device`` as the hidden tests' second
    device (their device loops run on ``cpu`` and it) and as the one ``pick_device()`` returns."""
    key = (lab, device)
    if key in _cache:
        return _cache[key]
    src = M.lab_source(lab)
    defined, _ = analyse(src)
    answer_cell = {grade_id(c): c for c in src.cells if nbg(c).get("solution")}
    out = {}
    env = {"DLCOURSE_DEVICES": f"cpu,{device}", "DLCOURSE_DEVICE": "cpu" if device == "simgpu" else device, "PYTHONPATH": str(ROOT)}
    with KernelSession(SOLUTIONS / lab, env=env) as session:
        executed = session.run(recording_notebook(src, lab))  # the reference, recording its tests' calls
        reference = score_notebook(executed)
        out["__reference__"] = reference
        out["__headlines__"] = collect(executed)
        report = session.run_cells([code("print(_dl_contracts.report_json())\n_dl_contracts.stop()")])[0]
        out["__contracts__"] = json.loads("".join(o.get("text", "") for o in report.outputs if o.get("name") == "stdout"))
        session.run_cells([code(SNAPSHOT)])
        for m in M.load(lab) + M.alternatives(lab):
            mutated = next(c for c in M.apply(src, m).cells if grade_id(c) == m.answer)
            forget = code("\n".join(f"globals().pop({n!r}, None)" for n in sorted(defined[m.answer])) or "pass")
            observers = [src.cells[i] for i in affected_cells(src, m.answer)]
            ran = session.run_cells([forget, mutated] + observers)
            scored = {r.grade_id: r for r in score_notebook(nbformat.v4.new_notebook(cells=ran[2:]))}
            out[m.id] = [scored.get(r.grade_id, r) for r in reference]
            session.run_cells([answer_cell[m.answer]] + observers + [code(RESTORE)])
    _cache[key] = out
    return out


@pytest.mark.parametrize("lab", lab_names())
def test_every_exercise_has_mutants(lab):
    src = M.lab_source(lab)
    answers = {grade_id(c) for c in src.cells if nbg(c).get("solution")}
    counts = {a: sum(m.answer == a for m in M.load(lab)) for a in answers}
    assert answers, f"{lab} has no answer cells"
    thin = {a: n for a, n in counts.items() if n < 3}
    assert not thin, f"{lab}: exercises with fewer than 3 mutants: {thin}"
    for m in M.load(lab):
        M.apply(src, m)  # every replacement must still apply to the current reference answer


@pytest.mark.parametrize("lab", lab_names())
def test_exercises_are_independent(lab):
    """A test cell may only observe its own exercise's answer, or a wrong answer would cost points twice."""
    src = M.lab_source(lab)
    _, reach = analyse(src)
    crossing = {}
    for i, answers in reach.items():
        gid = grade_id(src.cells[i])
        if nbg(src.cells[i]).get("grade"):
            others = answers - {gid.removesuffix("_tests")}
            if others:
                crossing[gid] = sorted(others)
    declared = {(m.answer, t) for m in M.load(lab) for t in m.expected_failures}
    undeclared = {t: a for t, a in crossing.items() if not all((x, t) in declared for x in a)}
    assert not undeclared, (
        f"{lab}: these test cells use other exercises' answers {undeclared}; make them self-contained "
        f"(or list the test in those mutants' `fails`)")


@pytest.mark.slow
@pytest.mark.parametrize("lab", LABS)
def test_reference_scores_full_marks(lab):
    failed = [(r.grade_id, r.message) for r in _results(lab)["__reference__"] if not r.passed]
    assert not failed, f"the reference solution of {lab} loses points: {failed}"


# Numbers a lab's solution promises, recorded with dlcourse.report.headline: name -> (least, most).
LAB_HEADLINES = {
    "lab06_softmax_cross_entropy": {"wine_test_accuracy": (0.9, 1.0)},
    "lab12_cnn_mnist": {"mnist_cnn_test_accuracy": (0.985, 1.0)},  # scored once, after stopping on validation
}


def _readme_quotes(lab: str) -> list:
    return [q for q in quotes((ROOT / "README.md").read_text(encoding="utf-8")) if q.notebook == lab]


@pytest.mark.slow
@pytest.mark.parametrize("lab", [p for p in LABS if p.values[0] in LAB_HEADLINES or _readme_quotes(p.values[0])])
def test_reference_reaches_its_headline_numbers(lab):
    """The numbers a lab's solution promises, and those the README quotes from it, are the ones it records."""
    found = _results(lab)["__headlines__"]
    keep_recorded(lab, found)
    for name, (least, most) in LAB_HEADLINES.get(lab, {}).items():
        assert name in found, f"{lab} no longer records the headline number {name!r}"
        assert least <= found[name] <= most, f"{lab}: {name} = {found[name]:.4f}, the course promises [{least}, {most}]"
    wrong = disagreements(_readme_quotes(lab), found, "README.md")
    assert not wrong, "\n".join(wrong)


def mutant_problems(mutant, results) -> list[str]:
    """What is wrong with how the tests scored ``mutant`` (nothing: it lost exactly its points, with sentences)."""
    lost = {r.grade_id for r in results if not r.passed}
    messages = {r.grade_id: r.message for r in results if not r.passed}
    if not mutant.expected_failures <= lost:
        return [f"mutant {mutant.id} was not caught by {sorted(mutant.expected_failures - lost)}: the tests accept this wrong answer"]
    if not lost <= mutant.expected_failures:
        return [f"mutant {mutant.id} also cost points in {sorted(lost - mutant.expected_failures)}: {messages}"]
    found = []
    for gid in sorted(mutant.expected_failures):
        if not messages[gid]:
            found.append(f"mutant {mutant.id}: test {gid} failed without a message for the student")
        elif not messages[gid].startswith("CheckFailed:"):
            found.append(f"mutant {mutant.id}: test {gid} fails with a bare exception, not a sentence for the student: "
                         f"{messages[gid][:200]!r} (wrap the call in `with explain(...)` or check first)")
    return found


def alternative_problems(alternative, results) -> list[str]:
    lost = {r.grade_id: r.message for r in results if not r.passed}
    return [f"the correct alternative {alternative.id} loses points: {lost}"] if lost else []


@pytest.mark.slow
@pytest.mark.parametrize("lab,mutant", CASES)
def test_mutant_loses_exactly_its_points(lab, mutant):
    wrong = mutant_problems(mutant, _results(lab)[mutant.id])
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
@pytest.mark.parametrize("lab,alternative", ALTERNATIVES)
def test_alternative_keeps_every_point(lab, alternative):
    """A correct answer written another way gets exactly the reference's per-cell scores (stock nbgrader scoring)."""
    wrong = alternative_problems(alternative, _results(lab)[alternative.id])
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
@pytest.mark.gpu
@pytest.mark.parametrize("device", [device_param("cuda")])
@pytest.mark.parametrize("lab", LABS)
def test_mutants_on_accelerator(lab, device):
    """On a CUDA machine the whole mutant run again, with cuda as the hidden tests' second device and the one
    ``pick_device()`` returns (``DLCOURSE_DEVICES=cpu,cuda``): the reference keeps full marks, every mutant loses
    exactly its points, every alternative keeps them (one test per lab, listing every disagreement)."""
    results = _results(lab, device)
    wrong = [f"the reference loses {r.grade_id}: {r.message}" for r in results["__reference__"] if not r.passed]
    for m in M.load(lab):
        wrong += mutant_problems(m, results[m.id])
    for a in M.alternatives(lab):
        found = alternative_problems(a, results[a.id])
        if a.known_defect:  # a known defect must still show, as it does on the CPU
            found = [] if found else [f"the known defect of alternative {a.id} ({a.known_defect}) does not show on {device}"]
        wrong += found
    assert not wrong, f"{lab} on {device}:\n" + "\n".join(wrong)


@pytest.mark.slow
@pytest.mark.parametrize("device", device_params(include_cpu=False))
@pytest.mark.parametrize("lab", lab_names())
def test_reference_on_accelerator(lab, device):
    """The hidden tests run the checks on every available device; here with the accelerator as default. On a
    real accelerator the whole lab runs (lab 12's closing demo trains its CNN there); on simgpu, the CPU
    stand-in, only up to the last test cell: the demo would train the same CNN again, 45 µs an operation."""
    from autograder.notebook import graded_end

    nb = M.lab_source(lab)
    if device == "simgpu":
        nb.cells = nb.cells[:graded_end(nb)]
    with KernelSession(SOLUTIONS / lab, env={"DLCOURSE_DEVICES": f"cpu,{device}", "DLCOURSE_DEVICE": device}) as s:
        failed = [(r.grade_id, r.message) for r in s.grade(nb) if not r.passed]
    assert not failed, f"{lab} on {device}: {failed}"
