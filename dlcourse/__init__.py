"""dlcourse — the helper library every lecture and lab of the course imports.

One module per concern:

* :mod:`dlcourse.devices`   device choice (cuda > mps > cpu, overridable) and seeding
* :mod:`dlcourse.simdevice` ``simgpu``, a CPU-backed second device that catches device bugs without a GPU
* :mod:`dlcourse.data`      checksummed dataset loaders (MNIST, small tabular CSVs)
* :mod:`dlcourse.checks`    test helpers used by lab test cells (precise, teaching messages)
* :mod:`dlcourse.gradcheck` numerical gradients and a relative-error gradient checker
* :mod:`dlcourse.rules`     rules a lab states (a forbidden call, no one-hot matrix), checked as an answer runs
* :mod:`dlcourse.plots`     plotting helpers shared by lectures
* :mod:`dlcourse.explorers` the lectures' interactive explorers (one module per topic) on one base class
* :mod:`dlcourse.numerics`  math the lectures and explorers share, on NumPy arrays
* :mod:`dlcourse.xor`       the NumPy XOR network trainer (lecture 09, lab 09)
* :mod:`dlcourse.quiet`     progress bars that never write to stderr (graded cells must stay clean)
* :mod:`dlcourse.report`    headline numbers a lecture promises, recorded for the tests
* :mod:`dlcourse.train`     the one training loop (fit; train_cnn on top of it), eval-mode evaluation
* :mod:`dlcourse.models`    the lecture-12 CNN and its recipe; :mod:`dlcourse.checkpoints` saving and loading

Old paths stay importable, without a warning, for notebooks saved from earlier releases: ``widgets``,
``conv_viz``, ``optim_viz``, ``arch_viz`` and ``cnn`` re-export what moved.
"""
from .devices import available_devices, pick_device, seed
from .devices import prepare as _devices_prepare
from .checks import (
    CheckFailed,
    check_close,
    check_device,
    check_dtype,
    check_no_mutation,
    check_requires_grad,
    check_shape,
    check_true,
    explain,
    on_each_device,
)
from .data import MNIST_MEAN, MNIST_STD, DatasetError, load_csv, load_mnist
from .gradcheck import grad_check, numerical_grad
from .rules import forbid, no_one_hot
from .quiet import silence_benign_warnings

silence_benign_warnings()
_devices_prepare()

__all__ = [
    "available_devices", "pick_device", "seed",
    "CheckFailed", "check_close", "check_device", "check_dtype", "check_no_mutation",
    "check_requires_grad", "check_shape", "check_true", "explain", "on_each_device",
    "DatasetError", "load_csv", "load_mnist", "MNIST_MEAN", "MNIST_STD",
    "grad_check", "numerical_grad", "forbid", "no_one_hot",
]
__version__ = "0.1.0"
