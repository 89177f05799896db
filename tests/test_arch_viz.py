"""dlcourse.explorers.architectures (lecture 13; dlcourse.arch_viz before): parameter counts and receptive
fields, checked against PyTorch."""
import pytest
import torch
from torch import nn

from dlcourse.explorers.architectures import (ReceptiveFieldExplorer, bottleneck, conv_params, receptive_field,
                                             stack_vs_single)


@pytest.mark.parametrize("c_in,c_out,k,bias", [(3, 6, 5, True), (64, 64, 3, False), (192, 16, 1, True)])
def test_conv_params_matches_pytorch(c_in, c_out, k, bias):
    conv = nn.Conv2d(c_in, c_out, k, bias=bias)
    assert conv_params(c_in, c_out, k, bias) == sum(p.numel() for p in conv.parameters())


def test_receptive_field_by_probing_gradients():
    kernels, strides = [3, 3, 2, 3], [1, 2, 2, 1]
    layers = [nn.Conv2d(1, 1, k, s, bias=False) for k, s in zip(kernels, strides)]
    for layer in layers:
        nn.init.constant_(layer.weight, 1.0)
    x = torch.zeros(1, 1, 40, 40, requires_grad=True)
    out = nn.Sequential(*layers)(x)
    out[0, 0, 0, 0].backward()
    cols = (x.grad[0, 0] != 0).any(dim=0).nonzero().flatten()
    assert receptive_field(kernels, strides) == int(cols.max() - cols.min() + 1) == 15
    assert receptive_field([3, 3]) == 5 and receptive_field([3, 3, 3]) == 7
    with pytest.raises(ValueError):
        receptive_field([3, 3], [1])


def test_vgg_and_inception_numbers():
    s = stack_vs_single(3, 2, 64)
    assert (s["receptive_field"], s["stack_per_C2"], s["single_per_C2"]) == (5, 18, 25)
    s = stack_vs_single(3, 3, 1)
    assert (s["stack_params"], s["single_params"]) == (27, 49)
    b = bottleneck(192, 16, 32, 5)
    assert b["direct_params"] == 192 * 32 * 25 == 153600 and b["bottleneck_params"] == 192 * 16 + 16 * 32 * 25 == 15872


def test_explorer_update_follows_the_controls():
    ex = ReceptiveFieldExplorer()
    a = ex.update(k=3, n=2, channels=64, c_reduce=16)
    assert a["receptive_field"] == 5 and a["fields"] == [1, 3, 5]
    assert a["stack_params"] == 2 * 9 * 64 * 64 and a["single_params"] == 25 * 64 * 64
    heights = [bar.get_height() for bar in ex.axes[1].patches]
    assert heights == [a["stack_params"], a["single_params"], a["direct_params"], a["bottleneck_params"]]
    assert len(ex.axes[0].patches) == 3 and "5x5" in ex.axes[0].get_title()
    b = ex.update(n=3)
    assert b["receptive_field"] == 7 and b["stack_params"] == 27 * 64 * 64 and len(ex.axes[0].patches) == 4
    c = ex.update(c_reduce=64)
    assert c["bottleneck_params"] > b["bottleneck_params"] and c["bottleneck_saving"] < b["bottleneck_saving"]
    d = ex.update(k=1, n=4)
    assert d["receptive_field"] == 1 and d["ratio"] == 4.0
