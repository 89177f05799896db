"""BatchSizeExplorer (lecture 04): the batch_size slider changes iterations per epoch and the SGD curves."""
import math

import numpy as np
import pytest

from dlcourse.explorers.regression import BatchSizeExplorer


def _data(N=50, D=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    y = X @ np.array([1.0, -2.0, 0.5]) + 3.0 + 0.1 * rng.normal(size=N)
    return X, y


def test_iterations_per_epoch_follow_batch_size():
    X, y = _data()
    ex = BatchSizeExplorer(X, y, epochs=5, lr=0.05)
    for bs in (1, 8, 16, 50):
        s = ex.update(batch_size=bs)
        assert s["iterations_per_epoch"] == math.ceil(50 / bs)
        assert len(s["step_losses"]) == 5 * math.ceil(50 / bs), "one loss per mini-batch step"
        assert len(s["epoch_losses"]) == 6 and len(s["full_batch_losses"]) == 6
    assert ex.axes[0].lines[1].get_ydata()[0] == 1 and ": 1 iteration per epoch" in ex.axes[0].get_title()
    ex.update(batch_size=16)
    assert ex.axes[0].lines[1].get_ydata()[0] == 4, "the marker moves to ceil(50/16) = 4"
    assert ": 4 iterations per epoch" in ex.axes[0].get_title()


def test_full_batch_equals_gradient_descent_and_minibatches_go_further():
    X, y = _data()
    ex = BatchSizeExplorer(X, y, epochs=10, lr=0.05)
    full = ex.update(batch_size=50)
    assert np.allclose(full["epoch_losses"], full["full_batch_losses"]), "batch_size = N is full-batch GD"
    # plain gradient descent by hand, one step per epoch
    W, b = np.zeros(3), 0.0
    for _ in range(10):
        err = X @ W + b - y
        W, b = W - 0.05 * 2 * X.T @ err / 50, b - 0.05 * 2 * err.mean()
    assert full["final_loss"] == pytest.approx(np.mean((X @ W + b - y) ** 2))
    small = ex.update(batch_size=5)
    assert small["final_loss"] < full["final_loss"] / 10, "10 steps per epoch get much further in 10 epochs"
    assert small["full_batch_final_loss"] == pytest.approx(full["final_loss"]), "the reference curve does not move"
    drawn = ex.axes[1].lines[1].get_ydata()
    assert np.allclose(drawn, small["epoch_losses"]), "the drawn epoch curve is the computed one"
    again = ex.update(batch_size=5)
    assert np.array_equal(again["step_losses"], small["step_losses"]), "a fixed seed gives the same curve"


def test_lr_slider_and_divergence():
    X, y = _data()
    ex = BatchSizeExplorer(X, y, epochs=5, lr=0.01)
    slow, fast = ex.update(batch_size=10, lr=0.001), ex.update(batch_size=10, lr=0.05)
    assert fast["final_loss"] < slow["final_loss"]
    with np.errstate(all="raise"):
        s = ex.update(batch_size=1, lr=5.0)
    assert s["diverged"] and "diverged" in ex.axes[1].get_title()
    ex.widget
    ex.controls["batch_size"].value = 16
    assert ex.state["iterations_per_epoch"] == 4
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        BatchSizeExplorer(X, y[:10])
