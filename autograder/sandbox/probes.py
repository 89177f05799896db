"""Probes: the grader's own evidence that an answer is right, judged outside the student's process.

1. **Recording** (the reference run, in its own sandbox process that never forks a student): the source
   notebook runs with every answer function wrapped, and every answer ``nn.Module`` class patched, so the
   calls its visible *and hidden* tests make are recorded as packed inputs: plain data, generators (their
   state), instructor-built modules (pickled) and callables the visible code defines (by name).
2. **Probes** (:func:`make_probes`, still in the reference process): each recorded call's inputs are redrawn
   for this grading run, respecting their domain (0/1 masks and labels stay as they are, probability rows stay
   rows, other floats are rescaled by 1 ± 10 %), and the reference's **behaviour signature** on them is taken
   (:func:`observe`): the output with dtype, shape, device and strides, the gradients autograd gives for
   inputs that require them, the arguments' state after the call, or the exception raised. A function whose
   output changes with the global random seed is compared by its skeleton only (kinds, shapes, dtypes).
3. **Student side**: the student's sandbox receives the probe inputs only, never a reference output, and
   sends back its own signature as data, at the point where the exercise's hidden tests would have run.
4. **Verdict** (:func:`compare`, in the grader's process): the two signatures are compared with the tolerance
   the course's checks use. The student's process never learns the reference signature, so the only way to
   match it is to compute it.

The **ambient context** of a call is recorded too and replayed by its probe: the library functions a test
switched off while calling the answer (a lab that says "write sigmoid yourself" patches ``torch.sigmoid`` to
raise) and whether autograd was on, and the rules it watched (``dlcourse.no_one_hot``). A probe then switches
the same functions off and watches the same rules, so a forbidden call raises in the probe exactly as it did in
the test.

Kinds of probe: ``call`` (a function), ``init`` (construct an answer class: parameter shapes) and ``forward``
(construct, load a given state, set train/eval, run forward; output and state after).
"""
from __future__ import annotations

import time

from . import codec
from .codec import ChannelError, GeneratorState, Inputs, ModuleState, OptimizerState, Tensor, Unsupported, module_state, pack, unpack

MAX_RECORDS = 64  # calls recorded per answer name
MAX_ITEMS = 10_000  # items kept of a generator's output
MAX_PROBES = 8  # probes kept per answer name (32 for a function that answers in milliseconds)
MAX_FAST_PROBES = 32
RECORD_LIMIT = 2**20  # bytes per recorded value
RTOL, ATOL = 1e-4, 1e-6
# the library surfaces whose functions a test may switch off while it calls an answer
SURFACES = ("torch", "torch.nn.functional", "torch.special", "torch.linalg", "torch.autograd", "torch.fft", "torch.Tensor")
_MISSING = object()


def _surfaces() -> dict:
    import importlib

    import torch

    return {d: torch.Tensor if d == "torch.Tensor" else importlib.import_module(d) for d in SURFACES}


class _Ambient:
    """What a test changed around a call: library functions it switched off, and autograd's mode."""

    def __init__(self):
        self.surfaces = _surfaces()
        self.pristine = {d: dict(vars(obj)) for d, obj in self.surfaces.items()}

    def context(self) -> dict:
        import types

        import torch

        out: dict = {}
        off = []
        for dotted, obj in self.surfaces.items():
            before = self.pristine[dotted]
            for name, value in list(vars(obj).items()):
                if name.startswith("_") or before.get(name, _MISSING) is value:
                    continue
                if callable(value) and not isinstance(value, (type, types.ModuleType)):
                    off.append(f"{dotted}.{name}")
        if off:
            out["disabled"] = sorted(off)[:32]
        if not torch.is_grad_enabled():
            out["grad_enabled"] = False
        watches = _active_watches()
        if watches:
            out["watch"] = watches
        return out


def _active_watches() -> list:
    """Rules a test watches while it calls the answer (``dlcourse.no_one_hot``), as data the probe replays."""
    import sys

    rules = sys.modules.get("dlcourse.rules")
    if rules is None:
        return []
    from torch.overrides import _get_current_function_mode_stack

    return [{"no_one_hot": int(m.k), "why": str(m.why)[:300]} for m in _get_current_function_mode_stack()
            if isinstance(m, rules._OneHotWatch)][:4]


def _switched_off_call(dotted: str):
    def off(*args, **kwargs):
        raise RuntimeError(f"{dotted} is switched off while this exercise is tested: "
                           "the instructions ask you to compute it yourself")

    return off


def _helper_off(leaf: str):
    def off(*args, **kwargs):
        raise RuntimeError(f"{leaf} from the course library answers this exercise, so it is switched off while "
                           "the exercise is tested: write it yourself")

    return off


