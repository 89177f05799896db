"""The process that runs inside a grading sandbox (``python -m autograder.sandbox.worker``).

It is a *zygote*: it imports torch, numpy, matplotlib, IPython and dlcourse once, then for every job forks
a child. The zygote never reads a job: the grader passes it two fresh pipes with the fork request (over a
unix socket, SCM_RIGHTS), the zygote forks and closes its copies at once, and only the child reads the job
from one pipe and writes its results to the other, which the grader reads directly (and caps). The child
runs the cells in a fresh IPython shell in a private scratch folder that is not on ``sys.path``, with
resource limits and a per-cell timer, then answers the grader's probes at the points given in the job.
When it ends, every process it left behind is killed, ``/tmp`` and ``/dev/shm`` are emptied and checked;
if anything is left (or System V IPC objects exist), the zygote says so and the grader replaces it.

Control protocol (frames of :mod:`autograder.sandbox.codec` on the socket): zygote -> grader ``ready``;
grader -> zygote ``fork`` (+ two fds); zygote -> grader ``exit`` (status, whether it is still clean).
Child -> grader, on the result pipe: ``cell``, ``probe``, ``reference_probe`` (reference run) and ``done``.
Everything the child says is untrusted.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import sys

from .protocol import DISPLAY_CAP, STREAM_CAP

TMP = "/tmp"


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

    for name in ("checks", "data", "devices", "gradcheck", "plots", "train", "models", "checkpoints", "quiet", "report"):
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



def _fresh_scratch() -> str:
    """A new private folder for this student's files (HOME, TMPDIR, the working directory)."""
    import secrets

    path = os.path.join(TMP, f"s-{secrets.token_hex(8)}")
    os.mkdir(path, 0o700)
    return path


def _no_unsafe_path() -> None:
    """Nothing writable is importable: drop '', the working directory and anything under /tmp from sys.path."""
    cwd = os.getcwd()
    # the course's own read-only folders stay (the repository may itself live under /tmp)
    keep = [b for b in (os.environ.get("DLCOURSE_BINDS", "").split(os.pathsep) + os.environ.get("PYTHONPATH", "").split(os.pathsep)) if b]

    def safe(p):
        full = os.path.abspath(p) + "/"
        return not full.startswith(TMP + "/") or any(full.startswith(k.rstrip("/") + "/") for k in keep)

    sys.path[:] = [p for p in sys.path if p not in ("", ".", cwd) and safe(p)]
    import importlib

    importlib.invalidate_caches()


def _child(shell, job_fd: int, result_fd: int) -> None:
    from .codec import read_frame, write_frame

    out = os.fdopen(result_fd, "wb", buffering=0)
    os.setpgid(0, 0)
    with os.fdopen(job_fd, "rb", buffering=0) as f:  # only this process ever reads the job
        job = read_frame(f)["job"]
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    scratch = _fresh_scratch()
    os.chdir(scratch)
    for key in ("HOME", "TMPDIR", "MPLCONFIGDIR"):
        os.environ[key] = scratch
    import tempfile

    tempfile.tempdir = scratch  # the zygote may have cached another folder
    _no_unsafe_path()
    limits = job.get("limits", {})
    try:  # under a memory cgroup this process is the one the kernel kills first, not the zygote
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    if os.environ.get("DLCOURSE_MEMORY_CGROUP") != "1" and os.environ.get("DLCOURSE_GPU") != "1":
        # no cgroup: a per-process address-space limit instead (not with CUDA, whose start-up reserves far more
        # address space than any limit allows; a --gpu sandbox always has the cgroup, --no-sandbox --gpu has none)
        _limit(resource.RLIMIT_AS, _vm_size() + int(limits.get("memory", 4 * 2**30)))
    _limit(resource.RLIMIT_CPU, int(limits.get("cpu", 600)))
    _limit(resource.RLIMIT_NPROC, int(limits.get("processes", 64)))
    _limit(resource.RLIMIT_FSIZE, int(limits.get("file_size", 64 * 2**20)))
    _limit(resource.RLIMIT_NOFILE, 256)
    _limit(resource.RLIMIT_CORE, 0)

    execute(shell, job, lambda frame: write_frame(out, frame))


