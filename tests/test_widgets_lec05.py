"""LogisticBoundaryExplorer (lecture 05): the sliders move the boundary, the loss and the accuracy."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.explorers.classification import LogisticBoundaryExplorer

X = np.array([[-2.0, 0.0], [-1.0, 1.0], [1.0, 0.0], [2.0, -1.0]])
y = np.array([0, 0, 1, 1])


def bce(w1, w2, b):
    z = torch.tensor(X @ [w1, w2] + b)
    return F.binary_cross_entropy_with_logits(z, torch.tensor(y, dtype=torch.float64)).item()


def test_sliders_set_loss_accuracy_and_labels():
    ex = LogisticBoundaryExplorer(X, y)
    s = ex.update(w1=2.0, w2=0.0, b=0.0)
    assert s["accuracy"] == 1.0 and s["y_hat"].tolist() == [0, 0, 1, 1]
    assert s["loss"] == pytest.approx(bce(2.0, 0.0, 0.0), rel=1e-12)
    assert "accuracy = 100.0%" in ex.axes[0].get_title() and "mistakes: 0" in ex.axes[1].get_title()
    flipped = ex.update(w1=-2.0, w2=0.0, b=0.0)
    assert flipped["accuracy"] == 0.0 and flipped["loss"] > s["loss"]
    assert flipped["loss"] == pytest.approx(bce(-2.0, 0.0, 0.0), rel=1e-12)
    shifted = ex.update(w1=2.0, w2=0.0, b=-3.0)  # boundary x1 = 1.5: only the last point is called 1
    assert shifted["y_hat"].tolist() == [0, 0, 0, 1] and shifted["accuracy"] == 0.75
    assert "mistakes: 1" in ex.axes[1].get_title()


def test_boundary_line_follows_the_weights():
    ex = LogisticBoundaryExplorer(X, y)
    s = ex.update(w1=1.0, w2=2.0, b=0.5)
    assert np.allclose(1.0 * s["line_x"] + 2.0 * s["line_y"] + 0.5, 0.0), "the drawn points must lie on w·x + b = 0"
    drawn = [ln for ln in ex.axes[0].lines if ln.get_label() == "w·x + b = 0"]
    assert len(drawn) == 1 and np.allclose(drawn[0].get_ydata(), s["line_y"])
    v = ex.update(w1=2.0, w2=0.0, b=-1.0)  # w2 = 0: vertical line at x1 = 0.5
    assert np.allclose(v["line_x"], 0.5)
    none = ex.update(w1=0.0, w2=0.0, b=1.0)  # no boundary: every point is called 1
    assert none["line_x"] is None and none["accuracy"] == 0.5
    assert none["loss"] == pytest.approx(np.log1p(np.exp(-1.0)) * 0.5 + np.log1p(np.exp(1.0)) * 0.5)
    assert not any(ln.get_label() == "w·x + b = 0" for ln in ex.axes[0].lines)


def test_stable_at_large_logits():
    ex = LogisticBoundaryExplorer(X * 100, y)
    s = ex.update(w1=-5.0, w2=0.0, b=0.0)  # |z| up to 1000, every point wrong
    assert np.isfinite(s["loss"]) and s["loss"] == pytest.approx(np.mean(np.abs(s["logits"])))


def test_widget_drives_update_and_bad_inputs_are_refused():
    ex = LogisticBoundaryExplorer(torch.tensor(X), torch.tensor(y), start=(2.0, 0.0, 0.0))
    box = ex.widget
    assert ex.state["accuracy"] == 1.0
    ex.controls["b"].value = -3.0
    assert ex.state["b"] == -3.0 and ex.state["accuracy"] == 0.75
    assert box.children[1] is ex.output
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        LogisticBoundaryExplorer(np.zeros((4, 3)), y)
    with pytest.raises(ValueError, match="same number"):
        LogisticBoundaryExplorer(X, y[:3])
    with pytest.raises(ValueError, match="0 or 1"):
        LogisticBoundaryExplorer(X, np.array([0, 1, 2, 1]))
