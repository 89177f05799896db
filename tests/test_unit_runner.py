"""autograder.grading.runner: the order of a grading run, its verdicts per student, and resuming.

The sandbox and nbgrader's gradebook are replaced by stand-ins (``Slot`` runs a job's cells with ``exec``
and answers its probes with the worker's own ``answer_probes``; ``Course`` scores the run notebooks with
nbgrader's rules), so everything the runner itself decides runs here in a second: which submissions are
graded, skipped or resumed, and every row's score and reason.
"""
import contextlib
import csv
import io
import json
import shutil
import signal
import traceback

import nbformat
import pytest
import torch

from autograder.engine import score_notebook
from autograder.grading import runner as R
from autograder.grading.plan import Plan
from autograder.notebook import grade_id, nbg
from autograder.sandbox import worker
from autograder.sandbox.codec import pack
from autograder.sandbox.probes import observe
from autograder.sandbox.protocol import Result
from tests.unit_helpers import tiny_release, wire, write_tiny_lab

LAB, NB = "tinylab", "tinylab.ipynb"
RIGHT = {"ex1": "def double(x):\n    return x + x", "ex2": "def halve(x):\n    return x * 0.5"}
# right on the visible tests (one and two elements), wrong on the grader's probe (three)
SLY = {**RIGHT, "ex2": "def halve(x):\n    return x * 0.5 if x.numel() < 3 else x"}


class Course:
    """The nbgrader side, minus nbgrader: the plan, and scores read from the run notebooks."""

    def __init__(self, plan, state):
        self.notebooks, self.plans, self.state = [NB], {NB: plan}, state
        self.recorded, self.api = [], None

    def prepare(self):
        pass

    def add_students(self, roster):
        self.roster = roster

    def record(self, student, files):
        self.recorded.append(student)

    def graded_cells(self, nb):
        return [(nbg(c)["grade_id"], float(nbg(c)["points"])) for c in self.plans[nb].source.cells if nbg(c).get("grade")]

    def scores(self, student):
        run = nbformat.read(self.state / "runs" / student / NB, as_version=4)
        return {(NB, r.grade_id): r.score for r in score_notebook(run)}


class Api:
    def generate_feedback(self, lab, student, force):
        pass


class Slot:
    """A sandbox stand-in: runs the cells in a dict namespace, answers the probes as the worker does."""

    def __init__(self, log):
        self.log = log

    def run(self, job, *, deadline):
        self.log.append([c["source"] for c in job.cells])
        if any("explode" in c["source"] for c in job.cells):
            raise RuntimeError("the slot broke")
        ns, result = {}, Result(exit=0)
        for cell in job.cells:
            out = io.StringIO()
            outputs = []
            try:
                with contextlib.redirect_stdout(out):
                    exec(cell["source"], ns)
            except Exception as err:  # noqa: BLE001
                outputs.append({"output_type": "error", "ename": type(err).__name__, "evalue": str(err),
                                "traceback": traceback.format_exception_only(err)})
            if out.getvalue():
                outputs.insert(0, {"output_type": "stream", "name": "stdout", "text": out.getvalue()})
            result.cells[cell["index"]] = {"outputs": outputs, "execution_count": cell["index"]}
            worker.answer_probes(type("Shell", (), {"user_ns": ns})(), cell.get("probes", []),
                                 lambda f: result.probes.__setitem__(f["id"], wire(f["signature"])))
        return result

    def stop(self):
        pass


def reference_state(state):
    """What the reference run leaves in OUT/.nbgrader/grader: probes (inputs) and signatures (grader only)."""
    ref = {"double": lambda x: 2 * x, "halve": lambda x: x / 2}
    probes, signatures = [], {}
    for k, (name, x) in enumerate([("double", torch.tensor([1.5, -2.0, 4.0])), ("halve", torch.tensor([3.0, 5.0, -1.0]))]):
        probe = {"id": k, "name": name, "kind": "call", "seed": 1, "mode": "values", "time_limit": 5,
                 "inputs": wire(pack({"args": [x], "kwargs": {}}))}
        probes.append(probe)
        signatures[str(k)] = wire(observe(ref, probe, 1))
    state.mkdir(parents=True, exist_ok=True)
    (state / "reference.json").write_text(json.dumps({"probes": {NB: probes}, "signatures": {NB: signatures}}))


