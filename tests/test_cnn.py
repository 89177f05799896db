"""dlcourse.cnn: the MNIST CNN recipe, checkpoints and stroke rendering (tiny data, no real training)."""
import pytest
import torch
from torch import nn

from dlcourse.cnn import (CheckpointError, load_checkpoint, mnist_cnn, normalize_mnist, parse_strokes,
                          render_strokes, save_checkpoint, train_cnn)


def _data(n=96, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=g)
    X = torch.randn(n, 1, 28, 28, generator=g) * 0.3
    X[torch.arange(n), 0, 2 * y + 3, 5:23] += 3.0      # a class-dependent horizontal bar: learnable
    return X, y


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
    with pytest.raises(ValueError):
        mnist_cnn(0, 8)
    with pytest.raises(ValueError):
        mnist_cnn(4, 8, hidden=-1)
    with pytest.raises(ValueError):
        mnist_cnn(4, 8, dropout=1.0)


def test_normalize_mnist():
    x = torch.tensor([0.1307, 0.1307 + 0.3081])
    assert torch.allclose(normalize_mnist(x), torch.tensor([0.0, 1.0]))


def test_train_cnn_learns_schedules_and_evaluates():
    X, y = _data()
    torch.manual_seed(0)
    m = mnist_cnn(4, 8)
    before = [p.detach().clone() for p in m.parameters()]
    h = train_cnn(m, X, y, epochs=3, batch_size=32, max_lr=0.02, X_val=X, y_val=y, evals_per_epoch=2,
                  generator=torch.Generator().manual_seed(0))
    assert h["steps"] == 9 and len(h["batch_loss"]) == 9
    assert len(h["evals"]) == 6 and h["evals"][-1]["epoch"] == pytest.approx(3.0)
    assert h["evals"][-1]["step"] == 9 and h["reached"] is None
    assert h["batch_loss"][-1] < h["batch_loss"][0]
    assert any(not torch.equal(a, b) for a, b in zip(before, m.parameters()))
    lr_end = h["optimizer"].param_groups[0]["lr"]
    assert lr_end < 0.02 / 10, "one-cycle ends far below max_lr"
    assert m.training is True


def test_train_cnn_stops_at_target_and_is_reproducible():
    X, y = _data()
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        m = mnist_cnn(4, 8)
        runs.append(train_cnn(m, X, y, epochs=4, batch_size=32, max_lr=0.02, X_val=X, y_val=y, target=0.0,
                              generator=torch.Generator().manual_seed(1)))
    h = runs[0]
    assert h["steps"] == 3 and len(h["evals"]) == 1 and h["reached"] == h["evals"][0]["seconds"]
    assert h["batch_loss"] == runs[1]["batch_loss"]


def test_train_cnn_rejects_bad_arguments():
    X, y = _data(8)
    m = mnist_cnn(2, 2)
    with pytest.raises(ValueError, match="same number of rows"):
        train_cnn(m, X, y[:4])
    with pytest.raises(ValueError, match="target"):
        train_cnn(m, X, y, target=0.9)
    with pytest.raises(ValueError, match="both"):
        train_cnn(m, X, y, X_val=X)


def test_checkpoint_round_trip_and_errors(tmp_path):
    X, y = _data(32)
    torch.manual_seed(0)
    m = mnist_cnn(4, 8)
    h = train_cnn(m, X, y, epochs=1, batch_size=16, generator=torch.Generator().manual_seed(0))
    path = save_checkpoint(tmp_path / "sub" / "c.pt", m, h["optimizer"], epoch=1, note="hi")
    torch.manual_seed(1)
    fresh = mnist_cnn(4, 8)
    opt = torch.optim.Adam(fresh.parameters())
    state = load_checkpoint(path, fresh, opt, map_location="cpu")
    assert state["epoch"] == 1 and state["note"] == "hi"
    m.eval(), fresh.eval()
    assert torch.equal(m(X), fresh(X))
    assert torch.equal(opt.state_dict()["state"][0]["exp_avg"], h["optimizer"].state_dict()["state"][0]["exp_avg"])
    with pytest.raises(CheckpointError, match="no checkpoint"):
        load_checkpoint(tmp_path / "missing.pt", fresh)
    with pytest.raises(CheckpointError, match="does not fit this model"):
        load_checkpoint(path, mnist_cnn(5, 8))
    save_checkpoint(tmp_path / "noopt.pt", m)
    load_checkpoint(tmp_path / "noopt.pt", fresh)
    with pytest.raises(CheckpointError, match="without an optimizer"):
        load_checkpoint(tmp_path / "noopt.pt", fresh, opt)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="not a readable"):
        load_checkpoint(tmp_path / "junk.pt", fresh)


def test_render_strokes():
    img = render_strokes("0.5,0 0.5,1")
    assert img.shape == (1, 1, 28, 28) and img.dtype == torch.float32
    assert float(img.min()) == 0.0 and float(img.max()) == 1.0
    assert img[0, 0, :, 14].sum() > 15 and img[0, 0, :, 3].sum() == 0, "a vertical line in the middle, margins empty"
    assert 0 < float(img[0, 0, 14, 12]) < 1 or 0 < float(img[0, 0, 14, 16]) < 1, "anti-aliased edge"
    assert render_strokes("", thickness=2).sum() == 0
    thick = render_strokes("0.5,0 0.5,1", thickness=4.0)
    assert thick.sum() > img.sum()
    two = render_strokes("0.2,0.5 0.8,0.5; 0.5,0.2 0.5,0.8")
    assert two.sum() > render_strokes("0.2,0.5 0.8,0.5").sum()
    assert len(parse_strokes("0,0 1,1; 0.5,0.5")) == 2
    with pytest.raises(ValueError, match="x,y"):
        parse_strokes("0,0 1")
