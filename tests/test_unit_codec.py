"""autograder.sandbox.codec and .protocol: the data-only wire between the grader and a sandbox.

Out of a sandbox (``unpack`` without a namespace) only data decodes; into a sandbox (``unpack`` with the
notebook's namespace) the grader's own inputs are rebuilt as live objects. Frames are length-prefixed JSON
whose size the *reader* caps.
"""
import io
import json
import math
import struct

import numpy as np
import pytest
import torch

from autograder.sandbox import codec
from autograder.sandbox.codec import (
    MAX_FRAME,
    ChannelError,
    GeneratorState,
    Inputs,
    ModuleState,
    OptimizerState,
    Tensor,
    Unsupported,
    encode_frame,
    pack,
    read_frame,
    unpack,
    write_frame,
)
from autograder.sandbox.protocol import Job, Limits, Result
from tests.conftest import device_params
from tests.unit_helpers import wire


def out_of_sandbox(value, **kw):
    """``value`` packed, sent through JSON, decoded on the grader's (trusted) side."""
    return unpack(wire(pack(value, **kw)))


def into_sandbox(value, namespace=None, **kw):
    return unpack(wire(pack(value, **kw)), namespace={} if namespace is None else namespace)


# ------------------------------------------------------------------------------------------ plain data
def test_plain_values_round_trip_with_their_types():
    value = {"none": None, "t": True, "i": -3, "big": 2**70, "f": 0.1, "s": "text",
             "list": [1, [2.5, "x"]], "tuple": (1, (2, 3)), "nested": {"a": {"b": [None, False]}}}
    back = out_of_sandbox(value)
    assert back == value
    assert isinstance(back["tuple"], tuple) and isinstance(back["tuple"][1], tuple) and isinstance(back["list"], list)
    assert isinstance(back["big"], int) and isinstance(back["f"], float) and isinstance(back["t"], bool)


def test_floats_are_exact_including_non_finite():
    for x in (0.1 + 0.2, 1e-300, -0.0, math.pi):
        got = out_of_sandbox(x)
        assert got == x and math.copysign(1, got) == math.copysign(1, x)
    assert out_of_sandbox(float("inf")) == float("inf")
    assert math.isnan(out_of_sandbox(float("nan")))
    json.dumps(pack([float("nan"), float("inf")]), allow_nan=False)  # strict JSON, no NaN literals on the wire


def test_int_keyed_maps_keep_their_keys():
    value = {0: "a", 3: [1.5], "name": 2}  # an optimizer's state is keyed by parameter index
    packed = pack(value)
    assert "$map" in packed
    back = out_of_sandbox(value)
    assert back == value and set(map(type, back)) == {int, str}
    for bad in ({True: 1}, {1.5: 1}, {(1, 2): 1}):
        with pytest.raises(Unsupported, match="keys"):
            pack(bad)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.int64, torch.int32, torch.int16,
                                   torch.int8, torch.uint8, torch.bool])
def test_tensor_dtypes_round_trip_both_ways(dtype):
    t = (torch.arange(-3, 9).reshape(3, 4) % 5).to(dtype)
    got = out_of_sandbox(t)
    assert isinstance(got, Tensor)
    assert got.values.dtype == t.numpy().dtype and got.values.shape == (3, 4)
    assert np.array_equal(got.values, t.numpy())
    live = into_sandbox(t)
    assert isinstance(live, torch.Tensor) and live.dtype == dtype and torch.equal(live, t)


def test_unsupported_tensor_kinds_are_refused():
    for t in (torch.ones(2, dtype=torch.bfloat16), torch.ones(2, dtype=torch.complex64), torch.eye(2).to_sparse()):
        with pytest.raises(Unsupported):
            pack(t)


def test_strides_of_views_are_recorded_and_values_are_read_in_logical_order():
    base = torch.arange(12.0).reshape(3, 4)
    for view in (base.T, base[:, ::2], base[1:, 1:3], base.unsqueeze(0).expand(2, 3, 4)):
        got = out_of_sandbox(view)
        assert got.strides == tuple(view.stride())
        assert np.array_equal(got.values, view.numpy()), "the values must be those of the view, not of its storage"
        assert got.values.flags["C_CONTIGUOUS"]
    scalar = out_of_sandbox(torch.tensor(2.5))
    assert scalar.values.shape == () and scalar.values == 2.5 and scalar.strides == ()


