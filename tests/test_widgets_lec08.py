"""ComputationalGraphExplorer (lecture 08): forward values and backward gradients of a small graph, vs autograd."""
import numpy as np
import pytest
import torch

from dlcourse.explorers.backprop import ComputationalGraphExplorer


def autograd(fn, **inputs):
    """f and ∂f/∂input for every input, by PyTorch (float64)."""
    leaves = {k: torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for k, v in inputs.items()}
    f = fn(**leaves)
    f.backward()
    return f.item(), {k: t.grad.item() for k, t in leaves.items()}


def assert_matches(state, f, grads):
    assert state["f"] == pytest.approx(f, rel=1e-12, abs=1e-12)
    for k, g in grads.items():
        assert state["grads"][k] == pytest.approx(g, rel=1e-12, abs=1e-12), f"∂f/∂{k}: {state['grads'][k]} vs autograd {g}"


def test_add_mul_worked_example_and_autograd():
    ex = ComputationalGraphExplorer("add_mul")
    s = ex.update(x=2.0, y=-3.0, z=4.0)
    assert s["values"] == {"x": 2.0, "y": -3.0, "z": 4.0, "q": -1.0, "f": -4.0}
    assert s["grads"] == {"x": 4.0, "y": 4.0, "z": -1.0, "q": 4.0, "f": 1.0}
    assert s["local"][("q", "f")] == 4.0 and s["local"][("z", "f")] == -1.0, "multiply swaps its inputs"
    assert s["local"][("x", "q")] == s["local"][("y", "q")] == 1.0, "add has local gradient 1"
    texts = [t.get_text() for t in ex.axes[0].texts]
    assert "q = -1" in texts and "∂f/∂z = -1" in texts and "∂f/∂x = 4" in texts, "the drawn labels follow the state"
    rng = np.random.default_rng(8)
    for _ in range(5):
        x, y, z = rng.uniform(-4, 4, size=3)
        s = ex.update(x=x, y=y, z=z)
        assert_matches(s, *autograd(lambda x, y, z: (x + y) * z, x=x, y=y, z=z))
    s = ex.update(z=0.5)
    assert s["values"]["x"] == x and s["values"]["y"] == y, "inputs not given keep their current values"
    assert s["grads"]["x"] == 0.5 and ex.values() == {"x": x, "y": y, "z": 0.5}


def test_sliders_change_what_is_drawn():
    ex = ComputationalGraphExplorer("add_mul")
    ex.widget
    ex.controls["z"].value = -2.0
    assert ex.state["grads"]["x"] == -2.0 and ex.state["grads"]["z"] == ex.state["values"]["q"]
    assert "∂f/∂x = -2" in [t.get_text() for t in ex.axes[0].texts]
    ex.controls["x"].value = 1.0
    assert ex.state["values"]["q"] == pytest.approx(1.0 + ex.controls["y"].value)
    assert ex.state["f"] == pytest.approx(ex.state["values"]["q"] * -2.0)


def test_sigmoid_neuron_matches_autograd():
    ex = ComputationalGraphExplorer("sigmoid_neuron")
    s = ex.update(w0=1.5, x0=2.0, w1=-1.0, x1=1.0, b=-0.5)
    sig = 1 / (1 + np.exp(-1.5))
    assert s["values"]["t"] == pytest.approx(1.5) and s["f"] == pytest.approx(sig)
    assert s["local"][("t", "f")] == pytest.approx(sig * (1 - sig)), "σ' = σ(1 - σ)"
    neuron = lambda w0, x0, w1, x1, b: torch.sigmoid(w0 * x0 + w1 * x1 + b)  # noqa: E731
    assert_matches(s, *autograd(neuron, w0=1.5, x0=2.0, w1=-1.0, x1=1.0, b=-0.5))
    s = ex.update(w0=-3.0, x0=4.0, w1=4.0, x1=-4.0, b=-4.0)   # t = -32: the sigmoid saturates
    assert np.isfinite(s["f"]) and s["grads"]["w0"] == pytest.approx(4.0 * np.exp(-32.0), rel=1e-6)
    assert_matches(s, *autograd(neuron, w0=-3.0, x0=4.0, w1=4.0, x1=-4.0, b=-4.0))


def test_max_routes_the_gradient_like_pytorch():
    ex = ComputationalGraphExplorer("max_mul")
    fn = lambda x, y, z: torch.maximum(x, y) * z  # noqa: E731
    for x, y, z in [(1.0, 3.0, -2.0), (3.5, -1.0, 2.0), (2.0, 2.0, 3.0)]:
        s = ex.update(x=x, y=y, z=z)
        assert_matches(s, *autograd(fn, x=x, y=y, z=z))
    s = ex.update(x=1.0, y=3.0, z=-2.0)
    assert s["grads"]["x"] == 0.0 and s["grads"]["y"] == -2.0, "only the larger input receives the gradient"


def test_custom_graph_with_a_reused_input_and_relu():
    spec = {"title": "f = relu(x·y + x)", "inputs": {"x": 1.0, "y": 2.0},
            "nodes": [("p", "mul", ("x", "y")), ("s", "add", ("p", "x")), ("f", "relu", ("s",))]}
    ex = ComputationalGraphExplorer(spec)
    fn = lambda x, y: torch.relu(x * y + x)  # noqa: E731
    for x, y in [(1.0, 2.0), (-1.5, 0.5), (2.0, -1.0)]:
        s = ex.update(x=x, y=y)
        assert_matches(s, *autograd(fn, x=x, y=y))
    s = ex.update(x=1.0, y=2.0)
    assert s["grads"]["x"] == 3.0, "x is used twice: its gradient is the sum over both uses (y + 1)"
    assert s["upstream"][("x", "p")] == 2.0 and s["upstream"][("x", "s")] == 1.0


def test_bad_inputs_are_reported():
    with pytest.raises(ValueError, match="unknown graph"):
        ComputationalGraphExplorer("xor")
    with pytest.raises(ValueError, match="unknown op"):
        ComputationalGraphExplorer({"inputs": {"a": 1.0}, "nodes": [("f", "tanh", ("a",))]})
    with pytest.raises(ValueError, match="before they are defined"):
        ComputationalGraphExplorer({"inputs": {"a": 1.0}, "nodes": [("f", "add", ("a", "b"))]})
    with pytest.raises(ValueError, match="unknown inputs"):
        ComputationalGraphExplorer("add_mul").update(w=1.0)