def submit(subs, student, answers):
    nb = tiny_release()
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    folder = subs / student / LAB
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NB)


@pytest.fixture
def setup(tmp_path):
    # the probes' timers fire in the grading threads' process: here a stray one is ignored, not fatal
    old = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    yield from _setup(tmp_path)
    signal.signal(signal.SIGALRM, old)


def _setup(tmp_path):
    plan = Plan.build(*write_tiny_lab(tmp_path))
    subs, out = tmp_path / "subs", tmp_path / "out"
    submit(subs, "alice", RIGHT)
    submit(subs, "bob", SLY)
    (subs / "carol" / LAB).mkdir(parents=True)
    (subs / "carol" / LAB / NB).symlink_to(subs / "alice" / LAB / NB)
    (subs / "x y").mkdir()
    roster = tmp_path / "roster.csv"
    roster.write_text("id\nalice\nbob\ncarol\nerin\n")
    log, progress = [], []

    def grader(**kw):
        # one slot: answer_probes swaps sys.stdout, which the sandbox's single-threaded child may do, threads may not
        g = R.Grader(LAB, out, isolate=False, workers=1, progress=progress.append, roster=roster, **kw)
        g.course = Course(plan, g.state)
        g.course.api = Api()
        g._slots = lambda n: [Slot(log)]
        if not (g.state / "reference.json").is_file():
            reference_state(g.state)
        return g

    yield grader, subs, out, log, progress


def rows(out):
    with open(out / "grades.csv", newline="") as f:
        return {(r["student"], r["grade_id"]): (r["score"], r["reason"]) for r in csv.DictReader(f)}


def test_a_run_grades_skips_and_explains(setup):
    grader, subs, out, log, progress = setup
    results = {r.student: r for r in grader().grade(subs)}
    assert sorted(results) == ["alice", "bob", "carol", "erin"]
    assert len(log) == 2, "one sandbox run for each readable submission"
    got = rows(out)
    assert {k: v for k, v in got.items() if k[0] == "alice"} == {
        ("alice", "ex1_tests"): ("2", ""), ("alice", "ex2_tests_a"): ("1", ""), ("alice", "ex2_tests_b"): ("1", "")}
    assert got[("bob", "ex1_tests")] == ("2", "")
    why = "the grader's own check of halve failed: the result has wrong values (3 of 3 elements differ)"
    assert got[("bob", "ex2_tests_a")] == ("0", why) and got[("bob", "ex2_tests_b")] == ("0", why), \
        "the visible tests passed in the sandbox; the probe decided"
    assert got[("carol", "ex1_tests")][0] == "0" and got[("carol", "ex1_tests")][1].startswith(f"{NB} is a symbolic link")
    assert got[("erin", "ex1_tests")] == ("0", "no submission from this student")
    assert "not graded: folder name 'x y' is not a valid student id" in " ".join(progress)
    assert all("HIDDEN" not in src and "_secret" not in src for run in log for src in run), "hidden tests never run for a student"
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["alice", "bob", "carol", "erin"]


def test_resuming_does_not_run_finished_submissions_again(setup):
    grader, subs, out, log, progress = setup
    grader().grade(subs)
    first = rows(out)
    runs = len(log)
    grader().grade(subs)
    assert len(log) == runs, "nothing changed: nothing runs again"
    assert rows(out) == first
    assert "resuming: 2 submission(s) already graded, 0 to go" in progress
    submit(subs, "bob", RIGHT)  # bob resubmits
    grader().grade(subs)
    assert len(log) == runs + 1 and RIGHT["ex2"] in log[-1], "bob's new files are graded"
    assert rows(out)[("bob", "ex2_tests_a")] == ("1", "")
    assert "resuming: 1 submission(s) already graded, 1 to go" in progress


@pytest.mark.parametrize("spoil", ["version", "hash", "unrecorded", "garbage"])
def test_a_state_file_that_does_not_match_means_grading_again(setup, spoil):
    grader, subs, out, log, progress = setup
    g = grader()
    g.grade(subs)
    saved = g.state / "alice.json"
    state = json.loads(saved.read_text())
    if spoil == "garbage":
        saved.write_text("{not json")
    else:
        state.update({"version": {"version": R.STATE_VERSION - 1}, "hash": {"hash": "0" * 64}, "unrecorded": {"recorded": False}}[spoil])
        saved.write_text(json.dumps(state))
    runs = len(log)
    grader().grade(subs)
    assert len(log) == runs + 1
    assert rows(out)[("alice", "ex1_tests")] == ("2", "")


