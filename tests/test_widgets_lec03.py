"""Lecture 03's LearningRateExplorer: gradient descent on cost(W) = mean((W x - y)^2) for chosen learning rates."""
import numpy as np
import pytest

from dlcourse.explorers.regression import LearningRateExplorer

X_TOY = np.array([1.0, 2.0, 3.0])
Y_TOY = np.array([1.0, 2.0, 3.0])


def reference_path(x, y, W0, lr, steps):
    W, path = W0, [W0]
    for _ in range(steps):
        W = W - lr * 2 * np.mean((W * x - y) * x)
        path.append(W)
    return np.array(path)


def test_curvature_threshold_and_minimum_come_from_the_data():
    ex = LearningRateExplorer(X_TOY, Y_TOY, W0=5.0)
    assert ex.L == pytest.approx(28 / 3), "L = 2 mean(x^2) = 2 * 14/3"
    assert ex.lr_max == pytest.approx(3 / 14)
    assert ex.W_star == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50), rng.normal(size=50)
    other = LearningRateExplorer(x, y)
    assert other.lr_max == pytest.approx(1 / np.mean(x ** 2))
    assert other.W_star == pytest.approx(np.mean(x * y) / np.mean(x ** 2))


def test_small_lr_converges_monotonically():
    ex = LearningRateExplorer(X_TOY, Y_TOY, W0=5.0)
    s = ex.update(lr=0.05, steps=40, W0=5.0)
    assert s["regime"] == "converges"
    assert s["W"].shape == (41,) and s["W"][0] == 5.0
    assert np.allclose(s["W"], reference_path(X_TOY, Y_TOY, 5.0, 0.05, 40))
    assert np.all(np.diff(s["W"]) < 0), "from W0 = 5 > W* = 1 a small step walks down one side, never past W*"
    assert abs(s["W"][-1] - 1.0) < 1e-9
    assert np.all(np.diff(s["costs"]) <= 0) and s["costs"][-1] == pytest.approx(0.0, abs=1e-15)


def test_lr_between_1_over_L_and_2_over_L_zig_zags_but_converges():
    ex = LearningRateExplorer(X_TOY, Y_TOY, W0=5.0)
    lr = 0.8 * ex.lr_max
    s = ex.update(lr=lr, steps=30)
    assert s["regime"] == "zig-zags" and s["factor"] == pytest.approx(1 - lr * 28 / 3)
    err = s["W"] - 1.0
    assert np.all(err[:-1] * err[1:] < 0), "W must jump to the other side of W* at every step"
    assert abs(err[-1]) < abs(err[0]) * 0.61 ** 30 * 1.01
    assert np.all(np.diff(s["costs"]) < 0), "zig-zagging is not oscillating: the cost still falls at every step"
    gap = s["costs"] - ex.best_cost
    assert np.allclose(gap[1:6] / gap[:5], (1 - lr * 28 / 3) ** 2), "each step multiplies cost - cost* by (1 - lr L)^2"


def test_lr_just_above_2_over_L_diverges():
    ex = LearningRateExplorer(X_TOY, Y_TOY, W0=5.0)
    s = ex.update(lr=1.02 * ex.lr_max, steps=30)
    assert s["regime"] == "diverges"
    err = np.abs(s["W"] - 1.0)
    assert np.all(np.diff(err) > 0), "above 2/L every step lands further from W* than the last"
    assert np.all(np.diff(s["costs"]) > 0)
    assert ex.update(lr=0.98 * ex.lr_max, steps=30)["regime"] == "zig-zags"
    assert ex.update(lr=ex.lr_max, steps=4)["regime"] == "bounces"
    assert ex.update(lr=0.0, steps=3)["regime"] == "stuck"


def test_drawing_follows_the_controls():
    ex = LearningRateExplorer(X_TOY, Y_TOY, W0=5.0)
    s = ex.update(lr=0.05, steps=7)
    path_line = ex.axes[0].lines[1]
    assert np.allclose(path_line.get_xdata(), s["W"]) and np.allclose(path_line.get_ydata(), s["costs"])
    assert "converges" in ex.axes[0].get_title()
    assert len(ex.axes[1].lines[0].get_xdata()) == 8
    s = ex.update(lr=0.25, steps=12)
    assert "diverges" in ex.axes[0].get_title() and "left the plot" in ex.axes[0].get_title()
    assert len(ex.axes[1].lines[0].get_xdata()) == 13
    assert ex.axes[1].get_yscale() == "log"


def test_huge_lr_stays_quiet_and_widget_drives_update(recwarn):
    ex = LearningRateExplorer(X_TOY, Y_TOY, W0=5.0, max_steps=30)
    s = ex.update(lr=1e6, steps=30)
    assert s["regime"] == "diverges" and not np.isfinite(s["costs"][-1])
    assert not [w for w in recwarn if "overflow" in str(w.message) or "invalid" in str(w.message)]
    box = ex.widget
    ex.controls["lr"].value = 0.05
    ex.controls["steps"].value = 5
    assert ex.state["regime"] == "converges" and ex.state["W"].shape == (6,)
    assert ex.play in box.children[0].children


def test_rejects_bad_inputs():
    with pytest.raises(ValueError, match="same length"):
        LearningRateExplorer(X_TOY, Y_TOY[:2])
    with pytest.raises(ValueError, match="non-zero"):
        LearningRateExplorer(np.zeros(3), Y_TOY)
