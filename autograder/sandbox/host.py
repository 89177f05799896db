"""Grader side of the sandbox: start a zygote in bubblewrap and run jobs in it.

What a sandboxed notebook can see and do (README, "What the grading sandbox allows"):

- files: read-only ``/usr``, ``/etc``, the Python installation and the course's virtual environment (and any
  folder on the grader's ``PYTHONPATH`` outside the repository, e.g. ``PYTHONPATH=/opt/site``), and from the
  repository only ``dlcourse/``, ``autograder/`` and ``datasets/`` (sockets and FIFOs in them are
  masked). Not visible: ``solutions/``, ``tests/``, the gradebook and everything under the grading output
  folder, the submissions folder (other students), the instructor's home. Writable: a private ``/tmp``
  (tmpfs), in which each student gets a fresh folder; it is emptied and checked after every student, and a
  zygote that cannot be made clean is replaced.
- no network (own network namespace), own PID/IPC/UTS namespaces, a new session, no capabilities; when
  the grader runs as root every sandbox runs as a uid of its own, drawn afresh for each grading run.
- limits: memory for the whole sandbox (a memory cgroup, v1 or v2, when the grader may create one; else
  an address-space limit per process), 64 processes (a pids cgroup, plus RLIMIT_NPROC), CPU seconds, 64 MiB
  per written file, 256 open files, a per-cell timer, one wall-clock deadline per job, and a cap on the bytes
  the grader reads back (enforced here, by the reader).
- GPU (``--gpu`` only): the NVIDIA device nodes (``/dev/nvidia*``) and a read-only ``/sys`` are bound in, and
  the driver's variables (``LD_LIBRARY_PATH``, ``CUDA_VISIBLE_DEVICES``...) are passed on. It needs the memory
  cgroup: CUDA reserves a huge virtual address range at start-up, which an address-space limit refuses. The
  zygote never initialises CUDA (``PYTORCH_NVML_BASED_CUDA_CHECK=1``), so each forked child can, and the grader
  runs one small CUDA job before grading and refuses if the sandbox cannot use the GPU.
"""
from __future__ import annotations

import glob
import os
import queue
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..course import ROOT
from .codec import ChannelError, encode_frame, read_frame
from .protocol import Job, Limits, Result

ZYGOTE_OVERHEAD = 1536 * 2**20  # memory the zygote itself holds (torch, numpy, IPython), added to the job's limit


class SandboxUnavailable(RuntimeError):
    pass


# What the CUDA driver and runtime read from the environment: passed into a ``--gpu`` sandbox.
GPU_ENV = ("LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "NVIDIA_VISIBLE_DEVICES",
           "NVIDIA_DRIVER_CAPABILITIES", "CUDA_HOME", "CUDA_PATH", "CUDA_CACHE_PATH", "TRITON_LIBCUDA_PATH")
NO_GPU_NODES = ("--gpu: this machine has no NVIDIA device nodes (/dev/nvidia*), so the sandbox cannot be given a GPU; "
                "grade without --gpu (the hidden tests then run on the CPU and the CPU-backed simgpu device)")
GPU_NEEDS_CGROUP = ("--gpu needs a memory cgroup for the sandbox (CUDA reserves a huge virtual address range when it "
                    "starts, which the per-process address-space limit used without a cgroup refuses), and the grader "
                    "could not create one: run it as root on a host with cgroup v2 (or v1) mounted writable, "
                    "or grade without --gpu")
# One small CUDA computation, run in a child of a --gpu zygote before anything is graded.
GPU_CHECK = """import torch
if not torch.cuda.is_available():
    raise RuntimeError("torch.cuda.is_available() is False inside the sandbox (torch " + torch.__version__ + ", built for CUDA " + str(torch.version.cuda) + ")")
x = torch.arange(12.0, device="cuda").reshape(3, 4)
assert float((x @ x.T).trace()) == 506.0, "a 3x4 matrix product on the GPU came out wrong"
print("cuda ok:", torch.cuda.get_device_name(0), "| torch", torch.__version__, "| CUDA", torch.version.cuda)
"""


