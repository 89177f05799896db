"""The base class of every lecture explorer: one contract between computing, drawing and ipywidgets.

A subclass

* calls ``super().__init__(cols=.., rows=.., size=(width, height))`` anywhere in its ``__init__``: the
  figure gets ``cols`` x ``rows`` axes of ``size`` inches each (nothing else of the subclass is used
  before the first ``update`` or ``widget``); ``play="steps"`` adds a Play button that animates that
  integer control;
* defines ``make_controls() -> {name: ipywidget}``, one control per value ``draw`` takes; their initial
  values are the explorer's starting values;
* defines ``draw(**values) -> dict``: checks the values (``ValueError`` for a bad one), draws on
  ``self.axes`` (cleared before every call) and returns the state: what it computed and drew;
* may define ``arrange() -> list of widgets`` to lay the controls out (default: one row, in order).

The state rule: ``update(**values)`` draws ``{**self.values(), **values}``, so a value not given keeps its
control's current value; it stores the state in ``self.state``, returns it, then moves the controls given
to their new values. A control shows what it can (a slider stops at its end, a dropdown keeps its choice
when the value is not one of its options), while the drawing uses the value given. A value ``draw``
rejects raises before any control moves or the state changes.

The wiring, here only: moving a control calls ``update(name=new value)``; ``widget`` (the controls, with
the play button, above ``output``) shows the figure in ``output`` after each update. Lectures
``display(explorer.widget)``; tests call ``update`` and read the state, the axes, ``controls``,
``output`` and ``play``.
"""
from __future__ import annotations

from typing import Any

from ..plots import figure


class Explorer:
    """Computes and draws in ``draw``, wired to ipywidgets by the base (see the module docstring)."""

    def __init__(self, *, cols: int = 1, rows: int = 1, size: tuple[float, float] = (5.0, 3.6),
                 play: str | None = None, play_interval: int = 400) -> None:
        self.fig, self.axes = figure(cols, rows, size)
        self.state: dict[str, Any] = {}
        self._play_name, self._play_interval = play, int(play_interval)
        self._control_widgets: dict | None = None
        self._widget = self._output = self._play = None
        self._syncing = False

    # ----- what a subclass defines -----------------------------------------------------------------------

    def make_controls(self) -> dict:
        """name -> ipywidget, one per value of ``draw``; called once, on first use."""
        raise NotImplementedError

    def draw(self, **values) -> dict:
        """Check ``values``, draw them on ``self.axes`` and return the state."""
        raise NotImplementedError

    def arrange(self) -> list:
        """The widgets of the controls row, in order (default: every control)."""
        return list(self._control_map().values())

    # ----- the state ---------------------------------------------------------------------------------

    @property
    def controls(self) -> dict:
        """name -> ipywidget: the controls (built on first use); changing one's value calls ``update``."""
        return self._control_map()

    def values(self) -> dict:
        """The current value of every control: what ``update`` uses for a value it is not given."""
        return {name: ctrl.value for name, ctrl in self._control_map().items()}

    def update(self, **values) -> dict:
        """Redraw with ``values`` over the current control values; store, then return, the state."""
        merged = {**self.values(), **values}
        for ax in self.axes:
            ax.clear()
        state = self.draw(**merged)
        self.state = state
        self._sync(values)
        if self._output is not None:
            from IPython.display import clear_output, display

            with self._output:
                clear_output(wait=True)
                display(self.fig)
        return state

    # ----- the wiring --------------------------------------------------------------------------------

    @property
    def widget(self):
        """The ipywidgets box: the controls row (the play button first) above ``output``; built on first
        use, when the figure is drawn once with the controls' values."""
        if self._widget is None:
            import ipywidgets as w

            row = self.arrange()
            if self._play_name is not None:
                if self._play_name not in self._control_map():
                    raise ValueError(f"play={self._play_name!r} is not one of the controls {list(self._control_map())}")
                steps = self._control_map()[self._play_name]
                self._play = w.Play(value=steps.value, min=steps.min, max=steps.max, step=1,
                                    interval=self._play_interval, description=f"animate the {self._play_name}")
                w.jslink((self._play, "value"), (steps, "value"))
                row = [self._play, *row]
            self._output = w.Output()
            self._widget = w.VBox([w.HBox(row), self._output])
            self.update()
        return self._widget

    @property
    def output(self):
        """The ``ipywidgets.Output`` the figure is shown in (builds ``widget``)."""
        self.widget
        return self._output

    @property
    def play(self):
        """The ``ipywidgets.Play`` button that animates the ``play`` control, or None (builds ``widget``)."""
        self.widget
        return self._play

    def _control_map(self) -> dict:
        if self._control_widgets is None:
            controls = dict(self.make_controls())
            for name, ctrl in controls.items():
                ctrl.observe(self._on_change(name), names="value")
            self._control_widgets = controls
        return self._control_widgets

    def _on_change(self, name: str):
        def changed(change) -> None:
            if not self._syncing:
                self.update(**{name: change["new"]})

        return changed

    def _sync(self, values: dict) -> None:
        """Move the controls to the values just drawn, without redrawing once per control."""
        import traitlets

        controls = self._control_map()
        self._syncing = True
        try:
            for name, v in values.items():
                ctrl = controls.get(name)
                if ctrl is not None and ctrl.value != v:
                    try:
                        ctrl.value = v
                    except traitlets.TraitError:
                        pass  # not one of the control's options: drawn all the same
        finally:
            self._syncing = False
