"""Every lecture executes headless, top to bottom, with no error and nothing on stderr; every number the
README or a lecture's prose quotes with a marker (``dlcourse.report.quotes``) is the one it records; and a
lecture that makes a choice (a threshold, a stopping point) makes the same one when its test labels are
shuffled."""
import ast
import math
from functools import lru_cache

import nbformat
import pytest

from autograder.course import LECTURES, ROOT, SOLUTIONS
from autograder.engine import KernelSession
from autograder.notebook import python_source
from dlcourse.report import collect, disagreements, quotes
from tests.conftest import device_param, keep_recorded

# Numbers the course promises (README syllabus), recorded in the lectures with dlcourse.report.headline:
# name -> (least, most) acceptable value. Each is computed when the lecture runs, never typed by hand.
HEADLINES = {
    "lec05_logistic_regression": {"breast_cancer_test_accuracy": (0.95, 1.0), "breast_cancer_val_threshold": (0.5, 0.95)},
    "lec08_backpropagation": {"backprop_vs_autograd_digits": (12, 17), "iris_two_layer_test_accuracy": (0.9, 1.0)},
    "lec07_training_practice": {"mnist_softmax_test_accuracy": (0.91, 1.0)},
    "lec09_xor": {"xor_single_unit_best_accuracy": (0.0, 0.75), "xor_two_layer_accuracy": (1.0, 1.0)},
    "lec10_deep_networks": {"mnist_mlp_test_accuracy": (0.975, 1.0), "mnist_mlp_val_accuracy": (0.975, 1.0),
                            "sigmoid_grad_last_over_first": (1e4, 1e7), "relu_grad_last_over_first": (0.1, 10)},
    "lec12_cnn_mnist": {"mnist_cnn_val_accuracy": (0.99, 1.0), "mnist_cnn_stop_epoch": (0.25, 2.99),
                        "mnist_cnn_test_accuracy": (0.985, 1.0)},
    "lec13_architectures": {"mnist_5to9_transfer_mean": (0.8, 1.0), "mnist_5to9_scratch_mean": (0.75, 1.0),
                            # "even random convolutions give useful features": far above the 20% of guessing
                            "mnist_5to9_random_mean": (0.5, 1.0)},
}

LECTURE_FILES = sorted(LECTURES.glob("lec*.ipynb"))

# Lectures that choose something from data (a threshold, a stopping point, an epoch), and the variables
# that hold their test labels. The lecture runs a second time with those labels shuffled (one permutation
# for all, so copies such as ``yte = y_test_mnist.to(device)`` stay aligned): every number it records must
# come out identical, except the test-set numbers (headlines named ``*test*``), and those must move.
TEST_LABELS = {
    "lec05_logistic_regression": ("y_test",),
    "lec07_training_practice": ("y_test", "y_test_mnist", "yte"),
    "lec12_cnn_mnist": ("y_test",),
}
PERMUTATION_SEED = 20261201


def _assigned(cell) -> set[str]:
    """Names a code cell assigns at its top level (plain and tuple targets)."""
    try:
        tree = ast.parse(python_source(cell.source))
    except SyntaxError:
        return set()
    found = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            found |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return found


def with_shuffled_test_labels(nb, names):
    """A copy of ``nb`` with a cell after each first assignment of a name in ``names`` that shuffles it, up to
    the last cell that records a headline."""
    nb = nbformat.from_dict(nb)
    todo, cells = list(names), []
    for cell in nb.cells:
        cells.append(cell)
        here = [n for n in todo if cell.cell_type == "code" and n in _assigned(cell)]
        if here:
            todo = [n for n in todo if n not in here]
            cells.append(nbformat.v4.new_code_cell(
                "import torch as _torch\n"
                f"for _name in {here!r}:\n"
                "    _labels = globals()[_name]\n"
                f"    _order = _torch.randperm(len(_labels), generator=_torch.Generator().manual_seed({PERMUTATION_SEED}))\n"
                "    globals()[_name] = (_labels[_order.to(_labels.device)] if isinstance(_labels, _torch.Tensor)\n"
                "                        else _labels[_order.numpy()])\n"
                "del _torch, _name, _labels, _order"))
    assert not todo, f"no code cell assigns {todo}: update TEST_LABELS"
    last = max(i for i, c in enumerate(cells) if c.cell_type == "code" and "headline(" in c.source)
    nb.cells = cells[:last + 1]  # what follows records nothing (the normal run checks it)
    return nb


def executed(stem: str, shuffled: bool = False, device: str = "cpu"):
    """``stem`` executed top to bottom (once per pytest worker), its test labels shuffled or not, with
    ``device`` as the one ``pick_device()`` returns (the CPU unless asked: the quoted numbers are the CPU's)."""
    return _executed(stem, bool(shuffled), device)


@lru_cache(maxsize=None)
def _executed(stem: str, shuffled: bool, device: str):
    nb = nbformat.read(LECTURES / f"{stem}.ipynb", as_version=4)
    if shuffled:
        nb = with_shuffled_test_labels(nb, TEST_LABELS[stem])
    env = {"DLCOURSE_DEVICES": "cpu" if device == "cpu" else f"cpu,{device}", "DLCOURSE_DEVICE": device}
    with KernelSession(LECTURES, timeout=120, env=env) as session:
        return session.run(nb, reset=False)


