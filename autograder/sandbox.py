"""Grader side of the sandbox: start a zygote in bubblewrap and run notebook jobs in it.

What a sandboxed notebook can see and do (see README, "What the grading sandbox allows"):

- files: read-only ``/usr``, ``/etc``, the Python installation and the course's virtual environment, and
  from the repository only ``dlcourse/``, ``autograder/`` and ``datasets/``. Not visible: ``solutions/``,
  ``tests/``, the gradebook and everything under the grading output folder, the submissions folder (other
  students), the instructor's home. Writable: a private ``/tmp`` (tmpfs, 512 MiB), emptied between students.
- no network (own network namespace with only a down loopback), own PID/IPC/UTS namespaces, a new session
  (no terminal), no capabilities; when the grader runs as root each worker slot runs as its own unprivileged
  user, so a fork bomb in one slot cannot starve another.
- limits per notebook: address space (``memory``), CPU seconds, 64 processes, 64 MiB per written file, 256
  open files, a per-cell timer and a wall-clock deadline for the whole notebook (then the sandbox is killed).
- output: 256 KiB of text per stream per cell, 2 MiB of rich output per cell.
"""
from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .codec import ChannelError, read_frame, write_frame
from .course import ROOT

UID_BASE = 61000  # sandbox slot k runs as uid UID_BASE + k when the grader is root


class SandboxUnavailable(RuntimeError):
    pass


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _python_dirs() -> list[str]:
    dirs = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix), os.path.realpath(sys.exec_prefix)}
    return sorted(d for d in dirs if not d.startswith(("/usr/", "/etc/")) and d not in ("/usr", "/etc"))


def command(slot: int, *, isolate: bool = True) -> list[str]:
    """The command line that starts a zygote for worker ``slot``."""
    exe = Path(os.path.realpath(sys.prefix)) / "bin" / Path(sys.executable).name  # a path that exists in the sandbox
    exe = exe if exe.exists() else Path(sys.executable)
    python = [str(exe), "-m", "autograder.sandbox_worker"]
    env = {"HOME": "/tmp/home", "MPLCONFIGDIR": "/tmp/mpl", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
           "PATH": f"{exe.parent}:/usr/bin:/bin", "LANG": "C.UTF-8", "TQDM_DISABLE": "1",
           "DLCOURSE_GRADING": "1", "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", "")}
    for key in ("DLCOURSE_DEVICE", "DLCOURSE_DEVICES"):
        if key in os.environ:
            env[key] = os.environ[key]
    if not isolate:
        return ["env", "-i", *[f"{k}={v}" for k, v in env.items()], *python]
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: `apt-get install bubblewrap`, or pass --no-sandbox to grade without isolation (trusted submissions only)")
    # No user namespace: as root, bwrap sets up the mounts and setpriv then drops to an unprivileged uid of
    # this slot's own (RLIMIT_NPROC then holds); as a normal user, bwrap makes a user namespace itself.
    root = os.geteuid() == 0 and shutil.which("setpriv")
    namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"] if root else ["--unshare-all"]
    cmd = [bwrap, *namespaces, "--die-with-parent", "--new-session", "--clearenv",
           "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            cmd += ["--symlink", os.readlink(target), f"/{link}"]
        elif target.is_dir():
            cmd += ["--ro-bind", str(target), f"/{link}"]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu",
            "--perms", "1777", "--size", str(512 * 2**20), "--tmpfs", "/tmp"]
    binds = [*_python_dirs(), *(str(ROOT / part) for part in ("dlcourse", "autograder", "datasets"))]
    made = set()
    for d in binds:  # parents bwrap creates would be 0700 (root-only): make them traversable
        for parent in reversed(Path(d).parents):
            if str(parent) not in made and parent != Path("/") and not str(parent).startswith(("/usr", "/etc")):
                made.add(str(parent))
                cmd += ["--perms", "0755", "--dir", str(parent)]
        cmd += ["--ro-bind", d, d]
    for key, value in {**env, "DLCOURSE_SANDBOX": "1", "DLCOURSE_BINDS": os.pathsep.join(binds)}.items():
        cmd += ["--setenv", key, value]
    cmd += ["--chdir", "/tmp"]
    if root:
        uid = str(UID_BASE + slot)
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", shutil.which("setpriv"), f"--reuid={uid}", f"--regid={uid}",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]
    return [*cmd, *python]


class Zygote:
    """One worker slot: a sandboxed process that forks a fresh child per notebook job."""

    def __init__(self, slot: int = 0, *, isolate: bool = True, start_timeout: float = 180, log: Path | None = None):
        self.slot, self.isolate, self.start_timeout = slot, isolate, start_timeout
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.frames: queue.Queue = queue.Queue()

    def _reader(self, proc, frames):
        try:
            while True:
                frame = read_frame(proc.stdout)
                if frame is None:
                    break
                frames.put(frame)
        except ChannelError as err:
            frames.put({"op": "channel_error", "problem": str(err)})
        except Exception as err:  # noqa: BLE001 - the pipe broke
            frames.put({"op": "channel_error", "problem": f"{type(err).__name__}: {err}"})
        frames.put({"op": "eof"})

    def start(self) -> None:
        self.stop()
        err = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(command(self.slot, isolate=self.isolate), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=err, cwd="/tmp", start_new_session=True)
        if self.log:
            err.close()
        self.frames = queue.Queue()
        threading.Thread(target=self._reader, args=(self.proc, self.frames), daemon=True).start()
        try:
            first = self.frames.get(timeout=self.start_timeout)
        except queue.Empty:
            first = {"op": "timeout"}
        if first.get("op") != "ready":
            self.stop()
            hint = f" (see {self.log})" if self.log else ""
            raise SandboxUnavailable(f"the grading sandbox did not start: {first}{hint}")

    def stop(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.kill()
                self.proc.wait(timeout=10)
            except Exception:  # noqa: BLE001
                pass
            for f in (self.proc.stdin, self.proc.stdout):
                try:
                    f.close()
                except Exception:  # noqa: BLE001
                    pass
        self.proc = None

    def run(self, job: dict, *, deadline: float) -> dict:
        """Run ``job``; returns {"cells": {index: message}, "probes"/"probe_results", "exit": ..., "problem": str}."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        result: dict = {"cells": {}, "problem": "", "exit": None}
        try:
            write_frame(self.proc.stdin, {"op": "run", "job": job})
        except (BrokenPipeError, OSError) as err:
            self.stop()
            result["problem"] = f"the sandbox closed before the job started ({err})"
            return result
        end = time.monotonic() + deadline
        while True:
            try:
                frame = self.frames.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                self.stop()
                result["problem"] = f"the notebook ran past its {deadline:g}s time limit and was stopped"
                result["timeout"] = True
                return result
            op = frame.get("op")
            if op == "cell" and isinstance(frame.get("index"), int):
                result["cells"][frame["index"]] = frame
            elif op in ("probes", "probe_results"):
                result[op] = frame.get(op if op == "probes" else "results")
            elif op == "exit":
                result["exit"] = frame.get("code")
                result["problem"] = result["problem"] or str(frame.get("problem") or "")
                return result
            elif op in ("channel_error", "eof"):
                self.stop()
                result["problem"] = result["problem"] or "the sandbox stopped unexpectedly" + (f": {frame.get('problem')}" if frame.get("problem") else "")
                return result
