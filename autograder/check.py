"""Self-check for students: run a lab notebook headless and report each exercise.

``check`` runs in this process (``python -m autograder check NOTEBOOK``); ``self_check`` is the one-line
version for the last cell of a lab in JupyterLab: it runs that command on the notebook as saved on disk.
Only the standard library is imported here at module level, so ``from autograder import self_check`` is cheap
where it has nothing to do (nbgrader, nbclient and our grader execute that cell too).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .scoretable import SYMBOL

if TYPE_CHECKING:
    from .engine import CellResult

SESSION_VAR = "JPY_SESSION_NAME"  # jupyter_server sets it in a notebook's kernel: the notebook's path
HINT = ("self_check() checks the saved notebook from inside JupyterLab; from a terminal run "
        "`make check NB=labs/labNN_name/labNN_name.ipynb` (or `python -m autograder check NOTEBOOK`).")


def check(path: Path, *, timeout: int = 300) -> list[CellResult]:
    """Execute a copy of the notebook at ``path`` up to its last test cell and score its graded cells (the
    file is not modified; the cells after the last test, such as a closing demo, cannot change a score)."""
    import nbformat

    from .engine import KernelSession, score_notebook
    from .notebook import graded_end

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells = nb.cells[:graded_end(nb)]
    with KernelSession(path.parent, timeout=timeout) as session:
        return score_notebook(session.run(nb, reset=False))


def report(results: list[CellResult]) -> str:
    if not results:
        return "this notebook has no graded cells — is it a lab notebook?"
    width = max(len(r.grade_id) for r in results)
    lines = []
    for r in results:
        lines.append(f"{SYMBOL[r.status]:4}  {r.grade_id:<{width}}  {r.score:g}/{r.points:g}")
        if r.message and r.status != "passed":
            for k, ln in enumerate(r.message.splitlines()):
                lines.append(" " * (8 + width) + ("↳ " if k == 0 else "  ") + ln)
    total, points = sum(r.score for r in results), sum(r.points for r in results)
    counts = {s: sum(r.status == s for r in results) for s in SYMBOL}
    lines.append(f"\n{total:g}/{points:g} points — {counts['passed']} passed, {counts['failed']} failed, "
                 f"{counts['not attempted']} not attempted (visible tests only; hidden tests run at grading)")
    return "\n".join(lines)


def report_html(results: list[CellResult]) -> str:
    """The table of :func:`report` as HTML, for a notebook's output."""
    from .scoretable import score_table

    return score_table(((r.status, r.grade_id, r.score, r.points, r.message) for r in results),
                       foot="visible tests only; hidden tests run at grading")


def _shell():
    """The running IPython shell, or None (IPython is not imported just to find out)."""
    ipython = sys.modules.get("IPython")
    try:
        return ipython.get_ipython() if ipython is not None else None
    except Exception:
        return None


def session_notebook() -> str | None:
    """The notebook path jupyter_server gave this kernel (``JPY_SESSION_NAME``, or ipykernel's ``__session__``).

    None where the kernel was not started by a Jupyter server for a notebook: nbgrader, nbclient and
    ``python -m autograder`` do not set it.
    """
    name = os.environ.get(SESSION_VAR)
    if not name:
        shell = _shell()
        name = getattr(shell, "user_ns", {}).get("__session__") if shell is not None else None
    return name if isinstance(name, str) and name.strip() else None


def resolve_notebook(name: str) -> Path:
    """The file ``name`` refers to.

    jupyter_server usually gives an absolute path (the kernel's folder joined with the notebook's name);
    a client that sends no name leaves the API path, relative to the server root. The kernel runs in the
    notebook's folder, somewhere under that root: try the working folder, then each folder above it.
    """
    path = Path(name).expanduser()
    if path.is_absolute() and path.is_file():
        return path
    relative = Path(name.lstrip("/\\"))
    here = Path.cwd()
    for base in (here, *here.parents):
        if (base / relative).is_file():
            return base / relative
    return path if path.is_absolute() else here / relative


def _ago(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 0):.0f} s ago"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


