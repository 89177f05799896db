"""Grade a class's submissions of one lab with stock nbgrader, and never let one bad notebook stop the rest.

SUBMISSIONS holds nbgrader's submitted layout, ``<student>/<lab>/<notebook>.ipynb``. Grading happens in a
scratch course folder (``OUT/.nbgrader``, kept for ``nbgrader`` commands and inspection); results are
written to ``OUT/grades.csv`` (one row per graded cell) and ``OUT/feedback/<student>/<lab>/*.html``.
Submissions are only read, never modified.
"""
from __future__ import annotations

import csv
import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import SOLUTIONS, course_config, quiet_nbgrader_env
from .engine import error_message

CSV_COLUMNS = ["student", "assignment", "grade_id", "score", "max_score", "reason"]


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


def _graded_cells(nb_path: Path) -> list[tuple[str, float]]:
    nb = nbformat.read(nb_path, as_version=4)
    cells = []
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            cells.append((meta["grade_id"], float(meta.get("points", 0))))
    return cells


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


def cell_reasons(nb_path: Path) -> dict[str, str]:
    """grade_id -> why that graded cell lost points, read from an autograded notebook.

    An error earlier in the same exercise (say, an answer cell that timed out) is named first, since the
    test cell's own error (a NameError) is only its consequence.
    """
    reasons, earlier = {}, ""
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        message = error_message(cell)
        if meta.get("grade"):
            if message:
                reasons[meta["grade_id"]] = f"{earlier} -> then: {message}" if earlier and earlier != message else message
            earlier = ""
        elif message:
            earlier = message
    return reasons


def explain_failure(log: str, error: str, timeout: int) -> str:
    """A short reason for an autograde run that nbgrader reports as failed."""
    text = f"{log}\n{error}"
    if "DeadKernelError" in text or "Kernel died" in text or "kernel died" in text:
        return "the kernel crashed while running the notebook (os._exit, a segfault, or running out of memory); cells after the crash could not be graded"
    if "CellTimeoutError" in text or "TimeoutError" in text or re.search(r"[Tt]imeout", text):
        return f"a cell ran longer than the {timeout}s limit (an infinite loop?) and execution was stopped"
    last = [ln for ln in error.strip().splitlines() if ln.strip()]
    return "autograding failed: " + (last[-1] if last else "unknown error (see OUT/.nbgrader logs)")


def grade(lab: str, submissions: Path, out: Path, *, timeout: int = 300, log_level: str = "WARNING") -> list[StudentResult]:
    """Autograde every student folder in ``submissions`` for ``lab``; write grades.csv and feedback."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI
    from sqlalchemy.exc import SAWarning

    # nbgrader 0.9 with SQLAlchemy 2 warns about its own session handling; it is harmless noise here
    warnings.filterwarnings("ignore", category=SAWarning)
    quiet_nbgrader_env()
    submissions, out = Path(submissions), Path(out)
    if not submissions.is_dir():
        raise SystemExit(f"submissions folder {submissions} does not exist")
    work = out / ".nbgrader"
    if work.exists():
        shutil.rmtree(work)
    (work / "source").mkdir(parents=True)
    shutil.copytree(SOLUTIONS / lab, work / "source" / lab, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    cfg = course_config(work)
    cfg.Application.log_level = log_level
    cfg.ExecutePreprocessor.timeout = timeout
    cfg.Execute.timeout = timeout
    api = NbGraderAPI(config=cfg)
    made = api.generate_assignment(lab, force=True)
    if not made["success"]:
        raise RuntimeError(f"could not prepare {lab}: {made['error']}")
    notebooks = sorted(p.name for p in (work / "source" / lab).glob("*.ipynb"))
    cells = {nb: _graded_cells(work / "source" / lab / nb) for nb in notebooks}

    results = []
    students = sorted(p.name for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    for student in students:
        result = StudentResult(student)
        folder = submissions / student / lab
        result.reason = check_submission(folder, notebooks)
        if not result.reason:
            target = work / "submitted" / student / lab
            shutil.copytree(folder, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            run = api.autograde(lab, student, force=True, create=True)
            if not run["success"]:
                result.reason = explain_failure(run.get("log") or "", run.get("error") or "", timeout)
        scores, why = {}, {}
        if not result.reason:
            for nb in notebooks:
                graded = work / "autograded" / student / lab / nb
                if graded.is_file():
                    why[nb] = cell_reasons(graded)
            with Gradebook(cfg.CourseDirectory.db_url) as gb:
                for nb in notebooks:
                    for gid, _ in cells[nb]:
                        try:
                            g = gb.find_grade(gid, nb.removesuffix(".ipynb"), lab, student)
                            scores[(nb, gid)] = g.score
                        except MissingEntry:
                            scores[(nb, gid)] = None
        for nb in notebooks:
            for gid, points in cells[nb]:
                score = 0.0 if result.reason else scores.get((nb, gid))
                lost = score is not None and score < points
                reason = result.reason or (why.get(nb, {}).get(gid, "partial credit") if lost else "")
                result.rows.append({"student": student, "assignment": lab, "grade_id": gid,
                                    "score": "" if score is None else f"{score:g}", "max_score": f"{points:g}",
                                    "reason": reason})
        results.append(result)

    _write_csv(out / "grades.csv", results)
    _write_feedback(api, lab, work, out / "feedback", results)
    return results


def _write_csv(path: Path, results: list[StudentResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in results:
            writer.writerows(r.rows)


def _write_feedback(api, lab: str, work: Path, dest: Path, results: list[StudentResult]) -> None:
    for r in results:
        target = dest / r.student / lab
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        made = None if r.reason else api.generate_feedback(lab, r.student, force=True)
        source = work / "feedback" / r.student / lab
        if made and made["success"] and source.is_dir():
            for page in source.glob("*.html"):
                shutil.copy2(page, target / page.name)
        else:
            why = r.reason or "feedback could not be generated"
            rows = "".join(f"<tr><td>{html.escape(x['grade_id'])}</td><td>{x['score'] or 0}</td><td>{x['max_score']}</td></tr>" for x in r.rows)
            (target / f"{lab}.html").write_text(
                f"<!doctype html><meta charset='utf-8'><title>{html.escape(lab)} — {html.escape(r.student)}</title>"
                f"<h1>{html.escape(lab)}: {r.score:g} / {r.max_score:g}</h1>"
                f"<p><strong>Your submission could not be graded:</strong> {html.escape(why)}</p>"
                f"<table border=1><tr><th>test</th><th>score</th><th>of</th></tr>{rows}</table>",
                encoding="utf-8",
            )
