"""The process that runs inside a grading sandbox (``python -m autograder.sandbox_worker``).

It is a *zygote*: it imports torch, numpy, matplotlib, IPython and dlcourse once, then for every
submission forks a child that executes the notebook's cells in a fresh IPython shell and reports each
cell's outputs (in nbformat's shape, so nbgrader scores them) over a private pipe. The child gets resource
limits (address space, CPU time, processes, file size, open files), a per-cell timer, stdin from
/dev/null and no way to the grader but that pipe. When the child ends, every process it left behind is
killed and the scratch folder is emptied before the next submission.

Protocol (frames from :mod:`autograder.codec`) — grader → zygote: ``{"op": "run", "job": {...}}``;
zygote → grader: ``ready``, then per job the child's ``cell`` / ``probes`` / ``probe_results`` / ``done``
messages and finally ``exit`` (how the child ended). Everything the child says is untrusted.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import sys

SCRATCH = "/tmp/run"
STREAM_CAP = 256 * 1024  # characters kept per stream per cell
DISPLAY_CAP = 2 * 2**20  # bytes of rich output kept per cell


class CellTimeoutError(BaseException):
    """Raised in the child when a cell runs past its time limit (a BaseException: `except Exception` won't eat it)."""


def _prepare():
    """Imports and an IPython shell, done once in the zygote."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import numpy  # noqa: F401
    import torch  # noqa: F401
    import matplotlib

    matplotlib.use(os.environ["MPLBACKEND"])
    import matplotlib.pyplot  # noqa: F401
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    import dlcourse  # noqa: F401
    from . import probes  # noqa: F401

    for name in ("checks", "data", "devices", "plots", "train", "quiet", "report"):
        try:
            __import__(f"dlcourse.{name}")
        except Exception:  # a helper that fails to import will fail the same way in the notebook
            pass
    cfg = Config()
    cfg.HistoryManager.enabled = False
    cfg.InteractiveShell.colors = "nocolor"
    cfg.InteractiveShell.xmode = "Plain"
    shell = InteractiveShell.instance(config=cfg)
    shell.enable_gui = lambda gui=None: None  # the inline backend needs no event loop
    shell.enable_matplotlib("inline")
    return shell


class Capture:
    """Collects one cell's outputs as nbformat output dicts."""

    def __init__(self, execution_count: int):
        self.outputs: list[dict] = []
        self.kept = {"stdout": 0, "stderr": 0}
        self.dropped = {"stdout": 0, "stderr": 0}
        self.display_bytes = 0
        self.execution_count = execution_count

    def stream(self, name: str, text: str) -> None:
        if not isinstance(text, str):
            text = str(text)
        room = STREAM_CAP - self.kept[name]
        if room <= 0:
            self.dropped[name] += len(text)
            return
        if len(text) > room:
            self.dropped[name] += len(text) - room
            text = text[:room]
        self.kept[name] += len(text)
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def rich(self, output_type: str, data: dict) -> None:
        import base64
        import json

        clean = {}
        for mime, value in (data or {}).items():
            if isinstance(value, bytes):
                value = base64.b64encode(value).decode("ascii")
            try:
                size = len(json.dumps(value))
            except (TypeError, ValueError):
                value, size = str(value), len(str(value))
            if self.display_bytes + size > DISPLAY_CAP:
                continue
            self.display_bytes += size
            clean[str(mime)] = value
        if not clean:
            return
        out = {"output_type": output_type, "data": clean, "metadata": {}}
        if output_type == "execute_result":
            out["execution_count"] = self.execution_count
        self.outputs.append(out)

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self.outputs.append({"output_type": "error", "ename": str(ename), "evalue": str(evalue)[:4000],
                             "traceback": [str(t)[:4000] for t in (traceback or [])[-30:]]})

    def finish(self) -> list[dict]:
        for name, n in self.dropped.items():
            if n:
                self.outputs.append({"output_type": "stream", "name": "stdout",
                                     "text": f"\n[{n} more characters of {name} were cut by the grader]\n"})
        return self.outputs


class _Stream:
    def __init__(self, capture_ref, name):
        self._ref, self.name = capture_ref, name
        self.encoding, self.errors = "utf-8", "replace"

    def write(self, text):
        cap = self._ref[0]
        if cap is not None and text:
            cap.stream(self.name, text)
        return len(text) if isinstance(text, str) else 0

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("no file descriptor while grading")


def _install_hooks(shell, current):
    """Route the shell's output to the current :class:`Capture` (``current[0]``)."""

    def show_tb(etype, evalue, stb):
        cap = current[0]
        if cap is not None:
            cap.error(getattr(etype, "__name__", str(etype)), str(evalue), stb)

    shell._showtraceback = show_tb
    shell.display_pub.publish = lambda data, metadata=None, *a, **k: current[0] and current[0].rich("display_data", data)
    shell.display_pub.clear_output = lambda *a, **k: None
    hook = shell.displayhook
    hook.start_displayhook = lambda: None
    hook.write_output_prompt = lambda: None
    hook.write_format_data = lambda format_dict, md_dict=None: current[0] and current[0].rich("execute_result", format_dict)
    hook.finish_displayhook = lambda: None


def _no_input(*args, **kwargs):
    from IPython.core.error import StdinNotImplementedError

    raise StdinNotImplementedError("input() is not available while grading: a graded notebook cannot ask for keyboard input; remove the input() call")


def _limit(kind, value):
    try:
        soft, hard = resource.getrlimit(kind)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        pass


def _vm_size() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(shell, job: dict, wfd: int) -> None:
    from .codec import write_frame
    from . import probes as P

    out = os.fdopen(wfd, "wb", buffering=0)
    os.setpgid(0, 0)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.makedirs(SCRATCH, exist_ok=True)
    os.chdir(SCRATCH)
    limits = job.get("limits", {})
    _limit(resource.RLIMIT_AS, _vm_size() + int(limits.get("memory", 4 * 2**30)))
    _limit(resource.RLIMIT_CPU, int(limits.get("cpu", 600)))
    _limit(resource.RLIMIT_NPROC, int(limits.get("processes", 64)))
    _limit(resource.RLIMIT_FSIZE, int(limits.get("file_size", 64 * 2**20)))
    _limit(resource.RLIMIT_NOFILE, 256)
    _limit(resource.RLIMIT_CORE, 0)

    import builtins

    builtins.input = _no_input
    current = [None]
    _install_hooks(shell, current)
    sys.stdout, sys.stderr = _Stream(current, "stdout"), _Stream(current, "stderr")
    sys.stdin = open(os.devnull)

    def on_alarm(signum, frame):
        raise CellTimeoutError(f"the cell ran past its {timeout:g}s time limit and was interrupted (an infinite loop?)")

    signal.signal(signal.SIGALRM, on_alarm)
    timeout = float(limits.get("cell_timeout", 300))
    records: dict = {}
    for cell in job["cells"]:
        shell.execution_count = shell.execution_count or 1
        cap = Capture(shell.execution_count)
        current[0] = cap
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                shell.run_cell(cell["source"], store_history=True)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except CellTimeoutError as err:
            cap.error("CellTimeoutError", str(err), [])
        except BaseException as err:  # noqa: BLE001
            cap.error(type(err).__name__, str(err), [])
        current[0] = None
        for name in cell.get("wrap", ()):
            fn = shell.user_ns.get(name)
            if callable(fn) and type(fn).__name__ == "function":
                shell.user_ns[name] = P.record_wrapper(name, fn, records)
        write_frame(out, {"op": "cell", "index": cell["index"], "outputs": cap.finish(), "execution_count": cap.execution_count})
    signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout, sys.stderr = _Stream([None], "stdout"), _Stream([None], "stderr")
    if job.get("record"):
        made = P.make_probes(shell.user_ns, records, int(job.get("seed", 0)))
        write_frame(out, {"op": "probes", "probes": made})
    elif job.get("probes"):
        results, slow = [], set()
        per_probe = min(10.0, timeout)
        for probe in job["probes"]:  # each probe has its own timer; a function that hung once is not retried
            if probe.get("name") in slow:
                results.append({"error": "it ran past the time limit on an earlier probe"})
                continue
            signal.setitimer(signal.ITIMER_REAL, per_probe)
            try:
                results += P.run_probes(shell.user_ns, [probe])
            except CellTimeoutError:
                slow.add(probe.get("name"))
                results.append({"error": f"it ran past the {per_probe:g}s time limit"})
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        write_frame(out, {"op": "probe_results", "results": results})
    write_frame(out, {"op": "done"})


def _kill_leftovers(pgid: int) -> None:
    """Kill every process in this sandbox except this one (and the namespace's init); without a sandbox
    (``--no-sandbox``, where ``kill(-1)`` would reach the user's other processes) only the child's group."""
    sandboxed = os.environ.get("DLCOURSE_SANDBOX") == "1"
    for _ in range(50):
        try:
            os.kill(-1, signal.SIGKILL) if sandboxed else os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            break
        except PermissionError:
            break
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break


def _clean_scratch() -> None:
    # in the sandbox /tmp is private to this worker; without one, only our own scratch folder is ours
    for path in ((SCRATCH, "/tmp") if os.environ.get("DLCOURSE_SANDBOX") == "1" else (SCRATCH,)):
        if not os.path.isdir(path):
            continue
        binds = [b for b in os.environ.get("DLCOURSE_BINDS", "").split(os.pathsep) if b]
        for entry in os.listdir(path):
            full = os.path.join(path, entry)
            if any(b == full or b.startswith(full + "/") for b in binds):
                continue  # the course's read-only folders (when the repository itself lives under /tmp)
            try:
                if os.path.isdir(full) and not os.path.islink(full):
                    shutil.rmtree(full, ignore_errors=True)
                else:
                    os.unlink(full)
            except OSError:
                pass


def main() -> int:
    from .codec import ChannelError, read_frame, write_frame

    global SCRATCH
    if os.environ.get("DLCOURSE_SANDBOX") != "1":
        import tempfile

        SCRATCH = tempfile.mkdtemp(prefix="dlcourse-grade-")
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the protocol channel
    shell = _prepare()
    try:  # no ptrace or /proc/<pid>/mem access to this process from the children
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:
        pass
    write_frame(out, {"op": "ready", "pid": os.getpid()})
    while True:
        message = read_frame(inp)
        if message is None:
            return 0
        if message.get("op") != "run":
            continue
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(rfd)
            try:
                _child(shell, message["job"], wfd)
            finally:
                os._exit(0)
        os.close(wfd)
        ended = {}

        def reap(pid=pid):  # when the notebook's process ends, its leftovers go too (they may hold the pipe)
            ended["status"] = os.waitpid(pid, 0)[1]
            _kill_leftovers(pid)

        import threading

        reaper = threading.Thread(target=reap, daemon=True)
        reaper.start()
        reader = os.fdopen(rfd, "rb", buffering=0)
        problem = ""
        try:
            while True:
                frame = read_frame(reader)
                if frame is None:
                    break
                write_frame(out, frame)
        except (ChannelError, ValueError) as err:
            problem = f"the notebook's process sent garbage on the grader's channel ({err})"
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reader.close()
        reaper.join()
        status = ended["status"]
        _kill_leftovers(pid)
        _clean_scratch()
        write_frame(out, {"op": "exit", "code": os.waitstatus_to_exitcode(status), "problem": problem})


if __name__ == "__main__":
    sys.exit(main())
