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


ROWS = [("mnist", mnist_load), ("kernels", kernel_reuse)]
