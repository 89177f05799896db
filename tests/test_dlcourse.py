"""Unit tests of the helper library, compared with PyTorch where it has an equivalent."""
import gzip
import shutil

import numpy as np
import pytest
import torch

import dlcourse
from dlcourse import CheckFailed, check_close, check_no_mutation, check_requires_grad, check_shape
from dlcourse.data import FILES, DatasetError, data_dir, load_csv, load_mnist
from dlcourse.gradcheck import grad_check, numerical_grad
from tests.conftest import DEVICES, device_param


# ---------------------------------------------------------------- checks
def fails(fn, *args, match: str, **kwargs):
    with pytest.raises(CheckFailed, match=match):
        fn(*args, **kwargs)


def test_check_close_reports_shape_dtype_values_and_none():
    t = torch.tensor([1.0, 2.0, 3.0])
    check_close(t.clone(), t)
    fails(check_close, None, t, match="forget to `return`")
    fails(check_close, t.numpy(), t, match="expected a torch.Tensor, got numpy")
    fails(check_close, t[:2], t, match=r"wrong shape: got \(2,\), expected \(3,\)")
    fails(check_close, t.double(), t, match="wrong dtype: got torch.float64")
    fails(check_close, torch.tensor([1.0, 2.5, 3.0]), t, match=r"1 of 3 values differ; worst at index \(1,\): got 2.5, expected 2")
    fails(check_close, torch.tensor(8.0), torch.tensor(2.0), match="got 8, expected 2", hint="average")
    fails(check_close, torch.tensor([float("nan"), 2, 3]), t, match=r"worst at index \(0,\): got nan")
    check_close(2.0000001, 2.0)
    check_close(torch.tensor([1, 2]), torch.tensor([1, 2]))
    fails(check_close, torch.tensor([1, 3]), torch.tensor([1, 2]), match="1 of 2 values differ")


def test_check_close_hint_is_appended():
    with pytest.raises(CheckFailed) as err:
        check_close(torch.tensor(8.0), torch.tensor(2.0), name="mse", hint="mean over the batch")
    assert str(err.value) == "mse: got 8, expected 2\n  hint: mean over the batch"


def test_check_shape_and_requires_grad():
    check_shape(torch.zeros(2, 3), (2, 3))
    fails(check_shape, torch.zeros(3), (3, 1), match=r"got \(3,\), expected \(3, 1\)")
    fails(check_shape, [1, 2], (2,), match="expected an array/tensor")
    w = torch.ones(2, requires_grad=True)
    check_requires_grad((w * 2).sum())
    fails(check_requires_grad, (w * 2).sum().detach(), match="lost requires_grad")


def test_check_no_mutation_catches_in_place_changes():
    def good(x):
        return x + 1

    def bad(x):
        x += 1
        return x

    assert torch.equal(check_no_mutation(good, torch.zeros(3)), torch.ones(3))
    fails(check_no_mutation, bad, torch.zeros(3), match="modified its input argument #1 in place")
    fails(check_no_mutation, lambda a: a.sort(), [3, 1, 2], match="in place")
    fails(check_no_mutation, lambda a: a.__setitem__(0, 9), np.zeros(2), match="in place")
    params = {"W": torch.ones(2, 2), "b": torch.zeros(2)}
    check_no_mutation(lambda p: {k: v * 2 for k, v in p.items()}, params)
    fails(check_no_mutation, lambda p: p["b"].add_(1), params, match="argument #1 in place")
    fails(check_no_mutation, lambda ts: ts[1].mul_(3), [torch.ones(1), torch.ones(2)], match="in place")
    fails(check_no_mutation, lambda p: p.update(b=torch.ones(2)), {"b": torch.zeros(2)}, match="in place")
    check_no_mutation(lambda x, n: x * n, torch.ones(2), 3)
    model = torch.nn.Linear(2, 1)
    check_no_mutation(lambda m, x: m(x), model, torch.ones(1, 2))
    fails(check_no_mutation, lambda m: m.weight.data.zero_(), model, match="in place")
    fails(check_no_mutation, lambda m: m.eval(), torch.nn.Linear(2, 1), match="in place")
    g = torch.Generator().manual_seed(0)
    check_no_mutation(lambda x, gen: x * torch.rand(2, generator=gen), torch.ones(2), g)
    check_no_mutation(lambda x, f: f(x), torch.ones(2), lambda t: t + 1)


def test_on_each_device_names_the_device():
    def check(dev):
        raise CheckFailed("boom")

    with pytest.raises(CheckFailed, match=r"^\[on cpu\] boom"):
        dlcourse.on_each_device(check)


# ---------------------------------------------------------------- devices
def test_pick_device_override(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    assert dlcourse.pick_device() == torch.device("cpu")
    assert dlcourse.pick_device("cpu").type == "cpu"
    with pytest.raises(ValueError, match="unknown device"):
        dlcourse.pick_device("tpu9")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="not available on this machine"):
            dlcourse.pick_device("cuda")


def test_available_devices_always_has_cpu_and_can_be_restricted(monkeypatch):
    assert dlcourse.available_devices()[0] == torch.device("cpu")
    monkeypatch.setenv("DLCOURSE_DEVICES", "cpu")
    assert dlcourse.available_devices() == [torch.device("cpu")]


