"""Probes: the grader's own evidence that an answer is right, decided outside the sandbox.

The reference notebook runs with its exercise functions wrapped, so the calls its tests make are recorded.
Each recorded call becomes a probe: its floating-point inputs are rescaled by a random factor drawn for
this grading run (so nobody can know them in advance), and the reference function's output on them is
kept by the grader — it never enters a student's sandbox. A student's sandbox receives only the probe
inputs, calls the student's function on them and sends back the output; :func:`agree` compares it with
the reference here, in the trusted process. Tests inside a notebook can be fooled by the code they test;
a probe cannot, short of computing the right answer.

Only deterministic functions are probed (the reference must return the same output under two different
random seeds); functions that take modules, optimisers or generators are not plain data and are skipped.
"""
from __future__ import annotations

from .codec import pack, unpack

MAX_RECORDS = 8  # calls recorded per function
MAX_PROBES = 3  # probes kept per function
RTOL, ATOL = 1e-3, 1e-5


def perturb(data, rng):
    """A copy of packed ``data`` with every float tensor/array rescaled elementwise by 1 ± 10 % (random)."""
    import numpy as np

    def walk(v):
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            for key in ("$tensor", "$ndarray"):
                if key in v:
                    arr = unpack({key: v[key]}) if key == "$ndarray" else unpack({key: v[key]}).numpy()
                    if np.issubdtype(arr.dtype, np.floating) and arr.size:
                        arr = (arr * (1 + 0.1 * rng.uniform(-1, 1, size=arr.shape))).astype(arr.dtype)
                    packed = pack(arr, limit=2**24)["$ndarray"]
                    return {**v, key: packed}
            if "$tuple" in v:
                return {"$tuple": [walk(x) for x in v["$tuple"]]}
            if "$dict" in v:
                return {"$dict": {k: walk(x) for k, x in v["$dict"].items()}}
        return v

    return walk(data)


def _leaves(value):
    """Flatten an unpacked value into comparable leaves: ('num', ndarray) / ('other', value) / structure tags."""
    import numpy as np

    kind = type(value).__module__.split(".")[0]
    if kind == "torch" and hasattr(value, "detach"):
        return [("num", value.detach().to("cpu").double().numpy().reshape(-1))]
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return [("num", np.asarray(value, dtype=np.float64).reshape(-1))]
    if isinstance(value, (bool, int, float)):
        return [("num", np.asarray([float(value)], dtype=np.float64))]
    if isinstance(value, (list, tuple)):
        out = [("seq", len(value))]
        for v in value:
            out.extend(_leaves(v))
        return out
    if isinstance(value, dict):
        out = [("dict", tuple(sorted(value)))]
        for k in sorted(value):
            out.extend(_leaves(value[k]))
        return out
    return [("other", str(value))]


def agree(reference, got) -> str:
    """'' if ``got`` matches ``reference`` (unpacked values), else what differs.

    Lenient where a notebook's tests may be: dtype, and shape when the number of elements matches, are not
    compared here — the in-notebook tests judge those; this only has to catch a wrong answer.
    """
    import numpy as np

    a, b = _leaves(reference), _leaves(got)
    if len(a) != len(b):
        return "the result has a different structure than the reference"
    for (ka, va), (kb, vb) in zip(a, b):
        if ka != kb:
            return "the result has a different structure than the reference"
        if ka == "num":
            if va.shape != vb.shape:
                return f"{vb.size} values where the reference has {va.size}"
            both_nan = np.isnan(va) & np.isnan(vb)
            scale = float(np.nanmax(np.abs(va))) if va.size and not np.all(np.isnan(va)) else 0.0
            close = np.isclose(va, vb, rtol=RTOL, atol=ATOL + 1e-4 * scale) | both_nan
            if not np.all(close):
                i = int(np.argmin(close))
                return f"value {vb[i]:.6g} where the reference gives {va[i]:.6g} (element {i})"
        elif va != vb:
            return f"{vb!r} where the reference gives {va!r}"
    return ""


def record_wrapper(name, fn, records: dict):
    """``fn`` wrapped so that its first calls with plain-data arguments are recorded in ``records[name]``."""
    import functools

    seen = set()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        calls = records.setdefault(name, [])
        if len(calls) < MAX_RECORDS:
            try:
                packed = pack({"args": list(args), "kwargs": kwargs}, limit=2**18)
            except Exception:
                packed = None
            if packed is not None:
                key = repr(packed)
                if key not in seen:
                    seen.add(key)
                    calls.append(packed)
        return fn(*args, **kwargs)

    return wrapper


def seeded_call(fn, packed_call, seed: int):
    """Call ``fn`` on a fresh copy of ``packed_call``'s arguments with every global RNG seeded."""
    import random

    import numpy as np
    import torch

    call = unpack(packed_call)  # {"args": [...], "kwargs": {...}}
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return fn(*call["args"], **call["kwargs"])


def make_probes(namespace: dict, records: dict, run_seed: int) -> list[dict]:
    """Probes (inputs + reference output) from recorded calls; run in the reference sandbox."""
    import numpy as np

    probes = []
    for name, calls in records.items():
        fn = namespace.get(name)
        fn = getattr(fn, "__wrapped__", fn)
        kept = 0
        for k, call in enumerate(calls):
            if kept >= MAX_PROBES:
                break
            rng = np.random.default_rng([run_seed & 0xFFFFFFFF, k, sum(map(ord, name))])
            inputs = perturb(call, rng)
            try:
                first = seeded_call(fn, inputs, 1)
                second = seeded_call(fn, inputs, 2)
                if agree(first, second):
                    continue  # depends on random draws: the grader cannot recompute it
                output = pack(first, limit=2**22)
            except Exception:
                continue
            probes.append({"name": name, "inputs": inputs, "output": output})
            kept += 1
    return probes


def run_probes(namespace: dict, probes: list[dict]) -> list[dict]:
    """The student's outputs on the probe inputs (run in the student's sandbox)."""
    results = []
    for probe in probes:
        fn = namespace.get(probe["name"])
        if not callable(fn):
            results.append({"error": f"{probe['name']} is not defined"})
            continue
        try:
            out = seeded_call(fn, probe["inputs"], 1)
        except BaseException as err:  # noqa: BLE001 - a student's function may raise anything
            if type(err).__name__ == "CellTimeoutError":
                raise
            results.append({"error": f"{type(err).__name__}: {err}"[:300]})
            continue
        try:
            results.append({"output": pack(out, limit=2**22)})
        except Exception as err:
            results.append({"error": f"returned {type(out).__name__}, not plain data ({err})"[:300]})
    return results


def judge(probe: dict, result: dict) -> str:
    """'' if the student's probe ``result`` agrees with the reference output in ``probe``, else why not."""
    if not isinstance(result, dict):
        return "no result came back"
    if "error" in result:
        return f"calling {probe['name']} failed: {str(result['error'])[:200]}"
    try:
        got = unpack(result.get("output"))
        want = unpack(probe["output"])
    except Exception as err:
        return f"the result could not be read ({err})"
    diff = agree(want, got)
    return f"{probe['name']} on the grader's inputs: {diff}" if diff else ""