def gpu_device_nodes() -> list[str]:
    """This machine's NVIDIA device nodes and folders (/dev/nvidia0, /dev/nvidiactl, /dev/nvidia-uvm, /dev/nvidia-caps)."""
    return sorted(p for p in glob.glob("/dev/nvidia*") if os.path.exists(p))


def required_gpu_nodes() -> list[str]:
    """:func:`gpu_device_nodes`, or :class:`SandboxUnavailable` (:data:`NO_GPU_NODES`) where there are none."""
    nodes = gpu_device_nodes()
    if not nodes:
        raise SandboxUnavailable(NO_GPU_NODES)
    return nodes


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def run_uid_base() -> int:
    """A block of 4096 uids for one grading run, drawn at random: concurrent runs do not share sandbox users."""
    return 1_000_000 + secrets.randbelow(500_000) * 4096


def _python_dirs() -> list[str]:
    dirs = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix), os.path.realpath(sys.exec_prefix)}
    return sorted(d for d in dirs if not d.startswith(("/usr/", "/etc/")) and d not in ("/usr", "/etc"))


def import_dirs() -> list[str]:
    """The folders on the grader's ``PYTHONPATH`` outside the repository and the Python installation (packages
    installed with ``pip install --target DIR``, as beside a read-only CUDA environment): the sandbox binds them
    read-only and imports from them too. Never bound: the repository or a folder above it, ``/``, ``/tmp``
    itself, ``/proc``, ``/dev`` and ``/sys``, and what the installation's own binds already hold."""
    import site

    covered = [str(ROOT), "/usr", "/etc", "/proc", "/dev", "/sys", *_python_dirs()]
    user = os.path.realpath(site.getusersitepackages())  # the sandbox runs Python with -s: no user site
    above = [str(ROOT), "/tmp", "/proc", "/dev", "/sys"]  # binding a folder above one of these would uncover it
    found: list[str] = []
    for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        real = os.path.realpath(entry) if entry else ""
        if (not real or not os.path.isdir(real) or real == user or real in found or real == "/tmp"
                or any(real == c or real.startswith(c.rstrip("/") + "/") for c in covered)
                or any(a.startswith(real.rstrip("/") + "/") for a in above)):
            continue
        found.append(real)
    return found


def _special_files(roots: list[str]) -> list[str]:
    """Sockets and FIFOs under the folders bound into the sandbox: a way out that a read-only bind leaves open."""
    found = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in ("__pycache__",)]
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    mode = os.lstat(path).st_mode
                except OSError:
                    continue
                if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode):
                    found.append(path)
    return found


