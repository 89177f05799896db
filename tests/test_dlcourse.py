"""Unit tests of the helper library (checks, devices, gradcheck, data, plots, quiet, report), compared with
PyTorch where it has an equivalent. Training: test_train.py; models, checkpoints: test_models.py, test_checkpoints.py."""
import gzip
import shutil

import numpy as np
import pytest
import torch

import dlcourse
from dlcourse import CheckFailed, check_close, check_no_mutation, check_requires_grad, check_shape
from dlcourse.data import FILES, DatasetError, data_dir, load_csv, load_mnist
from dlcourse.gradcheck import grad_check, numerical_grad
from tests.conftest import device_params


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


@pytest.mark.parametrize("device", device_params())
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
    x = torch.randn(5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
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
    with pytest.raises(ValueError, match="'train', 'fit', 'val' or 'test'"):
        load_mnist("validation")


def test_fit_and_val_split_the_training_file_once_and_for_all():
    """"fit" (50,000) and "val" (10,000) partition MNIST's training file, as lecture 07's seeded split does."""
    X, y = load_mnist("train")
    (Xf, yf), (Xv, yv) = load_mnist("fit"), load_mnist("val")
    assert (len(yf), len(yv)) == (50_000, 10_000)
    perm = torch.randperm(60_000, generator=torch.Generator().manual_seed(0))
    assert torch.equal(Xf, X[perm[:50_000]]) and torch.equal(Xv, X[perm[50_000:]]) and torch.equal(yv, y[perm[50_000:]])
    assert torch.equal(load_mnist("val", limit=7)[1], yv[:7])
    assert torch.bincount(yv).min() > 900, "every digit is in the validation set"


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
@pytest.mark.slow  # starts a notebook kernel; test_headline_displays_its_value_in_ipython is the fast twin
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


def test_headline_prints_outside_ipython_and_collect_reads_a_notebook(capsys):
    from types import SimpleNamespace

    from dlcourse.report import MIME, collect, headline

    assert headline("loss", torch.tensor(0.25), fmt="{:.3f}") == 0.25
    assert capsys.readouterr().out == "loss: 0.250\n"
    with pytest.raises(ValueError, match="'x' is not a finite number: inf"):
        headline("x", float("inf"))
    # an executed notebook as nbformat reads it: cells are dicts, outputs carry MIME bundles under "data"
    nb = SimpleNamespace(cells=[
        {"cell_type": "markdown", "source": "no outputs"},
        {"cell_type": "code", "outputs": [{"output_type": "stream", "text": "hi"},
                                          {"output_type": "display_data", "data": {MIME: {"name": "a", "value": 0.5}}}]},
        {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {"text/plain": "x"}},
                                          {"output_type": "display_data", "data": {MIME: {"name": "b", "value": 2}}}]},
    ])
    assert collect(nb) == {"a": 0.5, "b": 2.0}


def test_headline_displays_its_value_in_ipython(monkeypatch):
    import IPython
    import IPython.display

    from dlcourse.report import MIME, headline

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append((obj, raw)))
    assert headline("acc", 0.925) == 0.925
    assert shown == [({"text/plain": "acc: 92.50%", MIME: {"name": "acc", "value": 0.925}}, True)]


# ---------------------------------------------------------------- more checks
def test_checks_report_type_dtype_and_device_mistakes():
    fails(dlcourse.check_true, False, "the message", hint="the hint", match="^the message\n  hint: the hint$")
    dlcourse.check_true(True, "never shown")
    fails(check_shape, None, (2,), name="f", match="f: got None — did the function forget to `return`")
    dlcourse.check_dtype(torch.zeros(2, dtype=torch.int64), torch.int64)
    fails(dlcourse.check_dtype, torch.zeros(2), torch.int64, name="labels", match="labels: wrong dtype: got torch.float32, expected torch.int64")
    fails(dlcourse.check_dtype, [1, 2], torch.int64, match="got None")
    fails(dlcourse.check_device, np.zeros(2), "cpu", match=r"expected a torch.Tensor on cpu, got numpy.ndarray\(shape=\(2,\)")
    fails(check_close, torch.zeros(2), np.zeros(2), match=r"expected a numpy.ndarray, got torch.Tensor\(shape=\(2,\), dtype=torch.float32, device=cpu\)")
    fails(check_close, "abc", 1.0, match="expected a number/array/tensor, got str")
    check_close(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    fails(check_close, np.array([1.0, 2.5]), np.array([1.0, 2.0]), match="1 of 2 values differ")
    check_close(torch.tensor([True, False]), torch.tensor([True, False]))
    check_close(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1.0, 2.0]), exact_dtype=False)