class switched_off:
    """Replays a recorded ambient context in the sandbox: the listed functions raise, autograd as recorded."""

    def __init__(self, probe: dict, namespace: dict | None = None):
        self.names = [n for n in probe.get("disabled", ()) if isinstance(n, str) and n.rpartition(".")[0] in SURFACES]
        self.helpers = [n for n in probe.get("not_allowed", ()) if isinstance(n, str) and n.isidentifier()]
        self.namespace = namespace
        self.grad = probe.get("grad_enabled", True) is not False
        self.watch = [w for w in probe.get("watch", ()) if isinstance(w, dict) and isinstance(w.get("no_one_hot"), int)]
        self.saved: list = []
        self.modes: list = []

    def _swap(self, owner, attr: str, new) -> None:
        """Put ``new`` at ``owner.attr`` (or ``owner[attr]`` for a namespace), remembering what was there."""
        if isinstance(owner, dict):
            self.saved.append((owner, attr, owner[attr]))
            owner[attr] = new
        else:
            self.saved.append((owner, attr, vars(owner).get(attr, _MISSING)))
            setattr(owner, attr, new)

    def _swap_everywhere(self, owners, targets: dict, make_off) -> None:
        """Every attribute of ``owners`` (modules or the namespace) that is one of the ``targets`` objects
        (``id -> name``) is replaced by ``make_off(name)``."""
        for owner in owners:
            items = owner.items() if isinstance(owner, dict) else vars(owner).items()
            for attr, value in list(items):
                if id(value) in targets:
                    self._swap(owner, attr, make_off(targets[id(value)]))

    def __enter__(self):
        import sys

        import torch

        namespace = [self.namespace] if self.namespace is not None else []
        surfaces = _surfaces() if self.names else {}
        for dotted in self.names:
            owner_name, _, attr = dotted.rpartition(".")
            owner = surfaces[owner_name]
            original = vars(owner).get(attr, _MISSING)
            self._swap(owner, attr, _switched_off_call(dotted))
            if original is not _MISSING:  # a notebook name bound to it, too
                self._swap_everywhere(namespace, {id(original): dotted}, _switched_off_call)
        if self.helpers:  # course helpers: in every loaded dlcourse module and under any notebook name
            modules = [m for name, m in list(sys.modules.items()) if name == "dlcourse" or name.startswith("dlcourse.")]
            targets = {id(obj): leaf for mod in modules for leaf in self.helpers
                       if callable(obj := vars(mod).get(leaf)) and not isinstance(obj, type)}
            self._swap_everywhere(modules + namespace, targets, _helper_off)
        self.grad_before = torch.is_grad_enabled()
        torch.set_grad_enabled(self.grad)
        if self.watch:
            from dlcourse.rules import _OneHotWatch

            for w in self.watch:
                mode = _OneHotWatch(w["no_one_hot"], str(w.get("why", "")))
                mode.__enter__()
                self.modes.append(mode)
        return self

    def __exit__(self, *exc):
        import torch

        while self.modes:
            self.modes.pop().__exit__(None, None, None)
        torch.set_grad_enabled(self.grad_before)
        for owner, attr, old in reversed(self.saved):
            if isinstance(owner, dict):
                owner[attr] = old
            elif old is _MISSING:
                delattr(owner, attr)
            else:
                setattr(owner, attr, old)
        self.saved.clear()
        return False