def _param(path):
    """A lecture as a test parameter; one that is also run shuffled shares a worker with that run."""
    marks = [pytest.mark.xdist_group(path.stem)] if path.stem in TEST_LABELS else []
    return pytest.param(path, id=path.stem, marks=marks)


def quoted_in(notebook: str) -> list:
    """The marked quotes of ``notebook``'s numbers: in the README and in the notebook's own Markdown."""
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    path = LECTURES / f"{notebook}.ipynb"
    if path.is_file():
        texts += [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
    return [q for t in texts for q in quotes(t) if q.notebook == notebook]


def test_every_quote_names_a_number_its_notebook_records():
    sources = {p.stem: p for p in LECTURE_FILES} | {p.stem: p for p in SOLUTIONS.glob("lab*/*.ipynb")}
    texts = [("README.md", (ROOT / "README.md").read_text(encoding="utf-8"))]
    texts += [(p.name, c.source) for p in LECTURE_FILES for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown"]
    found = [(where, q) for where, t in texts for q in quotes(t)]
    assert any(q.notebook == "lec12_cnn_mnist" for _, q in found), "the README quotes lecture 12's numbers with markers"
    code = {}  # notebook -> its code cells, read once
    for where, q in found:
        assert q.notebook in sources, f"{where}: {q.text} is marked as recorded by {q.notebook}, which does not exist"
        if q.notebook not in code:
            code[q.notebook] = "\n".join(c.source for c in nbformat.read(sources[q.notebook], as_version=4).cells
                                         if c.cell_type == "code")
        assert f'headline("{q.name}"' in code[q.notebook], (
            f"{where}: {q.text} is marked as {q.notebook}:{q.name}, which that notebook never records")


def problems(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"cell {i}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                found.append(f"cell {i} wrote to stderr: {''.join(out.text).strip()[:300]}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", [_param(p) for p in LECTURE_FILES])
def test_lecture_executes_cleanly(path):
    found = check_lecture(path, "cpu")
    keep_recorded(path.stem, found)


def check_lecture(path, device: str) -> dict:
    """Run ``path`` with ``device`` picked: clean, with a widget, every promised and quoted number in range."""
    nb = executed(path.stem, device=device)
    assert not problems(nb), f"{path.name} on {device}:\n" + "\n".join(problems(nb))
    widgets = [o for c in nb.cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, f"{path.name} displays no widget: every lecture has at least one interactive explorer"
    found = collect(nb)
    for name, (least, most) in HEADLINES.get(path.stem, {}).items():
        assert name in found, f"{path.name} no longer records the headline number {name!r}"
        assert least <= found[name] <= most, f"{path.name} on {device}: {name} = {found[name]:.4f}, the course promises [{least}, {most}]"
    wrong = disagreements(quoted_in(path.stem), found, f"the README or {path.name} (run on {device})")
    assert not wrong, "\n".join(wrong)
    return found


@pytest.mark.slow
@pytest.mark.gpu
@pytest.mark.parametrize("device", [device_param("cuda")])
@pytest.mark.parametrize("path", LECTURE_FILES, ids=[p.stem for p in LECTURE_FILES])
def test_lecture_on_accelerator(path, device):
    """Every lecture picks its device with ``pick_device()``: on a CUDA machine each runs again on cuda, cleanly,
    and every number it quotes still falls within its stated tolerance there (cuDNN and cuBLAS round
    differently from the CPU, and some of their kernels are not deterministic)."""
    check_lecture(path, device)


@pytest.mark.slow
@pytest.mark.parametrize("path", [_param(LECTURES / f"{stem}.ipynb") for stem in sorted(TEST_LABELS)])
def test_shuffled_test_labels_change_no_choice(path):
    """Every choice a lecture makes (and every number it records that is not a test-set score) comes out the
    same when its test labels are shuffled: the test set decides nothing."""
    normal, shuffled = collect(executed(path.stem)), executed(path.stem, shuffled=True)
    assert not problems(shuffled), "\n".join(problems(shuffled))
    shuffled = collect(shuffled)
    assert set(shuffled) == set(normal), f"the shuffled run recorded {sorted(shuffled)}, the normal one {sorted(normal)}"
    chosen = {name for name in normal if "test" not in name}
    assert chosen, f"{path.name} records no choice or validation number to compare"
    # identical up to the last bits a LAPACK call may round differently from one kernel to the next
    changed = [f"{name}: {normal[name]!r} -> {shuffled[name]!r}" for name in sorted(chosen)
               if not math.isclose(shuffled[name], normal[name], rel_tol=1e-9, abs_tol=1e-12)]
    assert not changed, f"{path.name} decides differently when its test labels are shuffled:\n" + "\n".join(changed)
    moved = [name for name in normal if "test" in name and abs(shuffled[name] - normal[name]) > 0.05]
    assert moved, (f"{path.name}: no test-set score moved with the labels shuffled, so the shuffle did not reach "
                   f"them: check TEST_LABELS ({TEST_LABELS[path.stem]})")
