"""The small MNIST CNN of lecture 12 and the recipe that trains it past 99% validation accuracy.

* :func:`mnist_cnn` builds the classic two conv+pool blocks followed by a fully connected classifier
  (batch norm after each convolution makes it train fast);
* :func:`normalize_mnist` standardises [0, 1] pixels with the training-set statistics of
  :mod:`dlcourse.data`;
* :data:`RECIPE` holds the settings lecture 12, lab 12 and the benchmark pass to
  :func:`dlcourse.train.train_cnn`.
"""
from __future__ import annotations

import torch
from torch import nn

from .data import MNIST_MEAN, MNIST_STD

__all__ = ["MNIST_MEAN", "MNIST_STD", "RECIPE", "mnist_cnn", "normalize_mnist"]

#: The settings lecture 12, lab 12 and the benchmark ``python -m bench mnist_cnn_time_to_99`` use. Training
#: stops at the first validation score (``load_mnist("val")``, 4 per epoch) of 99% or more within the 3
#: scheduled epochs; the test set is scored once afterwards (tests/test_lectures.py records both). Chosen on the
#: validation set alone, with seeds 0 and 1: 8 and 16 channels ended the 3 epochs right at the 99% line, so the
#: channels were doubled; nothing here was chosen on test data.
RECIPE = {"c1": 16, "c2": 32, "hidden": 128, "dropout": 0.1, "epochs": 3, "batch_size": 128, "max_lr": 0.01}


def mnist_cnn(c1: int = 16, c2: int = 32, *, hidden: int = 0, dropout: float = 0.0, batchnorm: bool = True,
              classes: int = 10) -> nn.Sequential:
    """conv(1->c1, 3x3) -> [BN] -> ReLU -> maxpool 2 -> conv(c1->c2, 3x3) -> [BN] -> ReLU -> maxpool 2 ->
    flatten -> [linear(c2*7*7 -> hidden) -> ReLU, when hidden > 0] -> [dropout] -> linear(-> classes).
    Input (N, 1, 28, 28), output logits (N, classes)."""
    if c1 < 1 or c2 < 1 or hidden < 0 or not 0.0 <= dropout < 1.0:
        raise ValueError(f"need c1, c2 >= 1, hidden >= 0 and 0 <= dropout < 1, got c1={c1}, c2={c2}, "
                         f"hidden={hidden}, dropout={dropout}")

    def block(cin, cout):
        layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=not batchnorm)]
        if batchnorm:
            layers.append(nn.BatchNorm2d(cout))
        return layers + [nn.ReLU(), nn.MaxPool2d(2)]

    width = hidden or c2 * 7 * 7
    head = [nn.Flatten()] + ([nn.Linear(c2 * 7 * 7, hidden), nn.ReLU()] if hidden else [])
    head += ([nn.Dropout(dropout)] if dropout > 0 else []) + [nn.Linear(width, classes)]
    return nn.Sequential(*block(1, c1), *block(c1, c2), *head)


def normalize_mnist(X: torch.Tensor) -> torch.Tensor:
    """Standardise [0, 1] MNIST pixels with the training-set mean and std (what :func:`train_cnn` expects).

    The same as ``load_mnist(..., normalize=True)``: ``(X - MNIST_MEAN) / MNIST_STD``, any shape."""
    return (X - MNIST_MEAN) / MNIST_STD
