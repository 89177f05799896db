"""Lecture 12, a CNN on MNIST: draw a digit with a few pen strokes and see what the model predicts.

:func:`render_strokes` turns strokes (typed as text, :func:`parse_strokes`) into a 28x28 image like an
MNIST digit; :class:`DigitDrawExplorer` classifies it with a model; :data:`PRESETS` holds strokes for a few
digits.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..models import normalize_mnist
from ..train import predict
from .base import Explorer

#: digit name -> strokes that draw it (the text :func:`parse_strokes` reads)
PRESETS = {
    "seven": "0.25,0.22 0.75,0.22 0.45,0.8",
    "one": "0.5,0.2 0.5,0.8",
    "zero": "0.5,0.2 0.32,0.35 0.32,0.65 0.5,0.8 0.68,0.65 0.68,0.35 0.5,0.2",
    "four": "0.6,0.8 0.6,0.2 0.3,0.6 0.72,0.6",
    "two": "0.3,0.32 0.45,0.2 0.65,0.25 0.65,0.42 0.3,0.8 0.72,0.8",
    "three": "0.3,0.22 0.68,0.25 0.45,0.48 0.68,0.62 0.55,0.8 0.3,0.78",
}


def parse_strokes(text: str) -> list[np.ndarray]:
    """``"x,y x,y ...; x,y ..."`` (coordinates in [0, 1], y down; ``;`` starts a new stroke) -> list of
    (n_points, 2) arrays. An empty string gives no strokes."""
    strokes = []
    for part in text.split(";"):
        pts = [p for p in part.replace("\n", " ").split() if p]
        if not pts:
            continue
        try:
            arr = np.array([[float(v) for v in p.split(",")] for p in pts], dtype=np.float64)
        except ValueError as e:
            raise ValueError(f"could not read the stroke {part.strip()!r}: write points as x,y separated by spaces") from e
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError(f"every point needs exactly two numbers x,y; got {part.strip()!r}")
        strokes.append(arr)
    return strokes


def render_strokes(strokes, *, size: int = 28, thickness: float = 2.2, margin: int = 4) -> torch.Tensor:
    """Draw polylines into a (1, 1, size, size) float32 image in [0, 1], anti-aliased.

    ``strokes``: a list of (n_points, 2) point arrays (or the text accepted by :func:`parse_strokes`),
    coordinates in [0, 1] mapped into the central ``size - 2*margin`` pixels (MNIST digits sit in a 20x20
    box). A pixel's ink falls off linearly over one pixel beyond ``thickness / 2`` from the nearest segment.
    """
    if isinstance(strokes, str):
        strokes = parse_strokes(strokes)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5
    P = np.stack([xx.ravel(), yy.ravel()], axis=1)
    dist = np.full(len(P), np.inf)
    box = size - 2 * margin
    for s in strokes:
        pts = margin + np.clip(np.asarray(s, dtype=np.float64), 0.0, 1.0) * box
        if len(pts) == 1:
            pts = np.concatenate([pts, pts])
        for a, b in zip(pts[:-1], pts[1:]):
            ab = b - a
            t = np.clip(((P - a) @ ab) / max(ab @ ab, 1e-12), 0.0, 1.0)
            dist = np.minimum(dist, np.linalg.norm(P - (a + t[:, None] * ab), axis=1))
    ink = np.clip(thickness / 2 + 0.5 - dist, 0.0, 1.0)
    return torch.from_numpy(ink.reshape(1, 1, size, size).astype(np.float32))


class DigitDrawExplorer(Explorer):
    """Type (or pick) a few pen strokes; see the 28x28 image they make and the model's class probabilities."""

    def __init__(self, model: nn.Module, *, normalize: bool = True) -> None:
        self.model, self.normalize = model, normalize
        super().__init__(cols=2)

    def make_controls(self) -> dict:
        import ipywidgets as w

        return {
            "strokes": w.Text(value=PRESETS["seven"], description="strokes", layout=w.Layout(width="420px"),
                              continuous_update=False),
            "thickness": w.FloatSlider(value=2.2, min=1.0, max=4.0, step=0.2, description="thickness"),
        }

    def draw(self, strokes: str, thickness: float) -> dict:
        image = render_strokes(strokes, thickness=thickness)
        x = normalize_mnist(image) if self.normalize else image
        probs = torch.softmax(predict(self.model, x), dim=1)[0].cpu()
        pred = int(probs.argmax())
        self.axes[0].imshow(image[0, 0].numpy(), cmap="gray_r", vmin=0, vmax=1)
        self.axes[0].set_title("your drawing (28x28)")
        self.axes[0].axis("off")
        bars = self.axes[1].bar(range(len(probs)), probs.numpy(), color="tab:gray")
        bars[pred].set_color("tab:orange")
        self.axes[1].set_xticks(range(len(probs)))
        self.axes[1].set_ylim(0, 1)
        self.axes[1].set_title(f"prediction: {pred} ({probs[pred]:.0%})")
        return {"image": image, "probs": probs, "prediction": pred}
