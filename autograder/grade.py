"""Grade a class's submissions of one lab: sandboxed, parallel, tamper-resistant, resumable, nbgrader-compatible.

SUBMISSIONS holds nbgrader's submitted layout, ``<student>/<lab>/<notebook>.ipynb``; submissions are only
read. For every submission the grader (this process, trusted):

1. checks the files (valid notebook JSON, expected names) and rebuilds the notebook to run from the
   course's source: the student's answer cells and added cells, every test cell (hidden tests included)
   from the source — deleted or edited test cells are restored, as nbgrader's ``OverwriteCells`` does;
2. checks every cell the student wrote against :mod:`autograder.policy` (tampering constructs);
3. runs it in a sandbox worker (:mod:`autograder.sandbox`; N workers in parallel, each a pre-warmed zygote
   that forks per notebook, so ``import torch`` is paid once per worker) and scores each test cell with
   nbgrader's ``determine_grade``;
4. asks the student's functions for their results on the grader's probes and compares them here with the
   reference results (:mod:`autograder.probes`) — tests that passed in the notebook but whose function
   is wrong on the probes are scored 0 ("tampering suspected");
5. writes the executed notebook into nbgrader's gradebook with stock ``nbgrader autograde`` (its execution
   step replaced by these results), so ``nbgrader generate_feedback`` / ``export`` and formgrader work.

Results go to ``OUT/grades.csv`` (one row per graded cell, with the reason for every lost point) and
``OUT/feedback/<student>/<lab>/``. State lives in ``OUT/.nbgrader`` (a normal nbgrader course folder):
an interrupted run, started again with the same command, resumes — finished submissions are not run
again unless their files changed.
"""
from __future__ import annotations

import ast
import csv
import hashlib
import html
import json
import os
import queue
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import SOLUTIONS, copy_notebook, course_config, quiet_nbgrader_env, strip_solution_markers
from .engine import error_message
from .policy import check_cell, protected_names
from .probes import judge

CSV_COLUMNS = ["student", "assignment", "grade_id", "score", "max_score", "reason"]
STATE_VERSION = 1


@dataclass
class StudentResult:
    student: str
    rows: list[dict] = field(default_factory=list)
    reason: str = ""

    @property
    def score(self) -> float:
        return sum(float(r["score"] or 0) for r in self.rows)

    @property
    def max_score(self) -> float:
        return sum(float(r["max_score"]) for r in self.rows)


def check_submission(folder: Path, expected: list[str]) -> str:
    """Why this submission cannot be autograded ('' if it can)."""
    if not folder.is_dir():
        return f"no folder {folder.name}/ for this lab in the submission"
    present = sorted(p.name for p in folder.glob("*.ipynb"))
    for name in expected:
        path = folder / name
        if not path.is_file():
            found = ", ".join(present) or "no notebooks"
            return f"missing notebook {name} (found: {found}); submit the lab notebook under its original name"
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            nbformat.validate(nbformat.from_dict(data))
        except json.JSONDecodeError as err:
            return f"{name} is not valid notebook JSON ({err.msg} at line {err.lineno}); the file is damaged — re-download it from JupyterLab (File > Download) and resubmit"
        except UnicodeDecodeError:
            return f"{name} is not a text notebook file; resubmit the .ipynb saved by JupyterLab"
        except nbformat.ValidationError as err:
            return f"{name} is not a valid notebook ({err.message}); resubmit the .ipynb saved by JupyterLab"
    return ""


# --------------------------------------------------------------------------------------------- the plan
def _nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {}) if "metadata" in cell else {}


def _defined_functions(source: str) -> list[str]:
    try:
        tree = ast.parse(strip_solution_markers(source))
    except SyntaxError:
        return []
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]


