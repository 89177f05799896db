"""dlcourse.explorers.optimizers (dlcourse.optim_viz before): the 2-D loss surfaces and the torch.optim
trajectories the optimizer race draws."""
import math

import numpy as np
import pytest
import torch

from dlcourse.explorers.optimizers import OPTIMIZERS, SURFACES, make_optimizer, trajectory


@pytest.mark.parametrize("name", list(SURFACES))
def test_analytic_gradients_match_autograd(name):
    surf = SURFACES[name]
    for x, y in [surf.start, (0.3, -1.7), (1.9, 2.5), surf.minimum]:
        p = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
        surf(p[0], p[1]).backward()
        assert np.allclose(surf.grad(x, y), p.grad.numpy(), rtol=1e-12, atol=1e-12)
    assert surf(*surf.minimum) == pytest.approx(0.0, abs=1e-12), "the marked minimum is where f = 0"
    assert surf(*surf.start) > 1.0
    assert set(surf.lrs) == set(OPTIMIZERS), "every surface has a default learning rate for every optimizer"


def test_surfaces_evaluate_numpy_grids():
    gx, gy = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 4))
    for surf in SURFACES.values():
        Z = surf(gx, gy)
        assert Z.shape == (4, 5) and np.all(Z >= 0)
    assert SURFACES["rosenbrock"](1.0, 1.0) == 0.0 and SURFACES["rosenbrock"](0.0, 0.0) == 1.0
    assert SURFACES["ravine"](2.0, 1.0) == pytest.approx(4 / 20 + 1)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_trajectory_is_the_torch_optimizer_step_by_step(name):
    surf = SURFACES["rosenbrock"]
    lr = surf.lrs[name]
    path, losses, diverged = trajectory("rosenbrock", name, lr, 25)
    assert path.shape == (26, 2) and losses.shape == (26,) and not diverged
    # the same run written out with autograd
    p = torch.tensor(surf.start, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(name, [p], lr)
    expected = [p.detach().clone()]
    for _ in range(25):
        opt.zero_grad()
        surf(p[0], p[1]).backward()
        opt.step()
        expected.append(p.detach().clone())
    assert np.allclose(path, torch.stack(expected).numpy(), rtol=1e-12, atol=1e-12)
    assert np.allclose(losses, [surf(*q) for q in path])


def test_optimizer_settings_are_the_named_ones():
    p = torch.zeros(2, requires_grad=True)
    sgd, mom, nag = (make_optimizer(n, [p], 0.1) for n in ("SGD", "Momentum", "Nesterov"))
    assert sgd.defaults["momentum"] == 0 and mom.defaults["momentum"] == 0.9 and not mom.defaults["nesterov"]
    assert nag.defaults["nesterov"] and nag.defaults["momentum"] == 0.9
    assert isinstance(make_optimizer("Adam", [p], 0.1), torch.optim.Adam)
    assert isinstance(make_optimizer("AdaDelta", [p], 0.1), torch.optim.Adadelta)
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("LBFGS", [p], 0.1)


def test_divergence_stops_the_run():
    path, losses, diverged = trajectory("ravine", "SGD", 1.5, 200)  # y is multiplied by 1 - 2 lr = -2 per step
    assert diverged and len(path) < 201 and len(path) == len(losses)
    assert np.all(np.isfinite(path)) and np.abs(path).max() <= 1e6
    path, losses, diverged = trajectory("ravine", "SGD", 0.5, 0)
    assert not diverged and path.shape == (1, 2) and losses[0] == pytest.approx(49 / 20 + 4)
    with pytest.raises(ValueError, match="lr"):
        trajectory("ravine", "SGD", 0.0, 5)


def test_sgd_is_rotation_invariant_and_adagrad_is_not():
    ravine, rotated = SURFACES["ravine"], SURFACES["rotated ravine"]
    assert rotated(*rotated.start) == pytest.approx(ravine(*ravine.start)), "the same start, turned"
    _, l1, _ = trajectory("ravine", "SGD", 0.9, 40)
    _, l2, _ = trajectory("rotated ravine", "SGD", 0.9, 40)
    assert np.allclose(l1, l2, rtol=1e-9, atol=1e-15)
    _, a1, _ = trajectory("ravine", "AdaGrad", 1.5, 40)
    _, a2, _ = trajectory("rotated ravine", "AdaGrad", 1.5, 40)
    assert a1[-1] < 1e-2 * a2[-1], "per-coordinate step sizes help only when the ravine follows the axes"
    assert math.isfinite(a2[-1])


def test_a_surface_without_a_gradient_uses_autograd():
    from dlcourse.explorers.optimizers import Surface

    bowl = Surface("bowl", lambda x, y: (x - 1.0) ** 2 + 4.0 * y * y, start=(3.0, 1.0), minimum=(1.0, 0.0),
                   xlim=(-4.0, 4.0), ylim=(-2.0, 2.0))
    path, losses, diverged = trajectory(bowl, "SGD", 0.1, 3)
    # gradient (2 (x - 1), 8 y): x - 1 shrinks by 0.8 per step, y by 0.2
    assert not diverged and np.allclose(path[:, 0] - 1.0, 2.0 * 0.8 ** np.arange(4))
    assert np.allclose(path[:, 1], 0.2 ** np.arange(4))
    assert losses[-1] == pytest.approx(bowl(*path[-1]))
