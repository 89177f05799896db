"""Lecture 01, tensors: which elements a reduction combines, and how two shapes broadcast."""
from __future__ import annotations

import numpy as np
import torch

from ..plots import show_grid, to_numpy
from .base import Explorer


class ReductionExplorer(Explorer):
    """Pick an axis and a reduction; see which elements of a 2-D tensor are combined into each output."""

    OPS = ("sum", "mean", "max", "argmax")

    def __init__(self, T: torch.Tensor) -> None:
        if not isinstance(T, torch.Tensor) or T.dim() != 2:
            raise ValueError(f"ReductionExplorer needs a 2-D tensor, got {getattr(T, 'shape', type(T))}")
        self.T = T.detach().to(torch.float32).cpu()
        super().__init__(cols=2)

    def make_controls(self) -> dict:
        import ipywidgets as w

        return {
            "dim": w.Dropdown(options=[("dim=0 (down the rows)", 0), ("dim=1 (along each row)", 1), ("all", None)], value=0, description="axis"),
            "op": w.Dropdown(options=list(self.OPS), value="sum", description="reduction"),
        }

    def draw(self, dim, op) -> dict:
        if op not in self.OPS:
            raise ValueError(f"op must be one of {self.OPS}, got {op!r}")
        rows, cols = self.T.shape
        if dim is None:
            groups = np.zeros((rows, cols), dtype=int)
            result = getattr(self.T, op)()
        else:
            groups = np.broadcast_to(np.arange(cols) if dim == 0 else np.arange(rows)[:, None], (rows, cols))
            out = getattr(self.T, op)(dim=dim)
            result = out.values if op == "max" else out
        show_grid(self.axes[0], self.T, groups=groups % 8, title=f"T, shape {tuple(self.T.shape)}: same colour = combined together")
        res = to_numpy(result).reshape(1, -1) if to_numpy(result).ndim <= 1 else to_numpy(result)
        show_grid(self.axes[1], res, groups=np.arange(res.size).reshape(res.shape) % 8 if dim is not None else None,
                  fmt="{:.3g}", title=f"T.{op}({'' if dim is None else f'dim={dim}'}) -> shape {tuple(torch.as_tensor(result).shape)}")
        return {"result": torch.as_tensor(result), "groups": groups}


def broadcast_table(shape_a, shape_b) -> dict:
    """Apply PyTorch's broadcasting rule to two shapes, axis by axis, the way a student would on paper.

    The shapes are aligned on the right; a missing axis counts as size 1. On each axis the sizes must be
    equal, or one of them must be 1 (that operand is stretched). Returns ``a`` and ``b`` (padded on the
    left with ``None``), ``status`` per axis ("same", "stretch A", "stretch B" or "clash"), ``sizes`` (the
    size of the result on each axis, ``None`` where the sizes clash), ``result`` (the broadcast shape, or
    ``None``) and ``ok``.
    """
    a, b = tuple(int(s) for s in shape_a), tuple(int(s) for s in shape_b)
    n = max(len(a), len(b))
    pa = (None,) * (n - len(a)) + a
    pb = (None,) * (n - len(b)) + b
    result, status = [], []
    for sa, sb in zip(pa, pb):
        xa, xb = 1 if sa is None else sa, 1 if sb is None else sb
        if xa == xb:
            result.append(xa)
            status.append("same" if sa is not None and sb is not None else ("stretch A" if sa is None else "stretch B"))
        elif xa == 1:
            result.append(xb)
            status.append("stretch A")
        elif xb == 1:
            result.append(xa)
            status.append("stretch B")
        else:
            result.append(None)
            status.append("clash")
    ok = "clash" not in status
    return {"a": pa, "b": pb, "status": status, "sizes": result, "result": tuple(result) if ok else None, "ok": ok}


def parse_shape(text) -> tuple:
    """"4, 3", "(4, 3)", "4 3" or a sequence of ints -> a shape tuple; ValueError when it is not one."""
    if isinstance(text, (tuple, list)):
        return tuple(int(s) for s in text)
    text = str(text).strip().strip("()[]")
    parts = [p for p in text.replace(" ", ",").split(",") if p]
    shape = tuple(int(p) for p in parts)
    if any(s < 0 for s in shape):
        raise ValueError("sizes must be >= 0")
    return shape


class BroadcastExplorer(Explorer):
    """Type two shapes; see them aligned on the right, which operand is stretched on each axis, and the result."""

    def __init__(self, a="4, 3", b="3") -> None:
        self.defaults = (str(a), str(b))
        super().__init__(size=(6.0, 2.4))

    def make_controls(self) -> dict:
        import ipywidgets as w

        return {
            "a": w.Text(value=self.defaults[0], description="shape of A", continuous_update=False),
            "b": w.Text(value=self.defaults[1], description="shape of B", continuous_update=False),
        }

    def draw(self, a, b) -> dict:
        ax = self.axes[0]
        ax.set_axis_off()
        try:
            sa, sb = parse_shape(a), parse_shape(b)
        except ValueError:
            ax.set_title(f"could not read the shapes {a!r} and {b!r}: write sizes separated by commas, e.g. 4, 3", fontsize=10)
            return {"a": None, "b": None, "status": [], "sizes": [], "result": None, "ok": False, "error": "unreadable shape"}
        table = broadcast_table(sa, sb)
        n = len(table["status"])
        if n == 0:
            ax.set_title("two scalars: the result is a scalar, shape ()", fontsize=10)
            return table
        colours = np.full((3, n), 8.0)
        colours[2] = 1
        for j, st in enumerate(table["status"]):
            if st == "clash":
                colours[2, j] = 0
                colours[0, j] = colours[1, j] = 0
            elif st == "stretch A":
                colours[0, j] = 5
            elif st == "stretch B":
                colours[1, j] = 5
        ax.set_axis_on()
        ax.imshow(colours, cmap="Pastel1", vmin=0, vmax=8, aspect="auto")
        res = table["sizes"]
        for i, row in enumerate((table["a"], table["b"], res)):
            for j, size in enumerate(row):
                if i == 2 and table["status"][j] == "clash":
                    text = "clash"
                elif size is None:
                    text = "(1)" if i < 2 else ""
                else:
                    text = str(size)
                ax.text(j, i, text, ha="center", va="center", fontsize=12)
        ax.set_xticks(range(n), [f"axis {j - n}" for j in range(n)], fontsize=8)
        ax.set_yticks(range(3), ["A", "B", "A op B"], fontsize=9)
        if table["ok"]:
            title = f"{sa} and {sb} broadcast to {table['result']} (yellow: stretched to match)"
        else:
            bad = [j - n for j, st in enumerate(table["status"]) if st == "clash"]
            title = f"{sa} and {sb} do not broadcast: sizes differ on axis {bad[0]} and neither is 1"
        ax.set_title(title, fontsize=10)
        return table

