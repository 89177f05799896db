"""simgpu behaves like a separate accelerator: real values, PyTorch's own errors on mixed devices."""
import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse import simdevice
from dlcourse.devices import available_devices, device_available, pick_device

SIM = simdevice.enable()


def test_values_match_the_cpu_and_stay_on_the_device():
    g = torch.Generator().manual_seed(0)
    x, w = torch.randn(5, 4, generator=g), torch.randn(4, 3, generator=g)
    xs, ws = x.to(SIM), w.to("simgpu")
    out = torch.relu(xs @ ws).softmax(dim=1).sum(0)
    assert out.device == SIM and torch.allclose(out.cpu(), torch.relu(x @ w).softmax(dim=1).sum(0))
    assert torch.zeros_like(xs).device == SIM and torch.arange(3, device=xs.device).device == SIM
    assert torch.tensor([1.0, 2.0], device=xs.device).device == SIM  # torch.tensor(..., device=) works
    assert xs.double().device == SIM and xs.double().dtype == torch.float64
    assert xs[torch.tensor([0, 2])].device == SIM  # CPU index tensors are allowed, as on CUDA
    assert (xs + torch.tensor(1.0)).device == SIM  # so are 0-dim CPU tensors
    assert f"{xs.sum():.3f}" == f"{x.sum():.3f}" and xs.tolist() == x.tolist()
    assert "device='simgpu:0'" in repr(xs)


@pytest.mark.parametrize("mix", [lambda a, b: a + b, lambda a, b: a @ b.T, lambda a, b: torch.cat([a, b]),
                                 lambda a, b: torch.where(a > 0, a, b)])
def test_mixing_with_a_cpu_tensor_raises_like_cuda(mix):
    a = torch.ones(2, 3, device=SIM)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        mix(a, torch.ones(2, 3))


def test_numpy_needs_cpu_first():
    t = torch.ones(3, device=SIM)
    with pytest.raises(TypeError, match="Use Tensor.cpu"):
        t.numpy()
    with pytest.raises(TypeError, match="Use Tensor.cpu"):
        np.asarray(t)
    assert t.cpu().numpy().tolist() == [1.0, 1.0, 1.0]


def test_autograd_modules_and_optimizers():
    torch.manual_seed(0)
    cpu_model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    sim_model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    sim_model.load_state_dict(cpu_model.state_dict())
    opts = [torch.optim.Adam(cpu_model.parameters(), lr=0.1), torch.optim.Adam(sim_model.parameters(), lr=0.1)]
    sim_model.to(SIM)  # after the optimizer was made, as real code does: the optimizer still holds the parameters
    x, y = torch.randn(6, 4), torch.tensor([0, 1, 1, 0, 1, 0])
    for _ in range(3):
        for model, opt, dev in ((cpu_model, opts[0], "cpu"), (sim_model, opts[1], SIM)):
            opt.zero_grad()
            F.cross_entropy(model(x.to(dev)), y.to(dev)).backward()
            opt.step()
    assert all(p.device == SIM for p in sim_model.parameters())
    assert isinstance(next(sim_model.parameters()), torch.nn.Parameter)
    for p, q in zip(cpu_model.parameters(), sim_model.parameters()):
        assert torch.allclose(p, q.cpu(), atol=1e-6)


def test_save_and_load_respect_map_location():
    model = torch.nn.Linear(3, 2).to(SIM)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    on_sim = torch.load(io.BytesIO(buf.getvalue()))
    on_cpu = torch.load(io.BytesIO(buf.getvalue()), map_location="cpu")
    assert all(t.device == SIM for t in on_sim.values())
    assert all(t.device.type == "cpu" for t in on_cpu.values())
    assert torch.equal(on_cpu["weight"], model.weight.detach().cpu())
    fresh = torch.nn.Linear(3, 2).to(SIM)
    fresh.load_state_dict(torch.load(io.BytesIO(buf.getvalue()), map_location=SIM))
    assert torch.equal(fresh.weight.cpu(), model.weight.cpu()) and fresh.weight.device == SIM


def test_device_helpers_know_simgpu(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICES", "cpu,simgpu")
    assert [d.type for d in available_devices()] == ["cpu", "simgpu"]
    assert device_available("simgpu") and pick_device("simgpu") == SIM
    monkeypatch.setenv("DLCOURSE_DEVICES", "cpu")
    assert [d.type for d in available_devices()] == ["cpu"]
    monkeypatch.delenv("DLCOURSE_DEVICES")
    have_accelerator = torch.cuda.is_available() or bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    assert ("simgpu" in [d.type for d in available_devices()]) is not have_accelerator


def test_a_cpu_result_fails_the_device_check():
    from dlcourse import CheckFailed, check_close

    x = torch.randn(3, 4, device=SIM)
    with pytest.raises(CheckFailed, match="result is on cpu, expected simgpu"):
        check_close(x.exp().cpu(), x.exp(), device=x.device)
