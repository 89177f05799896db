"""Repository hygiene: clean notebook sources, labs generated from solutions, consistent metadata and environment."""
import json
import re
import subprocess

import nbformat
import pytest

from autograder.course import LABS, LECTURES, ROOT, SOLUTIONS, lab_names
from autograder.notebook import nbg

TRACKED = [ROOT / p for p in subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True).stdout.split()]
NOTEBOOKS = sorted(set(TRACKED) | set(LECTURES.glob("*.ipynb")) | set(SOLUTIONS.glob("*/*.ipynb")) | set(LABS.glob("*/*.ipynb")))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_notebook_is_a_clean_source(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts — clear them (Edit > Clear Outputs of All Cells) before committing"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernelspec must be python3"


def test_every_lab_has_a_lecture_and_a_release():
    labs = lab_names()
    assert labs, "no labs found in solutions/"
    for lab in labs:
        number = re.match(r"lab(\d+)_", lab).group(1)
        assert list(LECTURES.glob(f"lec{number}_*.ipynb")), f"{lab} has no lecture lec{number}_*.ipynb"
        assert (LABS / lab / f"{lab}.ipynb").is_file(), f"{lab} was never released: run `make release`"


@pytest.mark.parametrize("lab", lab_names())
def test_nbgrader_metadata(lab):
    nb = nbformat.read(SOLUTIONS / lab / f"{lab}.ipynb", as_version=4)
    meta = [nbg(c) for c in nb.cells if "nbgrader" in c.metadata]
    ids = [m["grade_id"] for m in meta]
    assert len(ids) == len(set(ids)), f"{lab}: duplicate grade_ids {ids}"
    answers = [m["grade_id"] for m in meta if m.get("solution")]
    tests = [m["grade_id"] for m in meta if m.get("grade")]
    assert 4 <= len(answers) <= 8, f"{lab}: {len(answers)} exercises, the course uses 4-8"
    for gid in answers:
        assert re.fullmatch(r"ex\d\d_[a-z0-9_]+", gid), f"{lab}: answer id {gid!r} should look like ex02_mse"
        assert f"{gid}_tests" in tests, f"{lab}: answer {gid} has no test cell {gid}_tests"
    for cell in nb.cells:
        m = nbg(cell)
        if m.get("grade"):
            assert m.get("locked") and m.get("points", 0) > 0, f"{lab}: test cell {m['grade_id']} must be locked and worth points"
            assert "### BEGIN HIDDEN TESTS" in cell.source, f"{lab}: test cell {m['grade_id']} has no hidden tests"
            assert "raise NotImplementedError" not in cell.source
        if m.get("solution"):
            assert "### BEGIN SOLUTION" in cell.source, f"{lab}: answer {m['grade_id']} has no solution region"


@pytest.mark.parametrize("lab", lab_names())
def test_setup_cells_are_read_only_and_known(lab):
    """Every code cell of the course's own (imports, data, demos) is read-only with a stable grade_id, so the
    grader restores it from the source; a setup cell as saved from any earlier release is still recognised."""
    from autograder.grading.plan import RELEASED_SETUP, is_readonly_setup, text_digest
    from autograder.notebook import is_setup

    nb = nbformat.read(SOLUTIONS / lab / f"{lab}.ipynb", as_version=4)
    loose = [i for i, c in enumerate(nb.cells) if is_setup(c) and not is_readonly_setup(c)]
    assert not loose, f"{lab}: code cells {loose} are neither answers, tests nor read-only (mark them readonly)"
    ids = {nbg(c)["grade_id"] for c in nb.cells if is_readonly_setup(c)}
    assert set(RELEASED_SETUP[lab].values()) <= ids, f"{lab}: autograder/released_setup.json names setup cells that no longer exist"
    saved = nbformat.read(ROOT / "tests" / "fixtures" / "saved_labs" / f"{lab}.ipynb", as_version=4)
    current = {text_digest(c.source) for c in nb.cells if is_readonly_setup(c)}
    unknown = [i for i, c in enumerate(saved.cells) if is_setup(c) and text_digest(c.source) not in current | set(RELEASED_SETUP[lab])]
    assert not unknown, f"{lab}: setup cells {unknown} of the 2026-12-01 release are unknown: add their digests to released_setup.json"
    # ... and the grader runs today's setup cells in their place, once each (the old imports never run): what
    # it runs for the saved notebook is exactly what it runs for today's lab with the same answers, so the two
    # grade the same (tests/test_grading.py grades the latter to full marks; stock nbgrader, which keeps the
    # saved setup cells, is checked there too, for the labs whose setup cells changed)
    from autograder.course import fill_answers
    from autograder.grading.plan import Plan

    plan = Plan.build(SOLUTIONS / lab / f"{lab}.ipynb", LABS / lab / f"{lab}.ipynb")
    assembled, authored = plan.assemble(saved)
    saved_answers = {nbg(c)["grade_id"]: c.source for c in saved.cells if nbg(c).get("solution")}  # as the student wrote them
    today, authored_today = plan.assemble(fill_answers(nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4), saved_answers))
    code = lambda nb: [c.source for c in nb.cells if c.cell_type == "code"]  # noqa: E731 (markdown is not run)
    assert code(assembled) == code(today)
    assert authored == authored_today and "added" not in authored.values()