@dataclass
class Plan:
    """What the grader knows about one lab notebook, from the source and the released version."""

    source: nbformat.NotebookNode
    release: nbformat.NotebookNode
    exercise_of: dict[str, str]  # test grade_id -> answer grade_id
    functions: dict[str, str]  # function name -> answer grade_id
    plain_sources: set[str]
    protected: set[str]

    @classmethod
    def build(cls, source_path: Path, release_path: Path) -> "Plan":
        source = nbformat.read(source_path, as_version=4)
        release = nbformat.read(release_path, as_version=4)
        exercise_of, functions, plain, tests, setup = {}, {}, set(), [], []
        current = ""
        for cell in source.cells:
            meta = _nbg(cell)
            if cell.cell_type != "code":
                continue
            if meta.get("solution"):
                current = meta["grade_id"]
                for name in _defined_functions(cell.source):
                    functions[name] = current
            elif meta.get("grade"):
                exercise_of[meta["grade_id"]] = current
                tests.append(cell.source)
            else:
                plain.add(cell.source.strip())
                setup.append(cell.source)
        return cls(source, release, exercise_of, functions, plain, protected_names(tests, setup))

    def assemble(self, student) -> tuple[nbformat.NotebookNode, dict[int, str]]:
        """The notebook to run and ``{cell index: 'answer <id>' | 'added'}`` for the cells the student wrote."""
        by_id = {_nbg(c)["grade_id"]: c for c in self.source.cells if _nbg(c).get("grade_id")}
        stubs = {_nbg(c)["grade_id"]: c for c in self.release.cells if _nbg(c).get("grade_id")}
        cells, seen = [], set()
        for cell in student.cells:
            gid = _nbg(cell).get("grade_id")
            if gid in by_id and gid not in seen:
                seen.add(gid)
                new = copy_cell(by_id[gid])
                if _nbg(by_id[gid]).get("solution"):
                    new.source = cell.source
                cells.append(new)
            else:
                new = copy_cell(cell)
                new.metadata.pop("nbgrader", None)
                cells.append(new)
        order = [_nbg(c).get("grade_id") for c in self.source.cells]
        for k, gid in enumerate(order):  # restore what the student deleted, after its predecessor
            if gid and gid not in seen:
                original = by_id[gid]
                new = copy_cell(stubs.get(gid, original) if _nbg(original).get("solution") else original)
                prev = next((order[j] for j in range(k - 1, -1, -1) if order[j] in seen), None)
                at = 0 if prev is None else 1 + next(i for i, c in enumerate(cells) if _nbg(c).get("grade_id") == prev)
                cells.insert(at, new)
                seen.add(gid)
        nb = copy_notebook(self.source)
        nb.cells = cells
        authored = {}
        for i, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            meta = _nbg(cell)
            if meta.get("solution"):
                authored[i] = f"answer {meta['grade_id']}"
            elif not meta and cell.source.strip() not in self.plain_sources:
                authored[i] = "added"
        return nb, authored


def copy_cell(cell):
    new = nbformat.from_dict(json.loads(json.dumps(cell)))
    if new.cell_type == "code":
        new.outputs, new.execution_count = [], None
    return new


def _job(nb, limits: dict, **extra) -> dict:
    cells = [{"index": i, "source": c.source} for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    return {"cells": cells, "limits": limits, **extra}


def _signal_reason(sig: int) -> str:
    """Say in a student's words why the process died of signal ``sig``."""
    import signal

    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
    if sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGABRT):
        return f"the kernel crashed ({name}: the code read memory it does not own, e.g. a bad stride or pointer)"
    if sig == signal.SIGXCPU:
        return f"the kernel was stopped for using too much CPU time ({name})"
    if sig == signal.SIGKILL:
        return f"the kernel was killed ({name}): most likely it ran out of memory"
    return f"the kernel was killed by {name}"


