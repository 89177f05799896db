"""autograder.sandbox.host: the sandbox's command line, and the grader's side of a job (``Zygote.run``).

``Zygote.run`` is driven against a stand-in zygote (a thread on the other end of the control socket that
receives the two pipes, reads the job and writes frames as a child would), so what the grader does with
a well-behaved, a chatty, a hostile, a silent or a dirty child is checked without starting a process.
"""
import os
import socket
import threading

import pytest

from autograder.course import ROOT
from autograder.sandbox import host
from autograder.sandbox.codec import encode_frame, read_frame
from autograder.sandbox.host import Cgroup, SandboxUnavailable, Zygote, command
from autograder.sandbox.protocol import Job, Limits


def pairs(cmd, flag):
    return [(cmd[i + 1], cmd[i + 2]) for i, a in enumerate(cmd) if a == flag and i + 2 < len(cmd)]


def setenvs(cmd):
    return dict(pairs(cmd, "--setenv"))


def test_the_sandbox_sees_only_the_course_code_read_only(monkeypatch):
    monkeypatch.setattr(host, "bwrap_path", lambda: "/usr/bin/bwrap")
    monkeypatch.setenv("SECRET_TOKEN", "do-not-leak")
    cmd = command(1_234_567, isolate=True)
    assert cmd[0] == "/usr/bin/bwrap"
    assert cmd[-4:] == ["-s", "-P", "-m", "autograder.sandbox.worker"], "no user site, no script folder on sys.path"
    for flag in ("--die-with-parent", "--new-session", "--clearenv"):
        assert flag in cmd
    assert "--unshare-net" in cmd or "--unshare-all" in cmd, "no network"
    binds = dict(pairs(cmd, "--ro-bind"))
    for part in ("dlcourse", "autograder", "datasets"):
        assert binds.get(str(ROOT / part)) == str(ROOT / part)
    for hidden in ("solutions", "tests", "labs", "exercises"):
        assert str(ROOT / hidden) not in binds and not any(v.startswith(str(ROOT / hidden)) for v in binds.values())
    assert str(ROOT) not in binds, "never the whole repository"
    assert ("--bind" not in cmd) and ("--bind-try" not in cmd), "nothing of the host is writable"
    assert cmd[cmd.index("--tmpfs") + 1] == "/tmp"
    env = setenvs(cmd)
    assert env["DLCOURSE_SANDBOX"] == "1" and env["HOME"] == "/tmp" and env["PYTHONPATH"] == str(ROOT)
    assert "do-not-leak" not in " ".join(cmd)
    if os.geteuid() == 0 and host.shutil.which("setpriv"):
        assert "--reuid=1234567" in cmd and "--bounding-set=-all" in cmd, "as root, every sandbox runs as a user of its own"


def test_without_isolation_the_environment_is_still_cleared(monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "do-not-leak")
    cmd = command(None, isolate=False, control_fd=7)
    assert cmd[:2] == ["env", "-i"] and "DLCOURSE_CONTROL_FD=7" in cmd
    assert "do-not-leak" not in " ".join(cmd) and cmd[-1] == "autograder.sandbox.worker"


def test_a_missing_bubblewrap_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(host, "bwrap_path", lambda: None)
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap.*--no-sandbox"):
        command(1, isolate=True)


def test_sockets_and_fifos_in_bound_folders_are_found(tmp_path):
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    (tmp_path / "plain.txt").write_text("x")
    try:
        assert sorted(host._special_files([str(tmp_path)])) == [str(tmp_path / "sock"), str(tmp_path / "sub" / "pipe")]
    finally:
        server.close()


def test_uid_blocks_are_drawn_per_run():
    bases = {host.run_uid_base() for _ in range(20)}
    assert len(bases) > 1 and all(b >= 1_000_000 and (b - 1_000_000) % 4096 == 0 for b in bases)


def test_cgroup_files(tmp_path):
    d = tmp_path / "cg"
    d.mkdir()
    (d / "memory.current").write_text("1000\n")
    (d / "memory.max").write_text("max\n")
    cg = Cgroup([d])
    assert cg.usage() == 1000
    cg.limit(5000)
    assert (d / "memory.max").read_text() == "5000"
    assert cg.join_command()[:2] == ["/bin/sh", "-c"] and f"echo $$ > {d / 'cgroup.procs'}" in cg.join_command()[2]
    for f in d.iterdir():
        f.unlink()
    cg.remove()
    assert not d.exists()
    assert Cgroup([tmp_path / "none"]).usage() is None