def execute(shell, job: dict, emit) -> None:
    """Run a job's cells in ``shell`` and answer its probes; every message goes to ``emit`` (a frame each).
    Shared by the sandboxed child and the suite's probe audit (tests/probe_audit.py)."""
    from . import probes as P

    import builtins

    limits = job.get("limits", {})
    builtins.input = _no_input
    current = [None]
    _install_hooks(shell, current)
    sys.stdout, sys.stderr = _Stream(current, "stdout"), _Stream(current, "stderr")
    sys.stdin = open(os.devnull)
    timeout = float(limits.get("cell_timeout", 300))

    def on_alarm(signum, frame):
        raise CellTimeoutError(f"the cell ran past its {timer[0]:g}s time limit and was interrupted (an infinite loop?)")

    timer = [timeout]
    signal.signal(signal.SIGALRM, on_alarm)
    recorder = P.Recorder(shell.user_ns, set(job.get("visible", ())), int(job.get("seed", 0)),
                          {n for c in job["cells"] for n in c.get("wrap", ())}) if job.get("record") else None
    sent: dict = {}  # probe id -> probe, for the grader's mutant runs, which send each exercise's probes once
    for cell in job["cells"]:
        shell.execution_count = shell.execution_count or 1
        timer[0] = timeout  # (a probe may have set its own)
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
        if recorder is not None:
            recorder.watch_checks()
            for name in cell.get("wrap", ()):
                obj = shell.user_ns.get(name)
                if isinstance(obj, type) and hasattr(obj, "forward"):
                    recorder.wrap_class(name, obj)
                elif callable(obj) and type(obj).__name__ == "function":
                    shell.user_ns[name] = recorder.wrap_function(name, obj)
        emit({"op": "cell", "index": cell["index"], "outputs": cap.finish(), "execution_count": cap.execution_count})
        answer_probes(shell, [_resolve(p, sent) for p in cell.get("probes", ())], emit, current, timer)
    signal.setitimer(signal.ITIMER_REAL, 0)
    if recorder is not None:
        sys.stdout, sys.stderr = _Stream([None], "stdout"), _Stream([None], "stderr")
        recorder.depth += 1  # the probes' own calls are not recorded
        for probe, signature in P.make_probes(shell.user_ns, recorder.records, int(job.get("seed", 0))):
            emit({"op": "reference_probe", "probe": probe, "signature": signature})
    emit({"op": "done"})


def _resolve(probe: dict, sent: dict) -> dict:
    """A probe as sent, or ``{"id": n, "repeat": k}``: probe ``k`` of this job again, answered under id ``n``."""
    if "repeat" in probe:
        base = sent.get(probe["repeat"])
        return {**base, "id": probe["id"]} if base else {"id": probe["id"], "name": "", "kind": "call", "seed": 0}
    sent[probe.get("id")] = probe
    return probe


def answer_probes(shell, probes, emit, current=None, timer=None) -> None:
    """The student's behaviour on the grader's probe inputs; what the code prints meanwhile is dropped."""
    from . import probes as P
    from .codec import encode_frame

    current, timer = current if current is not None else [None], timer if timer is not None else [10.0]

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream([None], "stdout"), _Stream([None], "stderr")
    slow = set()
    try:
        for probe in probes:
            if probe["name"] in slow:
                sig = {"raised": "CellTimeoutError", "message": "it ran past the time limit on an earlier probe"}
            else:
                timer[0] = float(probe.get("time_limit", 10))
                signal.setitimer(signal.ITIMER_REAL, timer[0])
                try:
                    sig = P.observe(shell.user_ns, probe, int(probe["seed"]))
                except CellTimeoutError:
                    slow.add(probe["name"])
                    sig = {"raised": "CellTimeoutError", "message": f"it ran past the {timer[0]:g}s time limit"}
                except BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt from a student's function
                    sig = {"raised": type(err).__name__, "message": str(err)[:300]}
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            frame = {"op": "probe", "id": probe["id"], "signature": sig}
            try:
                encode_frame(frame)
            except ValueError:
                frame["signature"] = {"output_error": "the result is larger than the grader accepts"}
            emit(frame)
    finally:
        sys.stdout, sys.stderr = saved
        current[0] = None


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


