"""DigitDrawExplorer (lecture 12): strokes -> 28x28 image -> class probabilities (tiny untrained model)."""
import torch

from dlcourse.cnn import mnist_cnn
from dlcourse.explorers.digits import PRESETS, DigitDrawExplorer, render_strokes


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


def test_widget_controls_drive_update():
    torch.manual_seed(0)
    ex = DigitDrawExplorer(mnist_cnn(2, 4))
    w = ex.widget
    assert set(ex.controls) == {"strokes", "thickness"} and w is ex.widget
    assert torch.equal(ex.state["image"], render_strokes(PRESETS["seven"])), "the widget starts on the seven"
    ex.controls["strokes"].value = PRESETS["one"]
    assert torch.equal(ex.state["image"], render_strokes(PRESETS["one"], thickness=2.2))
    ex.controls["thickness"].value = 3.0
    assert torch.equal(ex.state["image"], render_strokes(PRESETS["one"], thickness=3.0))


def test_the_lecture_import_path_draws_the_same():
    from dlcourse.cnn import PRESETS as CNN_PRESETS
    from dlcourse.cnn import DigitDrawExplorer as FromCnn

    torch.manual_seed(0)
    model = mnist_cnn(2, 4)
    old = FromCnn(model).update(strokes=CNN_PRESETS["zero"], thickness=2.2)
    new = DigitDrawExplorer(model).update(strokes=PRESETS["zero"], thickness=2.2)
    assert torch.equal(old["image"], new["image"]) and torch.equal(old["probs"], new["probs"])
    assert FromCnn(model).values() == DigitDrawExplorer(model).values()
