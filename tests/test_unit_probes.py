"""autograder.sandbox.probes (and worker.answer_probes), in this process, without a sandbox.

1. ``redraw`` keeps each input's domain (0/1 masks, labels, integer-valued floats, probability rows) and
   rescales the other floats by at most 10 %.
2. ``compare`` / ``diff``: every kind of difference in behaviour gives its own message; the same
   behaviour gives ''; a test's own tolerance only ever tightens the comparison.
3. The whole loop on a tiny namespace: wrap an answer with a ``Recorder``, call it as a test does, make
   probes, answer them with a correct and a wrong implementation (``worker.answer_probes``, as the
   sandbox does), compare with the reference's signature.
"""
import json
import signal
import sys

import numpy as np
import pytest
import torch

from autograder.sandbox import probes as P
from autograder.sandbox import worker
from autograder.sandbox.codec import pack, unpack
from autograder.sandbox.probes import (
    Recorder,
    compare,
    diff,
    make_probes,
    observe,
    redraw,
)
from dlcourse.checks import check_close
from tests.unit_helpers import wire


def packed_call(*args, **kwargs):
    return wire(pack({"args": list(args), "kwargs": kwargs}))


def live(packed):
    return unpack(packed, namespace={})


# ------------------------------------------------------------------------------------------------ redraw
def test_redraw_keeps_domains_and_rescales_other_floats():
    g = torch.Generator().manual_seed(0)
    mask = (torch.rand(4, 5, generator=g) > 0.5).float()
    labels = torch.tensor([0.0, 2.0, 1.0, 2.0])
    counts = np.array([3.0, 0.0, 7.0])
    probs = torch.softmax(torch.randn(4, 3, generator=g), dim=1)
    x = torch.randn(6, 3, generator=g)
    x64 = np.random.default_rng(1).normal(size=(2, 2))
    ints = torch.tensor([5, 6, 7])
    inputs = packed_call(mask, labels, counts, probs, x, (x64, ints), 0.5, scale=torch.tensor(0.3))
    before = json.dumps(inputs)
    new = live(redraw(inputs, np.random.default_rng(7)))
    assert json.dumps(inputs) == before, "redraw returns a copy"
    (m, lab, cnt, pr, xr, (x64r, ir), half), kw = new["args"], new["kwargs"]
    assert torch.equal(m, mask) and torch.equal(lab, labels) and np.array_equal(cnt, counts) and torch.equal(ir, ints)
    assert half == 0.5, "plain numbers are kept: they are sizes, flags and hyper-parameters"
    assert pr.dtype == torch.float32 and not torch.equal(pr, probs)
    assert torch.all(pr >= 0) and torch.allclose(pr.sum(dim=1), torch.ones(4), atol=1e-6), "probability rows stay rows"
    for old, got in ((x, xr), (torch.from_numpy(x64), torch.from_numpy(x64r)), (torch.tensor(0.3), kw["scale"])):
        assert got.dtype == old.dtype and got.shape == old.shape
        assert torch.all(got != old), "every other float is redrawn"
        assert torch.all((got - old).abs() <= 0.1 * old.abs() + 1e-7), "within 10 % of the value the test used"
        assert torch.all(torch.sign(got) == torch.sign(old))


def test_redraw_is_reproducible_from_its_generator_and_leaves_non_finite_inputs():
    inputs = packed_call(torch.tensor([1.5, -2.25]), np.array([0.1, np.nan]))
    a = redraw(inputs, np.random.default_rng(3))
    assert a == redraw(inputs, np.random.default_rng(3))
    assert a != redraw(inputs, np.random.default_rng(4))
    assert np.array_equal(live(a)["args"][1], np.array([0.1, np.nan]), equal_nan=True)


# ----------------------------------------------------------------------------------- compare and diff
def probe_for(*args, **kwargs):
    return {"name": "f", "kind": "call", "inputs": packed_call(*args, **kwargs)}


def sig(fn, probe, seed=1):
    return wire(observe({"f": fn}, probe, seed))


def verdict(ref, got, *args, mode="values", tight=False, test_tol=None, **kwargs):
    probe = probe_for(*args, **kwargs)
    return compare(sig(ref, probe), sig(got, probe), mode, tight, test_tol)


X = torch.arange(1.0, 7.0).reshape(2, 3)