class Cgroup:
    """A memory + pids cgroup holding one whole sandbox (bubblewrap and every process in it), v2 or v1."""

    def __init__(self, dirs: list[Path]):
        self.dirs = dirs

    @classmethod
    def create(cls, name: str, memory: int, pids: int) -> "Cgroup | None":
        if os.geteuid() != 0:
            return None
        base = Path("/sys/fs/cgroup")
        made = []
        try:
            if "memory" in (base / "cgroup.controllers").read_text().split() if (base / "cgroup.controllers").is_file() else False:
                d = base / "dlcourse-grader" / name
                (base / "dlcourse-grader").mkdir(exist_ok=True)
                try:
                    (base / "cgroup.subtree_control").write_text("+memory +pids")
                    (base / "dlcourse-grader" / "cgroup.subtree_control").write_text("+memory +pids")
                except OSError:
                    pass
                d.mkdir(exist_ok=True)
                made.append(d)
                (d / "memory.max").write_text(str(memory))
                if (d / "memory.swap.max").exists():
                    (d / "memory.swap.max").write_text("0")
                if (d / "pids.max").exists():
                    (d / "pids.max").write_text(str(pids))
            elif (base / "memory" / "memory.limit_in_bytes").is_file():
                d = base / "memory" / "dlcourse-grader" / name
                d.mkdir(parents=True, exist_ok=True)
                made.append(d)
                (d / "memory.limit_in_bytes").write_text(str(memory))
                if (d / "memory.memsw.limit_in_bytes").exists():
                    try:
                        (d / "memory.memsw.limit_in_bytes").write_text(str(memory))
                    except OSError:
                        pass
                if (base / "pids" / "tasks").exists():
                    p = base / "pids" / "dlcourse-grader" / name
                    p.mkdir(parents=True, exist_ok=True)
                    made.append(p)
                    (p / "pids.max").write_text(str(pids))
            else:
                return None
        except OSError:
            cls(made).remove()
            return None
        return cls(made)

    def usage(self) -> int | None:
        for d in self.dirs:
            for name in ("memory.current", "memory.usage_in_bytes"):
                try:
                    return int((d / name).read_text())
                except (OSError, ValueError):
                    continue
        return None

    def limit(self, memory: int) -> None:
        """Set the memory limit (once the zygote is up: its own usage plus what a notebook may use)."""
        for d in self.dirs:
            for name in ("memory.max", "memory.limit_in_bytes"):
                if (d / name).exists():
                    try:
                        if name == "memory.limit_in_bytes" and (d / "memory.memsw.limit_in_bytes").exists():
                            (d / "memory.memsw.limit_in_bytes").write_text(str(max(memory, int((d / name).read_text()))))
                        (d / name).write_text(str(memory))
                        if name == "memory.limit_in_bytes" and (d / "memory.memsw.limit_in_bytes").exists():
                            (d / "memory.memsw.limit_in_bytes").write_text(str(memory))
                    except OSError:
                        pass

    def join_command(self) -> list[str]:
        """A shell prefix that moves itself into the cgroup, then execs the sandbox (no preexec_fn in a threaded grader)."""
        moves = " && ".join(f"echo $$ > {d / 'cgroup.procs'}" for d in self.dirs)
        return ["/bin/sh", "-c", f'{moves} && exec "$@"', "sh"]

    def remove(self) -> None:
        for d in self.dirs:
            for _ in range(20):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


