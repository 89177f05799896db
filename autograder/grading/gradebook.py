"""The nbgrader side of a grading run: a course folder in ``OUT/.nbgrader`` with the lab generated from its
source, each student's executed notebook recorded with stock ``nbgrader autograde`` (its execution step
replaced by :class:`autograder.grading.replay.ReplayExecute`), and the per-cell rows read back from the
gradebook, so ``nbgrader generate_feedback`` / ``export`` and formgrader work on the result.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..course import SOLUTIONS, course_config, quiet_nbgrader_env
from .inputs import digest_files
from .plan import Plan, nbg


class CourseFolder:
    """The scratch nbgrader course of one grading run (state in ``work``)."""

    def __init__(self, lab: str, work: Path, *, timeout: int, log_level: str = "WARNING", reveal_hidden_tests: bool = False):
        self.lab, self.work, self.timeout, self.log_level = lab, Path(work), timeout, log_level
        self.reveal_hidden_tests = reveal_hidden_tests
        self.state = self.work / "grader"

    def prepare(self) -> None:
        import warnings

        from nbgrader.apps import NbGraderAPI
        from sqlalchemy.exc import SAWarning

        warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader 0.9 + SQLAlchemy 2 noise
        quiet_nbgrader_env()
        source = SOLUTIONS / self.lab
        digest = digest_files({p.name: p.read_bytes() for p in source.glob("*.ipynb")})
        marker = self.state / "source.sha256"
        fresh = not (marker.is_file() and marker.read_text() == digest)
        if fresh:
            if self.work.exists():
                shutil.rmtree(self.work)
            (self.work / "source").mkdir(parents=True)
            shutil.copytree(source, self.work / "source" / self.lab, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        cfg = course_config(self.work)
        cfg.Application.log_level = self.log_level
        cfg.Execute.timeout = self.timeout
        cfg.ReplayExecute.runs_dir = str(self.state / "runs")
        cfg.HideHiddenTests.reveal = self.reveal_hidden_tests  # students' pages show hidden tests' code only if asked
        cfg.Autograde.autograde_preprocessors = ["autograder.grading.replay.ReplayExecute", "nbgrader.preprocessors.IgnorePattern",
                                                 "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
                                                 "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
                                                 "nbgrader.preprocessors.CheckCellMetadata"]
        self.cfg = cfg
        self.api = NbGraderAPI(config=cfg)
        if fresh:
            made = self.api.generate_assignment(self.lab, force=True)
            if not made["success"]:
                raise RuntimeError(f"could not prepare {self.lab}: {made['error']}")
            (self.state / "runs").mkdir(parents=True, exist_ok=True)
            marker.write_text(digest)
        self.notebooks = sorted(p.name for p in (self.work / "source" / self.lab).glob("*.ipynb"))
        self.plans = {nb: Plan.build(self.work / "source" / self.lab / nb, self.work / "release" / self.lab / nb) for nb in self.notebooks}

    def add_students(self, roster: list[dict]) -> None:
        from nbgrader.api import Gradebook

        with Gradebook(self.cfg.CourseDirectory.db_url) as gb:
            for row in roster:
                gb.update_or_create_student(row["id"], **{k: v for k, v in row.items() if k != "id" and v})

    def record(self, student: str, files: dict[str, bytes]) -> None:
        """Record a graded submission: the bytes the grader read (never re-read from the submissions folder)."""
        target = self.work / "submitted" / student / self.lab
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name, data in files.items():
            (target / name).write_bytes(data)
        made = self.api.autograde(self.lab, student, force=True, create=True)
        if not made["success"]:
            raise RuntimeError(f"nbgrader could not record {student}: {str(made.get('error'))[-500:]}")

    def graded_cells(self, nb: str) -> list[tuple[str, float]]:
        return [(nbg(c)["grade_id"], float(nbg(c).get("points", 0))) for c in self.plans[nb].source.cells if nbg(c).get("grade")]

    def scores(self, student: str) -> dict:
        from nbgrader.api import Gradebook, MissingEntry

        scores = {}
        with Gradebook(self.cfg.CourseDirectory.db_url) as gb:
            for nb in self.notebooks:
                for gid, _ in self.graded_cells(nb):
                    try:
                        scores[(nb, gid)] = gb.find_grade(gid, nb.removesuffix(".ipynb"), self.lab, student).score
                    except MissingEntry:
                        scores[(nb, gid)] = None
        return scores


def stock_autograde(lab: str, submitted: Path, students: list[str], work: Path) -> tuple[dict[str, dict[str, float]], float]:
    """Stock ``nbgrader autograde`` (unsandboxed, serial: for comparisons and the benchmark) of ``students``'
    folders ``submitted/<student>/<lab>/`` in a scratch course under ``work``: (student -> {grade_id: score},
    seconds the autograde steps took). A submission nbgrader could not grade at all gets {}."""
    import time
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)
    quiet_nbgrader_env()
    work = Path(work)
    shutil.copytree(SOLUTIONS / lab, work / "source" / lab, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    cfg = course_config(work)
    cfg.Application.log_level = "CRITICAL"
    api = NbGraderAPI(config=cfg)
    if not api.generate_assignment(lab, force=True)["success"]:
        raise RuntimeError(f"nbgrader could not generate {lab}")
    start = time.perf_counter()
    for student in students:
        shutil.copytree(Path(submitted) / student / lab, work / "submitted" / student / lab)
        api.autograde(lab, student, force=True, create=True)
    seconds = time.perf_counter() - start
    scores: dict[str, dict[str, float]] = {}
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        for student in students:
            try:
                sub = gb.find_submission(lab, student)
            except MissingEntry:
                scores[student] = {}
                continue
            scores[student] = {g.name: float(g.score or 0) for nb in sub.notebooks for g in nb.grades}
    return scores, seconds