def test_autograd_state_travels():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    (w * w).sum().backward()
    got = out_of_sandbox({"w": w, "y": w * 3, "plain": torch.ones(1)})
    assert got["w"].requires_grad and not got["w"].grad_fn and np.array_equal(got["w"].grad, [2.0, -4.0])
    assert got["y"].requires_grad and got["y"].grad_fn and got["y"].grad is None  # (not a leaf: no .grad)
    assert not got["plain"].requires_grad and got["plain"].grad is None
    live = into_sandbox(w)
    assert live.requires_grad and live.is_leaf
    assert not into_sandbox(torch.tensor([1, 2])).requires_grad


@pytest.mark.parametrize("device", device_params())
def test_device_is_recorded(device):
    t = torch.ones(2, 3, device=device)
    got = out_of_sandbox(t)
    assert got.device == torch.device(device).type
    assert np.array_equal(got.values, np.ones((2, 3), dtype=np.float32))


def test_numpy_arrays_scalars_dtypes_and_devices():
    a = np.arange(12, dtype=np.int32).reshape(3, 4)[:, 1:3]
    packed = pack(a)
    assert packed["strides"] == list(a.strides)
    back = out_of_sandbox(a)
    assert isinstance(back, np.ndarray) and back.dtype == np.int32 and np.array_equal(back, a)
    s = out_of_sandbox(np.float32(1.5))
    assert isinstance(s, np.float32) and s == 1.5
    assert out_of_sandbox(torch.float64) is torch.float64 and out_of_sandbox(torch.device("cpu")) == torch.device("cpu")
    for bad in (np.array(["a", "b"]), np.array([object()]), np.array([1j])):
        with pytest.raises(Unsupported):
            pack(bad)


def test_generator_state_only_out_live_generator_in():
    g = torch.Generator().manual_seed(42)
    torch.rand(3, generator=g)  # move it along: the state, not the seed, is what travels
    got = out_of_sandbox(g)
    assert isinstance(got, GeneratorState) and np.array_equal(got.state, g.get_state().numpy())
    live = into_sandbox(g)
    assert isinstance(live, torch.Generator)
    assert torch.equal(torch.rand(5, generator=live), torch.rand(5, generator=g)), "the rebuilt generator continues the same stream"


