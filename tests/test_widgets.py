"""Widget explorers: their update functions compute and draw what the controls ask for."""
import numpy as np
import pytest
import torch

from dlcourse.explorers.regression import LineFitExplorer
from dlcourse.explorers.tensors import ReductionExplorer


def test_reduction_explorer_follows_axis_and_op():
    T = torch.arange(6.0).reshape(2, 3)
    ex = ReductionExplorer(T)
    s = ex.update(dim=0, op="sum")
    assert torch.equal(s["result"], T.sum(dim=0))
    assert s["groups"].tolist() == [[0, 1, 2], [0, 1, 2]]
    s = ex.update(dim=1, op="mean")
    assert torch.equal(s["result"], T.mean(dim=1)) and s["groups"].tolist() == [[0, 0, 0], [1, 1, 1]]
    assert torch.equal(ex.update(dim=1, op="argmax")["result"], torch.tensor([2, 2]))
    assert torch.equal(ex.update(dim=None, op="max")["result"], torch.tensor(5.0))
    titles = [ax.get_title() for ax in ex.axes]
    assert "T.max()" in titles[1]
    with pytest.raises(ValueError, match="2-D tensor"):
        ReductionExplorer(torch.zeros(3))


def test_reduction_explorer_widget_drives_update():
    ex = ReductionExplorer(torch.arange(6.0).reshape(2, 3))
    box = ex.widget
    ex.controls["dim"].value = 1
    assert torch.equal(ex.state["result"], torch.tensor([3.0, 12.0]))
    assert box.children[1] is ex.output


def test_line_fit_explorer_redraws_line_and_cost():
    x = np.arange(5.0)
    y = 2 * x + 1
    ex = LineFitExplorer(x, y)
    s = ex.update(W=2.0, b=1.0)
    assert s["cost"] == 0.0 and np.allclose(s["line_y"], [1.0, 9.0])
    s = ex.update(W=1.0, b=0.0)
    assert s["cost"] == pytest.approx(np.mean((x + 1) ** 2))
    line = ex.axes[0].lines[0]
    assert np.allclose(line.get_ydata(), [0.0, 4.0]), "the drawn line must follow the sliders"
    ex.widget
    ex.controls["W"].value = 0.5
    assert ex.state["cost"] == pytest.approx(np.mean((0.5 * x + ex.controls["b"].value - y) ** 2))
    with pytest.raises(ValueError, match="same length"):
        LineFitExplorer(x, y[:3])


def test_gradient_descent_explorer_converges_or_diverges_with_lr():
    from dlcourse.explorers.regression import GradientDescentExplorer

    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    y = 3 * x + 1 + 0.1 * rng.normal(size=50)
    ex = GradientDescentExplorer(x, y, lr_range=(1e-3, 2.0))
    W_ls, b_ls = np.polyfit(x, y, 1)
    assert ex.W_best == pytest.approx(W_ls) and ex.b_best == pytest.approx(b_ls)
    s = ex.update(lr=0.3, steps=100)
    assert len(s["W"]) == 101 and not s["diverged"]
    assert s["W"][-1] == pytest.approx(W_ls, abs=1e-6) and s["costs"][-1] == pytest.approx(s["best_cost"])
    # one hand-computed step from (0, 0)
    one = ex.update(lr=0.1, steps=1)
    assert one["W"][1] == pytest.approx(0.1 * 2 * np.mean(y * x)) and one["b"][1] == pytest.approx(0.1 * 2 * np.mean(y))
    big = ex.update(lr=2.0, steps=50)
    assert big["diverged"] and len(big["W"]) < 51
    ex.widget
    ex.controls["steps"].value = 3
    assert len(ex.state["W"]) == 4
