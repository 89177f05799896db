"""dlcourse.train: the shared training loop and evaluation helpers, checked against hand-written PyTorch."""
import math

import pytest
import torch
from torch import nn

from dlcourse import available_devices
from dlcourse.train import (batch_indices, eval_mode, evaluate_accuracy, evaluate_loss, fit,
                            iterations_per_epoch, predict)

DEVICES = [pytest.param(d, id=d.type) for d in available_devices()]


def regression_data(N=23, D=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(N, D, generator=g)
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]])[:D] + 0.3 + 0.1 * torch.randn(N, 1, generator=g)
    return X, y


def test_iterations_per_epoch_is_a_ceiling():
    assert iterations_per_epoch(10, 4) == 3
    assert iterations_per_epoch(12, 4) == 3
    assert iterations_per_epoch(1, 100) == 1
    assert iterations_per_epoch(0, 8) == 0
    assert iterations_per_epoch(50_000, 256) == math.ceil(50_000 / 256) == 196
    for bad in [(10, 0), (-1, 4)]:
        with pytest.raises(ValueError):
            iterations_per_epoch(*bad)


def test_batch_indices_cover_every_row_once_and_follow_the_seed():
    batches = batch_indices(10, 4, generator=torch.Generator().manual_seed(3))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert torch.equal(torch.cat(batches).sort().values, torch.arange(10))
    again = batch_indices(10, 4, generator=torch.Generator().manual_seed(3))
    assert all(torch.equal(a, b) for a, b in zip(batches, again))
    other = batch_indices(10, 4, generator=torch.Generator().manual_seed(4))
    assert not torch.equal(torch.cat(batches), torch.cat(other))
    assert torch.equal(torch.cat(batch_indices(7, 3, shuffle=False)), torch.arange(7))


def reference_loop(model, X, y, lr, epochs, batch_size, seed):
    """What fit must do: the textbook loop over torch.randperm batches, written out by hand."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        perm = torch.randperm(len(X), generator=g)
        for start in range(0, len(X), batch_size):
            idx = perm[start:start + batch_size]
            loss = nn.functional.mse_loss(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return losses


def test_fit_matches_a_hand_written_loop():
    X, y = regression_data()
    torch.manual_seed(0)
    a = nn.Linear(3, 1)
    b = nn.Linear(3, 1)
    b.load_state_dict(a.state_dict())
    ref_losses = reference_loop(a, X, y, lr=0.05, epochs=3, batch_size=5, seed=7)
    h = fit(b, nn.MSELoss(), torch.optim.SGD(b.parameters(), lr=0.05), X, y, epochs=3, batch_size=5,
            progress=False, generator=torch.Generator().manual_seed(7))
    assert torch.allclose(a.weight, b.weight) and torch.allclose(a.bias, b.bias)
    assert h["iterations_per_epoch"] == 5 and h["iterations"] == 15
    assert h["batch_loss"] == pytest.approx(ref_losses, rel=1e-6)
    # train_loss: the batch losses of each epoch, weighted by batch size (4 batches of 5, one of 3)
    w = torch.tensor([5, 5, 5, 5, 3], dtype=torch.float64)
    for e in range(3):
        expected = float((torch.tensor(ref_losses[5 * e:5 * e + 5], dtype=torch.float64) * w).sum() / 23)
        assert h["train_loss"][e] == pytest.approx(expected, rel=1e-6)
    assert h["seconds"] >= 0


def test_fit_reports_validation_and_does_not_change_the_data():
    X, y = regression_data(N=40)
    Xv, yv = regression_data(N=9, seed=1)
    X0, y0 = X.clone(), y.clone()
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    h = fit(model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=4, batch_size=8,
            progress=False, generator=torch.Generator().manual_seed(0), X_val=Xv, y_val=yv)
    assert len(h["val_loss"]) == 4 and "val_accuracy" not in h  # float targets: no accuracy
    assert h["val_loss"][-1] == pytest.approx(nn.functional.mse_loss(model(Xv), yv).item(), rel=1e-5)
    assert h["val_loss"][-1] < h["val_loss"][0]
    assert torch.equal(X, X0) and torch.equal(y, y0)
    with pytest.raises(ValueError, match="both"):
        fit(model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, X_val=Xv)
    with pytest.raises(ValueError, match="same number of rows"):
        fit(model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y[:5])


def test_fit_trains_a_classifier_and_records_validation_accuracy():
    g = torch.Generator().manual_seed(0)
    centres = torch.tensor([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    y = torch.randint(0, 3, (300,), generator=g)
    X = centres[y] + torch.randn(300, 2, generator=g)
    torch.manual_seed(0)
    model = nn.Linear(2, 3)
    h = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), X[:200], y[:200],
            epochs=5, batch_size=32, progress=False, generator=g, X_val=X[200:], y_val=y[200:])
    assert len(h["val_accuracy"]) == 5 and h["val_accuracy"][-1] > 0.9
    assert h["val_accuracy"][-1] == evaluate_accuracy(model, X[200:], y[200:])
    assert model.training, "fit leaves the model in training mode"


def test_fit_records_a_diverging_run_without_raising():
    X, y = regression_data()
    model = nn.Linear(3, 1)
    h = fit(model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=50.0), X, y, epochs=40,
            batch_size=len(X), progress=False)
    assert not math.isfinite(h["train_loss"][-1])


def test_fit_progress_bar_never_writes_to_stderr(capsys):
    X, y = regression_data()
    model = nn.Linear(3, 1)
    fit(model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=2, batch_size=5,
        progress=True, desc="unit test")
    out, err = capsys.readouterr()
    assert err == ""
    assert "unit test" in out
    fit(model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=1, progress=False)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("device", DEVICES)
def test_fit_and_evaluate_on_each_device(device):
    X, y = regression_data(N=30)
    torch.manual_seed(0)
    cpu_model = nn.Linear(3, 1)
    dev_model = nn.Linear(3, 1)
    dev_model.load_state_dict(cpu_model.state_dict())
    kw = dict(epochs=2, batch_size=7, progress=False)
    h_cpu = fit(cpu_model, nn.MSELoss(), torch.optim.SGD(cpu_model.parameters(), lr=0.1), X, y,
                generator=torch.Generator().manual_seed(2), **kw)
    h_dev = fit(dev_model, nn.MSELoss(), torch.optim.SGD(dev_model.parameters(), lr=0.1), X, y, device=device,
                generator=torch.Generator().manual_seed(2), **kw)
    assert dev_model.weight.device.type == device.type
    assert torch.allclose(dev_model.weight.cpu(), cpu_model.weight, atol=1e-5)
    assert h_dev["train_loss"] == pytest.approx(h_cpu["train_loss"], rel=1e-4)
    assert evaluate_loss(dev_model, nn.MSELoss(), X, y) == pytest.approx(evaluate_loss(cpu_model, nn.MSELoss(), X, y), rel=1e-4)


class GradProbe(nn.Module):
    """A classifier that remembers whether gradients were enabled when it ran."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 3)
        self.grad_enabled = []

    def forward(self, x):
        self.grad_enabled.append(torch.is_grad_enabled())
        return self.lin(x)