# ------------------------------------------------------------------------------ recording (reference side)
class Recorder:
    """Wraps the reference's answers so that the calls the tests make are recorded (reference process only)."""

    def __init__(self, namespace: dict, visible: set[str], seed: int = 0, answers: set[str] = frozenset()):
        import os

        # callables and classes a probe may name: public code's, and other answers' (as the tests use them:
        # an earlier exercise's mistake then costs here too, exactly as in the tests themselves)
        self.ns, self.visible, self.seed = namespace, set(visible) | set(answers), seed
        self.records: dict[str, list[dict]] = {}
        self.keys: dict[str, set] = {}
        self.depth = 0
        self.inits = {}
        self.codec = Inputs(callable_name=self._callable_name, module_ok=self._module_ok, scratch=os.environ.get("TMPDIR"))
        self.outputs: list = []  # (memory span, record) of recent answers' outputs: a check on them gives its tolerance
        self.ambient = _Ambient()

    def _callable_name(self, fn):
        for name in self.visible:
            if self.ns.get(name) is fn:
                return name
        return instructor_callable(fn, self.codec)

    def watch_checks(self) -> None:
        """Wrap the notebook's ``check_close`` so that the tolerance a test demands of an answer's output is
        recorded with that call: the probe then judges with the exercise's own tolerance."""
        check = self.ns.get("check_close")
        if not callable(check) or getattr(check, "_probe_watch", False):
            return
        recorder = self

        def check_close(actual, expected, *args, **kwargs):
            span = _memory(actual)
            if span is not None:
                for out_span, record in recorder.outputs:
                    if out_span == span:
                        rtol, atol = float(kwargs.get("rtol", 1e-5)), float(kwargs.get("atol", 1e-6))
                        old = record.get("tol", (rtol, atol))
                        record["tol"] = (min(old[0], rtol), min(old[1], atol))
            return check(actual, expected, *args, **kwargs)

        check_close._probe_watch = True
        self.ns["check_close"] = check_close

    def _remember(self, out, record) -> None:
        for t in _tensor_leaves(out, []):
            span = _memory(t)
            if span is not None:
                self.outputs.append((span, record))
        del self.outputs[:-256]

    def _module_ok(self, module) -> bool:
        for sub in module.modules():
            mod, name = type(sub).__module__, type(sub).__name__
            if not (mod.startswith(("torch.", "dlcourse")) or (mod == "__main__" and name in self.visible)):
                return False
        return True

    def _add(self, name: str, record: dict) -> None:
        calls = self.records.setdefault(name, [])
        key = repr(record)
        if len(calls) < MAX_RECORDS and key not in self.keys.setdefault(name, set()):
            self.keys[name].add(key)
            calls.append(record)

    def _pack(self, value):
        try:
            return self.codec.pack(value, RECORD_LIMIT)
        except Unsupported as err:
            if "size limit" not in str(err):
                raise
        return self.codec.pack(_subsample(value, self.seed), RECORD_LIMIT)

    def wrap_function(self, name: str, fn):
        import functools

        recorder = self

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            record = None
            if recorder.depth == 0:
                try:
                    record = {"kind": "call", "inputs": recorder._pack({"args": list(args), "kwargs": kwargs}),
                              **recorder.ambient.context()}
                except (Unsupported, ValueError, TypeError, RuntimeError):
                    record = None
            recorder.depth += 1
            try:
                out = fn(*args, **kwargs)
            except Exception as err:
                if record is not None:  # a test that expects an error: the probe expects it too
                    recorder._add(name, {**record, "raised": type(err).__name__})
                raise
            finally:
                recorder.depth -= 1
            if record is not None:
                recorder._add(name, record)
                recorder._watch_forward(out, record)
                recorder._remember(out, record)
            return out

        return wrapper

    def _watch_forward(self, out, record: dict) -> None:
        """An answer that returns a model (build_...): record the first input the tests run it on, so the
        probe also compares what the returned model computes, not only its parameters."""
        import torch

        if not isinstance(out, torch.nn.Module):
            return
        recorder, forward = self, out.forward

        def watched(*args, **kwargs):
            if recorder.depth == 0 and "then_forward" not in record:
                try:
                    state = {k: v.detach().clone() for k, v in out.state_dict().items()}
                    record["then_forward"] = {"state": recorder._pack(state), "training": bool(out.training),
                                              "inputs": recorder._pack({"args": list(args), "kwargs": kwargs})}
                except (Unsupported, ValueError, TypeError, RuntimeError):
                    pass
            return forward(*args, **kwargs)

        out.forward = watched

    def wrap_class(self, name: str, cls) -> None:
        """Patch an answer ``nn.Module`` class in place: record its constructions and top-level forward calls."""
        import weakref

        recorder, init, forward = self, cls.__init__, cls.forward
        inits = weakref.WeakKeyDictionary()

        def __init__(module, *args, **kwargs):
            packed = None
            if recorder.depth == 0:
                try:
                    packed = recorder._pack({"args": list(args), "kwargs": kwargs})
                    recorder._add(name, {"kind": "init", "init": packed})
                except (Unsupported, ValueError, TypeError, RuntimeError):
                    packed = None
            recorder.depth += 1
            try:
                init(module, *args, **kwargs)
            finally:
                recorder.depth -= 1
            if packed is not None and type(module) is cls:
                inits[module] = packed

        def forward_(module, *args, **kwargs):
            if recorder.depth == 0 and module in inits:
                try:
                    state = {k: v.detach().clone() for k, v in module.state_dict().items()}
                    recorder._add(name, {"kind": "forward", "init": inits[module], "state": recorder._pack(state),
                                         "training": bool(module.training),
                                         "inputs": recorder._pack({"args": list(args), "kwargs": kwargs}),
                                         **recorder.ambient.context()})
                except (Unsupported, ValueError, TypeError, RuntimeError):
                    pass
            recorder.depth += 1
            try:
                return forward(module, *args, **kwargs)
            finally:
                recorder.depth -= 1

        cls.__init__, cls.forward = __init__, forward_


def instructor_callable(fn, codec) -> dict | None:
    """A lambda the tests pass as an argument (the function to differentiate, say), as source plus the data
    it reads, or None. It is an *input* of the call, like a tensor: its source, and every global it reads
    packed as data (modules by name, public functions by name). Named functions are never sent as source
    (a hidden test's helper may be a reference answer), nor closures."""
    import ast
    import inspect
    import textwrap
    import types

    if not isinstance(fn, types.FunctionType) or fn.__code__.co_freevars or fn.__name__ != "<lambda>":
        return None  # a named function travels by name only: it must be public code (a hidden helper may be a reference answer)
    try:
        text = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None
    if fn.__name__ == "<lambda>":
        source = None
        for attempt in (text, f"({text})", text.rstrip().rstrip(",") + "\n"):
            try:
                tree = ast.parse(attempt)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Lambda):
                    candidate = ast.unparse(node)
                    try:
                        code = compile(candidate, "<probe>", "eval").co_consts[0]
                    except (SyntaxError, IndexError):
                        continue
                    if getattr(code, "co_code", None) == fn.__code__.co_code and code.co_names == fn.__code__.co_names:
                        source = candidate
                        break
            if source:
                break
        if source is None:
            return None
    else:
        source = text
    names = {}
    for name in fn.__code__.co_names:
        if name not in fn.__globals__:
            continue
        value = fn.__globals__[name]
        if isinstance(value, types.ModuleType):
            names[name] = {"$import": value.__name__}
        elif callable(value) and not hasattr(value, "shape"):
            inner = codec.callable_name(value) if value is not fn else None
            if not isinstance(inner, str):
                return None  # only public functions, by name
            names[name] = {"$ns": inner}
        else:
            try:
                names[name] = pack(value, limit=RECORD_LIMIT, inputs=codec)
            except Unsupported:
                return None
    return {"$source": source, "lambda": fn.__name__ == "<lambda>", "name": fn.__name__, "globals": names}