def command(uid: int | None, *, isolate: bool = True, cgroup: bool = False, control_fd: int = 3, gpu: bool = False) -> list[str]:
    """The command line that starts a zygote (as ``uid`` when the grader is root); ``gpu``: with the NVIDIA GPU."""
    exe = Path(os.path.realpath(sys.prefix)) / "bin" / Path(sys.executable).name  # a path that exists in the sandbox
    exe = exe if exe.exists() else Path(sys.executable)
    python = [str(exe), "-s", "-P", "-m", "autograder.sandbox.worker"]
    extra = import_dirs()
    # USER and LOGNAME: the sandbox's uid has no /etc/passwd entry, and getpass.getuser() (torch 2.11 asks it when
    # an optimizer first imports torch._dynamo, for its cache folder) reads them before it would look one up
    env = {"HOME": "/tmp", "MPLCONFIGDIR": "/tmp", "USER": "student", "LOGNAME": "student", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
           "PATH": f"{exe.parent}:/usr/bin:/bin", "LANG": "C.UTF-8", "TQDM_DISABLE": "1",
           "DLCOURSE_GRADING": "1", "PYTHONPATH": os.pathsep.join([str(ROOT), *extra]), "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", ""),
           "DLCOURSE_CONTROL_FD": str(control_fd), "DLCOURSE_MEMORY_CGROUP": "1" if cgroup else "0"}
    for key in ("DLCOURSE_DEVICE", "DLCOURSE_DEVICES"):
        if key in os.environ:
            env[key] = os.environ[key]
    if gpu:
        env.update({key: os.environ[key] for key in GPU_ENV if key in os.environ})
        env.update({"PYTORCH_NVML_BASED_CUDA_CHECK": "1", "DLCOURSE_GPU": "1"})
    if not isolate:
        return ["env", "-i", *[f"{k}={v}" for k, v in env.items()], *python]
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: `apt-get install bubblewrap`, or pass --no-sandbox to grade without isolation (trusted submissions only)")
    # No user namespace as root: bwrap sets up the mounts and setpriv drops to this run's own uid for the slot
    # (RLIMIT_NPROC then holds); as a normal user, bwrap makes a user namespace itself.
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
    cmd += ["--proc", "/proc", "--dev", "/dev", "--mqueue", "/dev/mqueue"]
    if gpu:
        for node in required_gpu_nodes():
            cmd += ["--dev-bind", node, node]
        cmd += ["--ro-bind", "/sys", "/sys"]  # the driver reads the PCI topology
    else:
        cmd += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    cmd += ["--perms", "1777", "--size", str(512 * 2**20), "--tmpfs", "/tmp"]
    binds = [*_python_dirs(), *extra, *(str(ROOT / part) for part in ("dlcourse", "autograder", "datasets"))]
    made = set()
    for d in binds:  # parents bwrap creates would be 0700 (root-only): make them traversable
        for parent in reversed(Path(d).parents):
            if str(parent) not in made and parent != Path("/") and not str(parent).startswith(("/usr", "/etc")):
                made.add(str(parent))
                cmd += ["--perms", "0755", "--dir", str(parent)]
        cmd += ["--ro-bind", d, d]
    for special in _special_files([str(ROOT / p) for p in ("dlcourse", "autograder", "datasets")]):
        cmd += ["--ro-bind", "/dev/null", special]  # a socket left in a bound folder is not a way out
    for key, value in {**env, "DLCOURSE_SANDBOX": "1", "DLCOURSE_BINDS": os.pathsep.join(binds)}.items():
        cmd += ["--setenv", key, value]
    cmd += ["--chdir", "/tmp"]
    if root and uid is not None:
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", shutil.which("setpriv"), f"--reuid={uid}", f"--regid={uid}",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]
    return [*cmd, *python]


