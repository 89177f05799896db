"""SoftmaxExplorer (lecture 06): logit and temperature sliders drive softmax(z / T) and the cross-entropy."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.explorers.classification import SoftmaxExplorer


def test_probabilities_and_loss_match_pytorch():
    ex = SoftmaxExplorer((2.0, 1.0, 0.1), class_names=["cat", "dog", "bird"])
    s = ex.update(z0=2.0, z1=1.0, z2=0.1, T=1.0, target=0)
    z = torch.tensor([2.0, 1.0, 0.1], dtype=torch.float64)
    assert np.allclose(s["probs"], torch.softmax(z, 0).numpy()) and s["probs"].sum() == pytest.approx(1.0)
    assert s["loss"] == pytest.approx(F.cross_entropy(z[None], torch.tensor([0])).item())
    assert s["prediction"] == 0
    assert np.allclose(s["bar_heights"], s["probs"]), "the bars drawn are the probabilities computed"
    assert np.allclose([p.get_height() for p in ex.axes[0].patches], s["probs"])
    assert "-log p[cat] = 0.417" in ex.axes[0].get_title()
    s = ex.update(target=2)
    assert s["loss"] == pytest.approx(-np.log(s["probs"][2])) and s["loss"] > 2.0, "a wrong true class costs more"
    assert "-log p[bird]" in ex.axes[0].get_title()
    s = ex.update(z0=-1.0, z1=3.0, z2=0.5, T=2.0, target=1)
    assert np.allclose(s["probs"], torch.softmax(torch.tensor([-0.5, 1.5, 0.25], dtype=torch.float64), 0).numpy())
    assert s["prediction"] == 1 and s["loss"] == pytest.approx(F.cross_entropy(torch.tensor([[-0.5, 1.5, 0.25]]), torch.tensor([1])).item(), rel=1e-6)


def test_temperature_moves_between_one_hot_and_uniform():
    ex = SoftmaxExplorer((2.0, 1.0, 0.1))
    cold, warm, hot = ex.update(T=0.05), ex.update(T=1.0), ex.update(T=20.0)
    assert cold["probs"][0] > 0.999 and np.allclose(cold["probs"], [1.0, 0.0, 0.0], atol=1e-6), "T -> 0: one-hot argmax"
    assert np.allclose(hot["probs"], 1 / 3, atol=0.02), "large T: nearly uniform"
    assert cold["entropy"] < warm["entropy"] < hot["entropy"] <= np.log(3)
    assert cold["prediction"] == warm["prediction"] == hot["prediction"] == 0, "T never changes the argmax"
    vline = ex.axes[1].lines[-2]
    assert np.allclose(vline.get_xdata(), [20.0]), "the sweep marks the current temperature"


def test_extreme_logits_stay_finite():
    ex = SoftmaxExplorer((0.0, 0.0))
    s = ex.update(z0=1000.0, z1=-1000.0, T=0.05, target=1)
    assert np.all(np.isfinite(s["probs"])) and np.all(np.isfinite(s["log_probs"]))
    assert s["loss"] == pytest.approx(40000.0), "log-sum-exp keeps -log p finite even when p underflows to 0"


def test_widget_drives_update_and_validates():
    ex = SoftmaxExplorer((1.0, 0.0, -1.0, 0.5))
    box = ex.widget
    ex.controls["T"].value = 2.0
    assert ex.state["T"] == pytest.approx(2.0) and len(ex.state["probs"]) == 4
    ex.controls["z3"].value = 4.0
    assert ex.state["prediction"] == 3
    ex.controls["target"].value = 3
    assert ex.state["loss"] == pytest.approx(-np.log(ex.state["probs"][3]))
    assert box.children[1] is ex.output
    with pytest.raises(ValueError, match="positive"):
        ex.update(T=0.0)
    with pytest.raises(ValueError, match="unknown controls"):
        SoftmaxExplorer().update(z7=1.0)
    with pytest.raises(ValueError, match="2 to 8"):
        SoftmaxExplorer((1.0,))
    with pytest.raises(ValueError, match="target"):
        SoftmaxExplorer((1.0, 2.0), target=2)