def test_identical_behaviour_gives_no_message():
    assert verdict(lambda x: x * 2, lambda x: x + x, X) == ""
    assert verdict(lambda x: (x.sum(), [x.shape[0], 1.5]), lambda x: (x.sum(), [2, 1.5]), X) == ""
    assert verdict(lambda x: {"m": x.mean()}, lambda x: {"m": x.sum() / x.numel()}, X) == ""
    assert verdict(lambda x: None, lambda x: None, X) == ""


@pytest.mark.parametrize("ref, got, message", [
    (lambda x: x.sum(1), lambda x: x.sum(1, keepdim=True), "the result has shape (2, 1), expected (2,)"),
    (lambda x: x * 2, lambda x: (x * 2).double(), "the result has dtype torch.float64, expected torch.float32"),
    (lambda x: x * 2, lambda x: x * 2 + (torch.arange(6).reshape(2, 3) == 4), "the result has wrong values (1 of 6 elements differ)"),
    (lambda x: x * 2, lambda x: (x * 2).numpy(), "the result is a NumPy array where a torch.Tensor is expected"),
    (lambda x: 3, lambda x: 3.0, "the result is a Python float where an int is expected"),
    (lambda x: 3, lambda x: 4, "the result is wrong"),
    (lambda x: [x, x], lambda x: [x], "the result has 1 items, expected 2"),
    (lambda x: (x, x.sum()), lambda x: (x, x.mean()), "item 1 of the result has wrong values (1 of 1 elements differ)"),
    (lambda x: {"a": 1, "b": 2}, lambda x: {"a": 1}, "the result has keys ['a'] (missing ['b'])"),
    (lambda x: x.T.contiguous(), lambda x: x.T, "the result is not contiguous in memory"),
    (lambda x: x.clone(), lambda x: x, "the result shares memory with an input"),
    (lambda x: x, lambda x: x.clone(), "the result should be the input itself, updated in place"),
    (lambda x: x / x.sum(), lambda x: x.div_(x.sum()), "an argument after the call has wrong values"),
    (lambda x: x.sum(), lambda x: object(), "returned object, which the grader cannot read"),
])
def test_each_difference_has_its_message(ref, got, message):
    why = verdict(ref, got, X)
    assert message in why, why
    assert "tensor(" not in why and "[[" not in why, "a reason never shows the expected values"


def test_argument_mutation_says_so():
    why = verdict(lambda x: x * 0, lambda x: x.zero_(), X.clone())
    assert "of an argument after the call has wrong values (6 of 6 elements differ)" in why and "changed in place" in why


def test_raised_versus_returned():
    def strict(x):
        if x.ndim != 2:
            raise ValueError("x must be 2-d")
        return x

    v = torch.ones(3)
    assert verdict(strict, lambda x: x, v) == "it returns a value where it should raise ValueError"
    assert verdict(lambda x: x, strict, v) == "it raises ValueError: x must be 2-d"
    assert verdict(strict, lambda x: x[5], v) == "it raises IndexError where ValueError is expected"
    assert verdict(strict, strict, v) == ""


def test_autograd_differences():
    w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    assert verdict(lambda x: x * 2, lambda x: (x * 2).detach(), w).startswith("the result is cut off from autograd")
    why = verdict(lambda x: x ** 2, lambda x: x * x.detach(), w)  # same values, half the gradient
    assert "of the gradient autograd gives has wrong values (3 of 3 elements differ)" in why, why
    assert verdict(lambda x: x ** 2, lambda x: x * x, w) == ""
    plain = torch.tensor([1.0, 2.0])
    leaky = torch.ones(2, requires_grad=True)
    assert "still carries autograd history" in verdict(lambda x: x * 2, lambda x: x * 2 + 0 * leaky.sum(), plain)


def test_device_and_unreadable_or_missing_results():
    probe = probe_for(X)
    ref = sig(lambda x: x * 2, probe)
    moved = wire(ref)
    moved["output"]["device"] = "cuda"
    assert compare(ref, moved) == "the result is on cuda, expected cpu (the device of the inputs)"
    garbled = wire(ref)
    garbled["output"]["$tensor"]["data"] = "AAAA"
    assert compare(ref, garbled).startswith("the result could not be read (ChannelError")
    assert compare(ref, {"missing": True}) == "the function or class is not defined when its tests run"
    assert observe({}, probe, 1) == {"missing": True}
    assert compare(ref, None) == "no result came back" and compare(ref, {"args_after": []}) == "no result came back"
    assert compare(ref, {**ref, "args_after": None}).startswith("an argument after the call is None")
    hostile = wire(ref)
    hostile["output"] = {"$with_objects": "gASVAAAAAAAAAAAu", "value": 1}  # a pickle is never opened here
    assert compare(ref, hostile).startswith("the result could not be read")


