"""Old home of lecture 13's receptive-field explorer, kept so that ``from dlcourse.arch_viz import ...`` keeps
working (without a warning). It lives in :mod:`dlcourse.explorers.architectures`."""
from __future__ import annotations

from typing import Sequence  # noqa: F401 - the old module's names, all kept

import matplotlib.patches as mpatches  # noqa: F401
import numpy as np  # noqa: F401

from .explorers.architectures import (ReceptiveFieldExplorer, bottleneck, conv_params, receptive_field,  # noqa: F401
                                      stack_vs_single)
from .widgets import Explorer  # noqa: F401
