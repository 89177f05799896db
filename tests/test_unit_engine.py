"""autograder.engine's kernel message waits: sliced, so that a missed socket wake-up costs half a second, not a
cell timeout (lectures took 130 to 370 s instead of 15 to 60 when the execute reply's wake-up was missed)."""
import asyncio
import threading
import time
from queue import Empty

import pytest

from autograder.engine import POLL_SLICE, _sliced


def run(coro):
    """Run ``coro`` on a loop of its own in another thread (an earlier test in this worker may have left a loop
    running in this one, where asyncio.run refuses)."""
    out = {}

    def target():
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as err:  # noqa: BLE001 - re-raised below
            out["error"] = err

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


class Socket:
    """A channel's get_msg whose poll misses the message ``missed`` times, then sees it."""

    def __init__(self, missed: int | None):
        self.missed, self.timeouts = missed, []

    async def get_msg(self, timeout=None):
        self.timeouts.append(timeout)
        if self.missed is None or len(self.timeouts) <= self.missed:
            await asyncio.sleep(timeout if timeout is not None else 3600)  # the poll waits its whole timeout
            raise Empty
        return {"msg_type": "execute_reply"}


def test_a_missed_wake_up_is_retried_in_slices():
    sock = Socket(missed=3)
    start = time.monotonic()
    msg = run(_sliced(sock.get_msg, step=0.05)(timeout=120))
    assert msg == {"msg_type": "execute_reply"} and time.monotonic() - start < 2, "found after 3 slices, not 120 s"
    assert sock.timeouts == [0.05] * 4, "no single wait longer than a slice"
    assert POLL_SLICE <= 1.0


def test_no_timeout_waits_in_slices_until_the_message():
    sock = Socket(missed=5)
    assert run(_sliced(sock.get_msg, step=0.02)(timeout=None))["msg_type"] == "execute_reply"
    assert sock.timeouts == [0.02] * 6


def test_the_callers_timeout_still_holds():
    sock = Socket(missed=None)  # nothing ever comes
    start = time.monotonic()
    with pytest.raises(Empty):
        run(_sliced(sock.get_msg, step=0.05)(timeout=0.3))
    took = time.monotonic() - start
    assert 0.29 <= took < 2.0, f"a 0.3 s timeout took {took:.2f} s"
    assert all(t <= 0.05 + 1e-9 for t in sock.timeouts) and sum(sock.timeouts) <= 0.3 + 0.05