def test_skeleton_mode_compares_kinds_and_shapes_only():
    assert verdict(lambda x: x * 2, lambda x: x * 3, X, mode="skeleton") == ""
    assert verdict(lambda x: x * 2, lambda x: x[:1], X, mode="skeleton") == "the result has shape (1, 3), expected (2, 3)"


def out(values, dtype):
    return {"output": wire(pack(torch.tensor(values, dtype=dtype)))}


def test_test_tolerance_tightens_float32():
    ref = out([1.0, 0.5, 0.25], torch.float32)
    near = out([1.0 * (1 + 5e-5), 0.5, 0.25], torch.float32)
    assert compare(ref, near) == "", "the default float32 tolerance accepts a 5e-5 relative difference"
    assert compare(ref, near, test_tol=(1e-5, 1e-6)) == "the result has wrong values (1 of 3 elements differ)"
    far = out([1.01, 0.5, 0.25], torch.float32)
    assert compare(ref, far) != ""
    assert compare(ref, far, test_tol=(0.5, 0.5)) != "", "a loose test tolerance never loosens the grader's"


def test_tight_probes_demand_float64_digits():
    ref = out([1.0, 2.0], torch.float64)
    near = out([1.0 + 1e-6, 2.0], torch.float64)
    assert compare(ref, near) == "" and compare(ref, near, tight=True) != ""
    assert compare(ref, out([1.0 + 1e-12, 2.0], torch.float64), tight=True) == ""
    # a float32 result of an all-float64 call is not held to float64 digits
    assert compare(out([1.0, 2.0], torch.float32), out([1.0 + 1e-6, 2.0], torch.float32), tight=True) == ""


def test_a_test_tolerance_only_ever_tightens():
    """Whatever the test asked for, anything the grader rejects without it is still rejected with it."""
    rng = np.random.default_rng(0)
    rejected = 0
    for trial in range(300):
        dtype = (torch.float32, torch.float64)[trial % 2]
        a = rng.normal(size=5) * 10 ** rng.uniform(-3, 3)
        b = a * (1 + rng.choice([-1, 1], size=5) * 10 ** rng.uniform(-10, -1, size=5))
        same = rng.random(5) < 0.5
        b[same] = a[same]
        ref, got = out(a.tolist(), dtype), out(b.tolist(), dtype)
        tight = bool(rng.random() < 0.5)
        test_tol = (float(10 ** rng.uniform(-10, 0)), float(10 ** rng.uniform(-12, 0)))
        if compare(ref, got, tight=tight):
            rejected += 1
            assert compare(ref, got, tight=tight, test_tol=test_tol), (a, b, dtype, tight, test_tol)
    assert 30 < rejected < 270, "the cases cover both verdicts"


def test_diff_on_modules_and_optimizers():
    torch.manual_seed(0)
    a = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout())
    b = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout())
    b.load_state_dict(a.state_dict())
    ra, rb = unpack(wire(pack(a))), unpack(wire(pack(b)))
    assert diff(ra, rb, "values", "the model") == ""
    b.eval()
    assert diff(ra, unpack(wire(pack(b))), "values", "the model") == "the model is left in eval mode, expected training mode"
    b.train()
    b[0].bias.requires_grad_(False)
    assert "parameter 0.bias has requires_grad=False" in diff(ra, unpack(wire(pack(b))), "values", "the model")
    c = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(3, 1))
    assert diff(ra, unpack(wire(pack(c))), "values", "the model") == "the model has 4 parameters, expected 2"
    p = torch.nn.Parameter(torch.ones(2))
    o1, o2 = torch.optim.SGD([p], lr=0.1), torch.optim.SGD([p], lr=0.2)
    assert "optimizer settings" in diff(unpack(wire(pack(o1))), unpack(wire(pack(o2))), "values", "the optimizer")


# --------------------------------------------------------------------- the whole loop, in this process
class Shell:
    """What worker.answer_probes needs of an IPython shell: the notebook's namespace."""

    def __init__(self, ns):
        self.user_ns = ns


@pytest.fixture
def alarm():
    """The per-probe timer's handler, as the sandboxed child installs it."""
    def on_alarm(signum, frame):
        raise worker.CellTimeoutError("time")

    old = signal.signal(signal.SIGALRM, on_alarm)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, old)