def _stop(proc: subprocess.Popen) -> None:
    """End the check: it usually got the same SIGINT as this kernel and is shutting its own kernel down."""
    try:
        for grace in (3, 10):
            try:
                proc.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGINT) if os.name == "posix" else proc.terminate()
    except BaseException:
        pass
    proc.kill()  # its kernel notices (ipykernel watches its parent) and exits too
    proc.wait()


def _run_check(path: Path, timeout: int) -> list[CellResult] | None:
    """``python -m autograder check --json PATH`` in a subprocess; the results, or None (with a message printed)."""
    from .course import ROOT

    env = {k: v for k, v in os.environ.items() if k != SESSION_VAR}  # the check kernel must not self-check again
    cmd = [sys.executable, "-m", "autograder", "check", "--json", "--timeout", str(timeout), str(path)]
    proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
    try:
        from .engine import CellResult  # imports nbformat (seconds): overlap it with the check

        out, err = proc.communicate()
    except BaseException:  # interrupted (Kernel > Interrupt): stop the check and its kernel, then re-raise
        _stop(proc)
        raise
    lines = [ln for ln in out.splitlines() if ln.strip()]
    try:
        results = [CellResult(**d) for d in json.loads(lines[-1])]
    except Exception:
        tail = "\n".join((err.strip() or out.strip()).splitlines()[-8:])
        print(f"self_check: the check could not run (exit code {proc.returncode}):\n{tail}")
        return None
    return results


def self_check(*, timeout: int = 300) -> list[CellResult] | None:
    """Check this lab notebook, as saved on disk, in a fresh kernel; print one line per exercise.

    Call it in the last cell of a lab in JupyterLab: ``from autograder import self_check; self_check()``.
    Returns the results (visible tests only), or None where nothing was checked. Never raises and never
    writes to stderr: nbgrader gives 0 to cells that do. Outside JupyterLab (nbgrader, nbclient, the
    course grader) it prints a one-line hint and returns at once.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _self_check(timeout)
    except KeyboardInterrupt:
        print("self_check: interrupted; nothing was checked.")
    except Exception as err:  # a self-check must never break the notebook it runs in
        print(f"self_check: could not check this notebook ({type(err).__name__}: {err}). "
              "From a terminal: `python -m autograder check NOTEBOOK`.")
    return None


def _self_check(timeout: int) -> list[CellResult] | None:
    name = session_notebook()
    if name is None:
        print(HINT)
        return None
    path = resolve_notebook(name)
    if path.suffix != ".ipynb":
        print(f"self_check(): this kernel belongs to {name!r}, not a notebook. {HINT}")
        return None
    if not path.is_file():
        print(f"self_check(): {path} is not on disk. Save the notebook first (Ctrl+S); "
              "if you renamed it, restart the kernel (Kernel > Restart Kernel) and run this cell again.")
        return None
    if path.resolve().parent != Path.cwd().resolve():
        # JupyterLab starts a notebook's kernel in the notebook's folder. Elsewhere the variable was inherited
        # (e.g. a grader started from a notebook): checking that other notebook here would be wrong, and slow.
        print(f"self_check(): this kernel runs in {Path.cwd()}, not in the folder of {path}: it is not that "
              "notebook's JupyterLab kernel, so nothing was checked.")
        return None
    saved = path.stat().st_mtime
    print(f"Checking {path.name} as SAVED on disk at {datetime.fromtimestamp(saved):%Y-%m-%d %H:%M:%S} "
          f"({_ago(time.time() - saved)}), in a fresh kernel.\n"
          "Unsaved edits are not checked: save first (Ctrl+S, or Cmd+S on a Mac), then run this cell again.\n",
          flush=True)
    start = time.monotonic()
    results = _run_check(path, timeout)
    if results is None:
        return None
    print(report(results))
    print(f"(checked in {time.monotonic() - start:.0f} s)", flush=True)
    shell = _shell()
    if results and getattr(shell, "kernel", None) is not None:  # a notebook's output: show a table too
        from IPython.display import HTML, display

        display(HTML(report_html(results)))
    return results
