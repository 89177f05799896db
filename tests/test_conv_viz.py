"""dlcourse.explorers.convolution (dlcourse.conv_viz before): the kernel editor of lecture 11 draws exactly
what F.conv2d computes."""
import pytest
import torch
import torch.nn.functional as F

from dlcourse import load_mnist
from dlcourse.explorers.convolution import PRESETS, WEIGHTS, KernelExplorer, apply_kernel


@pytest.fixture(scope="module")
def digits():
    return load_mnist("test", limit=5)


def test_apply_kernel_is_cross_correlation():
    img = torch.arange(1.0, 10.0).reshape(3, 3)
    k = torch.tensor([[1.0, 0, 0], [0, 0, 0], [0, 0, 0]])
    assert apply_kernel(img, k).item() == 1.0, "no flip: the top-left weight meets the top-left pixel"
    assert apply_kernel(img, k, padding=1).shape == (3, 3)


def test_update_returns_the_conv2d_feature_map(digits):
    X, y = digits
    ex = KernelExplorer(X, y)
    s = ex.update(index=2, preset="sharpen", padding=0)
    expected = F.conv2d(X[2:3], PRESETS["sharpen"].view(1, 1, 3, 3))[0, 0]
    assert s["feature_map"].shape == (26, 26)
    assert torch.allclose(s["feature_map"], expected)
    assert torch.equal(s["kernel"], PRESETS["sharpen"]) and s["index"] == 2
    assert "sharpen" in ex.axes[1].get_title() and "label" in ex.axes[0].get_title()
    drawn = ex.axes[2].images[0].get_array()
    assert drawn.shape == (26, 26)


def test_controls_change_what_is_computed(digits):
    X, y = digits
    ex = KernelExplorer(X, y)
    same = ex.update(index=0, preset="identity", padding=1)
    assert same["feature_map"].shape == (28, 28) and torch.allclose(same["feature_map"], X[0, 0])
    custom = ex.update(kernel=torch.ones(3, 3))
    assert custom["preset"] == "custom" and custom["index"] == 0 and custom["padding"] == 1, "other values are kept"
    assert torch.allclose(custom["feature_map"], F.conv2d(X[0:1], torch.ones(1, 1, 3, 3), padding=1)[0, 0], atol=1e-5)
    one = ex.update(k11=0.0)
    assert one["kernel"][1, 1] == 0.0 and one["kernel"].sum() == 8.0
    other = ex.update(index=3)
    assert not torch.allclose(other["feature_map"], one["feature_map"])
    with pytest.raises(ValueError):
        ex.update(preset="nope")


def test_widget_controls_drive_update(digits):
    X, y = digits
    ex = KernelExplorer(X, y)
    ex.widget
    ex.controls["preset"].value = "box blur"
    assert torch.allclose(ex.state["kernel"], PRESETS["box blur"])
    assert ex.controls["k00"].value == pytest.approx(1 / 9)
    ex.controls["k00"].value = 2.0
    assert ex.controls["preset"].value == "custom" and ex.state["kernel"][0, 0] == 2.0
    ex.controls["index"].value = 4
    assert ex.state["index"] == 4
    assert set(WEIGHTS) <= set(ex.controls)


def test_a_weight_edited_by_hand_makes_the_kernel_custom(digits):
    X, y = digits
    ex = KernelExplorer(X, y, preset="sharpen")
    assert ex.update()["preset"] == "sharpen" and torch.equal(ex.state["kernel"], PRESETS["sharpen"])
    s = ex.update(k11=4.0)
    assert s["preset"] == "custom" and "kernel: custom" in ex.axes[1].get_title(), "no longer the sharpen kernel"
    assert s["kernel"][1, 1] == 4.0 and s["kernel"][0, 1] == -1.0, "the other weights stay"
    assert ex.values()["preset"] == "custom"
    back = ex.update(preset="sharpen", k11=0.0)
    assert torch.equal(back["kernel"], PRESETS["sharpen"]), "a preset given with weights wins"
    with pytest.raises(ValueError, match="9 weights"):
        ex.update(kernel=torch.ones(2, 2))
    with pytest.raises(ValueError, match="index"):
        ex.update(index=len(X))
    assert ex.values()["index"] == 0 and ex.state is back, "rejected values move nothing"
