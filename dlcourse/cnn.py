"""The lecture-12 names in one place: the MNIST CNN recipe, its training, checkpoints, a draw-a-digit explorer.

``from dlcourse.cnn import RECIPE, mnist_cnn, normalize_mnist, train_cnn`` (lecture 12, lab 12, students'
saved notebooks) keeps working, without a warning; the code lives in one module per concern:

* :mod:`dlcourse.models`: :func:`mnist_cnn`, :func:`normalize_mnist`, :data:`RECIPE` (``MNIST_MEAN`` and
  ``MNIST_STD`` come from :mod:`dlcourse.data`);
* :mod:`dlcourse.train`: :func:`train_cnn`, the recipe's Adam + one-cycle settings on top of
  :func:`dlcourse.train.fit` (and ``batch_indices``, ``evaluate_accuracy``, ``predict``);
* :mod:`dlcourse.checkpoints`: :class:`CheckpointError`, :func:`save_checkpoint`, :func:`load_checkpoint`.

:func:`render_strokes` and :class:`DigitDrawExplorer` (:mod:`dlcourse.explorers.digits`) turn a few pen
strokes into a 28x28 image and classify it.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .checkpoints import CheckpointError, load_checkpoint, save_checkpoint  # noqa: F401 - re-exported
from .data import MNIST_MEAN, MNIST_STD  # noqa: F401 - re-exported
from .models import RECIPE, mnist_cnn, normalize_mnist  # noqa: F401 - re-exported
from .train import batch_indices, evaluate_accuracy, predict, train_cnn  # noqa: F401 - re-exported


from .explorers.digits import PRESETS, DigitDrawExplorer, parse_strokes, render_strokes  # noqa: E402,F401 - re-exported
