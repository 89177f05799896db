"""Every lecture executes headless, top to bottom, with no error and nothing on stderr; every number the
README or a lecture's prose quotes with a marker (``dlcourse.report.quotes``) is the one it records."""
import nbformat
import pytest

from autograder.course import LECTURES, ROOT, SOLUTIONS
from autograder.engine import run_notebook
from dlcourse.report import collect, quotes

# Numbers the course promises (README syllabus), recorded in the lectures with dlcourse.report.headline:
# name -> (least, most) acceptable value. Each is computed when the lecture runs, never typed by hand.
HEADLINES = {
    "lec07_training_practice": {"mnist_softmax_test_accuracy": (0.91, 1.0)},
    "lec09_xor": {"xor_single_unit_best_accuracy": (0.0, 0.75), "xor_two_layer_accuracy": (1.0, 1.0)},
    "lec10_deep_networks": {"mnist_mlp_test_accuracy": (0.98, 1.0)},
    "lec12_cnn_mnist": {"mnist_cnn_val_accuracy": (0.99, 1.0), "mnist_cnn_stop_epoch": (0.25, 2.99),
                        "mnist_cnn_test_accuracy": (0.985, 1.0)},
    "lec13_architectures": {"mnist_5to9_transfer_accuracy": (0.75, 1.0), "mnist_5to9_scratch_accuracy": (0.70, 1.0)},
}

LECTURE_FILES = sorted(LECTURES.glob("lec*.ipynb"))


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
    for where, q in found:
        assert q.notebook in sources, f"{where}: {q.text} is marked as recorded by {q.notebook}, which does not exist"
        code = "\n".join(c.source for c in nbformat.read(sources[q.notebook], as_version=4).cells if c.cell_type == "code")
        assert f'headline("{q.name}"' in code, (
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
@pytest.mark.parametrize("path", LECTURE_FILES, ids=[p.stem for p in LECTURE_FILES])
def test_lecture_executes_cleanly(path):
    nb = run_notebook(path, timeout=120, env={"DLCOURSE_DEVICES": "cpu"})
    assert not problems(nb), "\n".join(problems(nb))
    widgets = [o for c in nb.cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, f"{path.name} displays no widget: every lecture has at least one interactive explorer"
    found = collect(nb)
    for name, (least, most) in HEADLINES.get(path.stem, {}).items():
        assert name in found, f"{path.name} no longer records the headline number {name!r}"
        assert least <= found[name] <= most, f"{path.name}: {name} = {found[name]:.4f}, the course promises [{least}, {most}]"
    for q in quoted_in(path.stem):
        assert q.name in found, f"{q.text} is quoted as {path.stem}:{q.name}, which the run did not record"
        assert q.agrees(found[q.name]), f"{q.text} is quoted for {q.name} (±{q.tol:g}), the run recorded {found[q.name]:.6g}"
