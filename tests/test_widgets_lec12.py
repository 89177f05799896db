"""DigitDrawExplorer (lecture 12): strokes -> 28x28 image -> class probabilities (tiny untrained model)."""
import torch

from dlcourse.cnn import PRESETS, DigitDrawExplorer, mnist_cnn, render_strokes


def test_update_renders_strokes_and_classifies():
    torch.manual_seed(0)
    model = mnist_cnn(2, 4, dropout=0.5).train()
    ex = DigitDrawExplorer(model)
    s = ex.update(strokes=PRESETS["one"], thickness=2.0)
    assert torch.equal(s["image"], render_strokes(PRESETS["one"], thickness=2.0))
    assert s["probs"].shape == (10,) and abs(float(s["probs"].sum()) - 1) < 1e-5
    assert s["prediction"] == int(s["probs"].argmax())
    assert model.training, "the explorer must not leave the model in eval mode"
    assert ex.axes[1].get_title().startswith(f"prediction: {s['prediction']}")
    assert len(ex.axes[1].patches) == 10
    assert (ex.axes[0].images[0].get_array() == s["image"][0, 0].numpy()).all()
    again = ex.update(strokes=PRESETS["one"], thickness=2.0)
    assert torch.equal(again["probs"], s["probs"]), "evaluation mode: dropout off, deterministic"


def test_controls_change_what_is_drawn():
    torch.manual_seed(0)
    ex = DigitDrawExplorer(mnist_cnn(2, 4))
    one = ex.update(strokes=PRESETS["one"], thickness=2.2)
    seven = ex.update(strokes=PRESETS["seven"])
    assert not torch.equal(one["image"], seven["image"])
    assert not torch.allclose(one["probs"], seven["probs"])
    thick = ex.update(strokes=PRESETS["seven"], thickness=4.0)
    assert thick["image"].sum() > seven["image"].sum()
    empty = ex.update(strokes="")
    assert empty["image"].sum() == 0


def test_widget_builds():
    ex = DigitDrawExplorer(mnist_cnn(2, 4))
    w = ex.widget
    assert set(ex._controls) == {"strokes", "thickness"}
    assert w is ex.widget