def test_check_close_agrees_with_torch_isclose():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(50, generator=g)
    for scale in (1e-7, 1e-5, 1e-3):
        b = a + scale * torch.randn(50, generator=g)
        ok = bool(torch.isclose(a.double(), b.double(), rtol=1e-5, atol=1e-6).all())
        try:
            check_close(a, b)
            passed = True
        except CheckFailed:
            passed = False
        assert passed == ok, f"scale {scale}"


def test_check_no_mutation_with_objects_that_cannot_be_copied_or_compared():
    class NoCopy:
        def __eq__(self, other):
            return True

        def __deepcopy__(self, memo):
            raise RuntimeError("cannot copy")

    class BadEq:
        def __eq__(self, other):
            raise RuntimeError("cannot compare")

    assert check_no_mutation(lambda a, b: 7, NoCopy(), BadEq()) == 7, "what cannot be checked is not blamed"
    fails(check_no_mutation, lambda d: d.pop("a"), {"a": NoCopy(), "b": 1}, match="in place")


def test_on_each_device_runs_every_device_given():
    seen = []
    dlcourse.on_each_device(seen.append, devices=[torch.device("cpu"), torch.device("meta")])
    assert seen == [torch.device("cpu"), torch.device("meta")]


# ---------------------------------------------------------------- more devices
def test_devices_when_cuda_and_mps_are_present(monkeypatch):
    from dlcourse import devices

    monkeypatch.delenv("DLCOURSE_DEVICE", raising=False)
    monkeypatch.delenv("DLCOURSE_DEVICES", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(devices, "_mps_available", lambda: True)
    seeded = []
    monkeypatch.setattr(torch.cuda, "manual_seed_all", seeded.append)
    assert [d.type for d in devices.available_devices()] == ["cpu", "cuda", "mps"]
    assert devices.pick_device() == torch.device("cuda"), "cuda first"
    assert devices.device_available("cuda:0")
    monkeypatch.setenv("DLCOURSE_DEVICES", "cpu, mps")
    assert [d.type for d in devices.available_devices()] == ["cpu", "mps"]
    monkeypatch.setenv("DLCOURSE_DEVICES", "cuda")
    assert [d.type for d in devices.available_devices()] == ["cuda"]
    devices.seed(5)
    assert seeded and set(seeded) == {5}, "seed() seeds every GPU too"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert devices.pick_device() == torch.device("mps"), "then mps"
    monkeypatch.setattr(devices, "_mps_available", lambda: False)
    assert devices.pick_device() == torch.device("cpu"), "then the cpu"
    monkeypatch.setenv("DLCOURSE_DEVICE", "mps")
    with pytest.raises(RuntimeError, match=r"device 'mps' was requested \(argument or \$DLCOURSE_DEVICE\) but is not available"):
        devices.pick_device()


def test_mps_detection_matches_torch():
    from dlcourse.devices import _mps_available

    mps = getattr(torch.backends, "mps", None)
    assert _mps_available() == bool(mps is not None and mps.is_available())


# ---------------------------------------------------------------- more gradient checks
def test_relative_error_against_torch():
    from dlcourse.gradcheck import relative_error

    a, b = torch.tensor([1.0, -2.0, 0.0]), torch.tensor([1.1, -2.0, 0.0])
    assert relative_error(a, b) == pytest.approx(float((a - b).abs().max() / 1.1))
    assert relative_error(torch.zeros(0), torch.zeros(0)) == 0.0
    with pytest.raises(ValueError, match=r"gradient shapes differ: \(3,\) vs \(2,\)"):
        relative_error(a, b[:2])


def test_grad_check_of_a_matrix_function_against_autograd():
    W = torch.randn(3, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    X = torch.randn(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    f = lambda w: torch.log_softmax(X @ w, dim=1)[:, 0].sum()  # noqa: E731
    assert grad_check(f, W) < 1e-7
    with pytest.raises(CheckFailed, match=r"dW does not match .* worst at flat index \d+"):
        grad_check(f, W, torch.zeros_like(W), name="dW")


# ---------------------------------------------------------------- more datasets
def test_unknown_dataset_file_lists_the_known_ones():
    from dlcourse.data import verified_path

    with pytest.raises(DatasetError, match="unknown dataset file 'mnist/extra.gz'; known: breast_cancer.csv"):
        verified_path("mnist/extra.gz")


def test_read_idx_reports_broken_contents(tmp_path):
    import struct

    from dlcourse.data import _read_idx

    plain = tmp_path / "plain.gz"
    plain.write_bytes(b"not gzip at all")
    with pytest.raises(DatasetError, match="plain.gz cannot be decompressed"):
        _read_idx(plain, 2049)
    labels = tmp_path / "labels.gz"
    labels.write_bytes(gzip.compress(struct.pack(">II", 2049, 3) + bytes([1, 2, 3])))
    assert _read_idx(labels, 2049).tolist() == [1, 2, 3]
    with pytest.raises(DatasetError, match=r"not an IDX file of the expected kind \(magic 2049\)"):
        _read_idx(labels, 2051)
    short = tmp_path / "short.gz"
    short.write_bytes(gzip.compress(struct.pack(">IIII", 2051, 2, 2, 2) + bytes(5)))
    with pytest.raises(DatasetError, match="holds 5 bytes of data, expected 8"):
        _read_idx(short, 2051)
    images = tmp_path / "images.gz"
    images.write_bytes(gzip.compress(struct.pack(">IIII", 2051, 2, 1, 3) + bytes(range(6))))
    assert _read_idx(images, 2051).tolist() == [[[0, 1, 2]], [[3, 4, 5]]]


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DLCOURSE_DATA", str(tmp_path))
    assert data_dir() == tmp_path
    with pytest.raises(DatasetError, match="is missing"):
        load_mnist("test")


# ---------------------------------------------------------------- plots
def test_figure_and_to_numpy():
    from dlcourse.plots import figure, to_numpy

    fig, axes = figure(3, 2, size=(2.0, 1.5))
    assert axes.shape == (6,) and tuple(fig.get_size_inches()) == (6.0, 3.0)
    assert figure()[1].shape == (1,)
    w = torch.ones(2, requires_grad=True) * 3
    assert np.array_equal(to_numpy(w), np.array([3.0, 3.0], dtype=np.float32))
    assert np.array_equal(to_numpy([1, 2]), np.array([1, 2])) and to_numpy(2.5).shape == ()


def test_plot_line_fit_reports_the_mse_of_torch():
    from dlcourse.plots import figure, plot_line_fit

    x = torch.tensor([0.0, 1.0, 2.0, 3.0])
    y = torch.tensor([1.0, 2.5, 5.0, 7.5])
    _, (ax,) = figure()
    out = plot_line_fit(ax, x, y, 2.0, 0.5, xlabel="size")
    mse = nn_mse(2.0 * x + 0.5, y)
    assert out["cost"] == pytest.approx(mse, rel=1e-6)
    assert out["line_x"].tolist() == [0.0, 3.0] and list(out["line_y"]) == [0.5, 6.5]
    assert ax.get_xlabel() == "size" and ax.get_title() == f"cost (MSE) = {mse:.4g}"
    assert len(ax.collections) == 2, "the points and the residuals"
    _, (ax2,) = figure()
    plot_line_fit(ax2, x, y, 1.0, 0.0, residuals=False)
    assert len(ax2.collections) == 1
    with pytest.raises(ValueError, match="same number of points, got 4 and 3"):
        plot_line_fit(ax2, x, y[:3], 1.0, 0.0)


def nn_mse(y_hat, y):
    return float(torch.nn.functional.mse_loss(y_hat, y))


def test_plot_curve_and_show_grid():
    from dlcourse.plots import figure, plot_curve, show_grid

    _, (a, b, c) = figure(3)
    plot_curve(a, [3.0, 2.0, 1.0])
    assert a.get_lines()[0].get_ydata().tolist() == [3.0, 2.0, 1.0] and a.get_yscale() == "linear"
    assert a.get_legend() is None
    plot_curve(b, torch.tensor([1.0, 0.1]), label="train", xlabel="epoch", logy=True)
    assert b.get_yscale() == "log" and b.get_xlabel() == "epoch" and b.get_legend() is not None
    show_grid(c, torch.tensor([[1, 2, 3], [4, 5, 6]]), groups=[[0, 0, 1], [1, 2, 2]], fmt="{:d}", title="X")
    assert [t.get_text() for t in c.texts] == ["1", "2", "3", "4", "5", "6"] and c.get_title() == "X"
    assert [t.get_text() for t in c.get_xticklabels()] == ["col 0", "col 1", "col 2"]
    with pytest.raises(ValueError, match=r"show_grid draws 2-D arrays, got shape \(3,\)"):
        show_grid(c, [1, 2, 3])


def test_show_images_lays_out_a_grid():
    from dlcourse.plots import show_images

    fig = show_images(torch.rand(5, 1, 6, 4), labels=torch.tensor([3, 1, 4, 1, 5]), ncols=3)
    axes = fig.get_axes()
    assert len(axes) == 6 and [ax.get_title() for ax in axes] == ["3", "1", "4", "1", "5", ""]
    assert axes[0].images[0].get_array().shape == (6, 4) and not axes[5].images
    assert len(show_images(np.zeros((2, 5, 5))).get_axes()) == 8
    with pytest.raises(ValueError, match=r"one channel, got shape \(2, 3, 5, 5\)"):
        show_images(torch.zeros(2, 3, 5, 5))
    with pytest.raises(ValueError, match=r"\(N, 1, H, W\) or \(N, H, W\), got shape \(5, 5\)"):
        show_images(torch.zeros(5, 5))


def test_figures_display_as_png_in_ipython(monkeypatch):
    import IPython
    from matplotlib.figure import Figure

    from dlcourse import plots

    registered = {}

    class Formatter:
        def for_type(self, cls, fn):
            registered[cls] = fn

    class Shell:
        display_formatter = type("DF", (), {"formatters": {"image/png": Formatter()}})()

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    plots._register_png_display()
    fig, (ax,) = plots.figure()
    ax.plot([0, 1])
    assert registered[Figure](fig)[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    registered.clear()
    plots._register_png_display()
    assert registered == {}


# ---------------------------------------------------------------- progress bars
def test_progress_writes_to_stdout_only(capsys):
    from dlcourse.quiet import progress

    items = [1, 2, 3]
    assert progress(items, enabled=False) is items
    assert list(progress(items, desc="counting")) == items
    out, err = capsys.readouterr()
    assert err == "" and "counting" in out and "3/3" in out


def test_progress_lets_the_notebook_widget_wrap(monkeypatch, capsys):
    import tqdm.auto
    import tqdm.notebook

    from dlcourse.quiet import progress

    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.notebook.tqdm)  # what tqdm.auto picks inside Jupyter
    bar = progress(range(4), desc="widget")
    layout = bar.container.layout
    assert (layout.width, layout.display, layout.flex_flow) == ("100%", "inline-flex", "row wrap")
    assert bar.container.children[1].layout.flex == "2", "the bar itself takes the room left"
    bar.close()
    assert capsys.readouterr().err == ""


def test_float_of_a_loss_that_requires_grad_is_silent_once_dlcourse_is_imported():
    """float(loss) while logging is correct; PyTorch's warning about it would zero a graded cell."""
    import subprocess
    import sys

    code = ("import torch, dlcourse\nx = torch.ones(2, requires_grad=True)\nprint(float((x * 2).sum()))\n"
            "import warnings\nwarnings.warn('other warnings still show')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "4.0"
    assert "requires_grad" not in run.stderr and "other warnings still show" in run.stderr


def test_quotes_find_marked_numbers_and_compare_them_in_their_units():
    from dlcourse.report import quotes

    text = ("stops after 2.25 epochs<!-- lec12_cnn_mnist:mnist_cnn_stop_epoch ±0.5 --> at 99.08%<!-- lec12_cnn_mnist:v ±0.3 -->; "
            "$33 \\cdot 33 \\cdot 2 = 2178$<!-- lec13_architectures:crops ±0 -->, 61,706<!-- lec13_architectures:n ±0 --> "
            "and 12 unmarked numbers")
    q = quotes(text)
    assert [(x.text, x.name) for x in q] == [("2.25", "mnist_cnn_stop_epoch"), ("99.08%", "v"), ("2178", "crops"), ("61,706", "n")]
    assert q[1].agrees(0.9930) and not q[1].agrees(0.9870), "a percentage is compared in percentage points"
    assert q[2].agrees(2178.0) and not q[2].agrees(2048.0)
    assert q[3].value == 61706 and q[0].notebook == "lec12_cnn_mnist"
    from dlcourse.report import disagreements

    wrong = disagreements(q[:2], {"mnist_cnn_stop_epoch": 2.5}, "README.md")
    assert wrong == ["README.md quotes 99.08% as lec12_cnn_mnist:v, which the run did not record"]
    assert len(disagreements(q[:1], {"mnist_cnn_stop_epoch": 2.9}, "x")) == 1, "2.9 is more than 0.5 from 2.25"
