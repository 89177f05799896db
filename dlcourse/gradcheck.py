"""Numerical derivatives by central differences and a gradient checker.

``grad_check`` compares an analytic gradient (yours, or autograd's) with the numerical one and reports the
relative error ``|a - n| / max(|a|, |n|, tiny)``; around 1e-7 or less in float64 means the gradient is right.
"""
from __future__ import annotations

from typing import Callable

import torch

from .checks import CheckFailed


def numerical_grad(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """d f(x) / dx by central differences; ``f`` returns a scalar. x is not modified (a float64 copy is used)."""
    x = x.detach().to(torch.float64).clone()
    grad = torch.zeros_like(x)
    flat, gflat = x.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        plus = float(f(x))
        flat[i] = old - eps
        minus = float(f(x))
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """max over entries of |a - b| / max(|a|, |b|, 1e-12)."""
    a, b = a.detach().to(torch.float64).cpu(), b.detach().to(torch.float64).cpu()
    if a.shape != b.shape:
        raise ValueError(f"gradient shapes differ: {tuple(a.shape)} vs {tuple(b.shape)}")
    denom = torch.maximum(torch.maximum(a.abs(), b.abs()), torch.full_like(a, 1e-12))
    return float(((a - b).abs() / denom).max()) if a.numel() else 0.0


def grad_check(
    f: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    analytic: torch.Tensor | None = None,
    *,
    eps: float = 1e-6,
    tol: float = 1e-5,
    name: str = "gradient",
) -> float:
    """Check ``analytic`` (default: autograd's gradient of ``f`` at ``x``) against central differences.

    Returns the relative error; raises :class:`CheckFailed` naming the worst entry when it exceeds ``tol``.
    """
    if analytic is None:
        xg = x.detach().to(torch.float64).clone().requires_grad_(True)
        (analytic,) = torch.autograd.grad(f(xg), xg)
    numeric = numerical_grad(f, x, eps)
    err = relative_error(analytic, numeric)
    if not err <= tol:
        diff = (analytic.detach().to(torch.float64).cpu() - numeric).abs().reshape(-1)
        i = int(diff.argmax())
        raise CheckFailed(
            f"{name} does not match central differences: relative error {err:.2e} > {tol:.0e}; "
            f"worst at flat index {i}: analytic {analytic.reshape(-1)[i].item():.6g}, "
            f"numerical {numeric.reshape(-1)[i].item():.6g}"
        )
    return err