def _subsample(call: dict, seed: int, limit: int = RECORD_LIMIT) -> dict:
    """A call on a big dataset, cut down to a random subset of its examples: every tensor or array argument
    with the largest leading dimension N keeps the same ``rows`` rows (chosen afresh for each run)."""
    import numpy as np
    import torch

    leaves = [v for v in [*call["args"], *call["kwargs"].values()] if isinstance(v, (torch.Tensor, np.ndarray)) and v.ndim]
    if not leaves:
        return call
    n = max(v.shape[0] for v in leaves)
    row_bytes = sum((v.element_size() * v.numel() if isinstance(v, torch.Tensor) else v.nbytes) // max(1, v.shape[0]) for v in leaves if v.shape[0] == n)
    rows = int(min(512, max(16, (limit // 2) // max(1, row_bytes))))
    if n <= rows:
        return call
    idx = np.sort(np.random.default_rng(seed).choice(n, rows, replace=False))

    def cut(v):
        if isinstance(v, torch.Tensor) and v.ndim and v.shape[0] == n:
            return v[torch.as_tensor(idx, device=v.device)].clone()
        if isinstance(v, np.ndarray) and v.ndim and v.shape[0] == n:
            return v[idx].copy()
        return v

    return {"args": [cut(v) for v in call["args"]], "kwargs": {k: cut(v) for k, v in call["kwargs"].items()}}


# --------------------------------------------------------------------------------------- redrawing inputs
def redraw(data, rng):
    """A copy of packed ``data`` with its floating-point tensors and arrays redrawn within their domain."""
    import numpy as np

    def new_values(arr):
        if not (np.issubdtype(arr.dtype, np.floating) and arr.size) or not np.all(np.isfinite(arr)):
            return arr
        if np.all(arr == np.round(arr)):  # 0/1 masks, labels, counts, one-hot rows: keep
            return arr
        out = arr * (1 + 0.1 * rng.uniform(-1, 1, size=arr.shape))
        if arr.ndim >= 1 and np.all(arr >= 0) and np.allclose(arr.sum(axis=-1), 1.0, atol=1e-5):
            out = out / out.sum(axis=-1, keepdims=True)  # probability rows stay rows
        return out.astype(arr.dtype)

    def walk(v):
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            for key in ("$tensor", "$ndarray"):
                if key in v:
                    from .codec import _array, _unarray

                    return {**v, key: _array(new_values(_unarray(v[key])), 2**30)}
            if "$tuple" in v:
                return {"$tuple": [walk(x) for x in v["$tuple"]]}
            if "$dict" in v:
                return {"$dict": {k: walk(x) for k, x in v["$dict"].items()}}
            if "$map" in v:
                return {"$map": [[k, walk(x)] for k, x in v["$map"]]}
        return v

    return walk(data)


def _dtypes(record: dict) -> set:
    found = set()

    def walk(v):
        if isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for key in ("$tensor", "$ndarray"):
                if key in v:
                    found.add((key, v[key]["dtype"], bool(v.get("requires_grad")), str(v.get("device", "cpu"))))
                    return
            for x in v.values():
                walk(x)
    walk(record.get("inputs"))
    return found


def _shape_key(record: dict) -> str:
    """What distinguishes two recorded calls for coverage: the shapes, dtypes, devices and scalar values of their inputs."""
    def walk(v):
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            for key in ("$tensor", "$ndarray"):
                if key in v:
                    return (key, tuple(v[key]["shape"]), v[key]["dtype"], bool(v.get("requires_grad")), str(v.get("device", "cpu")))
            return {k: walk(x) for k, x in v.items() if k not in ("state",)}
        return v
    return repr(walk({k: record.get(k) for k in ("kind", "init", "inputs")}))


# ------------------------------------------------------------------------------------ observing behaviour
def seed_all(seed: int) -> None:
    import random

    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _tensor_leaves(value, out):
    import torch

    if isinstance(value, torch.Tensor):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _tensor_leaves(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            _tensor_leaves(v, out)
    return out


def _memory(v):
    """(start, end) of the memory a tensor or array's data occupies, or None."""
    import numpy as np
    import torch

    try:
        if isinstance(v, torch.Tensor) and v.layout == torch.strided:
            start = v.untyped_storage().data_ptr()
            return (start, start + v.untyped_storage().nbytes()) if v.untyped_storage().nbytes() else None
        if isinstance(v, np.ndarray) and v.nbytes:
            base = v
            while isinstance(base.base, np.ndarray):
                base = base.base
            start = base.__array_interface__["data"][0]
            return start, start + base.nbytes
    except Exception:  # noqa: BLE001
        return None
    return None


def _aliases(inputs, out) -> list[int]:
    """For every tensor or array in the output: 1 if it shares memory with an input (a view, or the input itself)."""
    import numpy as np

    def leaves(v, acc):
        if isinstance(v, (list, tuple)):
            for x in v:
                leaves(x, acc)
        elif isinstance(v, dict):
            for x in v.values():
                leaves(x, acc)
        elif _memory(v) is not None or isinstance(v, np.ndarray) or type(v).__name__ == "Tensor":
            acc.append(v)
        return acc

    spans = [m for m in (_memory(v) for v in leaves(inputs, [])) if m]
    flags = []
    for o in leaves(out, []):
        m = _memory(o)
        flags.append(int(bool(m) and any(m[0] < b and a < m[1] for a, b in spans)))
    return flags


def _load_state(module, state: dict) -> None:
    """Load ``state`` by name; if the names differ, by order where every shape agrees."""
    own = module.state_dict()
    if set(own) == set(state):
        module.load_state_dict(state)
        return
    if len(own) == len(state) and all(tuple(a.shape) == tuple(b.shape) for a, b in zip(own.values(), state.values())):
        module.load_state_dict(dict(zip(own.keys(), state.values())))
        return
    raise RuntimeError(f"its parameters and buffers ({len(own)}) do not match the architecture the instructions describe ({len(state)})")


def _to_state_device(module, state: dict) -> None:
    """Put a module built in the probe where the test had it: on the device its recorded state lives on
    (a test that builds a model and moves it with ``.to(dev)``)."""
    import torch

    devices = {t.device for t in state.values() if isinstance(t, torch.Tensor)}
    if len(devices) == 1 and next(iter(devices)).type != "cpu":
        module.to(next(iter(devices)))


def observe(namespace: dict, probe: dict, seed: int) -> dict:
    """The behaviour signature of ``probe`` run against ``namespace`` (in a sandbox), as packed data."""
    import torch

    target = namespace.get(probe["name"])
    if target is None:
        return {"missing": True}
    codec.PROBE_FOLDERS.clear()
    codec.CALLBACKS.clear()
    limit = 2**22
    kind = probe["kind"]
    try:
        seed_all(seed)
        if kind == "call":
            call = unpack(probe["inputs"], namespace=namespace)
            args, kwargs = call["args"], call["kwargs"]
            needs_grad = [t for t in _tensor_leaves([args, kwargs], []) if t.requires_grad and t.is_leaf]
            with switched_off(probe, namespace):
                out = _drained(target(*args, **kwargs))
        else:
            init = unpack(probe["init"], namespace=namespace)
            module = target(*init["args"], **init["kwargs"])
            if kind == "init":
                shapes = [list(p.shape) for p in module.parameters()]  # in order: the order layers are defined in
                return {"output": pack({"parameter shapes": shapes, "parameters": sum(p.numel() for p in module.parameters())})}
            state = unpack(probe["state"], namespace=namespace)
            _to_state_device(module, state)
            _load_state(module, state)
            module.train(bool(probe.get("training", True)))
            call = unpack(probe["inputs"], namespace=namespace)
            args, kwargs, needs_grad = call["args"], call["kwargs"], []
            with switched_off(probe, namespace):
                out = _drained(module(*args, **kwargs))
    except Exception as err:  # noqa: BLE001 - a student's code may raise anything
        return {"raised": type(err).__name__, "message": str(err)[:300]}
    sig: dict = {}
    if kind == "call":
        sig["aliases"] = _aliases([args, kwargs], out)
        if not args and not kwargs:  # a data constructor: a second call must not hand out the same arrays
            try:
                again = target()
                sig["reused"] = _aliases(out, again)
            except Exception:  # noqa: BLE001
                pass
    if codec.CALLBACKS:
        sig["callbacks"] = dict(codec.CALLBACKS)
    then = probe.get("then_forward")
    if then and isinstance(out, torch.nn.Module):
        try:
            state = unpack(then["state"], namespace=namespace)
            _to_state_device(out, state)
            _load_state(out, state)
            out.train(bool(then.get("training", True)))
            fwd = unpack(then["inputs"], namespace=namespace)
            seed_all(seed)
            sig["forward"] = pack(out(*fwd["args"], **fwd["kwargs"]), limit=limit)
        except Exception as err:  # noqa: BLE001
            sig["forward"] = {"$dict": {"raised": type(err).__name__}}
    try:
        sig["output"] = pack(out, limit=limit)
    except Unsupported as err:
        sig["output_error"] = f"returned {type(out).__name__}, which the grader cannot read ({err})"[:300]
    try:
        sig["args_after"] = module_state(module, limit) if kind == "forward" else pack(_scrub([args, kwargs]), limit=limit)
    except Unsupported:
        pass
    outs = [t for t in _tensor_leaves(out, []) if t.is_floating_point() and t.grad_fn is not None]
    if needs_grad and outs:
        try:
            gen = torch.Generator().manual_seed(seed)
            total = sum((o * torch.rand(o.shape, generator=gen, dtype=o.dtype).to(o.device)).sum() for o in outs)
            grads = torch.autograd.grad(total, needs_grad, allow_unused=True)
            sig["grads"] = pack([g for g in grads], limit=limit)
        except Exception as err:  # noqa: BLE001
            sig["grads_error"] = f"{type(err).__name__}: {err}"[:300]
    files = _probe_files()
    if files is not None:
        sig["files"] = {"$dict": files}
    return sig


def _drained(out):
    """A generator's items, drained to a bounded length (inside the call's context); anything else as it is."""
    import itertools

    import torch

    if hasattr(out, "__next__") and hasattr(out, "__iter__") and not isinstance(out, (torch.Tensor, str, bytes)):
        return list(itertools.islice(out, MAX_ITEMS + 1))
    return out


def _scrub(value):
    """File arguments as their names: the folder a probe's files live in is new every time."""
    import os

    if isinstance(value, str) and any(value.startswith(f + os.sep) for f in codec.PROBE_FOLDERS):
        return os.path.basename(value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_scrub(v) for v in value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if callable(value) and not hasattr(value, "state_dict") and not hasattr(value, "shape"):
        return f"<callable {getattr(value, '__name__', type(value).__name__)}>"  # (its calls are counted apart)
    return value


def _probe_files():
    """The files the call left in its probe folders, read back *inside the sandbox* as data (torch files with
    ``weights_only=True``, so no code runs), or None if the call had no file arguments."""
    import os

    import torch

    if not codec.PROBE_FOLDERS:
        return None
    found = {}
    for folder in codec.PROBE_FOLDERS:
        for name in sorted(os.listdir(folder))[:8]:
            path = os.path.join(folder, name)
            try:
                found[name] = pack(torch.load(path, map_location="cpu", weights_only=True), limit=2**22)
            except Exception as err:  # noqa: BLE001
                found[name] = {"$dict": {"unreadable": f"{type(err).__name__}"}}
    codec.PROBE_FOLDERS.clear()
    return found


def _is_tight(call: dict) -> bool:
    return call["kind"] == "call" and "$with_objects" not in repr(call["inputs"])[:20] and all(
        d[1] not in ("<f4", "<f2") for d in _dtypes(call))


def make_probes(namespace: dict, records: dict, run_seed: int) -> list[tuple[dict, dict]]:
    """``(probe, reference signature)`` pairs from the recorded calls (reference process only)."""
    import numpy as np

    made = []
    for name, calls in records.items():
        by_key: dict[str, list] = {}
        for call in calls:
            by_key.setdefault(_shape_key(call), []).append(call)
        firsts = [group[0] for group in by_key.values()]  # one per distinct shape first, new dtypes and devices first of all
        seen_dtypes, chosen, later = set(), [], []
        for call in firsts:
            dtypes = _dtypes(call)
            (later if dtypes <= seen_dtypes else chosen).append(call)
            seen_dtypes |= dtypes
        chosen += later + [c for group in by_key.values() for c in group[1:]]
        kept = 0
        budget = MAX_PROBES
        # every call with redrawn inputs; then float64 calls also exactly as the tests made them, since their
        # inputs are often related (a gradient and the same gradient x (1 + 1e-5)), with a budget of their own
        exact = [(call, False) for call in chosen if _is_tight(call)]
        variants = [(call, True) for call in chosen][:MAX_FAST_PROBES] + exact
        budget_exact = min(len(exact), MAX_PROBES)
        for k, (call, redrawn) in enumerate(variants):
            if kept >= budget + (budget_exact if not redrawn else 0):
                if redrawn:
                    continue
                break
            rng = np.random.default_rng([run_seed & 0xFFFFFFFF, k, sum(map(ord, name))])
            probe = {"name": name, "kind": call["kind"], "seed": int(rng.integers(1, 2**31))}
            for key in ("init", "state", "training", "then_forward", "tol", "disabled", "grad_enabled", "watch"):
                if key in call:
                    probe[key] = call[key]
            probe["tight"] = _is_tight(call)
            if "inputs" in call:
                probe["inputs"] = redraw(call["inputs"], rng) if redrawn else call["inputs"]
            start = time.perf_counter()
            first = observe(namespace, probe, probe["seed"])
            took = time.perf_counter() - start
            if "missing" in first or "output_error" in first or first.get("raised") != call.get("raised"):
                continue  # the redrawn inputs made the reference fail where the tests' own call did not (or the reverse)
            second = observe(namespace, probe, probe["seed"])
            # same seed, same result: compared by value (the tests prescribe the order of random draws, as
            # their seeded reference computations do); otherwise only the skeleton (kinds, shapes, dtypes)
            probe["mode"] = "values" if not compare(first, second, "values") else "skeleton"
            probe["time_limit"] = round(max(5.0, 10 * took + 2), 1)
            made.append((probe, first))
            kept += 1
            if kept == 1 and took < 0.01:
                budget = MAX_FAST_PROBES
            if took > 2.0:
                break  # a slow function (a training loop): one probe is enough
    return made


# ------------------------------------------------------------------------------- verdicts (grader side)
def _kind(v) -> str:
    import numpy as np

    if v is None:
        return "None"
    if isinstance(v, Tensor):
        return "tensor"
    if isinstance(v, np.ndarray):
        return "array"
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "integer"
    if isinstance(v, (float, np.floating)):
        return "real number"
    if isinstance(v, (list, tuple)):
        return "sequence"
    if isinstance(v, dict):
        return "dict"
    if isinstance(v, ModuleState):
        return "module"
    if isinstance(v, GeneratorState):
        return "generator"
    if isinstance(v, OptimizerState):
        return "optimizer"
    return type(v).__name__


_NAMES = {"tensor": "a torch.Tensor", "array": "a NumPy array", "bool": "a bool", "integer": "an int",
          "real number": "a Python float", "None": "None",
          "sequence": "a list or tuple", "dict": "a dict", "module": "an nn.Module", "generator": "a torch.Generator",
          "optimizer": "a torch optimizer"}


def _values(v):
    import numpy as np

    if isinstance(v, Tensor):
        return v.values
    return np.asarray(v)


def _close(a, b, tol=None) -> tuple[int, int]:
    """(number of elements that differ, total) between two numeric arrays of one shape.

    ``tol``: the tolerance the exercise's own test used on this output ((rtol, atol), recorded from its
    ``check_close``), or "tight" when the probe's inputs are all float64 or plain numbers (a correct answer
    then agrees to far more digits), or None: float32 work, where other correct formulas differ a little."""
    import numpy as np

    a_dtype = np.asarray(a).dtype if np.asarray(a).dtype.kind == "f" else np.dtype("float64")
    a, b = np.asarray(a, dtype=np.float64).reshape(-1), np.asarray(b, dtype=np.float64).reshape(-1)
    finite = a[np.isfinite(a)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    test = tol if isinstance(tol, (tuple, list)) else None
    tight = tol == "tight" or (test is not None and len(test) > 2 and test[2] and a_dtype.itemsize == 8)
    rtol, atol, rel = (1e-7, 1e-10, 1e-9) if tight else (RTOL, ATOL, 1e-5)
    if test is not None:  # the test's own tolerance, where it is stricter (never looser: a loose check of one value
        rtol, atol = min(rtol, float(test[0])), min(atol, float(test[1]))  # must not let other wrong values through)
        rel = min(rel, 0.0 if tight else rel)
        if a_dtype.itemsize < 8:  # on redrawn inputs a float32 result gets a rounding floor
            rtol, rel = max(rtol, 1e-6), 8 * float(np.finfo(np.float32).eps)
    ok = np.isclose(a, b, rtol=rtol, atol=atol + rel * scale, equal_nan=True) | ((a == b) & ~np.isfinite(a))
    return int(np.sum(~ok)), int(a.size)


def diff(ref, got, mode: str, what: str, tol=None) -> str:
    """'' if ``got`` behaves like ``ref`` (both unpacked on the grader's side), else what differs."""
    kr, kg = _kind(ref), _kind(got)
    if kr != kg:
        return f"{what} is {_NAMES.get(kg, kg)} where {_NAMES.get(kr, kr)} is expected"
    if kr in ("tensor", "array"):
        a, b = _values(ref), _values(got)
        if a.shape != b.shape:
            return f"{what} has shape {tuple(b.shape)}, expected {tuple(a.shape)}"
        if kr == "tensor":
            if a.dtype != b.dtype:
                return f"{what} has dtype {_torch_dtype(b.dtype)}, expected {_torch_dtype(a.dtype)}"
            if ref.device != got.device:
                return f"{what} is on {got.device}, expected {ref.device} (the device of the inputs)"
            if ref.requires_grad and not got.requires_grad:
                return f"{what} is cut off from autograd (detached, or computed with NumPy / .item())"
            if not ref.requires_grad and got.requires_grad and getattr(got, "grad_fn", False) and not getattr(ref, "grad_fn", False):
                return f"{what} still carries autograd history (compute it under torch.no_grad() or .detach() it)"
            if not ref.requires_grad and got.requires_grad:
                return f"{what} still requires grad: return it detached (.detach(), or made under torch.no_grad())"
            if _contiguous(ref) and not _contiguous(got):
                return f"{what} is not contiguous in memory (a permuted or transposed view); call .contiguous() on it"
        elif a.dtype.kind != b.dtype.kind:
            return f"{what} has dtype {b.dtype}, expected {a.dtype}"
        if mode == "values":
            bad, total = _close(a, b, tol if tol != "tight" or (a.dtype.kind == "f" and a.dtype.itemsize == 8) else None)
            if bad:
                return f"{what} has wrong values ({bad} of {total} elements differ)"
        return ""
    if kr in ("bool", "integer", "real number"):
        if mode == "values" and _close(_values(ref), _values(got), tol)[0]:
            return f"{what} is wrong"
        return ""
    if kr == "sequence":
        if len(ref) != len(got):
            return f"{what} has {len(got)} items, expected {len(ref)}"
        for i, (a, b) in enumerate(zip(ref, got)):
            why = diff(a, b, mode, f"item {i} of {what}", tol)
            if why:
                return why
        return ""
    if kr == "dict":
        if set(ref) != set(got):
            missing, extra = sorted(set(ref) - set(got)), sorted(set(got) - set(ref))
            return f"{what} has keys {sorted(got)}" + (f" (missing {missing})" if missing else "") + (f" (unexpected {extra})" if extra else "")
        for k in ref:
            why = diff(ref[k], got[k], mode, f"{what}[{k!r}]", tol)
            if why:
                return why
        return ""
    if kr == "module":
        return _module_diff(ref, got, mode, what)
    if kr == "optimizer":
        return diff(ref.param_groups, got.param_groups, mode, f"{what} (optimizer settings)") or diff(ref.state, got.state, mode, f"{what} (optimizer state)")
    if kr == "generator" or kr == "None":
        return ""
    return "" if ref == got else f"{what} is {got!r}"


def _contiguous(t: Tensor) -> bool:
    expected, step = [], 1
    for size in reversed(t.values.shape):
        expected.append(step)
        step *= max(size, 1)
    dims = [(s, e) for s, e, n in zip(t.strides, reversed(expected), t.values.shape) if n > 1]
    return all(s == e for s, e in dims)


def _torch_dtype(np_dtype) -> str:
    import numpy as np

    names = {np.dtype("float32"): "torch.float32", np.dtype("float64"): "torch.float64", np.dtype("int64"): "torch.int64",
             np.dtype("int32"): "torch.int32", np.dtype("bool"): "torch.bool", np.dtype("float16"): "torch.float16",
             np.dtype("uint8"): "torch.uint8"}
    return names.get(np.dtype(np_dtype), str(np_dtype))


def _module_diff(ref: ModuleState, got: ModuleState, mode: str, what: str) -> str:
    for part in ("params", "buffers"):
        a, b = getattr(ref, part), getattr(got, part)
        pairs = [(k, a[k], b[k]) for k in a] if set(a) == set(b) else (
            [(k, x, y) for k, x, y in zip(a, a.values(), b.values())] if len(a) == len(b) else None)
        if pairs is None:
            return f"{what} has {len(b)} {'parameters' if part == 'params' else 'buffers'}, expected {len(a)}"
        for k, x, y in pairs:
            if part == "params" and x.requires_grad != y.requires_grad:
                return f"{what}: parameter {k} has requires_grad={y.requires_grad}, expected {x.requires_grad}"
            why = diff(x, y, mode, f"{what}: {k}")
            if why:
                return why
            if part == "params" and mode == "values" and (x.grad is None) != (y.grad is None):
                return f"{what}: parameter {k} {'has no' if y.grad is None else 'has a'} gradient, expected {'one' if x.grad is not None else 'none'}"
    if ref.attrs:
        why = diff(ref.attrs, got.attrs, mode, f"{what} (what the module recorded)")
        if why:
            return why
    ta, tb = list(ref.training.values()), list(got.training.values())
    if ta and tb and ta[0] != tb[0]:
        return f"{what} is left in {'training' if tb[0] else 'eval'} mode, expected {'training' if ta[0] else 'eval'} mode"
    return ""


def compare(ref: dict, got, mode: str = "values", tight: bool = False, test_tol=None) -> str:
    """'' if the student's signature ``got`` matches the reference signature ``ref``, else why not.
    Both are packed data; ``got`` is untrusted and is decoded with the data-only codec. ``test_tol``: the
    (rtol, atol) the exercise's test demanded of this output, used for the result itself."""
    tol = "tight" if tight else None
    if not isinstance(got, dict):
        return "no result came back"
    if got.get("missing"):
        return "the function or class is not defined when its tests run"
    try:
        if "raised" in ref:
            if "raised" in got:
                return "" if got["raised"] == ref["raised"] else f"it raises {str(got['raised'])[:60]} where {ref['raised']} is expected"
            return f"it returns a value where it should raise {ref['raised']}"
        if "raised" in got:
            return f"it raises {str(got['raised'])[:60]}: {str(got.get('message', ''))[:200]}"
        if "output_error" in got:
            return str(got["output_error"])[:300]
        if "output" not in got:
            return "no result came back"
        why = diff(unpack(ref["output"]), unpack(got["output"]), mode, "the result", (*test_tol, tight) if test_tol else tol)
        if why:
            return why
        if "args_after" in ref:
            if "args_after" not in got:
                return "its arguments could not be read after the call"
            why = diff(unpack(ref["args_after"]), unpack(got["args_after"]), mode, "an argument after the call", tol)
            if why:
                return why + " (is an argument changed in place, or not updated where it should be?)"
        if isinstance(got.get("reused"), list) and any(got["reused"]) and not any(ref.get("reused") or []):
            return "two calls return the same arrays (module-level objects): build new ones inside the function on every call"
        ra, ga = ref.get("aliases"), got.get("aliases")
        if isinstance(ra, list) and isinstance(ga, list) and len(ra) == len(ga) and ra != ga:
            k = next(i for i, (a, b) in enumerate(zip(ra, ga)) if a != b)
            return ("the result shares memory with an input (a view, or the input itself): return a new tensor or array"
                    if ga[k] else "the result should be the input itself, updated in place, not a new tensor or array")
        for name, n in (ref.get("callbacks") or {}).items():
            used = (got.get("callbacks") or {}).get(name, 0) if isinstance(got.get("callbacks"), dict) else 0
            if n and not used:
                return f"it never calls the function it is given ({name}); use the argument, not a function of your own"
        if "grads" in ref and "grads" not in got:
            return "autograd cannot differentiate the result with respect to the inputs (detached, or computed with NumPy?)"
        for key, what, missing in (("forward", "what the returned model computes", None), ("files", "the files it writes", {"$dict": {}}),
                                   ("grads", "the gradient autograd gives", None)):
            if key in ref:
                why = diff(unpack(ref[key]), unpack(got.get(key, missing)), mode, what, tol if key == "grads" else None)
                if why:
                    return why
    except (ChannelError, KeyError, TypeError, ValueError) as err:
        return f"the result could not be read ({type(err).__name__}: {str(err)[:120]})"
    return ""
