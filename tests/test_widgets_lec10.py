"""OptimizerRaceExplorer (lecture 10): optimizers racing on a 2-D loss surface."""
import numpy as np
import pytest

from dlcourse.explorers.optimizers import OPTIMIZERS, SURFACES, OptimizerRaceExplorer, trajectory


def test_update_returns_the_trajectories_it_draws():
    ex = OptimizerRaceExplorer()
    s = ex.update(surface="ravine", lr_scale=1.0, steps=30, optimizers=("SGD", "Adam"))
    assert s["optimizers"] == ("SGD", "Adam") and set(s["paths"]) == {"SGD", "Adam"}
    for name in ("SGD", "Adam"):
        lr = SURFACES["ravine"].lrs[name]
        assert s["lrs"][name] == pytest.approx(lr)
        path, losses, _ = trajectory("ravine", name, lr, 30)
        assert np.array_equal(s["paths"][name], path) and s["final_loss"][name] == losses[-1]
        assert s["paths"][name].shape == (31, 2)
    drawn = {ln.get_label(): ln for ln in ex.axes[0].lines}
    assert set(drawn) >= {"SGD", "Adam"}
    assert np.allclose(drawn["Adam"].get_xdata(), s["paths"]["Adam"][:, 0])
    assert "30 steps" in ex.axes[0].get_title()
    assert s["winner"] == min(s["final_loss"], key=s["final_loss"].get)
    assert f"lowest final loss: {s['winner']}" == ex.axes[1].get_title()


def test_controls_change_what_is_computed():
    ex = OptimizerRaceExplorer()
    few = ex.update(surface="ravine", lr_scale=1.0, steps=10, optimizers=("Momentum",))
    many = ex.update(steps=80)
    assert many["final_loss"]["Momentum"] < few["final_loss"]["Momentum"], "more steps get closer to the minimum"
    half = ex.update(lr_scale=0.5, steps=80)
    assert half["lrs"]["Momentum"] == pytest.approx(0.5 * many["lrs"]["Momentum"])
    assert not np.allclose(half["paths"]["Momentum"], many["paths"]["Momentum"])
    everyone = ex.update(optimizers=tuple(OPTIMIZERS), steps=300, lr_scale=1.0, surface="rosenbrock")
    assert set(everyone["final_loss"]) == set(OPTIMIZERS) and len(ex.axes[1].lines) == len(OPTIMIZERS)
    assert everyone["final_loss"]["Adam"] < everyone["final_loss"]["SGD"]
    none = ex.update(optimizers=())
    assert none["winner"] is None and not ex.axes[1].lines


def test_too_large_a_learning_rate_is_reported_as_diverged():
    ex = OptimizerRaceExplorer()
    s = ex.update(surface="ravine", lr_scale=10.0, steps=100, optimizers=("SGD", "Adam"))
    assert s["diverged"]["SGD"] and s["final_loss"]["SGD"] == float("inf")  # lr 9 > 2 / 2 on the y axis
    assert len(s["paths"]["SGD"]) < 101 and np.all(np.isfinite(s["paths"]["SGD"]))
    assert not s["diverged"]["Adam"], "Adam's steps are about lr long whatever the gradient: it does not blow up"
    assert s["winner"] == "Adam"
    assert "diverged" in [t.get_text() for t in ex.axes[1].get_legend().get_texts()][0]


def test_widget_drives_update_and_bad_inputs_are_refused():
    ex = OptimizerRaceExplorer(steps=20)
    box = ex.widget
    assert ex.state["steps"] == 20 and set(ex.state["optimizers"]) == {"SGD", "Momentum", "AdaGrad", "Adam"}
    ex.controls["optimizers"].value = ("Nesterov", "RMSProp")
    assert set(ex.state["paths"]) == {"Nesterov", "RMSProp"}
    ex.controls["surface"].value = "rotated ravine"
    assert ex.state["surface"] == "rotated ravine"
    assert np.allclose(ex.state["paths"]["RMSProp"][0], SURFACES["rotated ravine"].start)
    assert box.children[1] is ex.output
    with pytest.raises(ValueError, match="unknown optimizers"):
        ex.update(optimizers=("SGD", "Lion"))
    with pytest.raises(ValueError, match="unknown surface"):
        OptimizerRaceExplorer("himmelblau")
    with pytest.raises(ValueError, match="positive"):
        ex.update(lr_scale=0.0)
