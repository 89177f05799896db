"""The grader's ``--gpu`` option: what it binds into the sandbox, and every way it refuses.

A CUDA machine is needed to see a sandboxed notebook *use* the GPU (``tests/gpu_check.sh`` does that on one).
Here, without one, the refusals are checked for real: no NVIDIA device nodes, no memory cgroup, and a sandbox
that starts but in which CUDA does not work. None of them may end in a grade computed without the GPU when
the instructor asked for it, and a grading run without ``--gpu`` says which devices answers are checked on.
"""
import json
import os
import subprocess
import sys

import pytest

from autograder.course import ROOT
from autograder.grading.runner import Grader
from autograder.sandbox import host
from autograder.sandbox.host import GPU_NEEDS_CGROUP, NO_GPU_NODES, SandboxUnavailable, Zygote, command
from autograder.sandbox.protocol import Limits
from autograder.course import GradingError
from tests.test_unit_host import pairs

NODES = ["/dev/nvidia-caps", "/dev/nvidia-uvm", "/dev/nvidia0", "/dev/nvidiactl"]


def printed(result, index=0) -> str:
    """What cell ``index`` of a sandbox job's result printed."""
    return "".join(o.get("text", "") for o in result.cells[index]["outputs"])


def test_gpu_sandbox_binds_the_device_nodes_and_the_driver_environment(monkeypatch):
    monkeypatch.setattr(host, "bwrap_path", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: list(NODES))
    monkeypatch.setenv("LD_LIBRARY_PATH", "/usr/local/nvidia/lib64")
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    monkeypatch.setenv("SECRET_TOKEN", "do-not-leak")
    cmd = command(1_234_567, isolate=True, cgroup=True, gpu=True)
    assert dict(pairs(cmd, "--dev-bind")) == {n: n for n in NODES}, "every NVIDIA node, at its own path"
    assert ("/sys", "/sys") in pairs(cmd, "--ro-bind"), "the driver reads /sys (read-only)"
    env = dict(pairs(cmd, "--setenv"))
    assert env["PYTORCH_NVML_BASED_CUDA_CHECK"] == "1", "the zygote must not initialise CUDA before it forks"
    assert env["LD_LIBRARY_PATH"] == "/usr/local/nvidia/lib64" and env["CUDA_VISIBLE_DEVICES"] == "0"
    assert env["DLCOURSE_GPU"] == "1" and "do-not-leak" not in " ".join(cmd)
    assert "--bind" not in cmd, "nothing of the host becomes writable"


def test_without_gpu_the_sandbox_sees_no_nvidia_node_even_where_there_are_some(monkeypatch):
    monkeypatch.setattr(host, "bwrap_path", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: list(NODES))
    monkeypatch.setenv("LD_LIBRARY_PATH", "/usr/local/nvidia/lib64")
    cmd = command(1_234_567, isolate=True)
    assert "--dev-bind" not in cmd and not any("nvidia" in a for a in cmd)
    env = dict(pairs(cmd, "--setenv"))
    assert "PYTORCH_NVML_BASED_CUDA_CHECK" not in env and "LD_LIBRARY_PATH" not in env
    assert ("/sys", "/sys") not in pairs(cmd, "--ro-bind")


def test_no_sandbox_gpu_keeps_the_driver_environment(monkeypatch):
    monkeypatch.setenv("LD_LIBRARY_PATH", "/usr/local/nvidia/lib64")
    cmd = command(None, isolate=False, gpu=True)
    assert "LD_LIBRARY_PATH=/usr/local/nvidia/lib64" in cmd and "PYTORCH_NVML_BASED_CUDA_CHECK=1" in cmd


def test_gpu_on_a_machine_without_nvidia_nodes_is_refused(monkeypatch):
    monkeypatch.setattr(host, "bwrap_path", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: [])
    with pytest.raises(SandboxUnavailable, match=r"no NVIDIA device nodes \(/dev/nvidia\*\).*without --gpu"):
        command(1, isolate=True, gpu=True)