def record(ns, answers, test, visible=(), seed=0, run_seed=123):
    """Wrap ``answers`` in ``ns``, run ``test(ns)`` as a test cell would, and make the probes."""
    rec = Recorder(ns, set(visible), seed, set(answers))
    for name in answers:
        obj = ns[name]
        if isinstance(obj, type):
            rec.wrap_class(name, obj)
        else:
            ns[name] = rec.wrap_function(name, obj)
    rec.watch_checks()
    test(ns)
    rec.depth += 1  # as the worker does: the probes' own calls are not recorded
    made = make_probes(ns, rec.records, run_seed)
    probes = [wire({**p, "id": k}) for k, (p, _) in enumerate(made)]
    return rec, probes, {k: wire(s) for k, (_, s) in enumerate(made)}


def answer(ns, probes):
    """The student's signatures, produced as the sandbox produces them."""
    got = {}
    worker.answer_probes(Shell(ns), probes, lambda frame: got.__setitem__(frame["id"], wire(frame["signature"])))
    return got


def verdicts(ns, probes, signatures):
    got = answer(ns, probes)
    return [compare(signatures[p["id"]], got.get(p["id"]), p.get("mode", "values"), bool(p.get("tight")), p.get("tol"))
            for p in probes]


def row_normalize(X):
    return X / X.sum(dim=1, keepdim=True)


def row_test(ns):
    g = torch.Generator().manual_seed(5)
    for shape in [(2, 3), (5, 4)]:
        Xt = torch.rand(shape, generator=g) + 0.1
        ns["check_close"](ns["row_normalize"](Xt), Xt / Xt.sum(1, keepdim=True), rtol=1e-6, atol=1e-8)
    X64 = torch.rand(3, 2, generator=g, dtype=torch.float64) + 0.5
    ns["check_close"](ns["row_normalize"](X64), X64 / X64.sum(1, keepdim=True))
    ns["row_normalize"](X64)  # the same call twice is recorded once


def test_recorded_calls_become_probes_that_tell_right_from_wrong(alarm):
    ns = {"torch": torch, "check_close": check_close, "row_normalize": row_normalize}
    rec, probes, signatures = record(ns, ["row_normalize"], row_test)
    calls = rec.records["row_normalize"]
    assert len(calls) == 3 and all(c["kind"] == "call" for c in calls)
    assert [tuple(c["tol"]) for c in calls[:2]] == [(1e-6, 1e-8)] * 2, "check_close's tolerance on the output is recorded"
    assert tuple(calls[2]["tol"]) == (1e-5, 1e-6)
    assert probes and {p["name"] for p in probes} == {"row_normalize"}
    assert all(p["mode"] == "values" and p["time_limit"] >= 5 for p in probes)
    shapes = {tuple(live(p["inputs"])["args"][0].shape) for p in probes}
    assert shapes == {(2, 3), (5, 4), (3, 2)}, "every recorded shape is probed"
    recorded64 = live(calls[2]["inputs"])["args"][0]
    exact = [p for p in probes if torch.equal(live(p["inputs"])["args"][0], recorded64)]
    assert len(exact) == 1 and exact[0]["tight"], "a float64 call is also probed exactly as the test made it"
    redrawn = [p for p in probes if p is not exact[0]]
    assert all(not any(torch.equal(live(p["inputs"])["args"][0], live(c["inputs"])["args"][0]) for c in calls) for p in redrawn)
    assert all("signature" not in p and "output" not in json.dumps(p) for p in probes), "a probe is inputs only"

    assert verdicts({"row_normalize": lambda X: X * (1 / X.sum(1, keepdim=True))}, probes, signatures) == [""] * len(probes)
    wrong = verdicts({"row_normalize": lambda X: X / X.sum()}, probes, signatures)
    assert all(w.startswith("the result has wrong values") for w in wrong)
    # off by 3e-5: within the grader's default float32 tolerance, not within the 1e-6 this exercise's test asks for
    close = verdicts({"row_normalize": lambda X: X / X.sum(1, keepdim=True) * (1 + 3e-5)}, probes, signatures)
    assert any(close) and all(w.startswith("the result has wrong values") for w in close if w)
    assert verdicts({}, probes, signatures) == ["the function or class is not defined when its tests run"] * len(probes)


