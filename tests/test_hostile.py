"""The hostile and broken submission corpus: lab 01 graded in the sandbox with every attack in it, twice
(``--workers 1`` and ``--workers 2``).

A test cell keeps its points only if its visible tests passed in the sandbox *and* the grader's own probes,
compared outside the sandbox, match the reference; the static policy only adds notes. So for each case:
exactly the expected exercises keep their points, lost points give a clear reason, a leak attack finds
nothing (its marker never appears in the executed notebook), and every honest submission in the run is
graded exactly as when graded alone. Nobody's files change and the gradebook stays whole. Also: the policy
never flags the reference answers or the plausible wrong answers (exercises/mutants, 816 today), and a correct or
partial submission gets exactly the score stock ``nbgrader autograde`` gives it.

Attack sources live in tests/hostile_cells.py; the classes: forged scores (1), reference outputs in the
sandbox (2), code the static check cannot read (3), the zygote's memory (4), symbolic links (5), what one
student leaves in /tmp for the next (6), limits (7), feedback pages and folder names (8). Two grader bugs
this corpus found are fixed and stay tested: the memory limit is the whole sandbox's, and neither a POSIX
message queue nor a keyring key passes from one student to the next on the same worker.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.course import LABS, ROOT, fill_answers, lab_names, solution_answers, source_notebook
from autograder.notebook import graded_end, nbg
from tests import hostile_cells as H

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]
LAB = "lab01_tensors"
EX = ["ex01_row_normalize", "ex02_standardize", "ex03_images_to_chw", "ex04_class_means", "ex05_accuracy",
      "ex06_one_hot", "ex07_to_tensor"]
WORKERS = [1, 2]  # the corpus is graded once with each
RUN_LIMIT = 420  # seconds one grading run of the whole corpus may take (the subprocess is killed after that)
OWN_CHECK = "the grader's own check"
needs_bwrap = pytest.mark.sandbox  # (the one gate: tests/conftest.py)


def released():
    return nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)


def answers(**changes):
    a = solution_answers(LAB)
    a.update(changes)
    return a


REF = solution_answers(LAB)
# an attack that holds memory stops its own cell timer first: on a loaded machine, the memory limit decides (not the clock)
NO_TIMER = "import signal\nsignal.setitimer(signal.ITIMER_REAL, 0)\n"


def wrong(gid):
    """A wrong answer for exercise ``gid``: the reference with its result scaled (shape and dtype kept)."""
    lines = REF[gid].splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip().startswith("return "):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = (f"{indent}_r = {lines[i].strip()[len('return '):]}\n"
                        f"{indent}return _r * 1.5 if isinstance(_r, float) or _r.is_floating_point() else _r + 1")
            return "\n".join(lines)
    raise AssertionError(f"no return in the reference answer of {gid}")


def released_answer(gid):
    return next(c.source for c in released().cells if nbg(c).get("grade_id") == gid)


def unanswered(**changes):
    """Every answer cell as released (nothing written), except ``changes``."""
    return {**{e: released_answer(e) for e in EX}, **changes}


def drop_cell(nb, gid):
    nb.cells = [c for c in nb.cells if nbg(c).get("grade_id") != gid]
    return nb


def edit_cell(nb, gid, source):
    for c in nb.cells:
        if nbg(c).get("grade_id") == gid:
            c.source = source
    return nb


def notebook(ans=None, *, end="", markdown=""):
    """The released lab with ``ans`` filled in, a code cell ``end`` added as late as the grader runs cells (just
    before the last test cell: the grader skips the cells after it), a markdown cell after the first."""
    nb = fill_answers(released(), REF if ans is None else ans)
    if markdown:
        nb.cells.insert(1, nbformat.v4.new_markdown_cell(markdown))
    if end:
        nb.cells.insert(graded_end(nb) - 1, nbformat.v4.new_code_cell(end))
    return nb


def reference_only_lines(k=5):
    """Lines of the reference answers that appear nowhere in the released lab, as (first half, second half)."""
    text = "\n".join(c.source for c in released().cells)
    lines = [ln.strip() for src in REF.values() for ln in src.splitlines()]
    keep = [ln for ln in lines if len(ln) >= 25 and not ln.startswith(("#", '"""')) and ln not in text and ln.split("#")[0].strip() not in text]
    assert len(keep) >= k, keep
    return [(ln[: len(ln) // 2], ln[len(ln) // 2:]) for ln in keep[:k]]


def link(target_of):
    """A submission that is a symbolic link: ``target_of(subs)`` -> (link path below subs/<name>, target)."""
    def write(student: Path):
        where, target = target_of(student.parent)
        path = student / where
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
    return write


@dataclass
class Case:
    content: object  # answers (dict), a notebook, raw text, or a callable that writes the student's folder
    expect: dict  # exercise -> "full" | "zero" (exercises not named are not asserted)
    reason: str = ""  # in the reason of the first row that lost points
    every: str = ""  # in the reason of every row that lost points
    note: str = ""  # in a "[note from the grader]" shown to the student
    shows: tuple = ()  # markers that must appear in the executed notebook's outputs (the attack really ran)
    hides: tuple = ()  # markers that must never appear there (a leak)
    graded: bool = True  # False: an invalid folder name, reported as "not graded"


def full(*names):
    return {e: "full" for e in (names or EX)}


def zero(*names):
    return {e: "zero" for e in (names or EX)}


def but(**verdicts):
    """Every exercise full except those named (ex04="zero")."""
    return {e: verdicts.get(e[:4], "full") for e in EX}


def run_folder(subs: Path, workers: int) -> Path:
    return subs.parent / f"out-w{workers}"


def cases(subs: Path) -> dict[str, Case]:
    gradebooks = [str(run_folder(subs, w) / ".nbgrader" / "gradebook.db") for w in WORKERS]
    ada = subs / "ada" / LAB / f"{LAB}.ipynb"
    pad = nbformat.v4.new_markdown_cell("padding " * (20 * 2**20 // 8))  # a 20 MB notebook
    big = notebook()
    big.cells.insert(1, pad)
    rest_zero = lambda k: {**full(*EX[:k]), **zero(*EX[k:])}  # noqa: E731
    return {
        # -- the original corpus, under the grader's new rules ------------------------------------------------
        "ada": Case(answers(), full()),
        "pat_partial": Case(answers(**{e: released_answer(e) for e in EX[3:]}), rest_zero(3), "not attempted"),
        "infinite_loop": Case(answers(ex02_standardize="def standardize(X):\n    while True:\n        pass"), but(ex02="zero"), "time limit"),
        "raise_systemexit": Case(answers(ex03_images_to_chw="raise SystemExit('bye')\n" + REF["ex03_images_to_chw"]), but(ex03="zero"), "SystemExit"),
        "sys_exit": Case(answers(ex03_images_to_chw="import sys\nsys.exit(3)\n" + REF["ex03_images_to_chw"]), but(ex03="zero"), "SystemExit", note="imports sys"),
        "os_exit": Case(answers(ex04_class_means="import os\nos._exit(0)\n" + REF["ex04_class_means"]), rest_zero(3), "stopped", note="imports os"),
        "memory_bomb": Case(answers(ex05_accuracy=NO_TIMER + "_hog = []\nwhile True:\n    _hog.append(bytearray(2**27))\n" + REF["ex05_accuracy"]), rest_zero(4), "memory"),
        "fork_bomb": Case(answers(ex06_one_hot="import os, time\ntry:\n    while True:\n        os.fork()\nexcept OSError:\n    time.sleep(120)\n" + REF["ex06_one_hot"]),
                          but(ex06="zero"), "time limit", note="imports os"),
        "deleted_test_cell": Case(drop_cell(fill_answers(released(), answers(ex02_standardize=wrong("ex02_standardize"))), "ex02_standardize_tests"), but(ex02="zero"), "CheckFailed"),
        "edited_test_cell": Case(edit_cell(fill_answers(released(), answers(ex03_images_to_chw=wrong("ex03_images_to_chw"))), "ex03_images_to_chw_tests", 'print("ex03_images_to_chw: checks passed")'),
                                 but(ex03="zero"), "CheckFailed"),
        "patched_allclose": Case(answers(ex04_class_means=wrong("ex04_class_means") + "\nimport numpy as np, torch\ntorch.allclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\ntorch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)"),
                                 but(ex04="zero"), OWN_CHECK, note="assigns to torch.allclose", shows=("ex04_class_means: checks passed",)),
        "patch_evading_policy": Case(answers(ex01_row_normalize=wrong("ex01_row_normalize") + "\nfor _m in [torch]:\n    _m.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)"),
                                     but(ex01="zero"), OWN_CHECK, shows=("ex01_row_normalize: checks passed",)),
        "input_transformer": Case(answers(ex05_accuracy=wrong("ex05_accuracy") + "\nget_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'] if any('check' in l for l in lines) else lines)"),
                                  but(ex05="zero"), OWN_CHECK, note="input_transformers_cleanup"),
        "ast_transformer": Case(answers(ex02_standardize=wrong("ex02_standardize") + "\nimport ast\nclass _T(ast.NodeTransformer):\n    def visit_Call(self, node):\n        return ast.Constant(None)\nget_ipython().ast_transformers.append(_T())"),
                                rest_zero(1), note="ast_transformers"),
        "import_hook": Case(answers(ex06_one_hot=wrong("ex06_one_hot") + "\nimport builtins\n_imp = builtins.__import__\nbuiltins.__import__ = lambda *a, **k: _imp(*a, **k)"), but(ex06="zero"), "CheckFailed", note="imports builtins"),
        "sys_modules": Case(answers(ex07_to_tensor=wrong("ex07_to_tensor") + "\nimport sys, types\nsys.modules['dlcourse.checks'] = types.SimpleNamespace()"), but(ex07="zero"), "CheckFailed", note="imports sys"),
        "read_solutions": Case(answers(ex07_to_tensor=REF["ex07_to_tensor"] + f"\ntry:\n    print('LEAK', open({str(source_notebook(LAB))!r}).read()[:50])\nexcept OSError as e:\n    print('no access:', e)"),
                               full(), note="uses open", shows=("no access",), hides=("LEAK",)),
        "write_gradebook": Case(answers(ex07_to_tensor=REF["ex07_to_tensor"] + f"\nfor _gb in {gradebooks!r}:\n    try:\n        open(_gb, 'wb').write(b'gone')\n        print('WROTE')\n    except OSError as e:\n        print('no access:', e)"),
                                full(), note="uses open", shows=("no access",), hides=("WROTE",)),
        "write_other_student": Case(answers(ex07_to_tensor=REF["ex07_to_tensor"] + f"\ntry:\n    open({str(ada)!r}, 'w').write('{{}}')\n    print('WROTE')\nexcept OSError as e:\n    print('no access:', e)"),
                                    full(), note="uses open", shows=("no access",), hides=("WROTE",)),
        "fake_success": Case(answers(ex02_standardize=wrong("ex02_standardize").replace("    _r =", "    print('ex02_standardize: checks passed')\n    _r =", 1)), but(ex02="zero"), "CheckFailed"),
        "network": Case(answers(ex07_to_tensor=REF["ex07_to_tensor"] + "\nimport socket\ntry:\n    socket.create_connection(('pypi.org', 443), timeout=3)\n    print('NETWORK REACHED')\nexcept OSError as e:\n    print('no network:', e)"),
                        full(), note="imports socket", shows=("no network",), hides=("NETWORK REACHED",)),
        "input_call": Case(answers(ex03_images_to_chw=REF["ex03_images_to_chw"].replace('"""\n', '"""\n    input("continue? ")\n', 1)), but(ex03="zero"), "input() is not available"),
        "giant_output": Case(answers(ex01_row_normalize="print('x' * 100_000_000)\n" + REF["ex01_row_normalize"]), full()),
        "segfault": Case(answers(ex05_accuracy="import ctypes\nctypes.string_at(0)\n" + REF["ex05_accuracy"]), rest_zero(4), "SIGSEGV", note="imports ctypes"),
        "broken_json": Case('{"cells": [', zero(), "not valid notebook JSON"),
        "wrong_name": Case(answers(), zero(), "missing notebook"),
        # -- 1. scores forged from the student's process, with no answer written: 0 everywhere -----------------
        "forge_result_pipe": Case(unanswered(ex01_row_normalize=released_answer("ex01_row_normalize") + "\n" + H.forge_pipe()), zero(), OWN_CHECK, every=OWN_CHECK),
        "forge_via_builtins": Case(unanswered(ex01_row_normalize=released_answer("ex01_row_normalize") + "\n" + H.SILENCE_CHECKS), zero(), OWN_CHECK, every=OWN_CHECK),
        "patch_probe_code": Case({**{e: wrong(e) for e in EX}, "ex01_row_normalize": wrong("ex01_row_normalize") + "\n" + H.PATCH_CHECKS + H.PATCH_PROBES},
                                 zero(), OWN_CHECK, every=OWN_CHECK, shows=("answer_probes", "ex07_to_tensor: checks passed")),
        # -- 2. reference outputs / hidden tests in the sandbox: nothing to find ----------------------------------
        "leak_gc_scan": Case(notebook(end=H.gc_scan()), full(), shows=("SCAN DONE",), hides=("LEAK", "SCAN FAILED")),
        "leak_mem_scan": Case(notebook(end=H.mem_scan()), full(), shows=("SCAN DONE",), hides=("LEAK", "SCAN FAILED")),
        # -- 3. code the static check cannot read, each with a wrong answer: that exercise 0, the rest full -------
        "exec_base64": Case(answers(ex02_standardize=wrong("ex02_standardize") + "\n" + H.exec_base64()), but(ex02="zero"), OWN_CHECK, shows=("ex02_standardize: checks passed",)),
        "exec_rot13": Case(answers(ex03_images_to_chw=wrong("ex03_images_to_chw") + "\n" + H.exec_rot13()), but(ex03="zero"), OWN_CHECK, shows=("ex03_images_to_chw: checks passed",)),
        "pickle_torch": Case(answers(ex04_class_means=wrong("ex04_class_means") + "\n" + H.pickle_torch()), but(ex04="zero"), OWN_CHECK, shows=("ex04_class_means: checks passed",)),
        "pickle_computed": Case(answers(ex06_one_hot=wrong("ex06_one_hot") + "\n" + H.pickle_computed()), but(ex06="zero"), OWN_CHECK, shows=("ex06_one_hot: checks passed",)),
        # -- 4. the zygote: no reference answer in the memory every kernel is forked from, no access to it --------
        "zygote_heap_scan": Case(notebook(unanswered(), end=H.mem_scan(reference_only_lines()) + H.gc_scan(reference_only_lines())), zero(), "not attempted",
                                 shows=("SCAN DONE",), hides=("LEAK", "SCAN FAILED")),
        "zygote_proc": Case(notebook(end=H.ZYGOTE_PROC), full(), shows=("'mem': 'denied", "'environ': 'denied", "'ptrace': 'denied"), hides=("LEAK",)),
        # -- 5. symbolic links: refused ------------------------------------------------------------------------------
        "link_to_solution": Case(link(lambda subs: (f"{LAB}/{LAB}.ipynb", source_notebook(LAB))), zero(), "symbolic link", every="symbolic link"),
        "link_to_classmate": Case(link(lambda subs: (f"{LAB}/{LAB}.ipynb", subs / "ada" / LAB / f"{LAB}.ipynb")), zero(), "symbolic link", every="symbolic link"),
        "link_lab_folder": Case(link(lambda subs: (LAB, subs / "ada" / LAB)), zero(), "symbolic link", every="symbolic link"),
        # -- 6. /tmp, /dev/shm and SysV IPC shared between students (names sort so that --workers 1 runs them in this order)
        "aa_planter": Case(notebook(end=H.PLANT_CHANNELS + H.PLANT_FILES), full(), shows=("PLANTED CHANNELS", "TMP FULL")),
        "ab_colluder": Case(notebook(end=H.COLLUDE), full(), shows=("NOTHING LEFT",), hides=("LEAK",)),
        "ac_planter_ipc": Case(notebook(end=H.PLANT_IPC), full(), shows=("PLANTED IPC", "TMP FULL")),
        "ad_victim": Case(answers(), full()),
        # -- 7. limits -----------------------------------------------------------------------------------------------
        "two_hogs": Case(answers(ex05_accuracy=H.hogs(2) + REF["ex05_accuracy"]), {e: "full" for e in EX if e != "ex05_accuracy"}),  # ex05: test_memory_limit_is_for_the_whole_sandbox
        "four_hogs": Case(answers(ex05_accuracy=H.hogs(4) + REF["ex05_accuracy"]), but(ex05="zero"), "out of memory", shows=("died on the way",), hides=("HELD", "died on the way: 0")),
        "huge_frames": Case(answers(ex05_accuracy=REF["ex05_accuracy"] + "\n" + H.HUGE_FRAMES), rest_zero(4), "does not accept"),
        "hang_on_probes": Case(answers(ex04_class_means=REF["ex04_class_means"].replace('    """\n', '    """\n    if tuple(X.shape) != (5, 3):\n        while True:\n            pass\n', 1)),
                               but(ex04="zero"), "time limit", shows=("ex04_class_means: checks passed",)),
        "huge_notebook": Case(big, zero(), "over the grader's 16 MB limit", every="16 MB"),
        # -- 8. feedback pages, folder names, forged partial credit --------------------------------------------------
        "xss_feedback": Case(notebook(answers(ex07_to_tensor=REF["ex07_to_tensor"] + "\n" + H.XSS_OUTPUT), markdown=H.XSS_MARKDOWN), full()),
        "bad name": Case(answers(), {}, graded=False),
        "bad\nname": Case(answers(), {}, graded=False),
        "forged_partial_credit": Case(unanswered(ex01_row_normalize=released_answer("ex01_row_normalize") + "\n" + H.forge_pipe(partial_credit=True)), zero(), OWN_CHECK, every=OWN_CHECK),
    }


HONEST = ["ada", "pat_partial", "giant_output", "ab_colluder", "ad_victim"]
CASES = cases(Path("/s"))
GRADED = [n for n, c in CASES.items() if c.graded]


def write_submission(subs: Path, name: str, case: Case) -> None:
    content = case.content
    if callable(content):
        content(subs / name)
        return
    folder = subs / name / LAB
    folder.mkdir(parents=True)
    target = folder / ("Untitled.ipynb" if name == "wrong_name" else f"{LAB}.ipynb")
    if isinstance(content, str):
        target.write_text(content)
    else:
        nb = content if isinstance(content, nbformat.NotebookNode) else fill_answers(released(), content)
        nbformat.write(nb, target)


def grade(subs: Path, out: Path, *extra) -> tuple[dict, str, float]:
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", LAB, str(subs), "--out", str(out), "--timeout", "10", "--memory", "1.5", *extra],
                         cwd=ROOT, capture_output=True, text=True, timeout=RUN_LIMIT)
    took = time.monotonic() - start
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with open(out / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    table = {}
    for r in rows:
        table.setdefault(r["student"], {})[r["grade_id"].removesuffix("_tests")] = r
    return table, run.stdout, took


def executed(out: Path, who: str):
    path = out / ".nbgrader" / "grader" / "runs" / who / f"{LAB}.ipynb"
    return nbformat.read(path, as_version=4) if path.is_file() else None


def printed(nb) -> str:
    """Everything the executed notebook shows as output (not its source)."""
    parts = []
    for c in nb.cells if nb is not None else []:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            parts.append(str(o.get("text", "")))
            parts.append(f"{o.get('ename', '')}: {o.get('evalue', '')}")
            parts += [str(v) for v in (o.get("data") or {}).values()]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    subs = tmp_path_factory.mktemp("hostile") / "submitted"
    all_cases = cases(subs)
    for name, case in all_cases.items():
        write_submission(subs, name, case)
    before = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    return {"subs": subs, "cases": all_cases, "before": before}


@pytest.fixture(scope="module", params=WORKERS, ids=[f"workers{w}" for w in WORKERS])
def corpus(request, submissions):
    subs = submissions["subs"]
    out = run_folder(subs, request.param)
    table, stdout, took = grade(subs, out, "--workers", str(request.param))
    print(f"\nhostile corpus, --workers {request.param}: {len(table)} submissions graded in {took:.0f}s")
    return {**submissions, "table": table, "out": out, "stdout": stdout, "seconds": took, "workers": request.param}


@pytest.fixture(scope="module")
def alone(submissions, tmp_path_factory):
    base = tmp_path_factory.mktemp("alone")
    for name in HONEST:
        write_submission(base / "subs", name, submissions["cases"][name])
    table, _, _ = grade(base / "subs", base / "out")
    return table


@needs_bwrap
@pytest.mark.parametrize("name", GRADED)
def test_case_graded_as_expected(corpus, name):
    case = corpus["cases"][name]
    rows = corpus["table"][name]
    for ex, verdict in case.expect.items():
        r = rows[ex]
        if verdict == "full":
            assert r["score"] == r["max_score"], f"{name}: {ex} should keep its points, got {r['score']}/{r['max_score']} ({r['reason']})"
        else:
            assert float(r["score"] or 0) == 0, f"{name}: {ex} should earn nothing, got {r['score']} — the attack worked"
            assert r["reason"], f"{name}: {ex} lost its points without a reason"
    lost = [rows[ex]["reason"] for ex in EX if rows[ex]["reason"]]
    if case.reason:
        assert case.reason in lost[0], f"{name}: the reason should mention {case.reason!r}, got: {lost[0]}"
    for why in lost if case.every else []:
        assert case.every in why, f"{name}: every lost point's reason should mention {case.every!r}, got: {why}"
    nb = executed(corpus["out"], name)
    shown = printed(nb)
    for marker in case.shows:
        assert marker in shown, f"{name}: the attack did not run as written ({marker!r} is not in its outputs):\n{shown[-2000:]}"
    for marker in case.hides:
        assert marker not in shown, f"{name}: {marker!r} in the executed notebook's outputs:\n{shown[-2000:]}"
    if case.note:
        notes = [line for line in shown.splitlines() if "[note from the grader]" in line]
        assert any(case.note in n for n in notes), f"{name}: a grader's note should mention {case.note!r}, got {notes}"


@needs_bwrap
def test_honest_submissions_graded_as_if_alone(corpus, alone):
    # the instructor is told which exercises the probes guard (all seven in lab 01)
    assert "probes cover 7 of 7 exercises" in corpus["stdout"]
    # and which devices answers are checked on (this suite pins DLCOURSE_DEVICES=cpu, which the sandbox keeps)
    on = re.search(r"probes cover 7 of 7 exercises; their inputs are on (.*)", corpus["stdout"])
    assert on and on.group(1) == os.environ["DLCOURSE_DEVICES"].replace(",", ", "), corpus["stdout"][:2000]
    for name in HONEST:
        assert alone[name] == corpus["table"][name], f"{name} was graded differently next to hostile submissions (--workers {corpus['workers']})"


@needs_bwrap
def test_files_and_gradebook_intact(corpus):
    assert corpus["before"] == {p: p.read_bytes() for p in corpus["subs"].rglob("*.ipynb")}, "a submission was modified"
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{corpus['out'] / '.nbgrader' / 'gradebook.db'}") as gb:
        assert gb.find_submission(LAB, "ada").score == 15
        assert gb.find_submission(LAB, "pat_partial").score == 6
        graded = {s.student.id for s in gb.find_assignment(LAB).submissions}
    assert {"ada", "pat_partial", "write_gradebook", "write_other_student"} <= graded
    for w in WORKERS:  # write_gradebook aims at every run's gradebook
        db = run_folder(corpus["subs"], w) / ".nbgrader" / "gradebook.db"
        if db.is_file():
            with Gradebook(f"sqlite:///{db}") as gb:
                assert gb.find_submission(LAB, "ada").score == 15
    assert (corpus["out"] / ".nbgrader" / "grader" / "runs" / "giant_output" / f"{LAB}.ipynb").stat().st_size < 3 * 2**20, "giant output must be cut"
    for name in GRADED:
        assert list((corpus["out"] / "feedback" / name / LAB).glob("*.html")), f"no feedback for {name}"
    assert set(corpus["table"]) == set(GRADED), "every valid student folder is graded, and only those"


@needs_bwrap
def test_invalid_folder_names_not_graded(corpus):
    for name, case in corpus["cases"].items():
        if not case.graded:
            assert name not in corpus["table"]
            line = next((ln for ln in corpus["stdout"].splitlines() if repr(name) in ln), "")
            assert line.startswith("not graded"), f"{name!r} should be reported as not graded:\n{corpus['stdout'][:2000]}"


@needs_bwrap
def test_feedback_pages_run_no_script(corpus):
    page = (corpus["out"] / "feedback" / "xss_feedback" / LAB / f"{LAB}.html").read_text(encoding="utf-8")
    assert "XSS-MARKER" in page and "XSS-OUTPUT" in page, "the student's markdown and output should be on the page (as text)"
    assert not re.search(r"<script", page, re.I), "a <script> element on the feedback page"
    handlers = re.findall(r"<[a-zA-Z][^>]*\son[a-z]+\s*=[^>]*>", page)
    assert not handlers, f"event handlers on the feedback page: {handlers[:3]}"
    assert not re.search(r"<[^>]+=\s*[\"']?\s*javascript:", page, re.I), "a javascript: URL on the feedback page"


@needs_bwrap
def test_forged_partial_credit_is_shown_not_scored(corpus):
    """A last-expression value in a test cell is nbgrader's partial credit: one the sandbox reports is shown
    (as display data), never scored."""
    nb = executed(corpus["out"], "forged_partial_credit")
    tests = [c for c in nb.cells if c.cell_type == "code" and nbg(c).get("grade") and not nbg(c).get("solution")]
    assert len(tests) == len(EX)
    for c in tests:
        assert not [o for o in c.outputs if o.output_type == "execute_result"], "an execute_result survived in a test cell"
        assert any(o.output_type == "display_data" and o.data.get("text/plain") == "15" for o in c.outputs), "the forged value should be shown"


@needs_bwrap
def test_run_time_bounded(corpus):
    """Hangs (in cells, under the probes only) and memory or output floods cost their own student, within
    the deadline: the whole run finishes well inside RUN_LIMIT."""
    assert corpus["seconds"] < RUN_LIMIT


@needs_bwrap
def test_memory_limit_is_for_the_whole_sandbox(corpus):
    row = corpus["table"]["two_hogs"]["ex05_accuracy"]
    assert "HELD 2 GiB" not in printed(executed(corpus["out"], "two_hogs")), "two children held 1 GiB each under --memory 1.5"
    assert float(row["score"] or 0) == 0


@needs_bwrap
def test_nothing_passes_from_one_student_to_the_next(corpus):
    if corpus["workers"] != 1:
        pytest.skip("with --workers 1 the colluder runs right after the planter, in the same sandbox")
    if "PLANTED CHANNELS mq key" not in printed(executed(corpus["out"], "aa_planter")):
        pytest.skip("this kernel has no POSIX message queues or keyrings for the planter to use")
    shown = printed(executed(corpus["out"], "ab_colluder"))
    assert "NO CHANNEL" in shown, shown[-800:]


@needs_bwrap
def test_resume_does_not_regrade(corpus, tmp_path):
    if corpus["workers"] != 2:
        pytest.skip("once is enough")
    out = tmp_path / "out"
    shutil.copytree(corpus["out"], out)
    before = (out / "grades.csv").read_text()
    _, stdout, _ = grade(corpus["subs"], out)
    assert "submission(s) already graded, 0 to go" in stdout  # (refused submissions are checked again, cheaply)
    assert (out / "grades.csv").read_text() == before


def test_policy_never_flags_honest_code():
    from autograder.grading.plan import Plan
    from autograder.sandbox.policy import check_cell
    from exercises import mutants as M

    flagged = []
    for lab in lab_names():
        plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
        for gid, src in solution_answers(lab).items():
            flagged += [f"{lab} {gid} (reference): {v}" for v in check_cell(src, plan.protected)]
        for m in M.load(lab):
            flagged += [f"{lab} {m.id}: {v}" for v in check_cell(M.answer_source(lab, m), plan.protected)]
    assert not flagged, "the tampering check flags honest answers:\n" + "\n".join(flagged[:20])


@pytest.fixture(scope="module")
def stock(submissions, tmp_path_factory):
    """Stock nbgrader's scores for the correct and partial submissions."""
    from autograder.grading.gradebook import stock_autograde

    names = ["ada", "pat_partial", "raise_systemexit"]
    scores, _ = stock_autograde(LAB, submissions["subs"], names, tmp_path_factory.mktemp("stock") / "course")
    return {(name, ex): scores[name][f"{ex}_tests"] for name in names for ex in EX}


@needs_bwrap
def test_scores_match_stock_nbgrader(corpus, stock):
    """Correct and partial submissions: the sandboxed grader gives exactly what stock nbgrader gives."""
    for (name, ex), score in stock.items():
        assert float(corpus["table"][name][ex]["score"]) == score, f"{name} {ex}: ours {corpus['table'][name][ex]['score']}, stock {score}"
