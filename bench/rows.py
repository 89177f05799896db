"""The benchmark rows. Each entry yields (name, value, unit, notes) tuples."""
from __future__ import annotations

import time

import nbformat

from autograder.course import LABS, SOLUTIONS, fill_answers, lab_names, solution_answers


def mnist_load():
    from dlcourse.data import _verified, load_mnist

    _verified.clear()
    t0 = time.perf_counter()
    X, _ = load_mnist("train")
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_mnist("train")
    warm = time.perf_counter() - t0
    yield ("MNIST train load (verify + decode)", cold, "s", f"{len(X)} images, SHA-256 checked")
    yield ("MNIST train load (already verified)", warm, "s", "checksum cached per file mtime/size")


def kernel_reuse(n: int = 6):
    """Grading n copies of a solved lab: one kernel per notebook vs one kernel for all (autograder.engine)."""
    from autograder.engine import KernelSession

    lab = lab_names()[0]
    nb = fill_answers(nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4), solution_answers(lab))
    t0 = time.perf_counter()
    for _ in range(n):
        with KernelSession(SOLUTIONS / lab) as s:
            s.grade(nb)
    fresh = time.perf_counter() - t0
    t0 = time.perf_counter()
    with KernelSession(SOLUTIONS / lab) as s:
        for _ in range(n):
            s.grade(nb)
    reused = time.perf_counter() - t0
    yield (f"grade {lab} x{n}: a kernel each", n / fresh * 60, "nb/min", f"{fresh:.1f}s")
    yield (f"grade {lab} x{n}: one kernel reused", n / reused * 60, "nb/min", f"{reused:.1f}s, {fresh / reused:.1f}x faster")


def mnist_cnn_time_to_99(threads: int = 2, target: float = 0.99):
    """Train dlcourse.cnn's recipe from scratch on the 60k MNIST training images; wall time from the start of
    training until the test accuracy (scored 4 times per epoch, scoring time included) first reaches target."""
    import os

    import torch

    from dlcourse.cnn import RECIPE, mnist_cnn, normalize_mnist, train_cnn
    from dlcourse.data import load_mnist

    X, y = load_mnist("train")
    X_test, y_test = load_mnist("test")
    X, X_test = normalize_mnist(X), normalize_mnist(X_test)
    devices = [("cpu", min(threads, os.cpu_count() or 1))] + ([("cuda", None)] if torch.cuda.is_available() else [])
    old_threads = torch.get_num_threads()
    for dev, n in devices:
        if n is not None:
            torch.set_num_threads(n)
        load_before = os.getloadavg()[0]
        torch.manual_seed(0)
        model = mnist_cnn(RECIPE["c1"], RECIPE["c2"], hidden=RECIPE["hidden"], dropout=RECIPE["dropout"]).to(dev)
        h = train_cnn(model, X.to(dev), y.to(dev), epochs=RECIPE["epochs"], batch_size=RECIPE["batch_size"],
                      max_lr=RECIPE["max_lr"], X_val=X_test.to(dev), y_val=y_test.to(dev), evals_per_epoch=4,
                      target=target, generator=torch.Generator().manual_seed(0))
        torch.set_num_threads(old_threads)
        last = h["evals"][-1]
        where = f"{dev}" + (f", {n} threads" if n is not None else "")
        load = f"load avg {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        if h["reached"] is None:
            yield (f"MNIST CNN time to {target:.0%} ({where})", float("nan"), "s",
                   f"NOT reached: {last['val_accuracy']:.2%} after {last['epoch']:.2f} epochs, {h['seconds']:.1f}s; {load}")
        else:
            yield (f"MNIST CNN time to {target:.0%} ({where})", h["reached"], "s",
                   f"test acc {last['val_accuracy']:.2%} at epoch {last['epoch']:.2f}; {load}")


ROWS = [("mnist", mnist_load), ("kernels", kernel_reuse), ("mnist_cnn_time_to_99", mnist_cnn_time_to_99)]