def test_nested_answer_calls_are_not_recorded_and_raises_are_expected(alarm):
    def inner(x):
        return x + 1

    def outer(x):
        if x.ndim != 1:
            raise ValueError("1-d only")
        return ns["inner"](x) * 2

    def test(ns):
        ns["outer"](torch.tensor([0.5, 1.5]))
        try:
            ns["outer"](torch.ones(2, 2))
        except ValueError:
            pass

    ns = {"inner": inner, "outer": outer}
    rec, probes, signatures = record(ns, ["inner", "outer"], test)
    assert set(rec.records) == {"outer"}, "a call made by another answer is not a test's call"
    assert [c.get("raised") for c in rec.records["outer"]] == [None, "ValueError"]
    lenient = {"inner": inner, "outer": lambda x: (x + 1) * 2}
    why = verdicts(lenient, probes, signatures)
    assert "it returns a value where it should raise ValueError" in why and "" in why


def run_cell(source, ns, tmp_path, name="cell"):
    """Run ``source`` in ``ns`` as IPython runs a cell: compiled on its own, its source findable by inspect."""
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    exec(compile(source, str(path), "exec"), ns)


def test_callables_visible_by_name_lambdas_by_source_hidden_helpers_never(alarm, tmp_path):
    def apply_twice(fn, x):
        return fn(fn(x))

    def inc(v):  # public: defined by the notebook's visible code
        return v + 1

    def hidden_helper(v):  # a hidden test's own helper (it could be a reference answer)
        return v * 100

    test_cell = ("apply_twice(inc, torch.tensor([1.0, 2.0]))\n"
                 "apply_twice(lambda v: torch.sin(v) * SCALE, torch.tensor([0.25]))\n"
                 "apply_twice(hidden_helper, torch.tensor([3.0]))\n")
    ns = {"apply_twice": apply_twice, "inc": inc, "hidden_helper": hidden_helper, "torch": torch, "SCALE": 3.0}
    rec, probes, signatures = record(ns, ["apply_twice"], lambda ns: run_cell(test_cell, ns, tmp_path), visible={"inc"})
    assert len(rec.records["apply_twice"]) == 2, "a call with a helper the sandbox may not see is not recorded"
    text = json.dumps(probes)
    assert '{"$ns": "inc"}' in text, "a public callable travels by name"
    assert "lambda v: torch.sin(v) * SCALE" in text and '{"$import": "torch"}' in text and '"SCALE": {"$float": "3.0"}' in text, \
        "a test's lambda travels as its source, with the data it reads"
    assert "hidden_helper" not in text and "v * 100" not in text
    student = {"apply_twice": apply_twice, "inc": inc}
    assert verdicts(student, probes, signatures) == [""] * len(probes)
    own_copy = {"apply_twice": lambda fn, x: x + 2 if fn.__name__ == "inc" else fn(fn(x)), "inc": inc}
    why = verdicts(own_copy, probes, signatures)
    assert "it never calls the function it is given (inc); use the argument, not a function of your own" in why


def test_switched_off_functions_and_autograd_mode_are_replayed(alarm, monkeypatch):
    def my_sigmoid(z):
        seen.append(torch.is_grad_enabled())
        return 1 / (1 + torch.exp(-z))

    def test(ns):
        def off(*args, **kwargs):
            raise AssertionError("write it yourself")

        monkeypatch.setattr(torch, "sigmoid", off)
        with torch.no_grad():
            ns["my_sigmoid"](torch.tensor([0.0, 1.5, -2.0]))
        monkeypatch.undo()

    seen = []
    original = torch.sigmoid
    ns = {"my_sigmoid": my_sigmoid, "torch": torch}
    rec, probes, signatures = record(ns, ["my_sigmoid"], test)
    assert rec.records["my_sigmoid"][0]["disabled"] == ["torch.sigmoid"]
    assert rec.records["my_sigmoid"][0]["grad_enabled"] is False
    assert all(p["disabled"] == ["torch.sigmoid"] and p["grad_enabled"] is False for p in probes)
    seen.clear()
    assert verdicts({"my_sigmoid": my_sigmoid}, probes, signatures) == [""] * len(probes)
    assert seen and not any(seen), "the probe runs with autograd off, as the test did"
    why = verdicts({"my_sigmoid": lambda z: torch.sigmoid(z)}, probes, signatures)
    assert all(w.startswith("it raises RuntimeError: torch.sigmoid is switched off") for w in why)
    assert torch.sigmoid is original and torch.is_grad_enabled(), "the probe restores what it switched off"


