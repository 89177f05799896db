"""The one HTML score table: the self-check's output in a notebook and the "Where points were lost" table of
a feedback page are the same table (a status, the test, its points, what went wrong, a total)."""
from __future__ import annotations

import html

SYMBOL = {"passed": "PASS", "failed": "FAIL", "not attempted": "TODO"}
COLOUR = {"passed": "#1a7f37", "failed": "#cf222e", "not attempted": "#9a6700"}


def status(score: float, points: float, message: str) -> str:
    """passed / failed / not attempted, from a graded cell's score and its message."""
    if points and score >= points:
        return "passed"
    return "not attempted" if message.startswith("not attempted") else "failed"


def score_table(rows, *, heading: str = "message", foot: str = "") -> str:
    """``rows``: (status, grade_id, score, points, message) per graded cell; a total row at the end."""
    rows = list(rows)
    body = "".join(
        f"<tr><td style='color:{COLOUR[st]};font-weight:bold'>{SYMBOL[st]}</td>"
        f"<td><code>{html.escape(gid)}</code></td><td>{score:g}/{points:g}</td>"
        f"<td style='text-align:left;white-space:pre-wrap'>{html.escape(message if st != 'passed' else '')}</td></tr>"
        for st, gid, score, points, message in rows)
    total, points = sum(r[2] for r in rows), sum(r[3] for r in rows)
    return (f"<table border=1><thead><tr><th></th><th>test</th><th>points</th><th style='text-align:left'>{html.escape(heading)}</th>"
            f"</tr></thead><tbody>{body}</tbody><tfoot><tr><td></td><td><b>total</b></td>"
            f"<td><b>{total:g}/{points:g}</b></td><td style='text-align:left'>{html.escape(foot)}</td></tr></tfoot></table>")
