"""Grade a small class of one lab with ``python -m autograder grade`` and check the outcome: the GPU check's
grading step (``.ci/gpu-check``), also runnable anywhere (``python -m tests.gpu_grading LAB OUT [--gpu]``).

The class: two reference submissions (one saved as released and filled in, one with every answer reformatted
by a blank line), one whose every tensor answer moves its result to the CPU with the visible tests silenced (a
device bug only a device other than the CPU exposes: cuda under ``--gpu``, simgpu without), and one with the
first plausible wrong answer of every exercise. It checks the exit code, the line saying the sandbox sees the
GPU (with ``--gpu``), the devices the hidden tests' inputs are on, full marks for both references, and that
both wrong submissions lose points in every exercise they got wrong. Prints one summary line; exit 1 on a problem.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from autograder.course import ROOT, fill_answers, solution_answers
from tests.cheats import CHEATS
from tests.test_grading import device_breaking_answers, mutant_answers, per_student, read_grades, released, submit, with_cell_on_top


def make_class(lab: str, subs: Path) -> dict[str, set[str]]:
    """Write the four submissions; return, per student, the exercises that must lose points."""
    ref = solution_answers(lab)
    submit(subs, "ref_a", lab, fill_answers(released(lab), ref))
    submit(subs, "ref_b", lab, fill_answers(released(lab), {k: v + "\n" for k, v in ref.items()}))
    device = device_breaking_answers(lab)
    submit(subs, "dev_cpu_results", lab, with_cell_on_top(fill_answers(released(lab), {**ref, **device}), CHEATS["silence"]))
    wrong = mutant_answers(lab)
    submit(subs, "mut_first_wrong", lab, fill_answers(released(lab), {**ref, **wrong}))
    return {"ref_a": set(), "ref_b": set(), "dev_cpu_results": set(device), "mut_first_wrong": set(wrong)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.gpu_grading")
    p.add_argument("lab")
    p.add_argument("out", type=Path)
    p.add_argument("--gpu", action="store_true")
    args = p.parse_args(argv)
    subs, out = args.out / "subs", args.out / "graded"
    expect = make_class(args.lab, subs)
    # every device present (tests.conftest, imported through tests.test_grading, pins DLCOURSE_DEVICES=cpu)
    env = {k: v for k, v in os.environ.items() if k not in ("DLCOURSE_DEVICES", "DLCOURSE_DEVICE")}
    t0 = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", args.lab, str(subs), "--out", str(out),
                          *(["--gpu"] if args.gpu else [])], cwd=ROOT, capture_output=True, text=True, env=env)
    took = time.monotonic() - t0
    print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
    problems = []
    if run.returncode != 0:
        problems.append(f"exit code {run.returncode}")
    else:
        seen = [line for line in run.stdout.splitlines() if line.startswith("the sandbox sees the GPU: cuda ok:")]
        if args.gpu and not seen:
            problems.append("no line saying the sandbox sees the GPU")
        want = "cuda" if args.gpu else "simgpu"
        if f", {want}" not in next((line for line in run.stdout.splitlines() if "probes cover" in line), ""):
            problems.append(f"the hidden tests' inputs are not on {want}")
        rows = read_grades(out)
        totals = per_student(rows)
        for student, exercises in expect.items():
            score, maximum, _ = totals[student]
            kept = {r["grade_id"].removesuffix("_tests") for r in rows if r["student"] == student and float(r["score"] or 0) > 0}
            if not exercises and score != maximum:
                problems.append(f"{student} got {score:g}/{maximum:g}, not full marks")
            for ex in sorted(exercises & kept):
                problems.append(f"{student} kept points in {ex}, which it answers wrongly")
        print("scores: " + ", ".join(f"{s} {t[0]:g}/{t[1]:g}" for s, t in sorted(totals.items())))
    print(f"gpu_grading {args.lab}{' --gpu' if args.gpu else ''}: {'OK' if not problems else 'FAILED'} in {took:.0f}s"
          + ("" if not problems else ": " + "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
