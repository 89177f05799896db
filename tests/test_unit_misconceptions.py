"""autograder.grading.misconceptions: which known mistake an answer that lost points behaves like.

Signatures here are built with the codec, as a sandbox sends them. A mutant that behaves like the reference
is never a candidate; a match needs every probe of the exercise to agree (values within the test's
tolerance; an exception's type and message); the first matching mutant in the lab's order is named.
"""
import torch

from autograder.grading.misconceptions import BASE_ID, Catalogue, Known, catalogue_cells
from autograder.grading.plan import Plan
from autograder.sandbox.codec import pack
from tests.unit_helpers import write_tiny_lab


def sig(value):
    return {"output": pack(value), "aliases": [0], "args_after": pack([[torch.ones(2)], {}])}


def raised(kind, message):
    return {"raised": kind, "message": message}


PROBES = [{"id": 0, "name": "double", "kind": "call", "seed": 1, "tol": [1e-5, 1e-6]},
          {"id": 1, "name": "double", "kind": "call", "seed": 2, "tol": [1e-5, 1e-6]}]
REF = {0: sig(torch.tensor([2.0, 4.0])), 1: sig(torch.tensor([6.0]))}


def known(name):
    return Known(f"ex1-{name}", "ex1", f"def double(x):  # {name}\n    return x", f"the {name} mistake", f"do not {name}")


def catalogue(**mutants):
    return Catalogue([known(n) for n in mutants], PROBES, REF, {f"ex1-{n}": s for n, s in mutants.items()}, {"double": "ex1"})


SQUARED = {0: sig(torch.tensor([1.0, 4.0])), 1: sig(torch.tensor([9.0]))}
PLUS_ONE = {0: sig(torch.tensor([2.0, 3.0])), 1: sig(torch.tensor([4.0]))}


def test_a_mutant_that_behaves_like_the_reference_is_no_candidate():
    cat = catalogue(same_as_ref=dict(REF), squared=SQUARED)
    assert [k.id for k in cat.candidates("ex1")] == ["ex1-squared"]


def test_every_probe_must_agree_within_the_tolerance():
    cat = catalogue(squared=SQUARED, plus_one=PLUS_ONE)
    assert cat.name("ex1", {0: sig(torch.tensor([1.0, 4.0 + 1e-7])), 1: sig(torch.tensor([9.0]))}).id == "ex1-squared"
    assert cat.name("ex1", {0: sig(torch.tensor([1.0, 4.0])), 1: sig(torch.tensor([4.0]))}) is None, "half like one, half like another"
    assert cat.name("ex1", {0: sig(torch.tensor([1.0, 4.0], dtype=torch.float64)), 1: sig(torch.tensor([9.0], dtype=torch.float64))}) is None, (
        "the dtype is part of the behaviour")
    assert cat.name("ex1", {0: sig(torch.tensor([2.0, 3.0]))}) is None, "a probe that did not come back matches nothing"
    assert cat.name("ex2", SQUARED) is None


def test_exceptions_match_by_type_and_message():
    boom = {0: raised("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)"), 1: raised("RuntimeError", "x")}
    cat = catalogue(transposed=boom)
    assert cat.name("ex1", dict(boom)).id == "ex1-transposed"
    assert cat.name("ex1", {0: raised("RuntimeError", "another message"), 1: raised("RuntimeError", "x")}) is None
    assert cat.name("ex1", {0: raised("ValueError", boom[0]["message"]), 1: raised("ValueError", "x")}) is None


def test_the_first_matching_mutant_in_the_labs_order_is_named():
    cat = catalogue(first=SQUARED, second=dict(SQUARED))
    assert cat.name("ex1", SQUARED).id == "ex1-first"
    assert cat.name("ex1", SQUARED).says() == " — this matches a known mistake: the first mistake (do not first)"


def test_mutant_cells_send_each_probe_once_and_put_the_reference_back(tmp_path):
    plan = Plan.build(*write_tiny_lab(tmp_path))
    nb, _ = plan.assemble(plan.release)
    probes = [{**p, "mode": "values", "inputs": {"$dict": {}}} for p in PROBES]
    cells, ids = catalogue_cells(plan, nb, probes, [known("squared"), known("plus_one")])
    extra = [c for c in cells if c["index"] >= BASE_ID]
    assert len(extra) == 4, "per mutant: its answer with the probes, then the reference answer"
    first, _, second, restore = extra
    assert first["source"].startswith("globals().pop('double', None)\n") and "# squared" in first["source"]
    assert [set(p) >= {"inputs", "name"} for p in first["probes"]] == [True, True] and all("mode" not in p for p in first["probes"])
    assert [p.get("repeat") for p in second["probes"]] == [first["probes"][0]["id"], first["probes"][1]["id"]], "sent once"
    assert restore["probes"] == [] and plan.reference_answers()["ex1"] in restore["source"]
    assert {ids[p["id"]] for p in first["probes"] + second["probes"]} == {("ex1-squared", 0), ("ex1-squared", 1), ("ex1-plus_one", 0), ("ex1-plus_one", 1)}
    at = [c["index"] for c in cells].index(first["index"])
    assert cells[at - 1]["index"] == [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "ex1_tests"][0], (
        "right after the exercise's last test cell")


def test_a_probe_the_students_run_could_not_set_up_is_left_out():
    """The visible test stopped at a failing check before defining a helper the probe passes."""
    cat = catalogue(squared=SQUARED)
    unset = raised("NameError", "t2_fs is not defined in the notebook")
    assert cat.name("ex1", {0: SQUARED[0], 1: unset}).id == "ex1-squared"
    assert cat.name("ex1", {0: unset, 1: unset}) is None, "at least one probe must show what the answer did"
    assert cat.name("ex1", {0: PLUS_ONE[0], 1: unset}) is None
