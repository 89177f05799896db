"""dlcourse.explorers.base: the one contract every explorer follows (layout, state rule, wiring)."""
import inspect

import ipywidgets as w
import numpy as np
import pytest
import torch

import dlcourse.explorers as explorers
from dlcourse.explorers import Explorer


class Scale(Explorer):
    """A toy explorer: draws the line y = a x, for a slider a, a dropdown colour and a step count n."""

    def __init__(self, *, size=(4.0, 3.0), play=None):
        super().__init__(cols=2, rows=1, size=size, play=play)   # first: nothing of the subclass is needed yet
        self.xs = np.arange(5.0)
        self.calls = []

    def make_controls(self):
        return {"a": w.FloatSlider(value=1.0, min=-2.0, max=2.0),
                "colour": w.Dropdown(options=["C0", "C1"], value="C0"),
                "n": w.IntSlider(value=3, min=0, max=10)}

    def draw(self, a, colour, n):
        if not np.isfinite(a):
            raise ValueError(f"a must be finite, got {a}")
        self.calls.append((a, colour, n))
        self.axes[0].plot(self.xs, a * self.xs, color=colour)
        self.axes[1].set_title(f"n = {n}")
        return {"a": a, "colour": colour, "n": n, "y": a * self.xs}


def test_layout_and_size_are_constructor_arguments():
    ex = Scale(size=(4.0, 3.0))
    assert len(ex.axes) == 2 and tuple(ex.fig.get_size_inches()) == (8.0, 3.0), "size is per axes"
    assert ex.state == {} and ex.calls == [], "nothing is drawn before update or widget"
    grid = explorers.ReductionExplorer(torch.zeros(2, 2))
    assert len(grid.axes) == 2 and tuple(grid.fig.get_size_inches()) == (10.0, 3.6), "default: 5 x 3.6 per axes"


def test_update_merges_over_the_current_values_and_stores_the_state():
    ex = Scale()
    assert ex.values() == {"a": 1.0, "colour": "C0", "n": 3}, "the controls hold the starting values"
    s = ex.update(a=0.5)
    assert s is ex.state and s["a"] == 0.5 and s["colour"] == "C0" and s["n"] == 3
    assert np.allclose(ex.axes[0].lines[0].get_ydata(), 0.5 * ex.xs) and len(ex.axes[0].lines) == 1
    assert ex.values()["a"] == 0.5, "the controls follow the values drawn"
    s = ex.update(colour="C1")
    assert s["a"] == 0.5 and s["colour"] == "C1", "a value not given keeps its current value"
    assert len(ex.axes[0].lines) == 1, "the axes are cleared before every draw"
    assert ex.calls == [(0.5, "C0", 3), (0.5, "C1", 3)], "one draw per update"


def test_a_rejected_value_changes_nothing():
    ex = Scale()
    before = ex.update(a=1.5)
    with pytest.raises(ValueError, match="finite"):
        ex.update(a=float("nan"), n=7)
    assert ex.state is before and ex.values() == {"a": 1.5, "colour": "C0", "n": 3}


def test_values_a_control_cannot_show_are_still_drawn():
    ex = Scale()
    s = ex.update(a=5.0, colour="C7")
    assert s["a"] == 5.0 and s["colour"] == "C7", "the drawing uses the values given"
    assert ex.values()["a"] == 2.0, "the slider stops at its end"
    assert ex.values()["colour"] == "C0", "the dropdown keeps its choice"


def test_moving_a_control_redraws_once():
    ex = Scale()
    ex.controls["n"].value = 8
    assert ex.state["n"] == 8 and ex.calls == [(1.0, "C0", 8)]
    ex.update(a=-1.0, n=2)
    assert len(ex.calls) == 2, "moving the controls to the values drawn does not redraw again"


@pytest.fixture
def shown(monkeypatch):
    """The objects displayed (outside a kernel the Output widget cannot capture them, so record them)."""
    import IPython.display

    seen = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: seen.append(obj))
    monkeypatch.setattr(IPython.display, "clear_output", lambda wait=False: seen.clear())
    return seen


def test_widget_shows_the_figure_in_output(shown):
    ex = Scale()
    ex.update(a=0.5)
    assert shown == [], "without the widget nothing is displayed"
    box = ex.widget
    assert box is ex.widget and ex.calls[-1] == (0.5, "C0", 3), "built once, drawn once with the controls' values"
    assert shown == [ex.fig], "the figure is shown in the output"
    assert box.children[-1] is ex.output and isinstance(ex.output, w.Output) and ex.play is None
    assert list(box.children[0].children) == list(ex.controls.values()), "default arrangement: one row, in order"
    ex.controls["a"].value = 0.25
    assert shown == [ex.fig] and ex.state["a"] == 0.25, "each update replaces the figure shown"


def test_play_button_animates_its_control():
    ex = Scale(play="n")
    play = ex.play
    assert isinstance(play, w.Play) and (play.min, play.max, play.value) == (0, 10, 3)
    assert ex.widget.children[0].children[0] is play, "the play button comes first"
    with pytest.raises(ValueError, match="not one of the controls"):
        Scale(play="nope").widget


def test_the_base_refuses_to_guess():
    ex = Explorer()
    with pytest.raises(NotImplementedError):
        ex.values()
    with pytest.raises(NotImplementedError):
        ex.draw(a=1)


def test_an_old_style_subclass_still_works_through_dlcourse_widgets(shown):
    from dlcourse.widgets import Explorer as OldExplorer

    class Old(OldExplorer):
        def __init__(self):
            self.layout = (3, 1, (2.0, 2.0))
            super().__init__()

        def controls(self):
            return {"k": w.IntSlider(value=2, min=0, max=5)}

        def draw(self, k=0):
            self.axes[0].set_title(f"k = {k}")
            return {"k": k}

    ex = Old()
    assert len(ex.axes) == 3 and tuple(ex.fig.get_size_inches()) == (6.0, 2.0)
    assert ex.update() == {"k": 2} and ex.update(k=4) == {"k": 4} and ex.values() == {"k": 4}
    box = ex.widget
    assert box.children[-1] is ex.output and shown == [ex.fig]
    (slider,) = box.children[0].children
    slider.value = 1
    assert ex.state == {"k": 1} and ex.values() == {"k": 1}, "its control drives update"

    class NoControls(OldExplorer):
        pass

    with pytest.raises(NotImplementedError, match="controls"):
        NoControls().update()


EXPLORERS = [getattr(explorers, name) for name in explorers.__all__ if name != "Explorer"]


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_every_explorer_keeps_the_wiring_in_the_base(cls):
    assert issubclass(cls, Explorer)
    own = vars(cls)
    assert not {"widget", "controls", "values", "output", "play", "_control_map", "_sync"} & set(own), \
        f"{cls.__name__} redefines the base's wiring"
    assert "make_controls" in own and "draw" in own
    params = inspect.signature(cls.draw).parameters.values()
    assert all(p.default is inspect.Parameter.empty for p in params), \
        f"{cls.__name__}.draw has defaults: the controls' values are the only defaults"