def test_one_broken_submission_never_stops_the_class(setup):
    grader, subs, out, log, progress = setup
    submit(subs, "bob", {**RIGHT, "ex1": "def double(x):\n    return x + x  # explode"})
    grader().grade(subs)
    got = rows(out)
    assert got[("bob", "ex1_tests")] == ("0", "the grader failed on this submission (RuntimeError: the slot broke)")
    assert got[("alice", "ex1_tests")] == ("2", "")


def test_run_one_refuses_a_notebook_it_cannot_read(setup):
    grader, subs, out, log, progress = setup
    g = grader()
    record = g.run_one(Slot(log), "zed", {NB: b"\xff not a notebook"})
    assert record["reason"].startswith(f"{NB} could not be read as a lab notebook (UnicodeDecodeError")
    assert log == [] and record["hash"] and record["version"] == R.STATE_VERSION


def test_tampering_is_noted_but_costs_nothing(setup):
    grader, subs, out, log, progress = setup
    submit(subs, "alice", {**RIGHT, "ex1": "import os\ndef double(x):\n    return x + x"})
    results = {r.student: r for r in grader().grade(subs)}
    assert results["alice"].score == 4.0
    assert len(results["alice"].notes) == 1
    assert results["alice"].notes[0].startswith("[note from the grader] answer cell ex1: line 1: imports os — answers may import only")


def test_reference_state_is_reused_and_coverage_reported(setup, tmp_path):
    grader, subs, out, log, progress = setup
    g = grader()
    g.reference()
    assert [p["name"] for p in g.probes[NB]] == ["double", "halve"] and set(g.signatures[NB]) == {0, 1}
    assert g.probe_coverage() == "tinylab: probes cover 2 of 2 exercises; their inputs are on cpu"
    g.probes[NB] = g.probes[NB][:1]
    assert g.probe_coverage() == ("tinylab: probes cover 1 of 2 exercises (not covered, so their tests' points cannot be verified: ex2); "
                                  "their inputs are on cpu")
    assert g.deadline(1000, probe_time=10**6) == g.timeout * 4 + 120 + 30 + g.timeout * 2, "one deadline, bounded"


def test_starting_afresh_forgets_the_state(setup):
    grader, subs, out, log, progress = setup
    grader().grade(subs)
    runs = len(log)
    assert (out / ".nbgrader" / "grader" / "alice.json").is_file()
    g = grader(resume=False)
    assert not (out / ".nbgrader" / "grader" / "alice.json").exists()
    g.grade(subs)
    assert len(log) == runs + 2
    shutil.rmtree(out)


def test_the_runs_seed_is_drawn_once_and_kept(setup):
    grader, subs, out, log, progress = setup
    g = grader()
    seed = g._seed()
    assert 0 <= seed < 2**31 and grader()._seed() == seed, "a resumed run redraws nothing"


def test_a_lone_surrogate_in_a_cells_output_costs_nothing(setup):
    """Printing chr(0xD800) (mis-decoded bytes) must not make the run notebook unwritable and the whole lab 0."""
    from autograder.sandbox.codec import encode_frame, read_frame

    grader, subs, out, log, progress = setup
    submit(subs, "alice", {**RIGHT, "ex1": RIGHT["ex1"] + "\nprint('caf\\udce9')"})
    g = grader()
    slot = Slot(log)
    run = slot.run

    def through_the_pipe(job, deadline):  # as Zygote.run reads it: frames of the codec
        result = run(job, deadline=deadline)
        result.cells = {i: read_frame(io.BytesIO(encode_frame({"op": "cell", **c}))) for i, c in result.cells.items()}
        return result

    slot.run = through_the_pipe
    g._slots = lambda n: [slot]
    results = {r.student: r for r in g.grade(subs)}
    assert results["alice"].reason == "" and results["alice"].score == 4.0
    text = (g.state / "runs" / "alice" / NB).read_text(encoding="utf-8")
    assert "caf?" in text
