"""XORTrainingExplorer (lecture 09): the step slider scrubs through training of a 2-hidden-unit net on XOR."""
import numpy as np
import pytest
import torch
from torch import nn

from dlcourse.explorers.xor import XORTrainingExplorer
from dlcourse.xor import XOR_X, XOR_Y, xor_net_forward, xor_net_training


@pytest.fixture(scope="module")
def explorer():
    return XORTrainingExplorer(hidden=2, seed=0, steps=3000, lr=1.0, every=10, hidden_sizes=(1, 2, 3), seeds=range(8))


def test_good_seed_reaches_full_accuracy_and_the_surface_changes(explorer):
    end = explorer.update(step=3000, hidden=2, seed=0)
    assert end["step"] == 3000 and end["accuracy"] == 1.0
    assert end["loss"] < 0.01
    assert ((end["y_hat"] > 0.5) == (XOR_Y[:, 0] == 1)).all(), "every point on the right side of 0.5"
    start = explorer.update(step=0)
    assert start["step"] == 0 and start["accuracy"] < 1.0 and start["loss"] > 0.6
    assert np.abs(start["surface"] - end["surface"]).max() > 0.5, "the decision surface must change over training"
    middle = explorer.update(step=1234)
    assert middle["step"] == 1230, "a step between snapshots shows the snapshot before it"
    assert not np.allclose(middle["surface"], start["surface"]) and not np.allclose(middle["surface"], end["surface"])
    assert "step 1230" in explorer.axes[0].get_title()
    assert "accuracy" in explorer.axes[2].get_title()


def test_state_is_what_the_network_computes(explorer):
    s = explorer.update(step=3000, hidden=2, seed=0)
    H, y_hat = xor_net_forward(s["params"], XOR_X)
    assert np.allclose(s["H"], H) and np.allclose(s["y_hat"], y_hat[:, 0])
    gx, gy = np.meshgrid(s["grid"], s["grid"])
    _, surf = xor_net_forward(s["params"], np.stack([gx.ravel(), gy.ravel()], axis=1))
    assert np.allclose(s["surface"], surf.reshape(gx.shape))
    # the hidden representation of a solved run is linearly separable: the output unit's logit separates it
    z = s["H"] @ s["params"]["W2"][:, 0] + s["params"]["b2"][0]
    assert ((z > 0) == (XOR_Y[:, 0] == 1)).all()
    # the points drawn in hidden space are the hidden activations
    drawn = np.array([c.get_offsets()[0] for c in explorer.axes[1].collections if c.get_gid() == "hidden point"])
    assert np.allclose(np.sort(drawn, axis=0), np.sort(s["H"], axis=0))


def test_training_matches_pytorch_autograd():
    run = xor_net_training(3, 5, steps=200, lr=0.5, every=50)
    rng = np.random.default_rng(5)
    W1, W2 = rng.normal(0, 1, (2, 3)), rng.normal(0, 1, (3, 1))
    model = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1)).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(W1.T)), model[0].bias.zero_()
        model[2].weight.copy_(torch.tensor(W2.T)), model[2].bias.zero_()
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    X, y = torch.tensor(XOR_X), torch.tensor(XOR_Y)
    losses = []
    for _ in range(200):
        loss = nn.functional.binary_cross_entropy_with_logits(model(X), y)
        opt.zero_grad(), loss.backward(), opt.step()
        losses.append(loss.item())
    assert np.allclose(run["loss"][:200], losses, rtol=1e-10, atol=1e-12)
    assert list(run["steps"]) == [0, 50, 100, 150, 200]
    assert np.allclose(run["params"][-1]["W1"], model[0].weight.detach().numpy().T, atol=1e-10)
    batch = xor_net_training(3, [4, 5], steps=200, lr=0.5, every=50)
    assert batch["loss"].shape == (2, 201) and np.allclose(batch["loss"][1], run["loss"], atol=1e-12)


def test_one_hidden_unit_and_bad_seed_do_not_solve_xor(explorer):
    for seed in range(8):
        s = explorer.update(step=3000, hidden=1, seed=seed)
        assert s["accuracy"] <= 0.75 and s["H"].shape == (4, 1)
        assert explorer.run(1, seed)["accuracy"].max() <= 0.75, "one hidden unit is a linear classifier"
    bad = explorer.update(step=3000, hidden=2, seed=6)
    assert bad["accuracy"] < 1.0 and 0.33 < bad["loss"] < 0.36, "seed 6 is stuck at about log(2) / 2"
    assert explorer.update(step=3000, hidden=3, seed=6)["accuracy"] == 1.0, "a third hidden unit rescues seed 6"


def test_widget_drives_update_and_bad_values_are_refused(explorer):
    box = explorer.widget
    assert box.children[1] is explorer.output
    explorer.controls["hidden"].value = 2
    explorer.controls["seed"].value = 0
    explorer.controls["step"].value = 0
    assert explorer.state["step"] == 0 and explorer.state["accuracy"] < 1.0
    explorer.controls["step"].value = 3000
    assert explorer.state["accuracy"] == 1.0
    with pytest.raises(ValueError, match="step"):
        explorer.update(step=5000)
    with pytest.raises(ValueError, match="every"):
        XORTrainingExplorer(steps=100, every=7)
