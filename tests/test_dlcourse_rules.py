"""dlcourse.rules (forbid, no_one_hot) and checks.explain: a stated rule fails with a sentence, however it is broken."""
import pytest
import torch
import torch.nn.functional as F

import dlcourse
from dlcourse import CheckFailed, explain, forbid, no_one_hot, numerical_grad
from torch import softmax as bound_early

SOFTMAX = ("torch.softmax", "torch.Tensor.softmax", "torch.nn.functional.softmax")
Z = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize("call", [
    lambda: torch.softmax(Z, 1), lambda: Z.softmax(1), lambda: F.softmax(Z, 1),
    lambda: bound_early(Z, 1),                                   # a name bound before the rule was switched on
    lambda: getattr(torch, "soft" + "max")(Z, 1),                # a computed name
], ids=["torch", "method", "F", "alias", "getattr"])
def test_forbid_catches_every_way_to_call_it(call):
    with pytest.raises(CheckFailed, match=r"your answer called .*softmax, which this exercise rules out: do it yourself"):
        with forbid(*SOFTMAX, why="do it yourself"):
            call()


def test_forbid_restores_everything_and_leaves_pytorch_internals_alone():
    with forbid("torch.log_softmax", "torch.nn.functional.log_softmax", why="x"):
        loss = F.cross_entropy(Z, torch.tensor([0, 1, 2, 0]))  # calls log_softmax inside PyTorch: allowed
    assert torch.isfinite(loss)
    assert torch.softmax is bound_early and torch.allclose(F.softmax(Z, 1), Z.softmax(1))


def test_forbid_switches_a_course_helper_off_under_every_name():
    def by_import():
        return numerical_grad(lambda z: z.sum(), torch.ones(2, dtype=torch.float64))

    def by_package():
        return dlcourse.numerical_grad(lambda z: z.sum(), torch.ones(2, dtype=torch.float64))

    for answer in (by_import, by_package):
        with pytest.raises(CheckFailed, match="dlcourse.gradcheck.numerical_grad"):
            with forbid("dlcourse.gradcheck.numerical_grad", why="write the central difference yourself"):
                answer()
    assert torch.allclose(by_import(), torch.ones(2, dtype=torch.float64))


Y = torch.tensor([0, 2, 1, 1])


@pytest.mark.parametrize("build", [
    lambda: F.one_hot(Y, 3).float(), lambda: (Y[:, None] == torch.arange(3)).float(), lambda: torch.eye(3)[Y],
    lambda: torch.zeros(4, 3).scatter_(1, Y[:, None], 1.0),
], ids=["one_hot", "comparison", "eye", "scatter"])
def test_no_one_hot_catches_each_way_to_build_one(build):
    with pytest.raises(CheckFailed, match=r"built a one-hot matrix of shape \(N, 3\)"):
        with no_one_hot(3, why="pick the true class with indexing"):
            build()


def test_no_one_hot_allows_indexing_and_gather():
    logits = torch.tensor([[1000.0, 0.0, -1000.0], [0.5, 2.0, -1.0]])  # softmax of row 0 is exactly [1, 0, 0]
    with no_one_hot(3, why="x"):
        lp = torch.log_softmax(logits, dim=1)
        a = -lp[torch.arange(2), torch.tensor([0, 1])].mean()
        b = -lp.gather(1, torch.tensor([[0], [1]])).mean()
        torch.softmax(logits, dim=1)
    assert torch.allclose(a, b)


def test_explain_turns_an_error_into_a_sentence():
    with pytest.raises(CheckFailed, match=r"^f\(X\) should return a \(2, 3\) tensor; instead it raised RuntimeError: mat1"):
        with explain("f(X) should return a (2, 3) tensor"):
            torch.ones(2, 2) @ torch.ones(3, 3)
    with pytest.raises(CheckFailed, match="^inner$"):  # a CheckFailed passes through unchanged
        with explain("outer"):
            raise CheckFailed("inner")
    with pytest.raises(NotImplementedError):  # an exercise not attempted yet stays "not attempted"
        with explain("outer"):
            raise NotImplementedError()
    with explain("nothing goes wrong"):
        pass