def _apply(nb, result: dict) -> None:
    """Put the sandbox's outputs into ``nb``; cells that never reported get an error saying why."""
    problem = result.get("problem") or ""
    if not problem and result.get("exit") not in (0, None):
        code = result["exit"]
        problem = (_signal_reason(-code) if code < 0
                   else f"the notebook's process exited with status {code} (sys.exit / os._exit in a cell?)")
    first_missing = True
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        got = result["cells"].get(i)
        if got is not None:
            outs = got.get("outputs") if isinstance(got.get("outputs"), list) else []
            cell.outputs = [nbformat.from_dict(o) for o in outs if isinstance(o, dict) and o.get("output_type") in ("stream", "error", "display_data", "execute_result")]
            cell.execution_count = got.get("execution_count") if isinstance(got.get("execution_count"), int) else None
        else:
            why = problem or "the notebook's process stopped"
            text = why if first_missing else f"not run: {why} in an earlier cell"
            ename = "CellTimeoutError" if result.get("timeout") else "DeadKernelError"
            cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=text, traceback=[])]
            first_missing = False
        try:
            nbformat.validate(nbformat.v4.new_notebook(cells=[cell]))
        except nbformat.ValidationError:
            cell.outputs = [nbformat.v4.new_output("error", ename="GraderError", evalue="the cell's output was malformed", traceback=[])]


def _flag(cell, reason: str) -> None:
    cell.outputs.append(nbformat.v4.new_output("error", ename="TamperingDetected", evalue=reason, traceback=[]))


