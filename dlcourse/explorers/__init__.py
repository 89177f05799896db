"""The interactive explorers of the lectures, one module per topic, all built on :class:`Explorer`.

* :mod:`~dlcourse.explorers.base`            the :class:`Explorer` contract: ``draw`` computes and draws,
  ``update`` keeps the state, the base wires the ipywidgets
* :mod:`~dlcourse.explorers.tensors`         lecture 01: reductions along an axis, broadcasting
* :mod:`~dlcourse.explorers.regression`      lectures 02-04: the MSE of a line, gradient descent, the
  learning rate, the batch size
* :mod:`~dlcourse.explorers.classification`  lectures 05-06: a logistic-regression boundary, softmax
* :mod:`~dlcourse.explorers.regularization`  lecture 07: overfitting and L2 weight decay
* :mod:`~dlcourse.explorers.backprop`        lecture 08: a computational graph, forward and backward
* :mod:`~dlcourse.explorers.xor`             lecture 09: training a sigmoid network on XOR
  (the trainer itself is :mod:`dlcourse.xor`)
* :mod:`~dlcourse.explorers.optimizers`      lecture 10: torch.optim optimizers racing on 2-D surfaces
* :mod:`~dlcourse.explorers.convolution`     lecture 11: a 3x3 kernel on MNIST digits
* :mod:`~dlcourse.explorers.digits`          lecture 12: draw a digit, see the CNN's prediction
* :mod:`~dlcourse.explorers.architectures`   lecture 13: receptive fields and parameter counts

The explorer classes are importable from here; the helpers of a topic (``PRESETS`` of kernels or of
strokes, ``SURFACES``, ``conv_params``...) from its module.
"""
from .architectures import ReceptiveFieldExplorer
from .backprop import ComputationalGraphExplorer
from .base import Explorer
from .classification import LogisticBoundaryExplorer, SoftmaxExplorer
from .convolution import KernelExplorer
from .digits import DigitDrawExplorer
from .optimizers import OptimizerRaceExplorer
from .regression import BatchSizeExplorer, GradientDescentExplorer, LearningRateExplorer, LineFitExplorer
from .regularization import WeightDecayExplorer
from .tensors import BroadcastExplorer, ReductionExplorer
from .xor import XORTrainingExplorer

__all__ = [
    "Explorer",
    "BatchSizeExplorer", "BroadcastExplorer", "ComputationalGraphExplorer", "DigitDrawExplorer",
    "GradientDescentExplorer", "KernelExplorer", "LearningRateExplorer", "LineFitExplorer",
    "LogisticBoundaryExplorer", "OptimizerRaceExplorer", "ReceptiveFieldExplorer", "ReductionExplorer",
    "SoftmaxExplorer", "WeightDecayExplorer", "XORTrainingExplorer",
]