def test_gpu_without_a_memory_cgroup_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: list(NODES))
    monkeypatch.setattr(host.Cgroup, "create", classmethod(lambda cls, *a, **k: None))
    z = Zygote("t", gpu=True, log=tmp_path / "log")
    with pytest.raises(SandboxUnavailable) as err:
        z.start()
    assert str(err.value) == GPU_NEEDS_CGROUP and "address" in GPU_NEEDS_CGROUP
    assert z.proc is None, "nothing was started"


def test_grader_refuses_gpu_up_front_where_there_is_none(monkeypatch, tmp_path):
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: [])
    with pytest.raises(SandboxUnavailable, match="no NVIDIA device nodes"):
        Grader("lab01_tensors", tmp_path / "out", gpu=True)
    with pytest.raises(GradingError, match="--gpu with --scheduler is not supported"):
        Grader("lab01_tensors", tmp_path / "out", gpu=True, scheduler="tcp://127.0.0.1:1")


def test_the_instructor_is_told_when_a_gpu_goes_unused(monkeypatch, tmp_path):
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: list(NODES))
    line = Grader("lab01_tensors", tmp_path / "out").device_notice()
    assert line and "does not see without --gpu" in line and "not on cuda" in line
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: [])
    assert Grader("lab01_tensors", tmp_path / "out").device_notice() is None


def test_a_run_resumes_only_with_its_device_setting(monkeypatch, tmp_path):
    out = tmp_path / "out"
    Grader("lab01_tensors", out)._same_devices()
    assert json.loads((out / ".nbgrader" / "grader" / "sandbox.json").read_text()) == {"gpu": False}
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: list(NODES))
    with pytest.raises(GradingError, match="graded without --gpu.*--fresh"):
        Grader("lab01_tensors", out, gpu=True)._same_devices()
    Grader("lab01_tensors", out, gpu=True, resume=False)._same_devices()  # --fresh starts over
    with pytest.raises(GradingError, match="graded with --gpu"):
        Grader("lab01_tensors", out)._same_devices()


def test_probe_devices_reads_the_recorded_inputs(tmp_path):
    g = Grader("lab01_tensors", tmp_path / "out")
    g.probes = {"a.ipynb": [{"inputs": {"args": [{"$tensor": "...", "device": "cuda"}, {"$torch_device": "cpu"}],
                                        "kwargs": {"g": {"$generator": "...", "device": "simgpu:0"}}}}]}
    assert g.probe_devices() == ["cpu", "cuda", "simgpu"]
    g.probes = {"a.ipynb": [{"inputs": {"args": [3, "x"], "kwargs": {}}}]}
    assert g.probe_devices() == []


@pytest.mark.sandbox
def test_a_sandbox_where_cuda_does_not_work_is_refused(monkeypatch, tmp_path):
    """The sandbox starts (the bound node is /dev/zero, not a GPU), and the grader's CUDA check says why it
    will not grade: the real check, with the real sandbox, on a machine whose sandbox sees no GPU."""
    monkeypatch.setattr(host, "gpu_device_nodes", lambda: ["/dev/zero"])
    z = Zygote("gpucheck", gpu=True, log=tmp_path / "zygote.log", limits=Limits(cell_timeout=60))
    try:
        probe = host.Cgroup.create(f"probe-{id(z)}", 2**30, 16)
        if probe is None:  # a host where the grader cannot make a cgroup: that refusal instead
            with pytest.raises(SandboxUnavailable, match="memory cgroup"):
                z.start()
            return
        probe.remove()
        with pytest.raises(SandboxUnavailable, match=r"the sandbox cannot use the GPU: RuntimeError: torch.cuda.is_available\(\) is False inside the sandbox"):
            z.check_gpu()
    finally:
        z.stop()


def test_cli_gpu_refusal_exit_code_and_message(tmp_path):
    """On a machine without NVIDIA nodes, ``grade --gpu`` stops at once, with exit code 2 and one line."""
    if host.gpu_device_nodes():
        pytest.skip("this machine has NVIDIA device nodes")
    (tmp_path / "subs").mkdir()
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "01", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--gpu"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.strip() == f"cannot grade: {NO_GPU_NODES}"


