"""Old home of lecture 11's kernel editor, kept so that ``from dlcourse.conv_viz import ...`` keeps working
(without a warning). It lives in :mod:`dlcourse.explorers.convolution`."""
from __future__ import annotations

import torch  # noqa: F401 - the old module's names, all kept
import torch.nn.functional as F  # noqa: F401

from .explorers.convolution import PADDINGS, PRESETS, WEIGHTS, KernelExplorer, apply_kernel  # noqa: F401
from .plots import show_grid, to_numpy  # noqa: F401
from .widgets import Explorer  # noqa: F401