def test_modules_come_out_as_state_only():
    class Recording(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(3, 2)
            self.bn = torch.nn.BatchNorm1d(2)
            self.log = [1, 2]
            self.size = 3
            self.helper = lambda x: x  # not data: left out, never an error

    m = Recording()
    m.bn.eval()
    m.fc.weight.requires_grad_(False)
    got = out_of_sandbox(m)
    assert isinstance(got, ModuleState) and got.cls.endswith("Recording")
    assert got.training == {".": True, "fc": True, "bn": False}
    assert set(got.params) == {"fc.weight", "fc.bias", "bn.weight", "bn.bias"}
    assert not got.params["fc.weight"].requires_grad and got.params["fc.bias"].requires_grad
    assert {"bn.running_mean", "bn.running_var", "bn.num_batches_tracked"} <= set(got.buffers)
    assert got.attrs["log"] == [1, 2] and got.attrs["size"] == 3 and "helper" not in got.attrs
    assert np.array_equal(got.params["fc.bias"].values, m.fc.bias.detach().numpy())


def test_optimizers_come_out_as_settings_and_state():
    p = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([p], lr=0.5, momentum=0.9)
    p.sum().backward()
    opt.step()
    got = out_of_sandbox(opt)
    assert isinstance(got, OptimizerState) and got.cls == "SGD"
    assert got.param_groups[0]["lr"] == 0.5 and got.param_groups[0]["momentum"] == 0.9
    assert np.array_equal(got.state["0"]["momentum_buffer"].values, np.ones(2, dtype=np.float32))


def test_modules_and_optimizers_travel_into_the_sandbox_through_inputs():
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    with pytest.raises(ChannelError):  # without Inputs a module travels as state only, never rebuilt as a live object
        unpack(wire(pack(model)), namespace={})
    inputs = Inputs(module_ok=lambda m: True)
    packed = wire(inputs.pack({"args": [model, opt, model], "kwargs": {}}, limit=2**20))
    assert "$with_objects" in packed
    live = unpack(packed, namespace={})
    m2, opt2, m3 = live["args"]
    assert m2 is m3, "the same module twice is one object on the other side"
    assert isinstance(m2, torch.nn.Sequential) and m2 is not model
    for a, b in zip(m2.parameters(), model.parameters()):
        assert torch.equal(a, b)
    assert isinstance(opt2, torch.optim.Adam) and opt2.param_groups[0]["lr"] == 0.01
    assert all(a is b for a, b in zip(opt2.param_groups[0]["params"], m2.parameters())), "shared parameters stay shared"
    # the grader's side never unpickles
    with pytest.raises(ChannelError):
        unpack(packed)


def test_inputs_refuse_modules_the_sandbox_cannot_rebuild_and_foreign_optimizers():
    class MyOpt(torch.optim.SGD):
        pass

    model = torch.nn.Linear(2, 2)
    with pytest.raises(Unsupported, match="cannot rebuild"):
        Inputs(module_ok=lambda m: False).pack(model, limit=2**20)
    with pytest.raises(Unsupported, match="optimizer of class MyOpt"):
        Inputs(module_ok=lambda m: True).pack(MyOpt(model.parameters(), lr=0.1), limit=2**20)


def test_callables_by_name_only_through_inputs():
    def helper(x):
        return x

    with pytest.raises(Unsupported, match="not plain data"):
        pack(helper)
    named = Inputs(callable_name=lambda fn: "helper" if fn is helper else None)
    packed = wire(pack({"f": helper}, inputs=named))
    assert packed == {"$dict": {"f": {"$ns": "helper"}}}, "a callable travels as its notebook name, never as code"
    calls = []
    ns = {"helper": lambda x: calls.append(x) or x}
    codec.CALLBACKS.clear()
    live = unpack(packed, namespace=ns)
    assert live["f"](5) == 5 and calls == [5]
    with pytest.raises(NameError):
        unpack({"$ns": "missing"}, namespace=ns)
    with pytest.raises(Unsupported):
        pack(lambda x: x, inputs=Inputs())  # a callable the sandbox has no name for


def test_non_data_is_unsupported():
    for value in (object(), {1, 2}, b"bytes", print, iter([1]), type, Exception("e")):
        with pytest.raises(Unsupported):
            pack(value)
    deep = []
    for _ in range(30):
        deep = [deep]
    with pytest.raises(Unsupported, match="deeply"):
        pack(deep)


def test_size_limits_on_packing():
    with pytest.raises(Unsupported, match="size limit"):
        pack("x" * 101, limit=100)
    with pytest.raises(Unsupported, match="size limit"):
        pack(torch.zeros(100), limit=399)
    assert isinstance(out_of_sandbox(torch.zeros(100), limit=400), Tensor)


# ------------------------------------------------------------------------------ what the grader refuses
@pytest.mark.parametrize("hostile", [
    {"$with_objects": "gASVAAAAAAAAAAAu", "value": 1},  # a pickle
    {"$ns": "print"}, {"$source": "lambda: __import__('os')", "lambda": True}, {"$import": "os"},
    {"$obj": 0}, {"$path": "/etc/passwd"},
    {"$tensor": {"dtype": "|O", "shape": [1], "data": ""}},
    {"$tensor": {"dtype": "<c8", "shape": [1], "data": "AAAAAAAAAAA="}},
    {"$tensor": {"dtype": "<f4", "shape": [2], "data": "AAAAAA=="}},  # 4 bytes for 2 floats
    {"$tensor": {"dtype": "<f4", "shape": [-1], "data": ""}},
    {"$ndarray": "not an array"},
    {"$torch_dtype": "Tensor"}, {"$map": [[True, 1]]}, {"$map": [[1, 2, 3]]},
    {"unexpected": 1}, {},
])
def test_grader_side_refuses_anything_but_data(hostile):
    with pytest.raises(ChannelError):
        unpack(hostile)


def test_grader_side_refuses_deep_nesting():
    deep = 1
    for _ in range(40):
        deep = [deep]
    with pytest.raises(ChannelError, match="deeply"):
        unpack(deep)


# ----------------------------------------------------------------------------------------------- frames
def test_frames_round_trip_and_end_cleanly():
    stream = io.BytesIO()
    msgs = [{"op": "cell", "index": 0, "text": "é ✓"}, {"op": "done"}]
    for m in msgs:
        write_frame(stream, m)
    stream.seek(0)
    assert [read_frame(stream), read_frame(stream), read_frame(stream)] == [*msgs, None]


def test_frames_survive_short_reads():
    class Trickle(io.RawIOBase):  # a pipe that hands out one byte at a time
        def __init__(self, data):
            self.data = data

        def read(self, n=-1):
            chunk, self.data = self.data[:1], self.data[1:]
            return chunk

    assert read_frame(Trickle(encode_frame({"op": "x", "v": list(range(50))}))) == {"op": "x", "v": list(range(50))}


def test_reader_enforces_the_budget_before_reading_the_payload():
    frame = encode_frame({"op": "cell", "text": "x" * 100})
    budget = [len(frame) * 2 - 1]  # room for one frame, not two
    stream = io.BytesIO(frame + frame)
    assert read_frame(stream, budget=budget)["op"] == "cell"
    assert budget[0] == len(frame) - 1
    with pytest.raises(ChannelError, match="more output"):
        read_frame(stream, budget=budget)
    # a header that announces more than the budget is refused even when no payload follows
    with pytest.raises(ChannelError, match="more output"):
        read_frame(io.BytesIO(struct.pack(">I", 1000)), budget=[999])


def test_reader_refuses_oversized_and_malformed_frames():
    with pytest.raises(ChannelError, match="limit"):
        read_frame(io.BytesIO(struct.pack(">I", MAX_FRAME + 1)))
    garbage = {
        "truncated header": b"\x00\x00",
        "truncated payload": struct.pack(">I", 10) + b"{}",
        "not JSON": struct.pack(">I", 5) + b"hello",
        "not UTF-8": struct.pack(">I", 2) + b"\xff\xfe",
        "no op": struct.pack(">I", 2) + b"[]",
        "op not a string": struct.pack(">I", 8) + b'{"op":1}',
        "deeply nested": struct.pack(">I", 200_000) + b"[" * 100_000 + b"]" * 100_000,
    }
    for what, data in garbage.items():
        with pytest.raises(ChannelError):
            read_frame(io.BytesIO(data))
            pytest.fail(what)


def test_frames_carry_no_lone_surrogates():
    """A sandbox may print chr(0xD800); JSON carries it, but no notebook file, page or CSV can hold it."""
    sent = {"op": "cell", "outputs": [{"text": "a\ud800b\udfff"}], "\udc00key": "ok", "emoji": "\U0001F600", "n": 1}
    got = read_frame(io.BytesIO(encode_frame(sent)))
    assert got == {"op": "cell", "outputs": [{"text": "a?b?"}], "?key": "ok", "emoji": "\U0001F600", "n": 1}
    json.dumps(got, ensure_ascii=False).encode("utf-8")  # (what writing a notebook does)
    literal = {"op": "x", "text": "\\ud800 is how JSON writes it"}  # a backslash, not a surrogate: untouched
    assert read_frame(io.BytesIO(encode_frame(literal))) == literal


def test_writer_refuses_frames_over_the_limit():
    with pytest.raises(ValueError, match="frame limit"):
        encode_frame({"op": "x", "text": "x" * (MAX_FRAME + 1)})


# -------------------------------------------------------------------------------------------- protocol
def test_job_and_result_survive_the_wire():
    job = Job(cells=[{"index": 3, "source": "x = 1", "probes": [{"id": 0}]}], limits=Limits(cell_timeout=5.0, memory=2**30),
              record=True, visible=["helper"], seed=9)
    back = Job.from_wire(json.loads(encode_frame({"op": "job", "job": job.to_wire()})[4:])["job"])
    assert back == job
    result = Result(cells={2: {"outputs": []}}, probes={5: {"output": 1}}, reference=[[{"name": "f"}, {"output": 2}]],
                    exit=-9, problem="killed", timeout=True)
    again = Result.from_wire(wire(result.to_wire()))
    assert again == result and list(again.cells) == [2] and list(again.probes) == [5]  # int keys restored
    assert Result.from_wire({}) == Result() and Job.from_wire({"cells": []}).limits == Limits()