def test_seed_repeats_exactly():
    dlcourse.seed(3)
    a = (torch.randn(3), np.random.rand(2))
    dlcourse.seed(3)
    b = (torch.randn(3), np.random.rand(2))
    assert torch.equal(a[0], b[0]) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize("device", [device_param(d) for d in DEVICES])
def test_checks_on_device(device):
    t = torch.arange(6.0, device=device).reshape(2, 3)
    check_close(t * 1, t, device=device)
    fails(check_close, t.cpu() if device != "cpu" else t, t, device="meta", match="result is on")
    grad_check(lambda x: (x ** 2).sum(), torch.randn(4, device=device))


# ---------------------------------------------------------------- gradient check
def test_numerical_grad_matches_autograd():
    x = torch.randn(3, 4, dtype=torch.float64)
    f = lambda z: (z.sin() * z).sum()  # noqa: E731
    xg = x.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(f(xg), xg)
    assert torch.allclose(numerical_grad(f, x), g, atol=1e-8)
    x0 = x.clone()
    numerical_grad(f, x)
    assert torch.equal(x, x0), "numerical_grad must not modify its input"


def test_grad_check_catches_a_planted_bug():
    f = lambda z: (z ** 3).sum()  # noqa: E731
    x = torch.randn(5, dtype=torch.float64)
    assert grad_check(f, x, 3 * x ** 2) < 1e-7
    with pytest.raises(CheckFailed, match="does not match central differences"):
        grad_check(f, x, 2 * x ** 2)


# ---------------------------------------------------------------- datasets
def test_mnist_loads_with_published_statistics():
    X, y = load_mnist("test")
    assert X.shape == (10000, 1, 28, 28) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert float(X.min()) == 0.0 and float(X.max()) == 1.0
    assert torch.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    Xn, _ = load_mnist("test", normalize=True, flatten=True, limit=100)
    assert Xn.shape == (100, 784)
    assert torch.allclose(Xn, (X[:100].reshape(100, -1) - 0.1307) / 0.3081)


def test_mnist_train_statistics_match_readme():
    X, y = load_mnist("train")
    assert X.shape == (60000, 1, 28, 28)
    assert abs(float(X.mean()) - 0.1307) < 1e-4 and abs(float(X.std()) - 0.3081) < 1e-4
    assert int((y == 0).sum()) == 5923 and int((y == 9).sum()) == 5949


def test_load_mnist_rejects_bad_split():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        load_mnist("validation")


@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(data_dir(), tmp_path / "datasets")
    return tmp_path / "datasets"


def test_missing_file_names_file_and_fix(data_copy):
    (data_copy / "mnist" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match=r"t10k-labels-idx1-ubyte.gz is missing\. Restore it from git"):
        load_mnist("test", root=data_copy)


def test_truncated_file_is_detected(data_copy):
    path = data_copy / "mnist" / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte.gz is corrupt or truncated \(1000 bytes"):
        load_mnist("test", root=data_copy)


def test_corrupt_csv_is_detected(data_copy):
    path = data_copy / "diabetes.csv"
    path.write_text(path.read_text().replace("151", "152", 1))
    with pytest.raises(DatasetError, match="diabetes.csv is corrupt"):
        load_csv("diabetes", root=data_copy)


def test_every_shipped_file_matches_its_checksum():
    from dlcourse.data import sha256

    for name, digest in FILES.items():
        assert sha256(data_dir() / name) == digest, name


@pytest.mark.parametrize("name,n,d,classes", [("diabetes", 442, 10, None), ("iris", 150, 4, 3), ("wine", 178, 13, 3), ("breast_cancer", 569, 30, 2)])
def test_tabular_datasets(name, n, d, classes):
    X, y, columns = load_csv(name)
    assert X.shape == (n, d) and y.shape == (n,) and len(columns) == d + 1
    if classes:
        assert y.dtype == np.int64 and sorted(set(y.tolist())) == list(range(classes))


def test_mnist_gzip_raw_checksums_match_readme():
    # the README beside the data also lists the checksums of the uncompressed IDX files
    import hashlib

    raw = gzip.decompress((data_dir() / "mnist" / "t10k-labels-idx1-ubyte.gz").read_bytes())
    assert hashlib.sha256(raw).hexdigest() == "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"


# ---------------------------------------------------------------- headline numbers
def test_headline_is_recorded_in_notebook_output(tmp_path):
    import nbformat

    from autograder.engine import run_notebook
    from dlcourse.report import collect, headline

    assert headline("x", 0.5) == 0.5
    with pytest.raises(ValueError, match="not a finite number"):
        headline("x", float("nan"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from dlcourse.report import headline\nheadline('acc', 0.925)")])
    nbformat.write(nb, tmp_path / "h.ipynb")
    ran = run_notebook(tmp_path / "h.ipynb", timeout=60)
    assert collect(ran) == {"acc": 0.925}
    assert "acc: 92.50%" in ran.cells[0].outputs[0]["data"]["text/plain"]