# -- packages installed beside a read-only CUDA environment (pip install --target DIR; PYTHONPATH=DIR) ------------
def test_folders_on_the_pythonpath_are_bound_read_only(monkeypatch, tmp_path):
    monkeypatch.setattr(host, "bwrap_path", lambda: "/usr/bin/bwrap")
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    never = [str(ROOT / "tests"), str(ROOT), str(ROOT.parent), "/", "/tmp", "/proc", "/dev/shm"]
    monkeypatch.setenv("PYTHONPATH", ":".join([*never, str(site_dir)]))
    monkeypatch.syspath_prepend(str(tmp_path))  # sys.path alone (a script's folder) is never bound
    cmd = command(1, isolate=True)
    binds = dict(pairs(cmd, "--ro-bind"))
    assert binds.get(str(site_dir)) == str(site_dir)
    assert not [d for d in never + [str(tmp_path)] if d in binds], "the repository, what holds it, / and /tmp stay out"
    path = dict(pairs(cmd, "--setenv"))["PYTHONPATH"].split(":")
    assert path == [str(ROOT), str(site_dir)]


def test_an_import_path_that_holds_the_submissions_is_refused(monkeypatch, tmp_path):
    subs = tmp_path / "class" / "subs"
    subs.mkdir(parents=True)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "class"))
    g = Grader("lab01_tensors", tmp_path / "out")
    with pytest.raises(GradingError, match=r"import path .* includes .*class, which would show .*subs to every sandboxed notebook"):
        g._private_import_path(subs)


@pytest.mark.sandbox
def test_the_sandbox_imports_from_a_target_install_and_cannot_write_there(monkeypatch, tmp_path):
    from autograder.sandbox.protocol import Job

    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "dlcourse_target_probe.py").write_text("VALUE = 42\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), str(site_dir), os.environ.get("PYTHONPATH", "")]))
    z = Zygote("target", log=tmp_path / "zygote.log", limits=Limits(cell_timeout=60))
    try:
        cells = [{"index": 0, "source": "import dlcourse_target_probe\nprint('value', dlcourse_target_probe.VALUE)"},
                 {"index": 1, "source": f"open({str(site_dir / 'evil.py')!r}, 'w').write('x = 1')"}]
        result = z.run(Job(cells=cells, limits=Limits(cell_timeout=60)), deadline=120)
    finally:
        z.stop()
    assert "value 42" in printed(result), result.cells[0]["outputs"]
    assert [o["ename"] for o in result.cells[1]["outputs"] if o["output_type"] == "error"] == ["OSError"], result.cells[1]["outputs"]
    assert not (site_dir / "evil.py").exists()


@pytest.mark.gpu
@pytest.mark.sandbox
def test_a_gpu_sandbox_runs_cuda_in_every_child(tmp_path):
    """On a CUDA machine: the GPU check passes in the sandbox, and the children forked after it use CUDA too."""
    import torch

    from autograder.sandbox.protocol import Job

    if not torch.cuda.is_available():
        pytest.skip("no cuda device on this machine")
    z = Zygote("gpu", gpu=True, log=tmp_path / "zygote.log", limits=Limits(cell_timeout=120))
    try:
        line = z.check_gpu()
        cell = {"index": 0, "source": "import torch\nx = torch.ones(300, 200, device='cuda')\nprint('cells', float((x @ x.T).sum()))"}
        results = [z.run(Job(cells=[cell], limits=Limits(cell_timeout=120)), deadline=180) for _ in range(2)]
    finally:
        z.stop()
    assert line.startswith("cuda ok: ") and torch.cuda.get_device_name(0) in line, line
    for r in results:
        assert "cells 12000000.0" in printed(r), r.cells[0]["outputs"]


@pytest.mark.sandbox
def test_a_sandboxed_notebook_can_ask_who_it_is(tmp_path):
    """The sandbox's uid has no /etc/passwd entry; getpass.getuser() must still answer (torch 2.11 calls it when
    an optimizer first imports torch._dynamo, and every exercise that builds an optimizer failed without it)."""
    from autograder.sandbox.protocol import Job

    z = Zygote("whoami", log=tmp_path / "zygote.log", limits=Limits(cell_timeout=60))
    try:
        cell = {"index": 0, "source": "import getpass\nprint('user', getpass.getuser())"}
        result = z.run(Job(cells=[cell], limits=Limits(cell_timeout=60)), deadline=120)
    finally:
        z.stop()
    assert "user student" in printed(result), result.cells[0]["outputs"]
