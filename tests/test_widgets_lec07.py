"""Lecture 07's explorer: the L2 strength and the degree change the learning curves it computes and draws."""
import numpy as np
import pytest

from dlcourse.explorers.regularization import WeightDecayExplorer


def data(seed=0):
    rng = np.random.default_rng(seed)
    truth = lambda x: np.sin(np.pi * x)  # noqa: E731
    x_tr, x_va = rng.uniform(-1, 1, 20), rng.uniform(-1, 1, 200)
    return x_tr, truth(x_tr) + 0.25 * rng.standard_normal(20), x_va, truth(x_va) + 0.25 * rng.standard_normal(200)


@pytest.fixture(scope="module")
def explorer():
    return WeightDecayExplorer(*data(), degree=15, epochs=1500)


def test_no_regularisation_overfits_and_l2_cures_it(explorer):
    free = explorer.update(lam=0.0, degree=15)
    assert len(free["train_loss"]) == len(free["val_loss"]) == 1501
    assert free["best_epoch"] == int(np.argmin(free["val_loss"])) and 0 < free["best_epoch"] < 1500
    assert free["final_val_loss"] > 1.4 * free["best_val_loss"], "without L2 the validation loss turns back up"
    assert free["final_train_loss"] < 0.04, "20 points, 16 coefficients: the fit goes below the noise (0.0625)"
    mild = explorer.update(lam=1e-2, degree=15)
    strong = explorer.update(lam=1.0, degree=15)
    assert mild["final_val_loss"] < free["final_val_loss"] - 0.03
    assert strong["final_train_loss"] > 3 * free["final_train_loss"], "a large λ underfits the training set"
    norms = [explorer.update(lam=lam, degree=15)["weight_norm"] for lam in (0.0, 1e-2, 1e-1, 1.0)]
    assert all(a > b for a, b in zip(norms, norms[1:])), f"|W| must shrink as λ grows: {norms}"


def test_drawn_curves_follow_the_state(explorer):
    s = explorer.update(lam=1e-3, degree=8)
    assert s["lam"] == 1e-3 and s["degree"] == 8 and s["weights"].shape == (9,)
    train_line, val_line = explorer.axes[1].lines[:2]
    assert np.allclose(train_line.get_ydata(), s["train_loss"][1:])
    assert np.allclose(val_line.get_ydata(), s["val_loss"][1:])
    assert "λ = 0.001" in explorer.axes[0].get_title() and "degree 8" in explorer.axes[0].get_title()
    # the training loss at epoch 0 is that of w = 0: the mean of y²
    assert s["train_loss"][0] == pytest.approx(np.mean(explorer.y_tr ** 2))
    low = explorer.update(lam=0.0, degree=1)
    assert low["final_train_loss"] > s["final_train_loss"], "a straight line cannot fit a sine as well"


def test_bias_is_not_penalised():
    # constant data: only the bias is needed, so even a huge λ must fit it exactly
    x = np.linspace(-1, 1, 10)
    ex = WeightDecayExplorer(x, np.full(10, 3.0), x + 0.05, np.full(10, 3.0), degree=3, epochs=400)
    s = ex.update(lam=10.0, degree=3)
    assert s["final_train_loss"] < 1e-8 and s["weights"][0] == pytest.approx(3.0)


def test_widget_controls_drive_update(explorer):
    box = explorer.widget
    explorer.controls["lam"].value = 0.1
    assert explorer.state["lam"] == 0.1
    explorer.controls["degree"].value = 4
    assert explorer.state["degree"] == 4 and explorer.state["weights"].shape == (5,)
    assert box.children[1] is explorer.output


def test_invalid_arguments():
    x_tr, y_tr, x_va, y_va = data()
    with pytest.raises(ValueError, match="same length"):
        WeightDecayExplorer(x_tr, y_tr[:5], x_va, y_va)
    with pytest.raises(ValueError, match="degree"):
        WeightDecayExplorer(x_tr, y_tr, x_va, y_va, degree=0)
    ex = WeightDecayExplorer(x_tr, y_tr, x_va, y_va, degree=3, epochs=10)
    with pytest.raises(ValueError, match="lam"):
        ex.update(lam=-1.0)
