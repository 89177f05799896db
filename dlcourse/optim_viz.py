"""Old home of lecture 10's optimizer race, kept so that ``from dlcourse.optim_viz import ...`` keeps working
(without a warning). It lives in :mod:`dlcourse.explorers.optimizers`."""
from __future__ import annotations

import math  # noqa: F401 - the old module's names, all kept
from dataclasses import dataclass, field  # noqa: F401
from typing import Callable  # noqa: F401

import numpy as np  # noqa: F401
import torch  # noqa: F401

from .explorers.optimizers import (OPTIMIZERS, SURFACES, OptimizerRaceExplorer, Surface, _autograd_gradient,  # noqa: F401
                                   _C, _ravine, _ravine_grad, _rosenbrock, _rosenbrock_grad, _rotated_ravine,
                                   _rotated_ravine_grad, _S, make_optimizer, trajectory)
from .widgets import Explorer  # noqa: F401
