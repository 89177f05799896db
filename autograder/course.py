"""Where things live, and the nbgrader configuration of the course."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .notebook import nbg

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS, LABS, LECTURES = ROOT / "solutions", ROOT / "labs", ROOT / "lectures"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"


class GradingError(RuntimeError):
    """Something the instructor must fix before grading can start (a missing folder, a bad roster, no
    cluster); ``python -m autograder`` turns it into exit status 2 with the message."""


def lab_names() -> list[str]:
    """Every lab, by folder name (``lab01_tensors`` …), in course order."""
    return sorted(p.name for p in SOLUTIONS.glob("lab*") if (p / f"{p.name}.ipynb").is_file())


def resolve_lab(name: str) -> str:
    """Accept ``lab01_tensors``, ``lab01`` or ``01``; raise a helpful error otherwise."""
    labs = lab_names()
    if name in labs:
        return name
    key = name if name.startswith("lab") else f"lab{name}"
    hits = [lab for lab in labs if lab.startswith(key + "_") or lab == key]
    if len(hits) == 1:
        return hits[0]
    raise SystemExit(f"unknown lab {name!r}; the course has: {', '.join(labs)}")


def source_notebook(lab: str) -> Path:
    return SOLUTIONS / lab / f"{lab}.ipynb"


def course_config(root: Path | None = None) -> Config:
    """The repository's nbgrader_config.py, re-rooted at ``root`` (a scratch course folder) if given."""
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    if root is not None:
        root = Path(root)
        cfg.CourseDirectory.root = str(root)
        cfg.CourseDirectory.source_directory = "source"
        cfg.CourseDirectory.release_directory = "release"
        cfg.CourseDirectory.submitted_directory = "submitted"
        cfg.CourseDirectory.autograded_directory = "autograded"
        cfg.CourseDirectory.feedback_directory = "feedback"
        cfg.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    return cfg


def strip_solution_markers(source: str) -> str:
    """The reference answer as a student would type it: the source cell without nbgrader's markers."""
    lines = [ln for ln in source.splitlines() if ln.strip() not in (SOLUTION_BEGIN, SOLUTION_END)]
    return "\n".join(lines)


def copy_notebook(nb) -> nbformat.NotebookNode:
    """A deep, independent copy of a notebook (any dict-like nbformat v4 notebook)."""
    return nbformat.from_dict(nbformat.reads(nbformat.writes(nbformat.from_dict(nb)), as_version=4))


def solution_answers(lab: str) -> dict[str, str]:
    """grade_id -> reference answer (markers stripped) for every answer cell of the lab's source."""
    nb = nbformat.read(source_notebook(lab), as_version=4)
    return {
        nbg(c)["grade_id"]: strip_solution_markers(c.source)
        for c in nb.cells
        if nbg(c).get("solution")
    }


def fill_answers(nb, answers: dict[str, str]):
    """A copy of the (student) notebook ``nb`` with the answer cells named in ``answers`` replaced."""
    nb = copy_notebook(nb)
    for cell in nb.cells:
        gid = nbg(cell).get("grade_id")
        if gid in answers and nbg(cell).get("solution"):
            cell.source = answers[gid]
    return nb


def quiet_nbgrader_env() -> None:
    """nbgrader shells out to alembic: make sure the venv's bin/ is on PATH."""
    bindir = str(Path(os.sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
