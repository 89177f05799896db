"""Lecture 01's explorers: broadcasting two shapes as PyTorch does, and reductions along an axis."""
import pytest
import torch

from dlcourse.explorers.tensors import BroadcastExplorer, ReductionExplorer, broadcast_table, parse_shape

PAIRS = [((4, 3), (3,)), ((3, 1), (4,)), ((5, 1, 3), (4, 1)), ((3, 2), (3,)), ((2, 3), (2, 3)), ((), (7,)),
         ((1,), ()), ((6, 1, 4), (2, 1)), ((2, 0), (1,)), ((2, 3), (4, 3)), ((8, 1, 6, 1), (7, 1, 5))]


@pytest.mark.parametrize("a,b", PAIRS)
def test_broadcast_table_agrees_with_pytorch(a, b):
    table = broadcast_table(a, b)
    try:
        theirs = tuple(torch.broadcast_shapes(a, b))
    except RuntimeError:
        theirs = None
    assert table["result"] == theirs and table["ok"] == (theirs is not None)
    n = max(len(a), len(b))
    assert len(table["a"]) == len(table["b"]) == len(table["status"]) == n, "aligned on the right, padded on the left"
    assert table["a"][n - len(a):] == a and all(s is None for s in table["a"][:n - len(a)])


def test_broadcast_table_says_which_operand_stretches():
    t = broadcast_table((5, 1, 3), (4, 1))
    assert t["status"] == ["stretch B", "stretch A", "stretch B"] and t["sizes"] == [5, 4, 3]
    assert broadcast_table((2, 3), (2, 3))["status"] == ["same", "same"]
    clash = broadcast_table((3, 2), (3,))
    assert clash["status"] == ["stretch B", "clash"] and clash["sizes"] == [3, None] and clash["result"] is None


def test_parse_shape_reads_what_students_type():
    assert parse_shape("4, 3") == (4, 3) == parse_shape("(4, 3)") == parse_shape("4 3") == parse_shape([4, 3])
    assert parse_shape("") == () and parse_shape("[2,1,3]") == (2, 1, 3)
    with pytest.raises(ValueError):
        parse_shape("4, x")
    with pytest.raises(ValueError, match=">= 0"):
        parse_shape("-1, 3")


def test_broadcast_explorer_draws_the_table():
    ex = BroadcastExplorer(a="4, 3", b="3")
    s = ex.update()
    assert s["result"] == (4, 3) and s["status"] == ["stretch B", "same"]
    texts = [t.get_text() for t in ex.axes[0].texts]
    assert texts == ["4", "3", "(1)", "3", "4", "3"], "rows A, B and the result, B's missing axis shown as (1)"
    assert "broadcast to (4, 3)" in ex.axes[0].get_title()
    bad = ex.update(a="3, 2")
    assert not bad["ok"] and "do not broadcast" in ex.axes[0].get_title()
    assert "clash" in [t.get_text() for t in ex.axes[0].texts]
    assert ex.values() == {"a": "3, 2", "b": "3"}
    unreadable = ex.update(b="three")
    assert unreadable["error"] == "unreadable shape" and "could not read" in ex.axes[0].get_title()
    scalars = ex.update(a="", b="")
    assert scalars["result"] == () and "scalar" in ex.axes[0].get_title()


def test_broadcast_widget_drives_update():
    ex = BroadcastExplorer()
    ex.widget
    ex.controls["b"].value = "2, 1, 1"
    assert ex.state["result"] == (2, 4, 3)


def test_reduction_explorer_rejects_an_unknown_op():
    ex = ReductionExplorer(torch.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match="op must be one of"):
        ex.update(op="median")
    assert ex.values()["op"] == "sum", "a rejected value does not move the control"
    s = ex.update(dim=None, op="mean")
    assert s["result"] == 2.5 and s["groups"].tolist() == [[0, 0, 0], [0, 0, 0]]
