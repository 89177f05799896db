"""Checksummed, offline dataset loaders.

Every file the course ships is listed in :data:`FILES` with its SHA-256. A loader verifies the file before
reading it and raises :class:`DatasetError` naming the file, what is wrong and how to fix it, when the file
is missing, truncated or corrupt. The data folder is ``datasets/`` at the repository root; set
``DLCOURSE_DATA`` to use another folder.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import os
import struct
from pathlib import Path

import numpy as np
import torch

FILES = {
    "mnist/train-images-idx3-ubyte.gz": "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971",
    "mnist/train-labels-idx1-ubyte.gz": "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203",
    "mnist/t10k-images-idx3-ubyte.gz": "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be",
    "mnist/t10k-labels-idx1-ubyte.gz": "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b",
    "diabetes.csv": "901380ccc1ac401f4af2d2ada8c8cdba7e8f91ea2456017408203b0c31536df9",
    "iris.csv": "403ce7582d1f16b244cf2f379b3f92e34a54a91e142524e8d2efe53872d1357b",
    "wine.csv": "09afdf7b1225a6550bbdc20404baef7d9b4d9db88a6713049feed7c1482bd834",
    "breast_cancer.csv": "3a43b0f0f79b844962a9c06d1da3dd81b5cec789aa17530d259bd75a41469ad3",
}

#: Training-set statistics of MNIST pixels scaled to [0, 1] (see datasets/mnist/README.md).
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081

#: The validation set: 10,000 images of MNIST's training file, drawn once with ``torch.randperm(60000)``
#: under ``manual_seed(0)`` (the split lecture 07 makes); ``load_mnist("fit")`` is the other 50,000. Every
#: choice the course makes (when to stop, which epoch count, which threshold) is made on it, never on "test".
MNIST_VAL_SIZE, MNIST_VAL_SEED = 10_000, 0

FIX = (
    "Restore it from git (`git checkout -- datasets/`) or copy it again from the course's "
    "shared/datasets folder; then re-run the cell."
)


class DatasetError(RuntimeError):
    """A dataset file is missing, truncated or corrupt."""


def data_dir() -> Path:
    """The folder holding the datasets (``$DLCOURSE_DATA`` or ``<repo>/datasets``)."""
    env = os.environ.get("DLCOURSE_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "datasets"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_verified: dict[tuple[str, float, int], bool] = {}


def verified_path(name: str, root: Path | str | None = None) -> Path:
    """Path of the dataset file ``name`` (a key of :data:`FILES`) after checking its SHA-256."""
    if name not in FILES:
        raise DatasetError(f"unknown dataset file {name!r}; known: {', '.join(sorted(FILES))}")
    path = (Path(root) if root is not None else data_dir()) / name
    if not path.is_file():
        raise DatasetError(f"dataset file {path} is missing. {FIX}")
    st = path.stat()
    key = (str(path), st.st_mtime, st.st_size)
    if key not in _verified:
        digest = sha256(path)
        if digest != FILES[name]:
            raise DatasetError(
                f"dataset file {path} is corrupt or truncated ({st.st_size} bytes, SHA-256 {digest[:12]}…, "
                f"expected {FILES[name][:12]}…). {FIX}"
            )
        _verified[key] = True
    return path


def _read_idx(path: Path, magic: int) -> np.ndarray:
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as err:
        raise DatasetError(f"dataset file {path} cannot be decompressed ({err}). {FIX}") from err
    got_magic, count = struct.unpack(">II", raw[:8])
    if got_magic != magic:
        raise DatasetError(f"dataset file {path} is not an IDX file of the expected kind (magic {got_magic}). {FIX}")
    dims = [count]
    if magic == 2051:
        dims += list(struct.unpack(">II", raw[8:16]))
        offset = 16
    else:
        offset = 8
    data = np.frombuffer(raw, dtype=np.uint8, offset=offset)
    if data.size != int(np.prod(dims)):
        raise DatasetError(f"dataset file {path} holds {data.size} bytes of data, expected {int(np.prod(dims))}. {FIX}")
    return data.reshape(dims)


def load_mnist(
    split: str = "train",
    *,
    normalize: bool = False,
    flatten: bool = False,
    device: str | torch.device = "cpu",
    limit: int | None = None,
    root: Path | str | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST as ``(X, y)`` tensors.

    X: (N, 1, 28, 28) float32 in [0, 1] — or standardised with the training mean/std when
    ``normalize=True``; (N, 784) when ``flatten=True``. y: (N,) int64 class labels 0–9.
    ``split`` is ``"train"`` (all 60,000 training images), ``"fit"`` (50,000 of them) and ``"val"`` (the other
    10,000: the validation set, see :data:`MNIST_VAL_SIZE`), or ``"test"`` (10,000, scored once, at the end);
    ``limit`` keeps the first N.
    """
    prefix = {"train": "train", "fit": "train", "val": "train", "test": "t10k"}.get(split)
    if prefix is None:
        raise ValueError(f"split must be 'train', 'fit', 'val' or 'test', got {split!r}")
    images = _read_idx(verified_path(f"mnist/{prefix}-images-idx3-ubyte.gz", root), 2051)
    labels = _read_idx(verified_path(f"mnist/{prefix}-labels-idx1-ubyte.gz", root), 2049)
    if split in ("fit", "val"):
        perm = torch.randperm(len(labels), generator=torch.Generator().manual_seed(MNIST_VAL_SEED)).numpy()
        keep = perm[len(labels) - MNIST_VAL_SIZE:] if split == "val" else perm[:len(labels) - MNIST_VAL_SIZE]
        images, labels = images[keep], labels[keep]
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    X = torch.from_numpy(images.copy()).to(torch.float32).div_(255.0).unsqueeze(1)
    if normalize:
        X = (X - MNIST_MEAN) / MNIST_STD
    if flatten:
        X = X.reshape(len(X), -1)
    y = torch.from_numpy(labels.astype(np.int64))
    return X.to(device), y.to(device)


def load_csv(name: str, *, root: Path | str | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A shipped tabular dataset as ``(X, y, columns)``.

    ``name`` is ``"diabetes"``, ``"iris"``, ``"wine"`` or ``"breast_cancer"`` (see datasets/README.md).
    X: (N, D) float64 array of the feature columns; y: (N,) — the last column, float64 for regression
    (diabetes) and int64 class labels otherwise; columns: the D feature names then the target name.
    """
    path = verified_path(f"{name}.csv", root)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    table = np.array(body, dtype=np.float64)
    X, y = table[:, :-1], table[:, -1]
    if name != "diabetes":
        y = y.astype(np.int64)
    return X, y, header