def test_switched_off_ignores_names_outside_the_library_surfaces_and_restores_on_error():
    import os

    system = os.system
    with pytest.raises(ZeroDivisionError):
        with P.switched_off({"disabled": ["os.system", "torch.nn.functional.relu", 3], "grad_enabled": False}):
            assert os.system is system
            with pytest.raises(RuntimeError, match="switched off"):
                torch.nn.functional.relu(torch.ones(1))
            assert not torch.is_grad_enabled()
            raise ZeroDivisionError("a failure inside the probe")
    assert torch.nn.functional.relu(torch.tensor([-1.0])).item() == 0.0 and torch.is_grad_enabled()


def test_answer_classes_are_probed_by_construction_and_forward(alarm):
    class Net(torch.nn.Module):
        def __init__(self, d_in, hidden):
            super().__init__()
            self.fc1, self.fc2 = torch.nn.Linear(d_in, hidden), torch.nn.Linear(hidden, 1)

        def forward(self, x):
            return self.fc2(torch.relu(self.fc1(x)))

    class Other(torch.nn.Module):  # the same layers, the same names, its own way of writing forward
        def __init__(self, d_in, hidden):
            super().__init__()
            self.fc1 = torch.nn.Linear(d_in, hidden)
            self.fc2 = torch.nn.Linear(hidden, 1)

        def forward(self, x):
            return self.fc2(self.fc1(x).clamp(min=0))

    class Wider(Net):
        def __init__(self, d_in, hidden):
            super().__init__(d_in, hidden + 1)

    class Sigmoid(Net):
        def forward(self, x):
            return self.fc2(torch.sigmoid(self.fc1(x)))

    def test(ns):
        net = ns["Net"](3, 4)
        net(torch.randn(5, 3))

    rec, probes, signatures = record({"Net": Net}, ["Net"], test)
    assert sorted(p["kind"] for p in probes) == ["forward", "init"]
    assert verdicts({"Net": Other}, probes, signatures) == ["", ""]
    kinds = [p["kind"] for p in probes]
    wider = dict(zip(kinds, verdicts({"Net": Wider}, probes, signatures)))
    assert "parameter shapes" in wider["init"]
    assert wider["forward"].startswith("it raises RuntimeError") and "size mismatch" in wider["forward"]
    sig_ = dict(zip(kinds, verdicts({"Net": Sigmoid}, probes, signatures)))
    assert sig_["init"] == "" and sig_["forward"].startswith("the result has wrong values")


def test_state_is_loaded_by_name_or_else_by_order_of_matching_shapes():
    ref = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 1))
    state = {k: torch.full_like(v, i) for i, (k, v) in enumerate(ref.state_dict().items())}

    class Renamed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = torch.nn.Linear(3, 4), torch.nn.Linear(4, 1)

    m = Renamed()
    P._load_state(m, state)
    assert [float(v.flatten()[0]) for v in m.state_dict().values()] == [0.0, 1.0, 2.0, 3.0]
    with pytest.raises(RuntimeError, match=r"its parameters and buffers \(2\) do not match the architecture the instructions describe \(4\)"):
        P._load_state(torch.nn.Linear(3, 4), state)


def test_a_returned_model_is_also_run_on_the_tests_input(alarm):
    def build(d):
        return torch.nn.Sequential(torch.nn.Linear(d, 2))

    def test(ns):
        model = ns["build"](3)
        model(torch.ones(4, 3))

    rec, probes, signatures = record({"build": build}, ["build"], test)
    assert "then_forward" in rec.records["build"][0]
    assert verdicts({"build": build}, probes, signatures) == [""] * len(probes)
    # the same parameters (same seed, same layers), another computation: only running the model shows it
    tanh = verdicts({"build": lambda d: torch.nn.Sequential(torch.nn.Linear(d, 2), torch.nn.Tanh())}, probes, signatures)
    assert all(w.startswith("what the returned model computes has wrong values") for w in tanh), tanh


