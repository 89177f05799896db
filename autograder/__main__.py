"""python -m autograder {release,check,grade} — see README.md (Instructor guide)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description="Release, self-check and grade the course labs.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("release", help="generate student labs (labs/) from solutions/ with nbgrader")
    p.add_argument("labs", nargs="*", help="labs to release (default: all), e.g. lab01_tensors or 01")
    p.add_argument("--dest", type=Path, help="write here instead of labs/")
    p = sub.add_parser("check", help="run a lab notebook headless and report each exercise (for students)")
    p.add_argument("notebook", type=Path)
    p.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table (for self_check)")
    p = sub.add_parser("grade", help="autograde a folder of submissions (for instructors)")
    p.add_argument("lab")
    p.add_argument("submissions", type=Path, help="folder laid out as <student>/<lab>/<notebook>.ipynb")
    p.add_argument("--out", type=Path, required=True, help="where grades.csv and feedback/ are written")
    p.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")
    p.add_argument("--workers", "-j", type=int, default=None, help="notebooks graded at once (default: the number of cores)")
    p.add_argument("--memory", type=float, default=4.0, help="GiB of memory per notebook (default 4)")
    p.add_argument("--roster", type=Path, help="class roster CSV (id,first_name,last_name,email): names go to the gradebook; students without a submission get 0")
    p.add_argument("--fresh", action="store_true", help="forget earlier runs in OUT and grade everything again")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the notebooks on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of local workers")
    p.add_argument("--no-sandbox", action="store_true", help="run notebooks without bubblewrap isolation (only for trusted notebooks)")
    p.add_argument("--gpu", action="store_true",
                   help="let the sandbox use this machine's NVIDIA GPU, so the hidden tests also check answers on cuda "
                        "(needs /dev/nvidia* and a memory cgroup; the grader checks CUDA works in the sandbox first)")
    p.add_argument("--reveal-hidden-tests", action="store_true",
                   help="show the hidden tests' code in students' feedback (by default it shows each test's outcome and message only)")
    p = sub.add_parser("similarity", help="report which submissions share answer code (for instructors)")
    p.add_argument("lab")
    p.add_argument("submissions", type=Path, help="folder laid out as <student>/<lab>/<notebook>.ipynb")
    p.add_argument("--out", type=Path, required=True, help="where similarity.html and similarity.csv are written (not feedback/)")
    p.add_argument("--threshold", type=float, default=None, help="lowest score reported, 0 to 1 (default 0.5)")
    args = parser.parse_args(argv)

    from .course import resolve_lab

    if args.cmd == "release":
        from .release import release

        labs = [resolve_lab(x) for x in args.labs] or None
        for path in release(labs, args.dest):
            print(f"wrote {path}")
        return 0
    if args.cmd == "check":
        from .check import check, report

        if not args.notebook.is_file():
            print(f"no notebook at {args.notebook}", file=sys.stderr)
            return 2
        results = check(args.notebook, timeout=args.timeout)
        if args.json:
            import dataclasses
            import json

            print(json.dumps([dataclasses.asdict(r) for r in results]))
        else:
            print(report(results))
        return 0 if results and all(r.passed for r in results) else 1
    if args.cmd == "grade":
        from .course import GradingError
        from .grading.runner import ReferenceFailed, grade
        from .sandbox.host import SandboxUnavailable

        lab = resolve_lab(args.lab)
        try:
            results = grade(lab, args.submissions, args.out, timeout=args.timeout, workers=args.workers,
                            memory=int(args.memory * 2**30), resume=not args.fresh, isolate=not args.no_sandbox, roster=args.roster,
                            scheduler=args.scheduler, reveal_hidden_tests=args.reveal_hidden_tests, gpu=args.gpu)
        except SandboxUnavailable as err:
            print(f"cannot grade: {err}", file=sys.stderr)
            return 2
        except ReferenceFailed as err:
            print(f"cannot grade: {err}", file=sys.stderr)
            return 3
        except GradingError as err:
            print(f"cannot grade: {err}", file=sys.stderr)
            return 2
        for r in results:
            tail = f"  ({r.reason})" if r.reason else ""
            print(f"{r.student:<20} {r.score:g}/{r.max_score:g}{tail}")
        print(f"wrote {args.out / 'grades.csv'} and {args.out / 'feedback'}/")
        return 0
    if args.cmd == "similarity":
        from .course import GradingError
        from .similarity import THRESHOLD, similarity_report

        lab = resolve_lab(args.lab)
        threshold = THRESHOLD if args.threshold is None else args.threshold
        try:
            pairs = similarity_report(lab, args.submissions, args.out, threshold, progress=lambda line: print(line, file=sys.stderr))
        except GradingError as err:
            print(f"cannot report: {err}", file=sys.stderr)
            return 2
        for pair in pairs:
            print(f"{pair.student_a:<20} {pair.student_b:<20} {pair.score:.2f}  {pair.shared_lines} shared lines")
        print(f"{len(pairs)} pair(s) from a score of {threshold:g}; "
              f"wrote {args.out / 'similarity.html'} and {args.out / 'similarity.csv'}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