def dropout_classifier():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.Dropout(p=0.9))
    with torch.no_grad():
        model[0].weight.copy_(torch.eye(3, 4) * 5)
        model[0].bias.zero_()
    return model


def test_evaluate_accuracy_uses_eval_mode_no_grad_and_restores_modes():
    X = torch.randn(50, 4, generator=torch.Generator().manual_seed(0))
    y = X[:, :3].argmax(dim=1)
    model = dropout_classifier()
    model.train()
    assert evaluate_accuracy(model, X, y) == 1.0, "dropout must be off while evaluating"
    assert model.training and model[1].training, "the previous (training) mode must be restored"
    model.eval()
    evaluate_accuracy(model, X, y)
    assert not model.training, "a model in eval mode stays in eval mode"
    model.train()
    model[1].eval()  # mixed modes come back exactly as they were
    evaluate_accuracy(model, X, y)
    assert model[0].training and not model[1].training
    probe = GradProbe()
    evaluate_accuracy(probe, X, y, batch_size=16)
    assert probe.grad_enabled == [False] * 4


def test_evaluate_accuracy_weights_batches_by_size():
    X = torch.randn(10, 4, generator=torch.Generator().manual_seed(1))
    model = GradProbe()
    y = model(X).argmax(dim=1).detach()
    y[-1] = (y[-1] + 1) % 3  # only the last example is wrong
    for bs in (1, 3, 4, 10, 1000):
        assert evaluate_accuracy(model, X, y, batch_size=bs) == pytest.approx(0.9)
    assert isinstance(evaluate_accuracy(model, X, y), float)
    with pytest.raises(ValueError):
        evaluate_accuracy(model, X, y[:3])


def test_evaluate_loss_and_predict_do_not_depend_on_batch_size():
    X, y = regression_data(N=23)
    model = nn.Linear(3, 1)
    full = nn.functional.mse_loss(model(X), y).item()
    for bs in (1, 5, 23, 100):
        assert evaluate_loss(model, nn.MSELoss(), X, y, batch_size=bs) == pytest.approx(full, rel=1e-5)
        out = predict(model, X, batch_size=bs)
        assert not out.requires_grad and torch.allclose(out, model(X))


def test_eval_mode_context_restores_on_error():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout())
    with pytest.raises(RuntimeError):
        with eval_mode(model):
            assert not model.training and not torch.is_grad_enabled()
            raise RuntimeError("boom")
    assert model.training and torch.is_grad_enabled()