# ------------------------------------------------------------------------------------------ the grader
class Grader:
    def __init__(self, lab: str, out: Path, *, timeout: int = 300, workers: int | None = None, isolate: bool = True,
                 memory: int = 4 * 2**30, resume: bool = True, log_level: str = "WARNING", progress=print,
                 roster: Path | None = None, scheduler: str | None = None):
        self.scheduler = scheduler
        self.lab, self.out, self.timeout, self.isolate, self.memory = lab, Path(out).resolve(), timeout, isolate, memory
        self.roster = read_roster(roster) if roster else []
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.progress = progress or (lambda *a: None)
        self.work = self.out / ".nbgrader"
        self.state = self.work / "grader"
        if not resume and self.work.exists():
            shutil.rmtree(self.work)
        self.log_level = log_level

    # -- course folder ---------------------------------------------------------------------------
    def prepare(self) -> None:
        import warnings

        from nbgrader.apps import NbGraderAPI
        from sqlalchemy.exc import SAWarning

        warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader 0.9 + SQLAlchemy 2 noise
        quiet_nbgrader_env()
        source = SOLUTIONS / self.lab
        digest = _digest(sorted(source.glob("*.ipynb")))
        marker = self.state / "source.sha256"
        if not (marker.is_file() and marker.read_text() == digest):
            if self.work.exists():
                shutil.rmtree(self.work)
            (self.work / "source").mkdir(parents=True)
            shutil.copytree(source, self.work / "source" / self.lab, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        cfg = course_config(self.work)
        cfg.Application.log_level = self.log_level
        cfg.Execute.timeout = self.timeout
        cfg.ReplayExecute.runs_dir = str(self.state / "runs")
        cfg.Autograde.autograde_preprocessors = ["autograder.replay.ReplayExecute", "nbgrader.preprocessors.IgnorePattern",
                                                 "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
                                                 "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
                                                 "nbgrader.preprocessors.CheckCellMetadata"]
        self.cfg = cfg
        self.api = NbGraderAPI(config=cfg)
        if not marker.is_file() or marker.read_text() != digest:
            made = self.api.generate_assignment(self.lab, force=True)
            if not made["success"]:
                raise RuntimeError(f"could not prepare {self.lab}: {made['error']}")
            (self.state / "runs").mkdir(parents=True, exist_ok=True)
            marker.write_text(digest)
        self.notebooks = sorted(p.name for p in (self.work / "source" / self.lab).glob("*.ipynb"))
        self.plans = {nb: Plan.build(self.work / "source" / self.lab / nb, self.work / "release" / self.lab / nb) for nb in self.notebooks}
        if self.roster:
            from nbgrader.api import Gradebook

            with Gradebook(self.cfg.CourseDirectory.db_url) as gb:
                for row in self.roster:
                    gb.update_or_create_student(row["id"], **{k: v for k, v in row.items() if k != "id" and v})
        seed_file = self.state / "seed"
        if not seed_file.is_file():
            seed_file.write_text(str(secrets.randbits(31)))
        self.seed = int(seed_file.read_text())

    def limits(self) -> dict:
        return {"cell_timeout": self.timeout, "memory": self.memory, "cpu": self.timeout * 4 + 60}

    def deadline(self, nb) -> float:
        n = sum(c.cell_type == "code" for c in nb.cells)
        return min(self.timeout * n, self.timeout * 4 + 120) + 30

    # -- reference probes ------------------------------------------------------------------------
    def reference(self, zygote) -> None:
        path = self.state / "reference.json"
        if path.is_file():
            self.probes = json.loads(path.read_text())
            return
        self.probes = {}
        for name, plan in self.plans.items():
            nb = copy_notebook(plan.source)
            job = _job(nb, self.limits(), record=True, seed=self.seed)
            for cell in job["cells"]:
                meta = _nbg(nb.cells[cell["index"]])
                if meta.get("solution"):
                    cell["wrap"] = _defined_functions(nb.cells[cell["index"]].source)
            result = zygote.run(job, deadline=self.deadline(nb) * 2)
            _apply(nb, result)
            from .engine import score_notebook

            lost = [f"{r.grade_id}: {r.message}" for r in score_notebook(nb) if not r.passed]
            if lost or result.get("problem"):
                raise RuntimeError(f"the reference solution of {self.lab} does not pass its own tests in the sandbox: {lost or result['problem']}")
            self.probes[name] = result.get("probes") or []
        path.write_text(json.dumps(self.probes))
        self.progress(self.probe_coverage())

    def probe_coverage(self) -> str:
        """One line for the instructor: which graded exercises the tamper probes cover."""
        graded = {ex for plan in self.plans.values() for ex in plan.exercise_of.values() if ex}
        covered = {plan.functions.get(p["name"]) for name, plan in self.plans.items() for p in self.probes.get(name, [])}
        missing = sorted(graded - covered)
        tail = f" (tests and the static check only: {', '.join(missing)})" if missing else ""
        return f"tamper probes cover {len(graded & covered)} of {len(graded)} exercises{tail}"

    # -- one submission --------------------------------------------------------------------------
    def run_one(self, zygote, student: str, folder: Path) -> dict:
        record = {"version": STATE_VERSION, "student": student, "hash": _digest(sorted(folder.glob("*.ipynb"))), "notebooks": {}}
        record["reason"] = check_submission(folder, self.notebooks)
        if record["reason"]:
            return record
        for name in self.notebooks:
            plan = self.plans[name]
            try:
                submitted = nbformat.read(folder / name, as_version=4)
                nb, authored = plan.assemble(submitted)
            except Exception as err:  # noqa: BLE001 - a malformed notebook must not stop the class
                record["reason"] = f"{name} could not be read as a lab notebook ({type(err).__name__}: {err})"
                return record
            violations = {}
            for i, what in authored.items():
                found = check_cell(nb.cells[i].source, plan.protected)
                if found:
                    violations[i] = (what, found)
            expected = self.probes.get(name, [])
            result = zygote.run(_job(nb, self.limits(), probes=expected), deadline=self.deadline(nb))
            if expected and result.get("probe_results") is None and result["cells"]:
                # the process died mid-notebook: probe what it had defined, re-running only the cells that finished
                done = _job(nb, self.limits(), probes=expected)
                done["cells"] = [c for c in done["cells"] if c["index"] in result["cells"]]
                again = zygote.run(done, deadline=self.deadline(nb))
                result["probe_results"] = again.get("probe_results")
            _apply(nb, result)
            self._verdicts(plan, nb, violations, result, self.probes.get(name, []))
            run_dir = self.state / "runs" / student
            run_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, run_dir / name)
            record["notebooks"][name] = {"problem": result.get("problem") or ""}
        return record

    def _verdicts(self, plan: Plan, nb, violations: dict, result: dict, expected: list) -> None:
        from nbgrader.utils import determine_grade

        tests = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and _nbg(c).get("grade") and not _nbg(c).get("solution")]
        for i, (what, found) in violations.items():  # tampering changes what every later cell does
            detail = "; ".join(str(v) for v in found[:3])
            where = f"answer cell {what.split(' ', 1)[1]}" if what.startswith("answer ") else f"a cell you added (cell {i + 1})"
            for j, cell in tests:
                if j > i:
                    _flag(cell, f"tampering detected in {where}: {detail}")
        wrong: dict[str, str] = {}
        probes = result.get("probe_results")
        if expected:
            if not isinstance(probes, list) or len(probes) != len(expected):
                probes = [{"error": "the notebook's process did not answer the grader's own checks"}] * len(expected)
            for probe, got in zip(expected, probes):
                why = judge(probe, got)
                gid = plan.functions.get(probe["name"])
                if why and gid and gid not in wrong:
                    wrong[gid] = why
        for _, cell in tests:
            gid = plan.exercise_of.get(_nbg(cell)["grade_id"])
            if gid in wrong:
                score, points = determine_grade(cell)
                if score and score > 0:
                    _flag(cell, f"tampering suspected: this exercise's tests reported success in the notebook, but {wrong[gid]}")

    # -- gradebook --------------------------------------------------------------------------------
    def to_gradebook(self, student: str, folder: Path) -> None:
        target = self.work / "submitted" / student / self.lab
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        made = self.api.autograde(self.lab, student, force=True, create=True)
        if not made["success"]:
            raise RuntimeError(f"nbgrader could not record {student}: {made.get('error')}")

    def rows(self, student: str, record: dict) -> StudentResult:
        from nbgrader.api import Gradebook, MissingEntry

        result = StudentResult(student, reason=record.get("reason", ""))
        scores = {}
        if not result.reason:
            with Gradebook(self.cfg.CourseDirectory.db_url) as gb:
                for nb in self.notebooks:
                    for gid, _ in self._graded(nb):
                        try:
                            scores[(nb, gid)] = gb.find_grade(gid, nb.removesuffix(".ipynb"), self.lab, student).score
                        except MissingEntry:
                            scores[(nb, gid)] = None
        for nb in self.notebooks:
            why = {} if result.reason else cell_reasons(self.state / "runs" / student / nb)
            for gid, points in self._graded(nb):
                score = 0.0 if result.reason else scores.get((nb, gid))
                lost = score is not None and score < points
                reason = result.reason or (why.get(gid, "partial credit") if lost else "")
                result.rows.append({"student": student, "assignment": self.lab, "grade_id": gid,
                                    "score": "" if score is None else f"{score:g}", "max_score": f"{points:g}", "reason": reason})
        return result

    def _graded(self, nb: str) -> list[tuple[str, float]]:
        return [(_nbg(c)["grade_id"], float(_nbg(c).get("points", 0))) for c in self.plans[nb].source.cells if _nbg(c).get("grade")]

    # -- the run ------------------------------------------------------------------------------------
    def grade(self, submissions: Path) -> list[StudentResult]:
        from .sandbox import Zygote

        submissions = Path(submissions)
        if not submissions.is_dir():
            raise SystemExit(f"submissions folder {submissions} does not exist")
        self.prepare()
        students = sorted(p.name for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
        records: dict[str, dict] = {}
        for row in self.roster:  # on the roster, nothing handed in
            if row["id"] not in students:
                records[row["id"]] = {"student": row["id"], "reason": "no submission from this student"}
        absent = sorted(records)
        todo = []
        for student in students:
            folder = submissions / student / self.lab
            saved = self.state / f"{student}.json"
            if saved.is_file():
                try:
                    old = json.loads(saved.read_text())
                except json.JSONDecodeError:
                    old = {}
                if old.get("version") == STATE_VERSION and old.get("hash") == _digest(sorted(folder.glob("*.ipynb"))) and old.get("recorded"):
                    records[student] = old
                    continue
            todo.append(student)
        if len(todo) < len(students):
            self.progress(f"resuming: {len(students) - len(todo)} submission(s) already graded, {len(todo)} to go")
        logs = self.state / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        client = None
        if self.scheduler:  # the notebooks run on a Dask cluster; everything else stays here
            from .cluster import DaskSlot, connect, course_version

            client, slots = connect(self.scheduler)
            version = course_version()
            zygotes = [DaskSlot(client, isolate=self.isolate, version=version) for _ in range(max(1, min(slots, len(todo))))]
        else:
            zygotes = [Zygote(k, isolate=self.isolate, log=logs / f"worker{k}.log") for k in range(min(self.workers, max(1, len(todo))))]
        try:
            if todo or not (self.state / "reference.json").is_file():
                self.reference(zygotes[0])
            jobs: queue.Queue = queue.Queue()
            for student in todo:
                jobs.put(student)
            done: queue.Queue = queue.Queue()

            def work(z):
                while True:
                    try:
                        student = jobs.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        rec = self.run_one(z, student, submissions / student / self.lab)
                    except Exception as err:  # noqa: BLE001 - one submission never stops the class
                        rec = {"version": STATE_VERSION, "student": student, "reason": f"the grader failed on this submission ({type(err).__name__}: {err})",
                               "hash": _digest(sorted((submissions / student / self.lab).glob("*.ipynb"))), "notebooks": {}}
                    done.put(rec)

            threads = [threading.Thread(target=work, args=(z,), daemon=True) for z in zygotes]
            for t in threads:
                t.start()
            for n in range(len(todo)):  # gradebook writes happen here, one at a time
                rec = done.get()
                student = rec["student"]
                if not rec.get("reason"):
                    try:
                        self.to_gradebook(student, submissions / student / self.lab)
                    except Exception as err:  # noqa: BLE001
                        rec["reason"] = str(err)
                rec["recorded"] = True
                _write_json(self.state / f"{student}.json", rec)
                records[student] = rec
                self.progress(f"[{n + 1}/{len(todo)}] {student}")
            for t in threads:
                t.join()
        finally:
            for z in zygotes:
                z.stop()
            if client is not None:
                client.close()
        results = [self.rows(s, records[s]) for s in sorted(students + absent)]
        _write_csv(self.out / "grades.csv", results)
        self.feedback(results, fresh=set(todo))
        return results

    def _generate_feedback(self, students: list[str]) -> None:
        """nbgrader's feedback pages (nbconvert HTML, about 0.2 s a student): in ``workers`` forked processes,
        each taking every k-th student. Only reads the gradebook, so the processes need no lock."""
        k = min(self.workers, len(students))
        if k <= 1 or not hasattr(os, "fork"):
            _feedback_part(self.api, self.lab, students)
            return
        import multiprocessing

        ctx = multiprocessing.get_context("fork")  # the pages need this process's nbgrader set-up, not a fresh import
        procs = [ctx.Process(target=_feedback_part, args=(self.api, self.lab, students[i::k]), daemon=True) for i in range(k)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        for i, proc in enumerate(procs):
            if proc.exitcode != 0:  # a part that died is redone here, where its error shows
                _feedback_part(self.api, self.lab, students[i::k])

    def feedback(self, results: list[StudentResult], fresh: set[str]) -> None:
        dest = self.out / "feedback"
        graded = [r.student for r in results if not r.reason and (r.student in fresh or not (dest / r.student / self.lab).is_dir())]
        self._generate_feedback(graded)
        for r in results:
            target = dest / r.student / self.lab
            source = self.work / "feedback" / r.student / self.lab
            if r.student not in fresh and target.is_dir():
                continue
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            if not r.reason and source.is_dir() and list(source.glob("*.html")):
                for page in source.glob("*.html"):
                    shutil.copy2(page, target / page.name)
                _append_reasons(target, r)
            else:
                _fallback_feedback(target, self.lab, r)


def _feedback_part(api, lab: str, students: list[str]) -> None:
    for student in students:
        api.generate_feedback(lab, student, force=True)


def read_roster(path: Path) -> list[dict]:
    """The class roster: a CSV with an ``id`` column (the student's folder name) and optionally
    ``first_name``, ``last_name``, ``email`` — the format of ``nbgrader db student import``."""
    path = Path(path)
    if not path.is_file():
        raise SystemExit(f"roster {path} does not exist")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or "id" not in rows[0]:
        raise SystemExit(f"roster {path} needs a header line with an 'id' column (and optionally first_name,last_name,email)")
    keep = ("id", "first_name", "last_name", "email")
    return [{k: (r.get(k) or "").strip() for k in keep} for r in rows if (r.get("id") or "").strip()]


def cell_reasons(nb_path: Path) -> dict[str, str]:
    """grade_id -> why that graded cell lost points, read from an executed notebook.

    An error earlier in the same exercise (say, an answer cell that timed out) is named first, since the
    test cell's own error (a NameError) is only its consequence. Tampering verdicts come first of all.
    """
    reasons, earlier = {}, ""
    if not nb_path.is_file():
        return reasons
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        tamper = [o for o in cell.get("outputs", []) if o.get("output_type") == "error" and o.get("ename") == "TamperingDetected"]
        message = tamper[0]["evalue"] if tamper else error_message(cell)
        if meta.get("grade"):
            if message:
                reasons[meta["grade_id"]] = f"{earlier} -> then: {message}" if earlier and earlier != message and not tamper else message
            earlier = ""
        elif message:
            earlier = message
    return reasons


def _digest(paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def _write_csv(path: Path, results: list[StudentResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in results:
            writer.writerows(r.rows)
    os.replace(tmp, path)


def _reason_table(r: StudentResult) -> str:
    rows = "".join(f"<tr><td>{html.escape(x['grade_id'])}</td><td>{x['score'] or 0}</td><td>{x['max_score']}</td>"
                   f"<td>{html.escape(x['reason'])}</td></tr>" for x in r.rows)
    return f"<table border=1><tr><th>test</th><th>score</th><th>of</th><th>why points were lost</th></tr>{rows}</table>"


def _append_reasons(target: Path, r: StudentResult) -> None:
    lost = [x for x in r.rows if x["reason"]]
    if not lost:
        return
    for page in target.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        block = f"<section id='lost-points' style='margin:1em'><h2>Where points were lost</h2>{_reason_table(r)}</section>"
        page.write_text(text.replace("<body>", "<body>" + block, 1) if "<body>" in text else block + text, encoding="utf-8")


def _fallback_feedback(target: Path, lab: str, r: StudentResult) -> None:
    why = r.reason or "feedback could not be generated"
    (target / f"{lab}.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(lab)} — {html.escape(r.student)}</title>"
        f"<h1>{html.escape(lab)}: {r.score:g} / {r.max_score:g}</h1>"
        f"<p><strong>Your submission could not be graded:</strong> {html.escape(why)}</p>{_reason_table(r)}",
        encoding="utf-8",
    )


def grade(lab: str, submissions: Path, out: Path, **kwargs) -> list[StudentResult]:
    """Autograde every student folder in ``submissions`` for ``lab``; write grades.csv and feedback."""
    return Grader(lab, out, **kwargs).grade(submissions)
