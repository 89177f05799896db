"""Every exercise has a contract, its tests stay inside it, cover it, and every rule it states has a mutant.

See :mod:`exercises.contracts`. The calls are recorded while tests/test_mutants.py runs each lab's reference
(:func:`exercises.record.recording_notebook`), once per lab.
"""
import json

import pytest

from autograder.course import lab_names
from autograder.notebook import grade_id, nbg
from exercises import mutants as M
from exercises.contracts import contracts
from exercises.mutants.deps import analyse
from exercises.record import key

LABS = [pytest.param(lab, id=lab, marks=pytest.mark.xdist_group(lab)) for lab in lab_names()]


def recorded(lab: str) -> dict:
    """The calls recorded while tests/test_mutants.py ran the lab's reference (same xdist group, same process)."""
    from tests.test_mutants import _results

    return _results(lab)["__contracts__"]


@pytest.mark.parametrize("lab", lab_names())
def test_every_answer_has_a_contract(lab):
    src = M.lab_source(lab)
    defined, _ = analyse(src)
    answers = {grade_id(c) for c in src.cells if nbg(c).get("solution")}
    by_answer: dict = {}
    for c in contracts(lab):
        by_answer.setdefault(c.answer, []).append(c)
    assert answers <= set(by_answer), f"{lab}: answers without a contract: {sorted(answers - set(by_answer))}"
    assert set(by_answer) <= answers, f"{lab}: contracts for answers the lab lacks: {sorted(set(by_answer) - answers)}"
    for answer, cs in by_answer.items():
        for c in cs:
            assert c.name in defined[answer], f"{lab} {answer}: the contract names {c.name!r}, which the answer cell does not define"
            if c.array_params and c.diverse_param is None and c.batch is None:
                assert c.why_not, f"{lab} {answer} ({c.name}) takes arrays but names no batch or diverse input, and says not why"
            for p in (c.batch, c.diverse_param):
                assert p is None or p in c.array_params, f"{lab} {answer}: {p!r} is not one of its array inputs {c.array_params}"


@pytest.mark.parametrize("lab", lab_names())
def test_every_stated_rule_has_a_mutant_that_breaks_it(lab):
    mutants = M.load(lab)
    for c in contracts(lab):
        for rule in c.rules:
            breakers = [m.id for m in mutants if m.answer == c.answer and m.breaks == rule]
            assert breakers, (f"{lab} {c.answer}: the rule {rule!r} has no mutant that breaks it "
                              f"(give one `breaks={rule!r}`)")
    for m in mutants:
        if m.breaks:
            rules = {r for c in contracts(lab) if c.answer == m.answer for r in c.rules}
            assert m.breaks in rules, f"{lab} {m.id} breaks {m.breaks!r}, which no contract of {m.answer} states"


@pytest.mark.parametrize("lab", lab_names())
def test_device_mutants_for_every_exercise_that_takes_and_returns_tensors(lab):
    generated = {m.answer for m in M.load(lab) if m.breaks == "device" and "returns_cpu_tensor" in m.name}
    need = {c.answer for c in contracts(lab) if c.takes_tensors and c.returns_tensors}
    assert need <= generated, f"{lab}: no returns_cpu_tensor mutant for {sorted(need - generated)}"
    for c in contracts(lab):
        if c.takes_tensors and c.returns_tensors:
            assert "device" in c.rules, f"{lab} {c.answer}: takes and returns tensors, so its contract states the 'device' rule"


@pytest.mark.slow
@pytest.mark.parametrize("lab", LABS)
def test_tests_stay_inside_the_contract(lab):
    """Every call a visible or hidden test makes, and the reference's result, fits the contract."""
    out = recorded(lab)
    assert not out["errors"], f"{lab}: the source notebook did not run cleanly while recording: {out['errors']}"
    bad = {a: r["problems"] for a, r in out["answers"].items() if r["problems"]}
    assert not bad, f"{lab}: tests outside the contract: {json.dumps(bad, indent=1)}"
    for c in contracts(lab):
        r = out["answers"][key(c)]
        assert r["calls"] and r["hidden_calls"], f"{lab} {c.answer}: no test (or no hidden test) calls {c.name}"


@pytest.mark.slow
@pytest.mark.parametrize("lab", LABS)
def test_hidden_cases_have_distinct_dimensions_and_a_batch_of_one(lab):
    out = recorded(lab)
    thin = {}
    for c in contracts(lab):
        r = out["answers"][key(c)]
        if c.diverse_param and not r["diverse"]:
            thin[f"{c.answer} {c.diverse_param}"] = "no hidden case with pairwise different dimensions, all >= 3"
        if c.batch and not r["batch_of_one"]:
            thin[f"{c.answer} {c.batch}"] = "no hidden case with a batch of one"
    assert not thin, f"{lab}: {json.dumps(thin, indent=1)}"
