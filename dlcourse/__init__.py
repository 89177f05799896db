"""dlcourse — the helper library every lecture and lab of the course imports.

One module per concern:

* :mod:`dlcourse.devices`   device choice (cuda > mps > cpu, overridable) and seeding
* :mod:`dlcourse.data`      checksummed dataset loaders (MNIST, small tabular CSVs)
* :mod:`dlcourse.checks`    test helpers used by lab test cells (precise, teaching messages)
* :mod:`dlcourse.gradcheck` numerical gradients and a relative-error gradient checker
* :mod:`dlcourse.plots`     plotting helpers shared by lectures
* :mod:`dlcourse.widgets`   ipywidgets builders whose update functions tests can drive
* :mod:`dlcourse.quiet`     keep graded cells free of stderr (warnings, progress bars)
* :mod:`dlcourse.report`    headline numbers a lecture promises, recorded for the tests
* :mod:`dlcourse.train`     a device-agnostic training loop with a progress bar, eval-mode evaluation
"""
from .devices import available_devices, pick_device, seed
from .checks import (
    CheckFailed,
    check_close,
    check_device,
    check_dtype,
    check_no_mutation,
    check_requires_grad,
    check_shape,
    check_true,
    on_each_device,
)
from .data import MNIST_MEAN, MNIST_STD, DatasetError, load_csv, load_mnist
from .gradcheck import grad_check, numerical_grad

__all__ = [
    "available_devices", "pick_device", "seed",
    "CheckFailed", "check_close", "check_device", "check_dtype", "check_no_mutation",
    "check_requires_grad", "check_shape", "check_true", "on_each_device",
    "DatasetError", "load_csv", "load_mnist", "MNIST_MEAN", "MNIST_STD",
    "grad_check", "numerical_grad",
]
__version__ = "0.1.0"
