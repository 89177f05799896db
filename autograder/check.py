"""Self-check for students: run a lab notebook headless and report each exercise."""
from __future__ import annotations

from pathlib import Path

from .engine import CellResult, run_notebook, score_notebook

SYMBOL = {"passed": "PASS", "failed": "FAIL", "not attempted": "TODO"}


def check(path: Path, *, timeout: int = 300) -> list[CellResult]:
    """Execute a copy of the notebook at ``path`` and score its graded cells (the file is not modified)."""
    return score_notebook(run_notebook(path, timeout=timeout))


def report(results: list[CellResult]) -> str:
    if not results:
        return "this notebook has no graded cells — is it a lab notebook?"
    width = max(len(r.grade_id) for r in results)
    lines = []
    for r in results:
        lines.append(f"{SYMBOL[r.status]:4}  {r.grade_id:<{width}}  {r.score:g}/{r.points:g}")
        if r.message and r.status != "passed":
            for k, ln in enumerate(r.message.splitlines()):
                lines.append(" " * (8 + width) + ("↳ " if k == 0 else "  ") + ln)
    total, points = sum(r.score for r in results), sum(r.points for r in results)
    counts = {s: sum(r.status == s for r in results) for s in SYMBOL}
    lines.append(f"\n{total:g}/{points:g} points — {counts['passed']} passed, {counts['failed']} failed, "
                 f"{counts['not attempted']} not attempted (visible tests only; hidden tests run at grading)")
    return "\n".join(lines)
