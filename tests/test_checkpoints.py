"""dlcourse.checkpoints: a round trip restores the exact weights and Adam state; every bad file gets a clear
CheckpointError and leaves the model and optimizer as they were."""
import numpy as np
import pytest
import torch
from torch import nn

from dlcourse.checkpoints import CheckpointError, load_checkpoint, save_checkpoint
from dlcourse.models import mnist_cnn
from tests.conftest import device_params


def trained(seed=0, c1=4):
    """A small CNN and its Adam after two steps, so the optimizer has state (exp_avg, step)."""
    torch.manual_seed(seed)
    m = mnist_cnn(c1, 8)
    opt = torch.optim.Adam(m.parameters(), lr=1e-2)
    x = torch.randn(8, 1, 28, 28, generator=torch.Generator().manual_seed(seed))
    y = torch.arange(8)
    for _ in range(2):
        opt.zero_grad()
        nn.functional.cross_entropy(m(x), y).backward()
        opt.step()
    return m, opt


def snapshot(m, opt=None):
    state = {k: v.clone() for k, v in m.state_dict().items()}
    if opt is not None:
        state |= {f"opt.{i}.{k}": v.clone() for i, s in opt.state_dict()["state"].items() for k, v in s.items()}
    return state


def same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_round_trip_restores_weights_optimizer_and_extras(tmp_path):
    m, opt = trained(0)
    path = save_checkpoint(tmp_path / "sub" / "c.pt", m, opt, epoch=3, accuracy=0.5, note="hi", curve=[1.0, 2.0])
    assert path == tmp_path / "sub" / "c.pt" and path.is_file()
    fresh, fresh_opt = trained(1)
    state = load_checkpoint(path, fresh, fresh_opt)
    assert (state["epoch"], state["accuracy"], state["note"], state["curve"]) == (3, 0.5, "hi", [1.0, 2.0])
    assert same(snapshot(fresh, fresh_opt), snapshot(m, opt))
    x = torch.randn(4, 1, 28, 28)
    m.eval(), fresh.eval()
    assert torch.equal(m(x), fresh(x))
    # the restored Adam takes the same next step as the original
    for model, o in ((m, opt), (fresh, fresh_opt)):
        model.train()
        o.zero_grad()
        nn.functional.cross_entropy(model(x), torch.arange(4)).backward()
        o.step()
    assert same(snapshot(fresh), snapshot(m))


def test_a_checkpoint_without_optimizer(tmp_path):
    m, _ = trained(0)
    save_checkpoint(tmp_path / "noopt.pt", m)
    assert torch.load(tmp_path / "noopt.pt", weights_only=True)["optimizer"] is None
    fresh, fresh_opt = trained(1)
    before = snapshot(fresh, fresh_opt)
    with pytest.raises(CheckpointError, match="saved without an optimizer state; pass optimizer=None"):
        load_checkpoint(tmp_path / "noopt.pt", fresh, fresh_opt)
    assert same(snapshot(fresh, fresh_opt), before), "a refused load changes nothing"
    load_checkpoint(tmp_path / "noopt.pt", fresh)
    assert same(snapshot(fresh), snapshot(m))


def test_missing_and_unreadable_files(tmp_path):
    m, _ = trained(0)
    with pytest.raises(CheckpointError, match=r"no checkpoint at .*missing\.pt: save one first"):
        load_checkpoint(tmp_path / "missing.pt", m)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match=r"junk\.pt is not a readable PyTorch checkpoint"):
        load_checkpoint(tmp_path / "junk.pt", m)
    good = save_checkpoint(tmp_path / "good.pt", m)
    (tmp_path / "cut.pt").write_bytes(good.read_bytes()[:200])  # a truncated download
    with pytest.raises(CheckpointError, match="not a readable PyTorch checkpoint"):
        load_checkpoint(tmp_path / "cut.pt", m)
    torch.save({"weights": m.state_dict()}, tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match="holds no 'model' entry"):
        load_checkpoint(tmp_path / "other.pt", m)
    torch.save([1, 2], tmp_path / "list.pt")
    with pytest.raises(CheckpointError, match="holds no 'model' entry"):
        load_checkpoint(tmp_path / "list.pt", m)
    torch.save({"model": [1, 2]}, tmp_path / "notdict.pt")
    with pytest.raises(CheckpointError, match="the 'model' entry of .* is a list, not a state_dict"):
        load_checkpoint(tmp_path / "notdict.pt", m)


def test_a_checkpoint_that_does_not_fit_leaves_the_model_unchanged(tmp_path):
    m, opt = trained(0, c1=4)
    path = save_checkpoint(tmp_path / "c.pt", m, opt)
    wider, wider_opt = trained(1, c1=5)
    before = snapshot(wider, wider_opt)
    with pytest.raises(CheckpointError, match=r"(?s)does not fit this model \(different layers or sizes\?\):\n.*size mismatch for 0.weight"):
        load_checkpoint(path, wider, wider_opt)
    assert same(snapshot(wider, wider_opt), before), "the layers that did fit were put back"
    with pytest.raises(CheckpointError, match="does not fit this model"):
        load_checkpoint(path, nn.Linear(3, 2))
    # weights that fit, an optimizer that does not: the model is put back too
    same_model, _ = trained(2)
    sgd = torch.optim.SGD([same_model[0].weight], lr=0.1, momentum=0.9)
    before = snapshot(same_model)
    with pytest.raises(CheckpointError, match="the optimizer state in .* does not fit this optimizer"):
        load_checkpoint(path, same_model, sgd)
    assert same(snapshot(same_model), before)
    torch.save({"model": m.state_dict(), "optimizer": "garbage"}, tmp_path / "badopt.pt")
    with pytest.raises(CheckpointError, match="does not fit this optimizer"):
        load_checkpoint(tmp_path / "badopt.pt", same_model, torch.optim.Adam(same_model.parameters()))
    assert same(snapshot(same_model), before)


def test_extras_that_would_not_load_back_are_refused_when_saving(tmp_path):
    m, _ = trained(0)
    with pytest.raises(CheckpointError, match=r"cannot store accuracy=np.float32\(0.5\) \(a numpy.float32\).*"
                                              r"accuracy=float\(...\)"):
        save_checkpoint(tmp_path / "c.pt", m, accuracy=np.float32(0.5))
    assert not (tmp_path / "c.pt").exists(), "nothing is written"
    with pytest.raises(CheckpointError, match="cannot store model_class="):
        save_checkpoint(tmp_path / "c.pt", m, model_class=nn.Linear)
    path = save_checkpoint(tmp_path / "c.pt", m, epoch=int(np.int64(3)), best=torch.tensor(0.9), shape=(1, 28, 28))
    state = load_checkpoint(path, m)
    assert state["epoch"] == 3 and state["shape"] == (1, 28, 28) and torch.equal(state["best"], torch.tensor(0.9))


@pytest.mark.parametrize("device", device_params())
def test_map_location_loads_onto_the_model_device(tmp_path, device):
    m, opt = trained(0)
    m.to(device)
    path = save_checkpoint(tmp_path / "c.pt", m)
    fresh, _ = trained(1)  # on the CPU
    state = load_checkpoint(path, fresh, map_location="cpu")
    assert all(t.device.type == "cpu" for t in state["model"].values())
    assert next(fresh.parameters()).device.type == "cpu"
    assert same(snapshot(fresh), {k: v.cpu() for k, v in snapshot(m).items()})
