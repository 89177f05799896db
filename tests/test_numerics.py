"""dlcourse.numerics: the NumPy math the explorers share, checked against PyTorch (float64)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.numerics import logistic, mean_square, stable_bce


def test_mean_square_is_the_mse_of_the_residuals():
    rng = np.random.default_rng(0)
    y_hat, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    expected = F.mse_loss(torch.tensor(y_hat), torch.tensor(y)).item()
    assert mean_square(y_hat - y) == pytest.approx(expected, rel=1e-14)
    per_column = mean_square(y_hat - y, axis=0)
    assert per_column.shape == (3,) and np.allclose(per_column, ((y_hat - y) ** 2).mean(axis=0))
    assert mean_square([1.0, -3.0]) == 5.0, "lists work too: (1 + 9) / 2"


def test_stable_bce_matches_pytorch_even_at_huge_logits(recwarn):
    rng = np.random.default_rng(1)
    z, y = rng.normal(scale=4.0, size=(5, 4)), (rng.random((5, 4)) > 0.5).astype(np.float64)
    expected = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y)).item()
    assert stable_bce(z, y) == pytest.approx(expected, rel=1e-13)
    rows = stable_bce(z, y, axis=1)
    torch_rows = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y), reduction="none").mean(dim=1)
    assert rows.shape == (5,) and np.allclose(rows, torch_rows.numpy(), rtol=1e-13)
    huge = np.array([1000.0, -1000.0, 800.0])
    wrong = np.array([0.0, 1.0, 1.0])
    assert stable_bce(huge, wrong) == pytest.approx((1000.0 + 1000.0 + 0.0) / 3), "a confident mistake costs |z|"
    assert not recwarn.list, "no overflow warnings"


def test_logistic_is_accurate_in_both_tails():
    z = np.concatenate([np.linspace(-700.0, 700.0, 2001), [0.0, -1e-300, 1e-300]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is numpy's silent default
        s = logistic(z)
    expected = torch.sigmoid(torch.tensor(z)).numpy()
    assert np.allclose(s, expected, rtol=1e-14, atol=0), "relative accuracy, also where σ(z) ~ 1e-304"
    assert logistic(0.0) == 0.5 and logistic(-32.0) == pytest.approx(np.exp(-32.0), rel=1e-13)
    assert logistic(-740.0) > 0 and logistic(800.0) == 1.0 and logistic(-800.0) == 0.0
    assert s.shape == z.shape and isinstance(logistic(1.0), np.floating)


@pytest.mark.parametrize("call", [lambda t: mean_square(t), lambda t: stable_bce(t, t), lambda t: logistic(t)])
def test_tensors_are_refused(call):
    with pytest.raises(TypeError, match="NumPy arrays"):
        call(torch.zeros(3))
