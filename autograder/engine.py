"""Execute notebooks and score their graded cells exactly as nbgrader does.

Scoring uses ``nbgrader.utils.determine_grade`` on the executed cells, so a cell that raised, or wrote to
stderr, scores 0; a cell whose last expression is a number gets that partial credit.

``KernelSession`` runs many notebooks in one kernel (namespace reset between them), so ``import torch`` is
paid once per lab rather than once per notebook — that is what makes grading hundreds of mutants fit in CI.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from queue import Empty
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbgrader.utils import determine_grade, is_grade, is_solution

from .course import copy_notebook
from .notebook import nbg

RESET = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import gc as _gc, matplotlib.pyplot as _plt; _plt.close('all'); _gc.collect(); del _gc, _plt"
)


@dataclass
class CellResult:
    """The outcome of one graded cell."""

    grade_id: str
    points: float
    score: float
    status: str  # "passed", "failed", "not attempted"
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def error_message(cell) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
            return "the cell ran past the time limit (an infinite loop?) and was interrupted"
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            if out.get("ename") == "NotImplementedError":
                return "not attempted: the answer cell still raises NotImplementedError"
            return f"{out.get('ename')}: {out.get('evalue')}".strip()
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = "".join(out.get("text", "")).strip().splitlines()
            return "the cell wrote to stderr (nbgrader gives 0 to such cells): " + (text[-1] if text else "")
    return ""


def score_notebook(nb) -> list[CellResult]:
    """Score every auto-graded cell of an executed notebook with nbgrader's rules."""
    results = []
    for cell in nb.cells:
        if not is_grade(cell) or is_solution(cell) or cell.cell_type != "code":
            continue
        meta = nbg(cell)
        score, max_score = determine_grade(cell)
        score = float(score or 0.0)
        message = error_message(cell)
        if score >= max_score:
            status = "passed"
        elif message.startswith("not attempted"):
            status = "not attempted"
        else:
            status = "failed"
            if not message:
                message = f"partial credit {score:g} of {max_score:g}"
        results.append(CellResult(meta["grade_id"], float(max_score), score, status, message))
    return results


POLL_SLICE = 0.5  # seconds: the longest one wait for a kernel message lasts before the socket is looked at again


def _sliced(get_msg, step: float = POLL_SLICE):
    """``get_msg`` (a jupyter_client async channel's) that waits in slices of ``step`` seconds.

    pyzmq's asyncio poll can miss the wake-up for a message that has already arrived (both ipykernel 6 and 7,
    pyzmq 27.3): the kernel has replied and is idle, and the wait lasts until its timeout, when the poll looks at
    the socket once more and finds the reply. nbclient waits for the execute reply with the whole cell timeout,
    so one missed wake-up cost a lecture 120 s and made whole-lecture runs take 130 to 370 s instead of 15 to 60.
    Polling again every ``step`` seconds bounds that at ``step``; a message is still returned the moment the
    poll does see it, and the caller's timeout still holds."""
    async def get_msg_sliced(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=step if left is None else min(step, left))
            except Empty:
                if left is not None and left <= step:
                    raise

    return get_msg_sliced


class KernelSession:
    """One kernel that executes notebook after notebook in ``cwd``.

    Use as a context manager; ``run(nb)`` returns the executed copy. A kernel that dies (``os._exit``,
    segfault, out of memory) is restarted for the next notebook and the rest of the dying one is marked.
    """

    def __init__(self, cwd: str | Path, *, timeout: int = 300, env: dict | None = None, kernel_name: str = "python3"):
        self.cwd, self.timeout, self.kernel_name = str(cwd), timeout, kernel_name
        self.env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k != "JPY_SESSION_NAME"}
        self.client: NotebookClient | None = None
        self._ctx = None

    def _start(self) -> None:
        self.client = NotebookClient(
            nbformat.v4.new_notebook(), timeout=self.timeout, kernel_name=self.kernel_name,
            allow_errors=True, resources={"metadata": {"path": self.cwd}},
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no start-up chatter on the grader's stderr
        )
        self._ctx = self.client.setup_kernel(env=self.env)
        self._ctx.__enter__()
        for channel in (self.client.kc.shell_channel, self.client.kc.iopub_channel):
            channel.get_msg = _sliced(channel.get_msg)

    def _stop(self) -> None:
        if self._ctx is not None:
            try:
                self._ctx.__exit__(None, None, None)
            except Exception:  # the kernel may already be gone
                pass
        self._ctx = self.client = None

    def __enter__(self) -> "KernelSession":
        self._start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop()

    def run(self, nb, *, reset: bool = True):
        """Execute a copy of ``nb`` in this session's kernel; returns the executed notebook."""
        nb = copy_notebook(nb)
        if self.client is None:
            self._start()
        client = self.client
        if reset:  # nbclient writes an executed cell back into client.nb: give the reset its own notebook
            scratch = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RESET)])
            client.nb = scratch
            client.execute_cell(scratch.cells[0], 0, store_history=False)
        client.nb = nb
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except DeadKernelError as err:
                cell.outputs = [nbformat.v4.new_output("error", ename="DeadKernelError", evalue=f"the kernel died: {err}", traceback=[])]
                for later in nb.cells[index + 1:]:
                    if later.cell_type == "code":
                        later.outputs = [nbformat.v4.new_output("error", ename="DeadKernelError", evalue="not run: the kernel died in an earlier cell", traceback=[])]
                self._stop()
                break
        return nb

    def run_cells(self, cells: list) -> list:
        """Execute copies of ``cells`` in the current namespace (no reset); returns the executed copies."""
        if self.client is None:
            self._start()
        nb = nbformat.v4.new_notebook(cells=[nbformat.from_dict(dict(c)) for c in cells])
        self.client.nb = nb
        for index, cell in enumerate(nb.cells):
            try:
                self.client.execute_cell(cell, index)
            except DeadKernelError as err:
                cell.outputs = [nbformat.v4.new_output("error", ename="DeadKernelError", evalue=f"the kernel died: {err}", traceback=[])]
                self._stop()
                break
        return nb.cells

    def grade(self, nb) -> list[CellResult]:
        return score_notebook(self.run(nb))


def run_notebook(path: str | Path, *, timeout: int = 300, env: dict | None = None):
    """Execute the notebook at ``path`` (a copy; the file is not touched) in its own folder."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    with KernelSession(path.parent, timeout=timeout, env=env) as session:
        return session.run(nb, reset=False)