def test_generators_are_drained_and_data_constructors_must_build_new_arrays(alarm):
    def batches(x, n):
        for i in range(0, len(x), n):
            yield x[i:i + n].clone()

    shared = torch.arange(4.0)

    def make_data():
        return torch.arange(4.0)

    def test(ns):
        list(ns["batches"](torch.arange(10.0), 3))
        ns["make_data"]()

    rec, probes, signatures = record({"batches": batches, "make_data": make_data}, ["batches", "make_data"], test)
    ok = verdicts({"batches": batches, "make_data": make_data}, probes, signatures)
    assert ok == [""] * len(probes)

    def halves(x, n):
        yield x[: len(x) // 2].clone()
        yield x[len(x) // 2:].clone()

    bad = verdicts({"batches": halves, "make_data": lambda: shared}, probes, signatures)
    by_name = {p["name"]: w for p, w in zip(probes, bad)}
    assert by_name["batches"] == "the result has 2 items, expected 4"
    assert by_name["make_data"].startswith("two calls return the same arrays")


def test_files_a_call_writes_are_compared(alarm, monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the scratch folder the recorder treats as the call's files
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def save(t, path):
        torch.save({"t": t * 2}, path)

    def test(ns):
        ns["save"](torch.tensor([1.5, 2.5]), str(tmp_path / "out.pt"))

    rec, probes, signatures = record({"save": save}, ["save"], test)
    assert '"$path": "out.pt"' in json.dumps(probes) and str(tmp_path) not in json.dumps(probes)
    assert verdicts({"save": save}, probes, signatures) == [""] * len(probes)
    assert all("the files it writes" in w for w in verdicts({"save": lambda t, p: torch.save({"t": t}, p)}, probes, signatures))
    assert all("the files it writes has keys []" in w for w in verdicts({"save": lambda t, p: None}, probes, signatures))


def test_outputs_that_change_with_each_run_are_compared_by_skeleton(alarm):
    import itertools

    counter = itertools.count()

    def noisy(x):
        return x * next(counter)

    rec, probes, signatures = record({"noisy": noisy}, ["noisy"], lambda ns: ns["noisy"](torch.ones(2)))
    assert probes and all(p["mode"] == "skeleton" for p in probes)
    assert verdicts({"noisy": lambda x: x * 7}, probes, signatures) == [""] * len(probes)
    assert all("shape" in w for w in verdicts({"noisy": lambda x: x[:1]}, probes, signatures))


def test_calls_on_big_datasets_are_cut_to_matching_rows(alarm):
    seen = []

    def fit(X, y):
        seen.append(len(X))
        return (X[:, 0] == y).all()

    n = 6000
    X = torch.randn(n, 64)
    X[:, 0] = torch.arange(n, dtype=torch.float32)
    y = torch.arange(n, dtype=torch.float32)
    rec, probes, signatures = record({"fit": fit}, ["fit"], lambda ns: ns["fit"](X, y), seed=11)
    args = live(rec.records["fit"][0]["inputs"])["args"]
    assert 16 <= len(args[0]) <= 512 and len(args[0]) == len(args[1]), "over a MiB: cut to a subset of rows"
    assert torch.equal(args[0][:, 0], args[1]), "every argument keeps the same rows"
    assert torch.all(args[1][1:] > args[1][:-1]), "in their original order"


def test_answer_probes_drops_prints_times_out_and_caps_results(alarm, capsys):
    import time

    def chatty(x):
        print("student output", file=sys.stdout)
        print("to stderr", file=sys.stderr)
        return x

    def forever(x):
        while True:
            time.sleep(0.01)

    def huge(x):
        return tuple(torch.zeros(2**19, dtype=torch.float64) for _ in range(5))  # 5 x 4 MiB > one frame

    inputs = packed_call(torch.ones(1))
    probes = [{"id": 0, "name": "chatty", "kind": "call", "seed": 1, "inputs": inputs},
              {"id": 1, "name": "forever", "kind": "call", "seed": 1, "inputs": inputs, "time_limit": 0.2},
              {"id": 2, "name": "forever", "kind": "call", "seed": 1, "inputs": inputs, "time_limit": 0.2},
              {"id": 3, "name": "huge", "kind": "call", "seed": 1, "inputs": inputs},
              {"id": 4, "name": "exits", "kind": "call", "seed": 1, "inputs": inputs}]
    stdout = sys.stdout
    start = time.monotonic()
    got = answer({"chatty": chatty, "forever": forever, "huge": huge, "exits": lambda x: sys.exit(3)}, probes)
    assert time.monotonic() - start < 5, "a probe that runs past its limit is stopped, and its name is not probed again"
    assert sys.stdout is stdout and capsys.readouterr() == ("", "")
    assert "output" in got[0]
    assert got[1] == {"raised": "CellTimeoutError", "message": "it ran past the 0.2s time limit"}
    assert got[2]["message"] == "it ran past the time limit on an earlier probe"
    assert got[3] == {"output_error": "the result is larger than the grader accepts"}
    assert got[4]["raised"] == "SystemExit"


def test_capture_caps_streams_and_rich_output():
    from autograder.sandbox.protocol import DISPLAY_CAP, STREAM_CAP

    cap = worker.Capture(execution_count=4)
    cap.stream("stdout", "a" * (STREAM_CAP - 10))
    cap.stream("stdout", "b" * 30)
    cap.stream("stderr", "err")
    cap.stream("stdout", "c" * 5)
    cap.rich("execute_result", {"text/plain": "1", "image/png": b"\x89PNG"})
    cap.rich("display_data", {"text/html": "x" * DISPLAY_CAP})
    cap.error("ValueError", "v" * 10_000, ["tb"] * 100)
    outs = cap.finish()
    assert outs[0] == {"output_type": "stream", "name": "stdout", "text": "a" * (STREAM_CAP - 10) + "b" * 10}
    assert outs[1] == {"output_type": "stream", "name": "stderr", "text": "err"}
    assert outs[2]["output_type"] == "execute_result" and outs[2]["execution_count"] == 4
    assert outs[2]["data"]["image/png"] == "iVBORw==", "bytes travel as base64 text"
    assert all(o["output_type"] != "display_data" for o in outs), "rich output over the cap is dropped"
    assert len(outs[3]["evalue"]) == 4000 and len(outs[3]["traceback"]) == 30
    assert outs[-1]["text"] == "\n[25 more characters of stdout were cut by the grader]\n"


def test_course_helpers_an_exercise_forbids_raise_under_every_name_and_come_back(alarm):
    import dlcourse
    from dlcourse import gradcheck

    original = gradcheck.numerical_grad
    alias = original
    ns = {"numerical_grad": original, "ng": alias, "dlcourse": dlcourse}
    with P.switched_off({"not_allowed": ["numerical_grad", "not an identifier"]}, ns):
        for fn in (gradcheck.numerical_grad, dlcourse.numerical_grad, ns["numerical_grad"], ns["ng"]):
            with pytest.raises(RuntimeError, match="numerical_grad from the course library answers this exercise"):
                fn(lambda x: x, torch.ones(1))
    assert gradcheck.numerical_grad is original and dlcourse.numerical_grad is original and ns["ng"] is original
    probe = {"id": 0, "name": "grad", "kind": "call", "seed": 1, "not_allowed": ["numerical_grad"],
             "inputs": packed_call(torch.tensor([0.5, -1.0], dtype=torch.float64))}
    cheat = {"numerical_grad": original}  # a notebook that bound the helper, and an answer that calls it
    cheat["grad"] = lambda x: cheat["numerical_grad"](lambda t: (t ** 2).sum(), x)
    assert answer(cheat, [probe])[0]["raised"] == "RuntimeError"
    assert "output" in answer({"grad": lambda x: 2 * x}, [probe])[0]


def test_plan_adds_the_forbidden_helpers_to_its_probes():
    from autograder.course import LABS, source_notebook
    from autograder.grading.plan import Plan

    lab = "lab08_backpropagation"
    plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
    name = next(n for n, gid in plan.owner.items() if gid == "ex07_gradient_check")
    assert plan.probe_rules({"name": name}) == {"not_allowed": ["grad_check", "relative_error"]}
    assert plan.probe_rules({"name": "no_such_answer"}) == {}


def test_a_watched_rule_is_recorded_and_replayed():
    """A test that watches for a one-hot matrix (dlcourse.no_one_hot) around its call: the probe watches too."""
    from dlcourse import CheckFailed, no_one_hot

    ambient = P._Ambient()
    assert "watch" not in ambient.context()
    with no_one_hot(3, why="pick with indexing"):
        context = ambient.context()
    assert context["watch"] == [{"no_one_hot": 3, "why": "pick with indexing"}]
    y = torch.tensor([0, 2, 1])
    with P.switched_off(context):
        torch.log_softmax(torch.randn(3, 3), dim=1)[torch.arange(3), y]  # indexing is fine
        with pytest.raises(CheckFailed, match="one-hot"):
            torch.nn.functional.one_hot(y, 3)
    torch.nn.functional.one_hot(y, 3)  # and the watch ends with the probe


@pytest.mark.parametrize("device", ["cpu", "simgpu"])
def test_a_probed_module_goes_where_its_recorded_state_lives(device):
    from dlcourse.devices import pick_device

    dev = pick_device(device)
    state = {k: v.to(dev) for k, v in torch.nn.Linear(3, 2).state_dict().items()}
    module = torch.nn.Linear(3, 2)
    P._to_state_device(module, state)
    assert module.weight.device.type == dev.type
