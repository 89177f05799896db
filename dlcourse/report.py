"""Headline numbers: a lecture that quotes a result records it, and the test suite checks it.

``headline("mnist_softmax_test_accuracy", acc)`` prints the value and attaches it to the cell's output
(MIME type ``application/vnd.dlcourse.headline+json``), so ``tests/test_lectures.py`` can assert it
against the threshold the course promises (e.g. at least 0.91), with no number typed by hand.
"""
from __future__ import annotations

import math

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
