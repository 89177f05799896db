"""dlcourse.train: the shared training loop and evaluation helpers, checked against hand-written PyTorch."""
import math

import pytest
import torch
from torch import nn

from tests.conftest import device_params
from dlcourse.train import (batch_indices, eval_mode, evaluate_accuracy, evaluate_loss, fit,
                            iterations_per_epoch, predict)



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


@pytest.mark.parametrize("device", device_params())
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
    assert dev_model.weight.device.type == torch.device(device).type
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


# ---------------------------------------------------------------- one loop: what train_cnn brought into fit
def load_fixture_module(name):
    """A script of tests/fixtures/ as a module (its run() trains with today's code)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"fixture_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fit_reproduces_the_recorded_losses_bit_for_bit():
    """fit's numbers from before it absorbed train_cnn (tests/fixtures/fit_losses.json), exactly."""
    import json

    maker = load_fixture_module("make_fit_losses")
    want = json.loads(maker.OUT.read_text())
    here = {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability()}
    if {k: want[k] for k in here} != here:  # other kernels give other last bits: not a regression
        pytest.skip(f"fixture recorded with {({k: want[k] for k in here})}, this machine has {here}")
    got = json.loads(json.dumps(maker.run()))
    for run in ("classifier", "regression"):
        for key, value in want[run].items():
            assert got[run][key] == value, f"{run}: {key} changed"
    assert len(want["classifier"]["batch_loss"]) == 48 and want["regression"]["has_val_accuracy"] is False


def classification_data(N=60, D=4, K=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, K, (N,), generator=g)
    X = torch.randn(N, D, generator=g) + 2.0 * nn.functional.one_hot(y, D).float()
    return X, y


def test_fit_steps_a_scheduler_after_every_batch_like_a_hand_written_loop():
    X, y = classification_data()
    torch.manual_seed(0)
    a, b = nn.Linear(4, 3), nn.Linear(4, 3)
    b.load_state_dict(a.state_dict())
    # the reference: the textbook loop with a per-batch LambdaLR, in PyTorch
    opt_a = torch.optim.SGD(a.parameters(), lr=0.2, momentum=0.9)
    sched_a = torch.optim.lr_scheduler.LambdaLR(opt_a, lambda s: 1 / (1 + s))
    g, ref_losses, ref_lrs = torch.Generator().manual_seed(4), [], []
    for _ in range(3):
        perm = torch.randperm(60, generator=g)
        for start in range(0, 60, 16):
            idx = perm[start:start + 16]
            loss = nn.functional.cross_entropy(a(X[idx]), y[idx])
            opt_a.zero_grad()
            loss.backward()
            opt_a.step()
            sched_a.step()
            ref_losses.append(loss.item())
            ref_lrs.append(opt_a.param_groups[0]["lr"])
    opt_b = torch.optim.SGD(b.parameters(), lr=0.2, momentum=0.9)
    sched_b = torch.optim.lr_scheduler.LambdaLR(opt_b, lambda s: 1 / (1 + s))
    h = fit(b, nn.CrossEntropyLoss(), opt_b, X, y, epochs=3, batch_size=16, progress=False,
            generator=torch.Generator().manual_seed(4), scheduler=sched_b)
    assert h["batch_loss"] == ref_losses, "same batches, same steps: the same floats"
    assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
    assert opt_b.param_groups[0]["lr"] == ref_lrs[-1] == pytest.approx(0.2 / 13)
    assert h["scheduler"] is sched_b and h["optimizer"] is opt_b and h["steps"] == h["iterations"] == 12


def test_fit_builds_a_scheduler_from_a_function_of_the_total_steps():
    X, y = classification_data()
    seen = []

    def one_cycle(optimizer, total_steps):
        seen.append(total_steps)
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=total_steps)

    model = nn.Linear(4, 3)
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    h = fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=2, batch_size=25, progress=False, scheduler=one_cycle)
    assert seen == [6] and isinstance(h["scheduler"], torch.optim.lr_scheduler.OneCycleLR)
    assert h["scheduler"].last_epoch == 6, "stepped once per batch"
    assert opt.param_groups[0]["lr"] < 0.1 / 5, "the one-cycle schedule ran down from its peak"
    with pytest.raises(ValueError, match="at least one step: epochs must be >= 1"):
        fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=0, progress=False, scheduler=one_cycle)
    with pytest.raises(TypeError, match="scheduler must be a learning-rate scheduler"):
        fit(model, nn.CrossEntropyLoss(), opt, X, y, progress=False, scheduler=0.5)
    other = torch.optim.SGD(nn.Linear(4, 3).parameters(), lr=0.1)
    with pytest.raises(ValueError, match="drives another optimizer"):
        fit(model, nn.CrossEntropyLoss(), opt, X, y, progress=False,
            scheduler=torch.optim.lr_scheduler.StepLR(other, step_size=1))


def test_fit_scores_the_validation_set_several_times_per_epoch():
    X, y = classification_data(N=70)
    Xv, yv = classification_data(N=23, seed=1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 3))
    h = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=2,
            batch_size=10, progress=False, generator=torch.Generator().manual_seed(0), X_val=Xv, y_val=yv,
            evals_per_epoch=3)
    # 7 batches per epoch, evaluated after batches round(7/3)=2, round(14/3)=5 and 7 of each epoch
    assert [e["step"] for e in h["evals"]] == [2, 5, 7, 9, 12, 14]
    assert [e["epoch"] for e in h["evals"]] == pytest.approx([2 / 7, 5 / 7, 1, 9 / 7, 12 / 7, 2])
    assert h["val_loss"] == [e["val_loss"] for e in h["evals"]]
    assert h["val_accuracy"] == [e["val_accuracy"] for e in h["evals"]]
    assert set(h["evals"][0]) == {"step", "epoch", "seconds", "val_loss", "val_accuracy"}
    seconds = [e["seconds"] for e in h["evals"]]
    assert seconds == sorted(seconds) and seconds[-1] <= h["seconds"]
    # the last evaluation saw the final weights, in evaluation mode (dropout off)
    assert h["val_loss"][-1] == evaluate_loss(model, nn.CrossEntropyLoss(), Xv, yv)
    assert h["val_accuracy"][-1] == evaluate_accuracy(model, Xv, yv)
    assert len(h["train_loss"]) == 2 and model.training and h["reached"] is None