# ------------------------------------------------------------------------------------------ Zygote.run
class Proc:
    pid = -1

    def poll(self):
        return None


OPEN = []


@pytest.fixture(autouse=True)
def close_sockets():
    yield
    while OPEN:
        OPEN.pop().close()


def zygote_with(child, exit_frame=None):
    """A Zygote whose control socket leads to ``child(job, result_file)`` running in a thread."""
    ours, theirs = socket.socketpair()
    OPEN.append(ours)
    z = Zygote("test", isolate=False)
    z.proc, z.control = Proc(), ours
    stops = []
    z.stop = lambda: stops.append(True)  # (the real one kills the zygote's process group)

    def serve():
        msg, fds, _, _ = socket.recv_fds(theirs, 16, 2)
        with os.fdopen(fds[0], "rb", buffering=0) as f:
            job = read_frame(f)["job"]
        with os.fdopen(fds[1], "wb", buffering=0) as out:
            child(job, out)
        if exit_frame is None:
            theirs.close()  # the zygote is gone
        else:
            OPEN.append(theirs)
            try:
                theirs.sendall(encode_frame(exit_frame))
            except OSError:  # the grader stopped listening (it gave up on this child)
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return z, stops, thread


def job(**limits):
    return Job(cells=[{"index": 0, "source": "x = 1", "probes": []}], limits=Limits(**limits))


def test_a_well_behaved_child(monkeypatch):
    def child(job, out):
        assert job["cells"][0]["source"] == "x = 1", "the child, and only the child, reads the job"
        out.write(encode_frame({"op": "cell", "index": 0, "outputs": [], "execution_count": 1}))
        out.write(encode_frame({"op": "probe", "id": 3, "signature": {"output": 1}}))
        out.write(encode_frame({"op": "probe", "id": 3, "signature": {"output": 2}}))  # a second answer is ignored
        out.write(encode_frame({"op": "cell", "index": "0; rm"}))  # malformed frames are skipped
        out.write(encode_frame({"op": "done"}))

    z, stops, _ = zygote_with(child, {"op": "exit", "code": 0, "clean": True})
    uid = z.uid
    result = z.run(job(), deadline=10)
    assert result.problem == "" and result.exit == 0 and not result.timeout
    assert list(result.cells) == [0] and result.probes == {3: {"output": 1}}
    assert stops == [] and z.uid == uid


def test_a_child_that_sends_too_much_is_cut_off():
    def child(job, out):
        try:
            for _ in range(100):
                out.write(encode_frame({"op": "cell", "index": 0, "outputs": [{"text": "x" * 1000}]}))
        except BrokenPipeError:
            pass

    z, stops, _ = zygote_with(child, {"op": "exit", "code": 0, "clean": True})
    result = z.run(job(output=20_000), deadline=10)
    assert result.problem == ("the notebook's process sent something the grader does not accept "
                              "(more output than the grader accepts from one notebook)")
    assert stops, "the sandbox is stopped"


def test_a_child_that_sends_garbage():
    z, stops, _ = zygote_with(lambda job, out: out.write(b"\x00\x00\x00\x05hello"), {"op": "exit", "code": 0, "clean": True})
    result = z.run(job(), deadline=10)
    assert result.problem.startswith("the notebook's process sent something the grader does not accept (a frame that is not JSON")


def test_a_child_that_never_finishes_is_stopped_at_the_deadline():
    release = threading.Event()

    def child(job, out):
        out.write(encode_frame({"op": "cell", "index": 0, "outputs": []}))
        release.wait(10)

    z, stops, thread = zygote_with(child, {"op": "exit", "code": 0, "clean": True})
    result = z.run(job(), deadline=0.5)
    release.set()
    assert result.timeout and result.problem == "the notebook ran past its 0.5s time limit and was stopped"
    assert list(result.cells) == [0], "what it reported before the deadline is kept"
    assert stops


def test_a_child_that_leaves_something_behind_gets_a_new_sandbox_and_user():
    z, stops, _ = zygote_with(lambda job, out: None, {"op": "exit", "code": -9, "clean": False})
    uid = z.uid
    result = z.run(job(), deadline=10)
    assert result.exit == -9 and stops and z.uid != uid


def test_a_zygote_that_vanishes():
    z, stops, _ = zygote_with(lambda job, out: None, None)
    result = z.run(job(), deadline=10)
    assert result.problem == "the sandbox stopped unexpectedly" and stops
