"""The test set decides nothing: no notebook, benchmark or helper trains, stops or selects on test data.

Every training call that can make a choice from the data it is shown (``fit`` / ``train_cnn`` with a
validation set: the stopping point, the evaluations a lecture plots and picks from) is found in every
lecture, lab source, benchmark and library file, and its validation arguments are traced back through the
assignments before it: none may come from ``load_mnist("test")``. Lectures pass ``load_mnist("val")`` (or a
split they make of the training data) and score the test set once, afterwards.
"""
from __future__ import annotations

import ast

import nbformat
import pytest

from autograder.course import LECTURES, ROOT, SOLUTIONS
from autograder.notebook import python_source

CHOOSERS = {"fit", "train_cnn"}  # training loops that evaluate, and may stop on, the data passed as validation
VALIDATION_ARGS = {"X_val", "y_val"}


def _is_test_load(node: ast.AST) -> bool:
    """``load_mnist("test", ...)`` (or ``split="test"``) anywhere inside ``node``."""
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if name != "load_mnist":
            continue
        args = [a for a in call.args[:1]] + [k.value for k in call.keywords if k.arg == "split"]
        if any(isinstance(a, ast.Constant) and a.value == "test" for a in args):
            return True
    return False


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _targets(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _pairs(target: ast.AST, value: ast.AST) -> list[tuple[list[str], ast.AST]]:
    """Target names and the part of the value each gets: tuples element by element, and
    ``a, b = (f(x) for x in (A, B))`` as ``a <- A``, ``b <- B``."""
    if isinstance(target, (ast.Tuple, ast.List)):
        items = None
        if isinstance(value, (ast.Tuple, ast.List)):
            items = value.elts
        elif isinstance(value, (ast.GeneratorExp, ast.ListComp)) and len(value.generators) == 1 \
                and isinstance(value.generators[0].iter, (ast.Tuple, ast.List)):
            items = value.generators[0].iter.elts
        if items is not None and len(items) == len(target.elts):
            return [p for t, v in zip(target.elts, items) for p in _pairs(t, v)]
    return [(_targets(target), value)]


def violations(code: str, where: str, tainted: set[str]) -> list[str]:
    """Calls in ``code`` that pass test data as validation data; ``tainted`` (names holding test data) grows."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for node in _in_order(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                for names, value in _pairs(target, node.value):
                    dirty = _is_test_load(value) or bool(_names(value) & tainted)
                    tainted.update(names) if dirty else tainted.difference_update(names)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in CHOOSERS:
                for kw in node.keywords:
                    if kw.arg in VALIDATION_ARGS and (_is_test_load(kw.value) or _names(kw.value) & tainted):
                        found.append(f"{where}: {name}(..., {kw.arg}={ast.unparse(kw.value)}) validates on test data (line {node.lineno})")
    return found


def _in_order(tree: ast.AST):
    """Statements and calls in source order (assignments before the calls that follow them)."""
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.Call))]
    return sorted(nodes, key=lambda n: (n.lineno, n.col_offset))


def sources() -> list[tuple[str, list[str]]]:
    """(name, code units in order): each notebook's code cells, each Python file of bench/, dlcourse/, autograder/."""
    out = []
    for nb_path in sorted(LECTURES.glob("lec*.ipynb")) + sorted(SOLUTIONS.glob("lab*/*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        out.append((nb_path.relative_to(ROOT).as_posix(), [python_source(c.source) for c in nb.cells if c.cell_type == "code"]))
    for folder in ("bench", "dlcourse", "autograder"):  # (tests/fixtures record behaviour; they choose nothing)
        for py in sorted((ROOT / folder).rglob("*.py")):
            out.append((py.relative_to(ROOT).as_posix(), [py.read_text(encoding="utf-8")]))
    return out


def test_the_checker_sees_test_data_passed_as_validation():
    assert violations('X_t, y_t = load_mnist("test")\nfit(m, l, o, X, y, X_val=X_t, y_val=y_t)', "demo", set())
    assert violations('X_t, y_t = load_mnist("test")\nX_t = normalize_mnist(X_t).to(device)\ntrain_cnn(m, X, y, X_val=X_t)', "demo", set())
    assert violations('X_a, X_t = (f(X) for X in (X_a, X_t))', "demo", set()) == []
    tainted: set = set()
    violations('X_v, X_t = (normalize_mnist(X) for X in (load_mnist("val")[0], load_mnist("test")[0]))', "demo", tainted)
    assert tainted == {"X_t"}, tainted
    assert not violations('X_v, y_v = load_mnist("val")\ntrain_cnn(m, X, y, X_val=X_v, y_val=y_v)', "demo", set())


@pytest.mark.parametrize("name,cells", sources(), ids=[n for n, _ in sources()])
def test_no_training_call_validates_on_test_data(name, cells):
    tainted: set[str] = set()
    found = [v for k, code in enumerate(cells) for v in violations(code, f"{name} cell {k}", tainted)]
    assert not found, "\n".join(found)