class Zygote:
    """One worker slot: a sandboxed process that forks a fresh child per job (and never reads the job)."""

    def __init__(self, slot: int | str = 0, *, isolate: bool = True, start_timeout: float = 180, log: Path | None = None,
                 uid: int | None = None, limits: Limits | None = None, gpu: bool = False):
        self.slot, self.isolate, self.start_timeout, self.log, self.gpu = slot, isolate, start_timeout, log, gpu
        self.uid = uid if uid is not None else run_uid_base()
        self.limits = limits or Limits()
        self.proc: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.cgroup: Cgroup | None = None

    def start(self) -> None:
        self.stop()
        if self.isolate:
            name = f"run{os.getpid()}-{self.slot}-{secrets.token_hex(3)}"
            self.cgroup = Cgroup.create(name, self.limits.memory + ZYGOTE_OVERHEAD, self.limits.processes + 8)
            if self.gpu and self.cgroup is None:
                raise SandboxUnavailable(GPU_NEEDS_CGROUP)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            cmd = command(self.uid, isolate=self.isolate, cgroup=self.cgroup is not None, control_fd=theirs.fileno(), gpu=self.gpu)
        except SandboxUnavailable:
            ours.close()
            theirs.close()
            self.stop()
            raise
        if self.cgroup is not None:
            cmd = [*self.cgroup.join_command(), *cmd]
        err = open(self.log, "ab") if self.log else subprocess.DEVNULL
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err, cwd="/tmp",
                                         start_new_session=True, pass_fds=(theirs.fileno(),),
                                         close_fds=True)
        finally:
            if self.log:
                err.close()
        theirs.close()
        self.control = ours
        self.control.settimeout(self.start_timeout)
        try:
            first = read_frame(self.control.makefile("rb", buffering=0))
        except (OSError, ChannelError) as err:
            first = {"op": "error", "problem": str(err)}
        if not first or first.get("op") != "ready":
            self.stop()
            hint = f" (see {self.log})" if self.log else ""
            raise SandboxUnavailable(f"the grading sandbox did not start: {first}{hint}")
        if self.cgroup is not None:  # the zygote's own memory (torch, IPython) plus what one notebook may use
            base = self.cgroup.usage()
            self.cgroup.limit((base if base is not None else ZYGOTE_OVERHEAD) + self.limits.memory)

    def check_gpu(self) -> str:
        """Run :data:`GPU_CHECK` in a child of this zygote: the line it prints, or :class:`SandboxUnavailable`."""
        result = self.run(Job(cells=[{"index": 0, "source": GPU_CHECK}], limits=self.limits), deadline=self.limits.cell_timeout + 60)
        outputs = result.cells.get(0, {}).get("outputs", [])
        text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout")
        errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o.get("output_type") == "error"]
        if errors or result.problem or "cuda ok:" not in text:
            why = "; ".join(errors) or result.problem or "it printed nothing"
            hint = f" (see {self.log})" if self.log else ""
            raise SandboxUnavailable(f"--gpu: the sandbox cannot use the GPU: {why}{hint}")
        return text.strip()

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
        if self.control is not None:
            try:
                self.control.close()
            except OSError:
                pass
        self.proc, self.control = None, None
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None

    def run(self, job: Job, *, deadline: float) -> Result:
        """Run ``job`` within ``deadline`` seconds (one deadline for the whole job: cells and probes)."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        result = Result()
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        try:
            socket.send_fds(self.control, [b"F"], [job_r, res_w])
        except OSError as err:
            for fd in (job_r, job_w, res_r, res_w):
                os.close(fd)
            self.stop()
            result.problem = f"the sandbox closed before the job started ({err})"
            return result
        os.close(job_r)
        os.close(res_w)
        payload = encode_frame({"op": "job", "job": job.to_wire()})

        def feed():
            try:
                with os.fdopen(job_w, "wb", buffering=0) as f:
                    f.write(payload)
            except OSError:
                pass

        threading.Thread(target=feed, daemon=True).start()
        frames: queue.Queue = queue.Queue()

        def read():
            budget = [job.limits.output]
            try:
                with os.fdopen(res_r, "rb", buffering=0) as f:
                    while True:
                        frame = read_frame(f, budget=budget)
                        if frame is None:
                            break
                        frames.put(frame)
            except ChannelError as err:
                frames.put({"op": "channel_error", "problem": str(err)})
            except Exception as err:  # noqa: BLE001 - the pipe broke
                frames.put({"op": "channel_error", "problem": f"{type(err).__name__}: {err}"})
            frames.put({"op": "eof"})

        threading.Thread(target=read, daemon=True).start()
        end = time.monotonic() + deadline
        while True:
            try:
                frame = frames.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                self.stop()
                result.problem = f"the notebook ran past its {deadline:g}s time limit and was stopped"
                result.timeout = True
                return result
            op = frame.get("op")
            if op == "cell" and isinstance(frame.get("index"), int):
                result.cells[frame["index"]] = frame
            elif op == "probe" and isinstance(frame.get("id"), int):
                result.probes.setdefault(frame["id"], frame.get("signature"))
            elif op == "reference_probe":
                result.reference.append((frame.get("probe"), frame.get("signature")))
            elif op == "channel_error":
                self.stop()
                result.problem = f"the notebook's process sent something the grader does not accept ({frame.get('problem')})"
                return result
            elif op == "eof":
                break
        try:  # the zygote says how the child ended, and whether it could clean up after it
            self.control.settimeout(max(1.0, end - time.monotonic()))
            status = read_frame(self.control.makefile("rb", buffering=0))
        except (OSError, ChannelError):
            status = None
        if not status or status.get("op") != "exit":
            self.stop()
            result.problem = result.problem or "the sandbox stopped unexpectedly"
            return result
        result.exit = status.get("code")
        if not status.get("clean"):
            self.stop()  # something survived the clean-up: the next student gets a new sandbox, as a new user
            self.uid = run_uid_base()
        return result
