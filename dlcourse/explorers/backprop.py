"""Lecture 08, backpropagation: a small computational graph with every node's value and gradient."""
from __future__ import annotations

import numpy as np

from ..numerics import logistic
from .base import Explorer


class ComputationalGraphExplorer(Explorer):
    """A small computational graph: sliders set the inputs; each node shows its forward value and ∂f/∂node.

    ``graph`` is one of :attr:`GRAPHS` ("add_mul": f = (x + y)·z, "sigmoid_neuron": f = σ(w0·x0 + w1·x1 + b),
    "max_mul": f = max(x, y)·z) or a spec of the same form: ``{"title": str, "inputs": {name: start value},
    "nodes": [(name, op, (input names...)), ...]}`` with ops from :attr:`OPS` (add, mul, max, sigmoid, relu);
    the last node is the output f. Backward starts from ∂f/∂f = 1 and visits the nodes in reverse order:
    each node multiplies the gradient arriving from above (upstream) by its local gradient and adds the
    product to each input's gradient (so an input used twice collects both contributions). Ties in max
    split the gradient in halves and relu'(0) = 0, as in PyTorch.

    ``update(**inputs)`` returns ``{"graph", "values" (every node's forward value), "grads" (∂f/∂ every node),
    "local" ({(input, node): local gradient}), "upstream" ({(input, node): gradient sent back along that
    edge}), "f", "labels" (the value and gradient texts drawn, by node)}``.
    """

    OPS = {
        # name: (symbol drawn in the node, number of inputs)
        "add": ("+", 2),
        "mul": ("×", 2),
        "max": ("max", 2),
        "sigmoid": ("σ", 1),
        "relu": ("ReLU", 1),
    }

    GRAPHS = {
        "add_mul": {
            "title": "f = (x + y) · z",
            "inputs": {"x": 2.0, "y": -3.0, "z": 4.0},
            "nodes": [("q", "add", ("x", "y")), ("f", "mul", ("q", "z"))],
        },
        "sigmoid_neuron": {
            "title": "f = σ(w0·x0 + w1·x1 + b)",
            "inputs": {"w0": 1.5, "x0": 2.0, "w1": -1.0, "x1": 1.0, "b": -0.5},
            "nodes": [("p0", "mul", ("w0", "x0")), ("p1", "mul", ("w1", "x1")), ("s", "add", ("p0", "p1")),
                      ("t", "add", ("s", "b")), ("f", "sigmoid", ("t",))],
        },
        "max_mul": {
            "title": "f = max(x, y) · z",
            "inputs": {"x": 1.0, "y": 3.0, "z": -2.0},
            "nodes": [("m", "max", ("x", "y")), ("f", "mul", ("m", "z"))],
        },
    }

    DX = 1.6  # horizontal distance between columns of the drawing (the vertical one is 1)
    R = 0.2   # radius of an op node

    def __init__(self, graph="add_mul", *, value_range=(-4.0, 4.0)) -> None:
        spec = self.GRAPHS.get(graph) if isinstance(graph, str) else graph
        if spec is None:
            raise ValueError(f"unknown graph {graph!r}: use one of {sorted(self.GRAPHS)} or a spec dict")
        self.name = graph if isinstance(graph, str) else spec.get("title", "custom")
        self.title = spec.get("title", self.name)
        self.inputs = {k: float(v) for k, v in spec["inputs"].items()}
        self.nodes = [(n, op, tuple(args)) for n, op, args in spec["nodes"]]
        known = set(self.inputs)
        if not self.nodes:
            raise ValueError("a graph needs at least one operation node")
        for n, op, args in self.nodes:
            if op not in self.OPS:
                raise ValueError(f"node {n!r}: unknown op {op!r}, use one of {sorted(self.OPS)}")
            if len(args) != self.OPS[op][1]:
                raise ValueError(f"node {n!r}: {op} takes {self.OPS[op][1]} input(s), got {len(args)}")
            missing = [a for a in args if a not in known]
            if missing:
                raise ValueError(f"node {n!r} uses {missing} before they are defined")
            if n in known:
                raise ValueError(f"node name {n!r} is used twice")
            known.add(n)
        self.output_node = self.nodes[-1][0]
        self.value_range = value_range
        self._positions = self._layout()
        xs, ys = [p[0] for p in self._positions.values()], [p[1] for p in self._positions.values()]
        self._xlim, self._ylim = (min(xs) - 0.7, max(xs) + 0.7), (min(ys) - 0.55, max(ys) + 0.45)
        width, height = self._xlim[1] - self._xlim[0], self._ylim[1] - self._ylim[0]
        scale = min(1.25, 8.0 / width)   # inches per unit of the drawing, equal in x and y
        super().__init__(size=(max(width * scale, 6.0), height * scale + 0.6))

    def make_controls(self) -> dict:
        import ipywidgets as w

        lo, hi = self.value_range
        return {k: w.FloatSlider(value=v, min=lo, max=hi, step=0.1, description=k, continuous_update=False,
                                 layout=w.Layout(width="220px"))
                for k, v in self.inputs.items()}

    def _layout(self) -> dict:
        """Inputs in column 0 (top to bottom as listed); an op one column right of its deepest input, at the mean height of its inputs."""
        pos = {k: (0.0, float(len(self.inputs) - 1 - i)) for i, k in enumerate(self.inputs)}
        for n, _, args in self.nodes:
            pos[n] = (self.DX + max(pos[a][0] for a in args), float(np.mean([pos[a][1] for a in args])))
        return pos

    @staticmethod
    def _forward_op(op: str, a: list[float]) -> float:
        if op == "add":
            return a[0] + a[1]
        if op == "mul":
            return a[0] * a[1]
        if op == "max":
            return max(a[0], a[1])
        if op == "sigmoid":
            return logistic(a[0])
        return max(a[0], 0.0)  # relu

    @staticmethod
    def _local_grads(op: str, a: list[float], out: float) -> list[float]:
        """∂out/∂input for each input of one node."""
        if op == "add":
            return [1.0, 1.0]          # add hands the gradient on unchanged to both inputs
        if op == "mul":
            return [a[1], a[0]]        # multiply swaps: ∂(ab)/∂a = b
        if op == "max":
            if a[0] == a[1]:
                return [0.5, 0.5]      # a tie: PyTorch splits the gradient
            return [1.0, 0.0] if a[0] > a[1] else [0.0, 1.0]   # max routes it to the winner
        if op == "sigmoid":
            return [out * (1.0 - out)]  # σ' = σ(1 - σ), from the forward value
        return [1.0 if a[0] > 0 else 0.0]  # relu

    def compute(self, **inputs) -> dict:
        """Forward and backward pass (floats, no drawing)."""
        unknown = set(inputs) - set(self.inputs)
        if unknown:
            raise ValueError(f"unknown inputs {sorted(unknown)}: this graph's inputs are {list(self.inputs)}")
        values = {k: float(inputs.get(k, v)) for k, v in self.inputs.items()}
        for n, op, args in self.nodes:
            values[n] = float(self._forward_op(op, [values[a] for a in args]))
        grads = {k: 0.0 for k in values}
        grads[self.output_node] = 1.0
        local, upstream = {}, {}
        for n, op, args in reversed(self.nodes):
            ls = self._local_grads(op, [values[a] for a in args], values[n])
            for a, l_ in zip(args, ls):
                local[(a, n)] = float(l_)
                upstream[(a, n)] = grads[n] * float(l_)
                grads[a] += grads[n] * float(l_)   # chain rule: upstream × local, summed over uses
        return {"values": values, "grads": grads, "local": local, "upstream": upstream, "f": values[self.output_node]}

    def draw(self, **inputs) -> dict:
        state = self.compute(**inputs)
        values, grads = state["values"], state["grads"]
        ax = self.axes[0]
        ax.set_axis_off()
        pos = self._positions
        for n, op, args in self.nodes:
            for a in args:
                (x0, y0), (x1, y1) = pos[a], pos[n]
                ax.annotate("", xy=(x1 - self.R, y1), xytext=(x0 + self.R, y0),
                            arrowprops=dict(arrowstyle="-|>", color="0.55", lw=1.2, shrinkA=0, shrinkB=0))
                mx, my = (x0 + x1) / 2, (y0 + y1) / 2
                ax.text(mx, my - 0.06, f"×{state['local'][(a, n)]:.3g}", ha="center", va="top", fontsize=7, color="C1")
        labels = {}
        ops = {n: op for n, op, _ in self.nodes}
        for n, (x, y) in pos.items():
            if n in ops:
                ax.add_patch(_graph_circle((x, y), self.R, facecolor="#dde8f5", edgecolor="C0", lw=1.5))
                ax.text(x, y, self.OPS[ops[n]][0], ha="center", va="center", fontsize=10 if len(self.OPS[ops[n]][0]) > 2 else 14)
            else:
                ax.add_patch(_graph_box((x - self.R, y - 0.15), 2 * self.R, 0.3))
                ax.text(x, y, n, ha="center", va="center", fontsize=12, style="italic")
            value_text = f"{n} = {values[n]:.4g}"
            grad_text = f"∂f/∂{n} = {grads[n]:.4g}"
            ax.text(x, y + self.R + 0.03, value_text, ha="center", va="bottom", fontsize=9, color="C2", fontweight="bold")
            ax.text(x, y - self.R - 0.03, grad_text, ha="center", va="top", fontsize=9, color="C3")
            labels[n] = (value_text, grad_text)
        ax.set_xlim(*self._xlim)
        ax.set_ylim(*self._ylim)
        ax.set_aspect("equal")
        ax.set_title(f"{self.title} = {state['f']:.4g}\ngreen: forward values (left to right) · red: gradients ∂f/∂node "
                     f"(right to left)\norange: the local gradient ∂node/∂input on each edge", fontsize=9)
        return {"graph": self.name, **state, "labels": labels}


def _graph_circle(xy, r, **kw):
    from matplotlib.patches import Circle

    return Circle(xy, r, **kw)


def _graph_box(xy, w, h):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(xy, w, h, boxstyle="round,pad=0.02", facecolor="#f3f3f3", edgecolor="0.4", lw=1.2)


