"""Students' feedback pages: nbgrader's feedback HTML (generated in forked processes), headed by a "Where
points were lost" table and the grader's notes, and sanitised (no script a student's output or markdown
could plant runs when the page is opened). Students whose submission could not be graded get a page that
says why.
"""
from __future__ import annotations

import html
import re
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..scoretable import score_table, status
from .feedback_html import sanitize_feedback_html


@dataclass
class StudentResult:
    student: str
    rows: list[dict] = field(default_factory=list)
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(float(r["score"] or 0) for r in self.rows)

    @property
    def max_score(self) -> float:
        return sum(float(r["max_score"]) for r in self.rows)


def _part(api, lab: str, students: list[str]) -> None:
    for student in students:
        api.generate_feedback(lab, student, force=True)


def generate(api, lab: str, students: list[str], workers: int) -> None:
    """nbgrader's feedback pages (about 0.2 s a student) in ``workers`` forked processes, every k-th student
    each. They only read the gradebook, so they need no lock; a part that died is redone here."""
    k = min(workers, len(students))
    if k <= 1 or not hasattr(os, "fork"):
        _part(api, lab, students)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")  # the pages need this process's nbgrader set-up, not a fresh import
    procs = [ctx.Process(target=_part, args=(api, lab, students[i::k]), daemon=True) for i in range(k)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    for i, proc in enumerate(procs):
        if proc.exitcode != 0:
            _part(api, lab, students[i::k])


def publish(results: list[StudentResult], lab: str, made: Path, dest: Path, fresh: set[str]) -> None:
    """Copy nbgrader's pages from ``made`` to ``dest/<student>/<lab>/``, sanitised and headed by the reasons."""
    for r in results:
        target = dest / r.student / lab
        source = made / r.student / lab
        if r.student not in fresh and target.is_dir():
            continue
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        pages = list(source.glob("*.html")) if not r.reason and source.is_dir() else []
        if pages:
            for page in pages:
                text = sanitize_feedback_html(page.read_text(encoding="utf-8"))
                block = _header(r)
                if block:
                    at = re.search(r"<body[^>]*>", text)
                    text = text[:at.end()] + block + text[at.end():] if at else block + text
                (target / page.name).write_text(text, encoding="utf-8")
        else:
            _fallback(target, lab, r)


def reason_table(r: StudentResult) -> str:
    from .misconceptions import SAYS

    lead = SAYS.split("{")[0]  # " — this matches a known mistake: "

    def row(x):
        score, points, why = float(x["score"] or 0), float(x["max_score"]), x["reason"]
        shown = why.replace(lead, "\n\N{RIGHTWARDS ARROW} " + lead.lstrip(" —"), 1)  # the misconception on a line of its own
        return status(score, points, why), x["grade_id"], score, points, shown

    return score_table((row(x) for x in r.rows), heading="why points were lost")


def _header(r: StudentResult) -> str:
    parts = []
    if any(x["reason"] for x in r.rows):
        parts.append(f"<section id='lost-points' style='margin:1em'><h2>Where points were lost</h2>{reason_table(r)}</section>")
    if r.notes:
        items = "".join(f"<li>{html.escape(n)}</li>" for n in r.notes)
        parts.append(f"<section id='grader-notes' style='margin:1em'><h2>Notes from the grader (no points lost)</h2><ul>{items}</ul></section>")
    return "".join(parts)


def _fallback(target: Path, lab: str, r: StudentResult) -> None:
    why = r.reason or "feedback could not be generated"
    (target / f"{lab}.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(lab)} — {html.escape(r.student)}</title>"
        f"<h1>{html.escape(lab)}: {r.score:g} / {r.max_score:g}</h1>"
        f"<p><strong>Your submission could not be graded:</strong> {html.escape(why)}</p>{reason_table(r)}",
        encoding="utf-8",
    )
