"""Every lecture executes headless, top to bottom, with no error and nothing on stderr."""
import pytest

from autograder.course import LECTURES
from autograder.engine import run_notebook
from dlcourse.report import collect

# Numbers the course promises (README syllabus), recorded in the lectures with dlcourse.report.headline:
# name -> (least, most) acceptable value. Each is computed when the lecture runs, never typed by hand.
HEADLINES = {
    "lec07_training_practice": {"mnist_softmax_test_accuracy": (0.91, 1.0)},
    "lec09_xor": {"xor_single_unit_best_accuracy": (0.0, 0.75), "xor_two_layer_accuracy": (1.0, 1.0)},
    "lec10_deep_networks": {"mnist_mlp_test_accuracy": (0.98, 1.0)},
    "lec12_cnn_mnist": {"mnist_cnn_test_accuracy": (0.99, 1.0)},
    "lec13_architectures": {"mnist_5to9_transfer_accuracy": (0.75, 1.0), "mnist_5to9_scratch_accuracy": (0.70, 1.0)},
}

LECTURE_FILES = sorted(LECTURES.glob("lec*.ipynb"))


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
