"""The benchmark rows. Each entry yields (name, value, unit, notes) tuples."""
from __future__ import annotations

import time

import nbformat

from autograder.course import LABS, SOLUTIONS, fill_answers, lab_names, solution_answers
from autograder.notebook import nbg


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
    """Train dlcourse.models.RECIPE from scratch (dlcourse.train.train_cnn: fit with Adam and one-cycle) on the
    50k "fit" images; wall time from the start of training until the *validation* accuracy (the 10k "val"
    images, scored 4 times per epoch, scoring time included) first reaches target. The test set is scored once,
    on the model it stopped at, and reported; it decides nothing."""
    import os

    import torch

    from dlcourse.data import load_mnist
    from dlcourse.models import RECIPE, mnist_cnn, normalize_mnist
    from dlcourse.train import evaluate_accuracy, train_cnn

    (X, y), (X_val, y_val), (X_test, y_test) = (load_mnist(s) for s in ("fit", "val", "test"))
    X, X_val, X_test = normalize_mnist(X), normalize_mnist(X_val), normalize_mnist(X_test)
    devices = [("cpu", min(threads, os.cpu_count() or 1))] + ([("cuda", None)] if torch.cuda.is_available() else [])
    wanted = os.environ.get("DLCOURSE_BENCH_DEVICES", "").replace(" ", "")  # e.g. "cuda": that row only
    if wanted:
        devices = [d for d in devices if d[0] in wanted.split(",")]
        if not devices:
            raise RuntimeError(f"DLCOURSE_BENCH_DEVICES={wanted}: none of those devices is present here")
    old_threads = torch.get_num_threads()
    for dev, n in devices:
        if n is not None:
            torch.set_num_threads(n)
        load_before = os.getloadavg()[0]
        torch.manual_seed(0)
        model = mnist_cnn(RECIPE["c1"], RECIPE["c2"], hidden=RECIPE["hidden"], dropout=RECIPE["dropout"]).to(dev)
        h = train_cnn(model, X.to(dev), y.to(dev), epochs=RECIPE["epochs"], batch_size=RECIPE["batch_size"],
                      max_lr=RECIPE["max_lr"], X_val=X_val.to(dev), y_val=y_val.to(dev), evals_per_epoch=4,
                      target=target, generator=torch.Generator().manual_seed(0))
        test = evaluate_accuracy(model, X_test.to(dev), y_test.to(dev))
        torch.set_num_threads(old_threads)
        last = h["evals"][-1]
        where = f"{dev}" + (f", {n} threads" if n is not None else "")
        load = f"load avg {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        if h["reached"] is None:
            yield (f"MNIST CNN time to {target:.0%} validation accuracy ({where})", float("nan"), "s",
                   f"NOT reached: {last['val_accuracy']:.2%} after {last['epoch']:.2f} epochs, {h['seconds']:.1f}s; "
                   f"test acc {test:.2%} (scored once); {load}")
        else:
            yield (f"MNIST CNN time to {target:.0%} validation accuracy ({where})", h["reached"], "s",
                   f"val acc {last['val_accuracy']:.2%} at epoch {last['epoch']:.2f}; test acc {test:.2%} (scored once); {load}")


def class_of_40(root, lab: str, n: int = 40):
    """A class of n submissions of ``lab``: 50% correct, 30% partial, 10% with a wrong answer, 10% broken."""
    import random

    from exercises import mutants as M

    rng = random.Random(7)
    released = nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4)
    ref = solution_answers(lab)
    stubs = {nbg(c)["grade_id"]: c.source for c in released.cells if nbg(c).get("solution")}
    mutants = M.load(lab)
    for k in range(n):
        kind = "correct" if k % 10 < 5 else "partial" if k % 10 < 8 else "wrong" if k % 10 == 8 else "broken"
        folder = root / f"s{k:02d}_{kind}" / lab
        folder.mkdir(parents=True)
        if kind == "broken":
            (folder / f"{lab}.ipynb").write_text('{"cells": [' if k % 20 == 9 else "{}")
            continue
        answers = dict(ref)
        if kind == "partial":
            for gid in rng.sample(sorted(ref), k=rng.randint(1, len(ref) - 1)):
                answers[gid] = stubs[gid]
        nb = fill_answers(released, answers)
        if kind == "wrong":
            nb = M.apply(nb, rng.choice(mutants))
        nbformat.write(nb, folder / f"{lab}.ipynb")


def grading_throughput(lab: str = "lab01_tensors", n: int = 40):
    """Stock ``nbgrader autograde`` (serial, unsandboxed) vs ``python -m autograder grade`` (sandboxed,
    parallel, probes, gradebook, CSV and feedback included) on the same 40 submissions; scores compared."""
    import csv
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from autograder.course import ROOT
    from autograder.grading.gradebook import stock_autograde

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = tmp / "submitted"
        class_of_40(subs, lab, n)
        students = sorted(p.name for p in subs.iterdir())
        per_cell, stock = stock_autograde(lab, subs, students, tmp / "stock")  # the autograde steps, as before
        stock_scores = {s: sum(per_cell[s].values()) for s in students}
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "autograder", "grade", lab, str(subs), "--out", str(tmp / "ours")],
                             cwd=ROOT, capture_output=True, text=True)
        ours = time.perf_counter() - t0
        if run.returncode != 0:
            raise RuntimeError(run.stderr[-2000:])
        our_scores = {}
        with open(tmp / "ours" / "grades.csv", newline="") as f:
            for r in csv.DictReader(f):
                our_scores[r["student"]] = our_scores.get(r["student"], 0.0) + float(r["score"] or 0)
        same = sum(abs(stock_scores[s] - our_scores[s]) < 1e-9 for s in students)
    yield (f"grade {n} x {lab}: stock nbgrader autograde (serial)", n / stock * 60, "subs/min", f"{stock:.1f}s")
    yield (f"grade {n} x {lab}: python -m autograder grade (sandboxed)", n / ours * 60, "subs/min",
           f"{ours:.1f}s, {os.cpu_count()} workers, {stock / ours:.1f}x stock; identical totals for {same}/{n} students")


import os  # noqa: E402

ROWS = [("mnist", mnist_load), ("kernels", kernel_reuse), ("grading", grading_throughput), ("mnist_cnn_time_to_99", mnist_cnn_time_to_99)]