def _empty(path: str, keep=()) -> None:
    """Remove everything in ``path`` (also folders a student made read-only), except ``keep``."""
    if not os.path.isdir(path):
        return
    for entry in os.listdir(path):
        full = os.path.join(path, entry)
        if any(b == full or b.startswith(full + "/") for b in keep):
            continue
        if os.path.isdir(full) and not os.path.islink(full):
            for root, dirs, _ in os.walk(full):
                for d in dirs:
                    try:
                        os.chmod(os.path.join(root, d), 0o700)
                    except OSError:
                        pass
            try:
                os.chmod(full, 0o700)
            except OSError:
                pass
            shutil.rmtree(full, ignore_errors=True)
        else:
            try:
                os.unlink(full)
            except OSError:
                pass


def _ipc_objects() -> int:
    count = 0
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                count += max(0, len(f.readlines()) - 1)
        except OSError:
            pass
    return count


def _clear_keyrings() -> bool:
    """Empty this user's kernel keyrings (they outlive processes and are not namespaced); True if done."""
    import ctypes
    import platform

    number = {"x86_64": 250, "aarch64": 219}.get(platform.machine())  # SYS_keyctl
    if number is None:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = True
        for ring in (-4, -5):  # KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING; KEYCTL_CLEAR = 7
            if libc.syscall(number, 7, ring) != 0 and ctypes.get_errno() not in (2, 38, 126):  # ENOENT, ENOSYS, ENOKEY
                ok = False
        return ok
    except Exception:  # noqa: BLE001
        return False


def _clean() -> bool:
    """Empty the writable places a student could leave something in; True if they are really empty."""
    binds = [b for b in os.environ.get("DLCOURSE_BINDS", "").split(os.pathsep) if b]
    places = [TMP, "/dev/shm", "/dev/mqueue"] if os.environ.get("DLCOURSE_SANDBOX") == "1" else [TMP]
    keys_clear = _clear_keyrings() if os.environ.get("DLCOURSE_SANDBOX") == "1" else True
    for place in places:
        _empty(place, keep=binds)
    left = [os.path.join(p, e) for p in places if os.path.isdir(p) for e in os.listdir(p)
            if not any(b == os.path.join(p, e) or b.startswith(os.path.join(p, e) + "/") for b in binds)]
    return keys_clear and not left and (_ipc_objects() == 0 or os.environ.get("DLCOURSE_SANDBOX") != "1")


def _cuda_initialised() -> bool:
    """Whether this process has initialised CUDA (a forked child could then not use it)."""
    import torch

    return bool(torch.cuda.is_initialized())


def main() -> int:
    import socket

    from .codec import encode_frame

    global TMP
    if os.environ.get("DLCOURSE_SANDBOX") != "1":
        import tempfile

        TMP = tempfile.mkdtemp(prefix="dlcourse-grade-")  # without a sandbox, only this folder is ours
    control = socket.socket(fileno=int(os.environ["DLCOURSE_CONTROL_FD"]))
    reader = control.makefile("rb", buffering=0)
    os.chdir(TMP)
    _no_unsafe_path()
    shell = _prepare()
    try:  # no ptrace, /proc/<pid>/fd or /proc/<pid>/mem access to this process from the children
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:
        pass
    _clean()
    if os.environ.get("DLCOURSE_GPU") == "1" and _cuda_initialised():
        control.sendall(encode_frame({"op": "error", "problem": "CUDA was initialised in the sandbox's zygote before it "
                                      "forked, so no notebook could use the GPU (a helper module touched CUDA on import)"}))
        return 1
    control.sendall(encode_frame({"op": "ready", "pid": os.getpid()}))
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(control, 4096, 2)
        except OSError:
            return 0
        if not msg:
            return 0
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            continue
        pid = os.fork()
        if pid == 0:
            try:
                reader.close()
                control.close()
                _child(shell, fds[0], fds[1])
            finally:
                os._exit(0)
        for fd in fds:  # the zygote never reads the job nor the results
            os.close(fd)
        _, status = os.waitpid(pid, 0)
        _kill_leftovers(pid)
        clean = _clean()
        control.sendall(encode_frame({"op": "exit", "code": os.waitstatus_to_exitcode(status), "clean": clean}))


if __name__ == "__main__":
    sys.exit(main())
