"""Stated "compute it yourself" rules: the probes replay a test's switched-off functions, and the grader reads
the answer's source for the ones a probe cannot switch off (fast: no sandbox, no kernel)."""
import pytest
import torch
import torch.nn.functional as F

from autograder.sandbox.policy import switched_off_uses
from autograder.sandbox.probes import _Ambient, switched_off

SIGMOID_OFF = {"torch.sigmoid", "torch.Tensor.sigmoid", "torch.special.expit", "torch.nn.functional.sigmoid"}


@pytest.mark.parametrize("source, what", [
    ("def sigmoid(z):\n    return torch.sigmoid(z)\n", "torch.sigmoid"),
    ("def sigmoid(z):\n    return z.sigmoid()\n", "z.sigmoid"),
    ("from torch import sigmoid as s\n\ndef sigmoid(z):\n    return s(z)\n", "torch.sigmoid"),
    ("f = torch.special.expit\n\ndef sigmoid(z):\n    return f(z)\n", "torch.special.expit"),
    ("def sigmoid(z):\n    return getattr(torch, 'sigmoid')(z)\n", "getattr(torch, 'sigmoid')"),
])
def test_rule_check_names_the_forbidden_call(source, what):
    found = switched_off_uses(source, SIGMOID_OFF)
    assert found and what in found[0].what and "compute it yourself" in found[0].what


@pytest.mark.parametrize("source", [
    'def sigmoid(z):\n    """The sigmoid, 1 / (1 + exp(-z)); not torch.sigmoid."""\n    return 1 / (1 + torch.exp(-z))\n',
    "def sigmoid(z):\n    e = torch.exp(-z.abs())\n    return torch.where(z >= 0, 1 / (1 + e), e / (1 + e))\n",
    "def sigmoid(z):\n    return 1 / (1 + torch.exp(-z))\n\n\ndef predict(z):\n    return sigmoid(z) > 0.5\n",
    "def broken(:\n",  # does not compile: reported by running it, not here
])
def test_rule_check_leaves_honest_answers_alone(source):
    assert switched_off_uses(source, SIGMOID_OFF) == []


def test_a_probe_switches_off_what_its_test_did_and_restores_it():
    ambient = _Ambient()
    assert ambient.context() == {}
    original, method = torch.sigmoid, torch.Tensor.sigmoid
    with switched_off({"disabled": sorted(SIGMOID_OFF), "grad_enabled": False}):
        assert not torch.is_grad_enabled()
        recorded = ambient.context()
        assert set(recorded["disabled"]) == SIGMOID_OFF and recorded["grad_enabled"] is False
        for call in (lambda: torch.sigmoid(torch.zeros(2)), lambda: torch.zeros(2).sigmoid(), lambda: F.sigmoid(torch.zeros(2))):
            with pytest.raises(RuntimeError, match="switched off while this exercise is tested"):
                call()
        assert torch.exp(torch.zeros(1)).item() == 1.0  # everything else still works
    assert torch.sigmoid is original and torch.Tensor.sigmoid is method and "sigmoid" not in vars(torch.Tensor)
    assert torch.is_grad_enabled() and ambient.context() == {}


def test_a_probe_ignores_names_outside_the_library_surfaces():
    with switched_off({"disabled": ["os.system", "builtins.open", 42]}) as off:
        assert off.names == []


@pytest.mark.parametrize("source", [
    "from dlcourse import numerical_grad\n\ndef numerical_gradient(f, X, h=1e-5):\n    return numerical_grad(f, X)\n",
    "import dlcourse\n\ndef numerical_gradient(f, X, h=1e-5):\n    return dlcourse.gradcheck.numerical_grad(f, X)\n",
    # the setup cell imported it: a bare name the answer does not bind itself
    "def numerical_gradient(f, X, h=1e-5):\n    return numerical_grad(f, X)\n",
])
def test_rule_check_names_a_course_helper_that_answers_the_exercise(source):
    found = switched_off_uses(source, set(), {"numerical_grad"})
    assert found and "course-library function that answers this exercise" in found[0].what


def test_rule_check_allows_the_answers_own_function_of_that_name():
    own = "def relative_error(a, b):\n    return 0.0\n\n\ndef both(a, b):\n    return relative_error(a, b)\n"
    assert switched_off_uses(own, set(), {"relative_error"}) == []


def test_a_probe_switches_off_a_course_helper_wherever_the_notebook_reaches_it():
    import dlcourse
    from dlcourse import gradcheck

    namespace = {"numerical_grad": gradcheck.numerical_grad, "mine": lambda: 1}
    original = gradcheck.numerical_grad
    with switched_off({"not_allowed": ["numerical_grad"]}, namespace):
        for call in (lambda: namespace["numerical_grad"](lambda X: X.sum(), torch.zeros(2)),
                     lambda: dlcourse.numerical_grad(lambda X: X.sum(), torch.zeros(2)),
                     lambda: gradcheck.numerical_grad(lambda X: X.sum(), torch.zeros(2))):
            with pytest.raises(RuntimeError, match="numerical_grad from the course library answers this exercise"):
                call()
        assert namespace["mine"]() == 1
    assert gradcheck.numerical_grad is original and dlcourse.numerical_grad is original
    assert namespace["numerical_grad"] is original


def test_a_probe_switches_off_a_notebook_name_bound_to_a_forbidden_function():
    namespace = {"s": getattr(torch, "sig" + "moid"), "torch": torch}
    with switched_off({"disabled": ["torch.sigmoid"]}, namespace):
        with pytest.raises(RuntimeError, match="torch.sigmoid is switched off"):
            namespace["s"](torch.zeros(1))
        assert namespace["torch"] is torch
    assert namespace["s"] is torch.sigmoid
