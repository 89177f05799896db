"""Every dlcourse import the notebooks write, and every name the old explorer modules had, still works,
without a single warning: students' saved notebooks run these lines in graded cells, where anything on
stderr zeroes the cell.

Each check runs in a fresh ``python -W error``, so nothing is imported before the line does. The modules
whose imports go through :mod:`dlcourse.explorers` get an interpreter each, where their first line is the
one that loads them (a circular import or a warning at import time shows there); the lines importing
from the rest of dlcourse share one more interpreter (a fresh one costs seconds: torch).
"""
import ast
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import dlcourse.explorers
from autograder.course import LABS, LECTURES, ROOT, SOLUTIONS

FIXTURES = ROOT / "tests" / "fixtures" / "saved_labs"
NOTEBOOKS = sorted([*LECTURES.glob("*.ipynb"), *SOLUTIONS.glob("*/*.ipynb"), *LABS.glob("*/*.ipynb"),
                    *FIXTURES.glob("*.ipynb")])

# The names the modules defined, or imported from dlcourse, before the explorers moved to dlcourse.explorers
# (and the third-party names they happened to import). All must stay importable from the same place.
OLD_NAMES = {
    "dlcourse.widgets": [
        "Explorer", "ReductionExplorer", "LineFitExplorer", "GradientDescentExplorer", "broadcast_table",
        "_parse_shape", "BroadcastExplorer", "BatchSizeExplorer", "LearningRateExplorer",
        "LogisticBoundaryExplorer", "SoftmaxExplorer", "WeightDecayExplorer", "_graph_sigmoid",
        "ComputationalGraphExplorer", "_graph_circle", "_graph_box", "XOR_X", "XOR_Y", "_sigmoid_np",
        "xor_net_training", "xor_net_forward", "XORTrainingExplorer",
        "figure", "plot_line_fit", "show_grid", "to_numpy", "Any", "np", "torch"],
    "dlcourse.conv_viz": ["PRESETS", "WEIGHTS", "PADDINGS", "apply_kernel", "KernelExplorer", "show_grid",
                          "to_numpy", "Explorer", "torch", "F"],
    "dlcourse.optim_viz": [
        "OPTIMIZERS", "Surface", "_ravine", "_ravine_grad", "_C", "_S", "_rotated_ravine",
        "_rotated_ravine_grad", "_rosenbrock", "_rosenbrock_grad", "SURFACES", "make_optimizer",
        "_autograd_gradient", "trajectory", "OptimizerRaceExplorer", "Explorer",
        "math", "dataclass", "field", "Callable", "np", "torch"],
    "dlcourse.arch_viz": ["conv_params", "receptive_field", "stack_vs_single", "bottleneck",
                          "ReceptiveFieldExplorer", "Explorer", "Sequence", "mpatches", "np"],
}


def _code_cells(path):
    for cell in json.loads(path.read_text()).get("cells", []):
        if cell.get("cell_type") == "code":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            yield "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())


def dlcourse_imports(source: str) -> list[str]:
    """The ``import dlcourse...`` and ``from dlcourse... import ...`` statements of a cell, one line each."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # a saved student cell that does not compile imports nothing
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "dlcourse":
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "dlcourse" for a in node.names):
            found.append(ast.unparse(node))
    return found


# the modules that import dlcourse.explorers (cnn: through its digits explorer)
ON_THEIR_OWN = {"dlcourse.widgets", "dlcourse.conv_viz", "dlcourse.optim_viz", "dlcourse.arch_viz", "dlcourse.cnn",
                "dlcourse.explorers"}
# the new homes, which notebooks will import from
NEW_LINES = ["from dlcourse.xor import XOR_X, XOR_Y, xor_net_forward, xor_net_training",
             "from dlcourse.numerics import logistic, mean_square, stable_bce",
             f"from dlcourse.explorers import {', '.join(dlcourse.explorers.__all__)}"]


def _entry(line: str) -> str:
    node = ast.parse(line).body[0]
    names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
    own = [n for n in names if n in ON_THEIR_OWN or n.startswith("dlcourse.explorers.")]
    return own[0] if own else "dlcourse (the other modules)"


def _groups() -> dict:
    lines = {line for nb in NOTEBOOKS for src in _code_cells(nb) for line in dlcourse_imports(src)}
    lines |= {f"from {module} import {', '.join(names)}" for module, names in OLD_NAMES.items()} | set(NEW_LINES)
    groups: dict = {}
    for line in sorted(lines):
        groups.setdefault(_entry(line), []).append(line)
    return groups


GROUPS = _groups()


def _run(lines):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-W", "error", "-c", "\n".join(lines)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_notebooks_import_what_we_check():
    every = {line for lines in GROUPS.values() for line in lines}
    assert "from dlcourse.widgets import xor_net_training" in every, "lab 09's setup cell (graded notebooks)"
    assert "from dlcourse.explorers.convolution import PRESETS, KernelExplorer, apply_kernel" in every  # lecture 11
    assert {"dlcourse.widgets", "dlcourse.cnn", "dlcourse.conv_viz", "dlcourse.arch_viz"} <= set(GROUPS)
    assert "from dlcourse.plots import figure" in GROUPS["dlcourse (the other modules)"]
    cell = "import os\nfrom dlcourse.train import (fit,\n    predict)\nimport dlcourse, dlcourse.checks"
    assert dlcourse_imports(cell) == ["from dlcourse.train import fit, predict", "import dlcourse, dlcourse.checks"]


def test_every_import_line_runs_in_a_fresh_interpreter_without_a_warning():
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(GROUPS, pool.map(_run, GROUPS.values())))
    failures = [f"{module} (lines: {GROUPS[module]}):\n{r.stderr.strip()[-1500:] or f'exit code {r.returncode}'}"
                for module, r in results.items() if r.returncode != 0 or r.stderr]
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("module", sorted(OLD_NAMES))
def test_old_explorer_modules_are_thin(module):
    """The old modules only re-export: every explorer is defined in dlcourse.explorers (or dlcourse.xor)."""
    import importlib

    mod = importlib.import_module(module)
    for name in OLD_NAMES[module]:
        obj = getattr(mod, name)
        home = getattr(obj, "__module__", None) or ""
        if home.startswith("dlcourse") and name != "Explorer":
            assert home != module, f"{module}.{name} is still defined there, not re-exported"
