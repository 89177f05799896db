"""Headline numbers: a lecture that quotes a result records it, and the test suite checks it.

``headline("mnist_softmax_test_accuracy", acc)`` prints the value and attaches it to the cell's output
(MIME type ``application/vnd.dlcourse.headline+json``), so ``tests/test_lectures.py`` can assert it
against the threshold the course promises (e.g. at least 0.91), with no number typed by hand.

Prose that quotes a recorded number says which one, in an HTML comment right after it (invisible in
Jupyter and on GitHub), with the tolerance it is quoted to::

    the test accuracy is 99.06%<!-- lec12_cnn_mnist:mnist_cnn_test_accuracy ±0.3 -->

:func:`quotes` finds them; the suite compares each with the value the notebook recorded when it ran (a
percentage is compared in percentage points, anything else in its own units).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

MIME = "application/vnd.dlcourse.headline+json"


def headline(name: str, value: float, fmt: str = "{:.2%}") -> float:
    """Show ``name: value`` and record it for the tests; returns ``value`` as a float."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"headline {name!r} is not a finite number: {value}")
    text = f"{name}: {fmt.format(value)}"
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover
        print(text)
        return value
    if get_ipython() is None:
        print(text)
    else:
        display({"text/plain": text, MIME: {"name": name, "value": value}}, raw=True)
    return value


def collect(nb) -> dict[str, float]:
    """Every headline number recorded in an executed notebook."""
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIME in data:
                found[data[MIME]["name"]] = float(data[MIME]["value"])
    return found


_QUOTE = re.compile(r"(?P<number>-?\d[\d,]*(?:\.\d+)?)(?P<percent>\s*%)?(?P<after>[^<\n\d]{0,12}?)"
                    r"<!--\s*(?P<notebook>\w+):(?P<name>\w+)\s*(?:±|\+-)\s*(?P<tol>\d+(?:\.\d+)?)\s*-->")


@dataclass(frozen=True)
class Quote:
    text: str  # the number as written, e.g. "99.06%"
    value: float  # what it says, as recorded values are stored (a percentage / 100)
    notebook: str  # the stem of the notebook that records it, e.g. "lec12_cnn_mnist"
    name: str  # the headline's name
    tol: float  # how far the recorded value may be, in the quote's units (percentage points for a percentage)
    percent: bool

    def agrees(self, recorded: float) -> bool:
        shown = recorded * 100 if self.percent else recorded
        return abs(shown - (self.value * 100 if self.percent else self.value)) <= self.tol + 1e-9


def quotes(text: str) -> list[Quote]:
    """Every marked number in ``text`` (Markdown), in order."""
    out = []
    for m in _QUOTE.finditer(text):
        number = float(m["number"].replace(",", ""))
        percent = bool(m["percent"])
        out.append(Quote(m["number"] + ("%" if percent else ""), number / 100 if percent else number, m["notebook"],
                         m["name"], float(m["tol"]), percent))
    return out


def disagreements(marked: list[Quote], found: dict[str, float], where: str) -> list[str]:
    """A sentence for every quote in ``marked`` whose headline is missing from ``found`` (what a run recorded)
    or differs from it by more than the quote's tolerance; ``where`` names the text that quotes it."""
    out = []
    for q in marked:
        if q.name not in found:
            out.append(f"{where} quotes {q.text} as {q.notebook}:{q.name}, which the run did not record")
        elif not q.agrees(found[q.name]):
            out.append(f"{where} quotes {q.text} for {q.name} (±{q.tol:g}), the run recorded {found[q.name]:.6g}")
    return out
