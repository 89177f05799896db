"""dlcourse.models: the lecture-12 CNN, checked layer by layer against torch.nn.functional, and MNIST scaling."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.data import MNIST_MEAN, MNIST_STD, load_mnist
from dlcourse.models import RECIPE, mnist_cnn, normalize_mnist


def test_mnist_cnn_shapes_and_options():
    m = mnist_cnn(4, 8)
    assert m(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert sum(isinstance(l, nn.BatchNorm2d) for l in m) == 2
    assert not any(isinstance(l, nn.Dropout) for l in m)
    d = mnist_cnn(4, 8, dropout=0.3, batchnorm=False)
    assert [l.p for l in d if isinstance(l, nn.Dropout)] == [0.3]
    assert not any(isinstance(l, nn.BatchNorm2d) for l in d)
    assert d[0].bias is not None and m[0].bias is None
    hid = mnist_cnn(4, 8, hidden=16, dropout=0.2)
    assert [l.out_features for l in hid if isinstance(l, nn.Linear)] == [16, 10]
    assert hid(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert mnist_cnn(3, 5, classes=4)(torch.zeros(1, 1, 28, 28)).shape == (1, 4)


@pytest.mark.parametrize("kwargs,match", [({"c1": 0}, "c1=0"), ({"hidden": -1}, "hidden=-1"),
                                          ({"dropout": 1.0}, "dropout=1.0"), ({"dropout": -0.1}, "dropout=-0.1")])
def test_mnist_cnn_rejects_bad_sizes(kwargs, match):
    args = {"c1": 4, "c2": 8} | kwargs
    with pytest.raises(ValueError, match=f"need c1, c2 >= 1, hidden >= 0 and 0 <= dropout < 1, got .*{match}"):
        mnist_cnn(args.pop("c1"), args.pop("c2"), **args)


def test_mnist_cnn_counts_the_parameters_of_its_layers():
    c1, c2, hidden = RECIPE["c1"], RECIPE["c2"], RECIPE["hidden"]
    m = mnist_cnn(c1, c2, hidden=hidden, dropout=RECIPE["dropout"])
    convs = 9 * c1 + 9 * c1 * c2            # no conv bias: batch norm adds its own shift
    norms = 2 * c1 + 2 * c2                 # a scale and a shift per channel
    head = c2 * 7 * 7 * hidden + hidden + hidden * 10 + 10
    assert sum(p.numel() for p in m.parameters()) == convs + norms + head == 206_970


def reference_forward(m, x, *, training):
    """mnist_cnn(c1, c2, hidden=h) written with torch.nn.functional, reading the same weights; in training
    mode batch norm uses the batch's statistics, in evaluation mode the running ones."""
    conv1, bn1, _, _, conv2, bn2, _, _, _, fc1, _, fc2 = m
    for conv, bn in ((conv1, bn1), (conv2, bn2)):
        x = F.conv2d(x, conv.weight, None, padding=1)
        stats = (None, None) if training else (bn.running_mean, bn.running_var)
        x = F.batch_norm(x, *stats, bn.weight, bn.bias, training=training, eps=bn.eps)
        x = F.max_pool2d(F.relu(x), 2)
    x = F.relu(F.linear(x.flatten(1), fc1.weight, fc1.bias))
    return F.linear(x, fc2.weight, fc2.bias)


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
def test_mnist_cnn_matches_torch_functional(training):
    torch.manual_seed(0)
    m = mnist_cnn(3, 5, hidden=12)
    for bn in (m[1], m[5]):  # non-trivial running statistics and affine parameters
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
        nn.init.uniform_(bn.weight, 0.5, 1.5)
        nn.init.uniform_(bn.bias, -0.2, 0.2)
    x = torch.randn(6, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    m.train(training)
    with torch.no_grad():
        ref = reference_forward(m, x, training=training)
        got = m(x)
    torch.testing.assert_close(got, ref, rtol=1e-5, atol=1e-6)


def test_normalize_mnist_uses_the_training_statistics_of_data_py():
    assert (MNIST_MEAN, MNIST_STD) == (0.1307, 0.3081)
    x = torch.tensor([MNIST_MEAN, MNIST_MEAN + MNIST_STD])
    assert torch.allclose(normalize_mnist(x), torch.tensor([0.0, 1.0]))
    X, _ = load_mnist("test", limit=50)
    Xn, _ = load_mnist("test", limit=50, normalize=True)
    assert torch.equal(normalize_mnist(X), Xn), "the same formula as load_mnist(normalize=True)"
    assert normalize_mnist(X).shape == X.shape and torch.equal(X, load_mnist("test", limit=50)[0]), "not in place"


def test_recipe_builds_the_lecture_model():
    assert RECIPE == {"c1": 16, "c2": 32, "hidden": 128, "dropout": 0.1, "epochs": 3, "batch_size": 128,
                      "max_lr": 0.01}
    m = mnist_cnn(RECIPE["c1"], RECIPE["c2"], hidden=RECIPE["hidden"], dropout=RECIPE["dropout"])
    assert m(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert [l.p for l in m if isinstance(l, nn.Dropout)] == [0.1]
