"""Old home of the lecture explorers, kept so that every ``from dlcourse.widgets import ...`` keeps working.

The explorers live in :mod:`dlcourse.explorers` (one module per lecture topic), the XOR trainer in
:mod:`dlcourse.xor`, the shared NumPy math in :mod:`dlcourse.numerics`. New code imports from there.
Nothing here warns: students' saved notebooks import these names in graded cells.
"""
from __future__ import annotations

from typing import Any  # noqa: F401 - the old module's names, all kept

import numpy as np  # noqa: F401
import torch  # noqa: F401

from .explorers.backprop import ComputationalGraphExplorer, _graph_box, _graph_circle  # noqa: F401
from .explorers.base import Explorer as _Explorer
from .explorers.classification import LogisticBoundaryExplorer, SoftmaxExplorer  # noqa: F401
from .explorers.regression import (BatchSizeExplorer, GradientDescentExplorer, LearningRateExplorer,  # noqa: F401
                                   LineFitExplorer)
from .explorers.regularization import WeightDecayExplorer  # noqa: F401
from .explorers.tensors import BroadcastExplorer, ReductionExplorer, broadcast_table  # noqa: F401
from .explorers.tensors import parse_shape as _parse_shape  # noqa: F401
from .explorers.xor import XORTrainingExplorer  # noqa: F401
from .numerics import logistic as _graph_sigmoid  # noqa: F401
from .numerics import logistic as _sigmoid_np  # noqa: F401
from .plots import figure, plot_line_fit, show_grid, to_numpy  # noqa: F401
from .xor import XOR_X, XOR_Y, xor_net_forward, xor_net_training  # noqa: F401


class Explorer(_Explorer):
    """The explorer base as it was before :mod:`dlcourse.explorers`, for subclasses written against it.

    Such a subclass sets ``self.layout = (cols, rows)`` or ``(cols, rows, (width, height))`` (per axes)
    before calling ``super().__init__()``, and defines ``controls()`` (name -> ipywidget) and ``draw``. It
    then behaves as a :class:`dlcourse.explorers.Explorer` (``update``, ``values()``, ``widget``,
    ``output``), except that ``controls`` is its own method. New explorers subclass
    :class:`dlcourse.explorers.Explorer` and pass the layout to its constructor.
    """

    layout: tuple = (1, 1)

    def __init__(self) -> None:
        cols, rows, *size = self.layout
        super().__init__(cols=cols, rows=rows, **({"size": size[0]} if size else {}))

    def make_controls(self) -> dict:
        if isinstance(getattr(type(self), "controls", None), property):
            raise NotImplementedError(f"{type(self).__name__} must define controls() -> {{name: ipywidget}}")
        return self.controls()