@pytest.mark.slow
def test_labs_are_in_sync_with_solutions(tmp_path):
    """labs/ is exactly what `make release` generates from solutions/ (run it after editing a solution)."""
    from autograder.release import release

    release(dest=tmp_path)
    for lab in lab_names():
        for new in sorted((tmp_path / lab).rglob("*")):
            if new.is_dir():
                continue
            old = LABS / lab / new.relative_to(tmp_path / lab)
            assert old.is_file(), f"{old.relative_to(ROOT)} is missing: run `make release`"
            if new.suffix == ".ipynb":
                same = json.loads(old.read_text()) == json.loads(new.read_text())
            else:
                same = old.read_bytes() == new.read_bytes()
            assert same, f"{old.relative_to(ROOT)} differs from what solutions/ generates: run `make release`"
        extra = {p.relative_to(LABS / lab) for p in (LABS / lab).rglob("*") if p.is_file()} - {
            p.relative_to(tmp_path / lab) for p in (tmp_path / lab).rglob("*") if p.is_file()}
        assert not extra, f"labs/{lab} has files solutions/ does not generate: {sorted(map(str, extra))}"


def _pins(lines):
    return {ln.split("==")[0].strip().lower().replace("_", "-"): ln.split("==")[1].strip()
            for ln in lines if "==" in ln and not ln.strip().startswith("#")}


def test_environment_yml_matches_requirements():
    req = _pins((ROOT / "requirements.txt").read_text().splitlines() + (ROOT / "requirements-dev.txt").read_text().splitlines())
    env = _pins(ln.strip().lstrip("- ") for ln in (ROOT / "environment.yml").read_text().splitlines())
    assert req == env, f"environment.yml and requirements*.txt disagree: {set(req.items()) ^ set(env.items())}"
    assert req["torch"] == "2.13.0"


def test_readme_has_the_two_commands_and_a_syllabus_row_per_lab():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    for lab in lab_names():
        assert lab in readme, f"README syllabus has no row for {lab}"


@pytest.mark.parametrize("n", [pytest.param(i, marks=pytest.mark.xdist_group("grouping-check")) for i in range(2)])
def test_xdist_groups_are_honoured(n, request):
    """Each lab's kernels are shared by the tests of its group; if pytest-xdist stopped grouping (as with
    pytest 9.2.0), every lab would be graded once per worker and the suite would take far longer."""
    if not getattr(request.config.option, "loadgroup", False):  # set in each pytest-xdist worker
        pytest.skip("not distributed with --dist loadgroup")
    assert request.node.nodeid.endswith("@grouping-check"), f"pytest-xdist did not group {request.node.nodeid}"


def test_the_gpu_check_names_tests_and_labs_that_exist():
    """.ci/gpu-check runs on a GPU machine only now and then: every test file, test function and lab it names
    must still exist, or the one chance to run it is lost to a rename."""
    import ast
    import re

    from autograder.course import lab_names

    script = (ROOT / ".ci" / "gpu-check").read_text()
    paths = set(re.findall(r"(tests/[\w/]+\.py)(?:::(\w+))?", script))
    assert len(paths) >= 8, f"the GPU check names fewer test files than expected: {sorted(paths)}"
    for path, func in paths:
        assert (ROOT / path).is_file(), f".ci/gpu-check names {path}, which does not exist"
        if func:
            names = {n.name for n in ast.walk(ast.parse((ROOT / path).read_text())) if isinstance(n, ast.FunctionDef)}
            assert func in names, f".ci/gpu-check names {path}::{func}, which does not exist"
    labs = re.findall(r"for lab in ([\w ]+); do", script)[0].split()
    assert labs and set(labs) <= set(lab_names()), f".ci/gpu-check grades {labs}; the labs are {lab_names()}"
    assert "-m tests.gpu_grading" in script and "DLCOURSE_BENCH_DEVICES=cuda" in script and "mnist_cnn_time_to_99" in script
