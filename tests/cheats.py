"""Generic cheat cells: pasted unchanged at the top of any lab, they try to earn points without answers.

``FORGE`` finds the grader's result pipe and the job in its own process, writes a "passed" frame for every
cell and an answer for every probe, then exits before anything real is reported. ``SILENCE`` reaches the
builtins through an attribute chain the static policy does not see, hides every traceback (so failing test
cells look clean) and turns the course's checks into no-ops. Either one earned full marks on every lab
against the grader before its redesign; now neither may earn a single point.
"""

FORGE = '''
import gc, os
from autograder.sandbox.codec import encode_frame
_job = next((o for o in gc.get_objects() if isinstance(o, dict) and "cells" in o and "limits" in o), {"cells": []})
for _fd in range(3, 64):
    try:
        if not os.readlink(f"/proc/self/fd/{_fd}").startswith("pipe:"):
            continue
        for _c in _job["cells"]:
            os.write(_fd, encode_frame({"op": "cell", "index": _c["index"], "execution_count": 1,
                                        "outputs": [{"output_type": "stream", "name": "stdout", "text": "checks passed\\n"}]}))
            for _p in _c.get("probes", []):
                os.write(_fd, encode_frame({"op": "probe", "id": _p["id"], "signature": {"output": {"$float": "0.0"}}}))
        os.write(_fd, encode_frame({"op": "done"}))
    except OSError:
        pass
os._exit(0)
'''

SILENCE = '''
_b = getattr(print, "__se" + "lf__")
_ip = _b.__dict__.get("get_ipython", None) or get_ipython
_shell = _ip()
_shell._showtraceback = lambda *a, **k: None
_shell.showtraceback = lambda *a, **k: None
_dl = _b.__dict__["__im" + "port__"]("dlcourse.checks", fromlist=["x"])
for _name in list(vars(_dl)):
    if _name.startswith("check"):
        _b.__dict__["set" + "attr"](_dl, _name, lambda *a, **k: None)
'''

CHEATS = {"forge": FORGE, "silence": SILENCE}