def test_fit_stops_at_the_target_accuracy_mid_epoch():
    X, y = classification_data(N=64)
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    h = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.5), X, y, epochs=5,
            batch_size=8, progress=False, generator=torch.Generator().manual_seed(0), X_val=X, y_val=y,
            evals_per_epoch=4, target=0.75)
    last = h["evals"][-1]
    assert last["val_accuracy"] >= 0.75 and all(e["val_accuracy"] < 0.75 for e in h["evals"][:-1])
    assert h["reached"] == last["seconds"] and h["steps"] == last["step"] < h["iterations"] == 40
    assert len(h["batch_loss"]) == h["steps"]
    # the cut-short epoch's train_loss averages the batches it took (all of size 8 here)
    done = h["steps"] % 8 or 8
    assert len(h["train_loss"]) == math.ceil(h["steps"] / 8)
    assert h["train_loss"][-1] == pytest.approx(sum(h["batch_loss"][-done:]) / done, rel=1e-12)
    unreachable = fit(nn.Linear(4, 3), nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.0), X, y,
                      epochs=1, batch_size=32, progress=False, X_val=X, y_val=y, target=1.01)
    assert unreachable["reached"] is None and unreachable["steps"] == 2


def test_fit_history_keys():
    X, y = classification_data(N=20)
    model = nn.Linear(4, 3)
    base = {"batch_loss", "train_loss", "iterations_per_epoch", "iterations", "steps", "evals", "reached",
            "seconds", "optimizer", "scheduler"}
    h = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, progress=False)
    assert set(h) == base and h["evals"] == [] and h["scheduler"] is None
    h = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, progress=False,
            X_val=X, y_val=y)
    assert set(h) == base | {"val_loss", "val_accuracy"}
    h = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=0, progress=False)
    assert h["batch_loss"] == h["train_loss"] == [] and h["steps"] == h["iterations"] == 0


def test_fit_rejects_bad_arguments_with_clear_messages():
    X, y = classification_data(N=12)
    model = nn.Linear(4, 3)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]

    def bad(match, exc=ValueError, **kw):
        args = {"X": X, "y": y} | {k: kw.pop(k) for k in ("X", "y") if k in kw}
        with pytest.raises(exc, match=match):
            fit(model, nn.CrossEntropyLoss(), opt, args["X"], args["y"], progress=False, **kw)

    bad("same number of rows, got 12 and 5", y=y[:5])
    bad("at least one training example", X=X[:0], y=y[:0])
    bad("X must have one row per example", X=torch.tensor(1.0))
    bad("y must be a torch.Tensor", TypeError, y=[0] * 12)
    bad("give both X_val and y_val", X_val=X)
    bad("X_val and y_val must be non-empty with the same number of rows, got 12 and 3", X_val=X, y_val=y[:3])
    bad("batch_size >= 1", batch_size=0)
    bad("epochs >= 0", epochs=-1)
    bad("evals_per_epoch >= 1", X_val=X, y_val=y, evals_per_epoch=0)
    bad("target accuracy needs X_val and y_val", target=0.9)
    bad("needs int64 class labels in y_val, got torch.float32", X_val=X, y_val=y.float(), target=0.9)
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), before)), "a rejected call trains nothing"


def test_fit_progress_bar_shows_validation_on_stdout(capsys):
    X, y = classification_data(N=20)
    model = nn.Linear(4, 3)
    fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=2, batch_size=8,
        X_val=X, y_val=y, desc="with validation")
    out, err = capsys.readouterr()
    assert err == "" and "with validation" in out and "val_acc" in out and "val_loss" in out


def test_evaluation_helpers_reject_bad_input():
    with pytest.raises(ValueError, match="empty X"):
        predict(nn.Linear(2, 2), torch.zeros(0, 2))
    with pytest.raises(ValueError, match="outputs of shape \\(batch, classes\\), got \\(5,\\)"):
        evaluate_accuracy(nn.Sequential(nn.Linear(2, 1), nn.Flatten(0)), torch.zeros(5, 2), torch.zeros(5, dtype=torch.long))
    with pytest.raises(ValueError, match="evaluate_loss needs at least one example"):
        evaluate_loss(nn.Linear(2, 1), nn.MSELoss(), torch.zeros(0, 2), torch.zeros(0, 1))
    # a model without parameters is evaluated on the device of the data
    assert evaluate_accuracy(nn.Identity(), torch.eye(3), torch.arange(3)) == 1.0


def test_losses_add_up_in_float64_except_on_mps():
    from dlcourse.train import _sum_dtype

    assert _sum_dtype(torch.device("cpu")) == _sum_dtype("cuda") == torch.float64
    assert _sum_dtype("mps") == torch.float32, "MPS has no float64; a float32 loss is stored exactly"
    X, y = regression_data()
    model = nn.Linear(3, 1)
    h = fit(model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.01), X, y, batch_size=5, progress=False)
    assert all(torch.tensor(v, dtype=torch.float32).item() == v for v in h["batch_loss"]), "float32 losses, exactly"
