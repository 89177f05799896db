"""Run every benchmark and print one table (name, measured value, unit, notes)."""
from __future__ import annotations

import os
import platform
import sys
import time

import torch

from bench import rows


def main() -> int:
    only = set(sys.argv[1:])
    print(f"# machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"cuda: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}")
    results = []
    for name, fn in rows.ROWS:
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        for row in fn():
            results.append(row)
            print(f"  done: {row[0]} ({time.perf_counter() - t0:.1f}s)", file=sys.stderr)
    width = max(len(r[0]) for r in results)
    print(f"\n{'benchmark':<{width}} | {'value':>10} | unit        | notes")
    print(f"{'-' * width}-|-{'-' * 10}-|-------------|------")
    for name, value, unit, note in results:
        print(f"{name:<{width}} | {value:>10.3g} | {unit:<11} | {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
