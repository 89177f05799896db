"""autograder.sandbox.policy: the static check names tampering, and never an honest answer.

``check_cell`` must flag every construct its module documents (rewriting the testing machinery, reaching
the interpreter, reading files, shell and magics) and must never flag a lab's reference answer, with the
names that lab's tests rely on protected. ``switched_off_uses`` finds the forbidden library calls a probe
cannot switch off.
"""
import pytest

from autograder.course import LABS, lab_names, solution_answers, source_notebook
from autograder.grading.plan import Plan
from autograder.sandbox.policy import (
    Violation,
    check_cell,
    protected_names,
    switched_off_uses,
)

PROTECTED = {"check_close", "np", "torch", "X_train"}

TAMPERING = {  # source -> a phrase its first note must contain
    "import numpy as np\nnp.allclose = lambda *a, **k: True": "assigns to np.allclose",
    "import numpy\nt = numpy.testing\nt.assert_allclose = print": "assigns to t.assert_allclose",
    "del torch.sigmoid": "assigns to torch.sigmoid",
    "torch.Tensor.__eq__ = lambda a, b: True": "assigns to torch.Tensor.__eq__",
    "check_close.__code__ = (lambda *a: None).__code__": "touches .__code__",
    "import os": "imports os",
    "import subprocess as sp": "imports subprocess",
    "from importlib import reload": "imports importlib",
    "from . import secret": "imports (relative)",
    "exec('x = 1')": "uses exec",
    "y = eval('1 + 1')": "uses eval",
    "code = compile('1', 'f', 'eval')": "uses compile",
    "__import__('os').system('ls')": "uses __import__",
    "data = open('/etc/passwd').read()": "uses open",
    "g = globals()": "uses globals",
    "setattr(torch, 'sigmoid', abs)": "uses setattr",
    "v = vars(torch)": "uses vars",
    "b = __builtins__": "uses __builtins__",
    "get_ipython().input_transformers_post.append(str.upper)": "uses get_ipython",
    "ip.ast_transformers.append(None)": "touches .ast_transformers",
    "x = (1).__class__.__base__.__subclasses__()": "touches .__class__",
    "f = g.__globals__": "touches .__globals__",
    "import sys\nsys.settrace(None)": "imports sys",
    "frame = e.__traceback__.tb_frame.f_back": "touches .tb_frame",
    "!ls /": "runs the IPython command 'ls /'",
    "%env SECRET=1": "runs the IPython command 'env'",
    "%%bash\nls": "runs the IPython command 'bash'",
    "check_close = lambda *a, **k: None": "redefines check_close",
    "def check_close(*a, **k):\n    return None": "redefines check_close",
    "import torch as np": "redefines np",
    "def f():\n    global check_close\n    check_close = None": "rebinds check_close",
    "for X_train in []:\n    pass": "redefines X_train",
}


@pytest.mark.parametrize("source", list(TAMPERING))
def test_tampering_is_named(source):
    found = check_cell(source, PROTECTED)
    assert found, f"not flagged: {source!r}"
    assert any(TAMPERING[source] in v.what for v in found), [str(v) for v in found]
    assert all(isinstance(v, Violation) and v.line >= 1 for v in found)


HONEST = [
    "import numpy as np\nimport torch\nimport torch.nn.functional as F\nfrom torch import nn\nimport matplotlib.pyplot as plt",
    "from dlcourse import check_close",  # a plain re-import of a protected name binds the same thing
    "from collections import defaultdict\nimport math, itertools, functools",
    "%matplotlib inline\n%time y = 1",
    "class Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(2, 3)\n"
    "    def forward(self, x):\n        return self.fc(x)",
    "def step(model, lr):\n    with torch.no_grad():\n        for p in model.parameters():\n            p -= lr * p.grad\n"
    "            p.grad = None\n    model.weight.data = model.weight.data.clamp(-1, 1)",
    "def f(d):\n    d['k'] = 1\n    name = type(d).__name__\n    return getattr(d, 'keys')()",
    "def broken(:",  # does not compile: it fails when it runs, and says so then
]


@pytest.mark.parametrize("source", HONEST)
def test_honest_code_is_not_flagged(source):
    assert check_cell(source, PROTECTED) == [], [str(v) for v in check_cell(source, PROTECTED)]


@pytest.mark.parametrize("lab", lab_names())
def test_no_reference_answer_is_flagged(lab):
    plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
    assert plan.protected, "the tests rely on some names of the notebook's own"
    flagged = {gid: [str(v) for v in check_cell(src, plan.protected)] for gid, src in solution_answers(lab).items()}
    assert not {g: v for g, v in flagged.items() if v}


def test_violation_reads_as_a_line():
    assert str(Violation(3, "uses exec (running generated code)")) == "line 3: uses exec (running generated code)"
    assert check_cell("x = 1\n\nexec('y')")[0].line == 3


def test_protected_names_are_the_notebooks_names_its_tests_use():
    setup = ["import torch\nfrom dlcourse import check_close, seed\nX_train = torch.ones(3)\n_unused = 1", "def helper(): pass"]
    tests = ["check_close(f(X_train), torch.ones(3))\nassert len(helper.__doc__ or '') == 0", "not valid python ("]
    got = protected_names(tests, setup)
    assert {"torch", "check_close", "X_train", "helper", "len"} <= got  # (len: a builtin the tests call)
    assert "seed" not in got and "_unused" not in got, "only names the tests actually use"
    assert "f" not in got, "the answer's own names are the student's to define"


def test_switched_off_uses_catch_every_way_of_reaching_the_function():
    off = {"torch.sigmoid", "torch.nn.functional.conv2d"}
    caught = {
        "def f(z):\n    return torch.sigmoid(z)": "uses torch.sigmoid",
        "def f(z):\n    return z.sigmoid()": "uses z.sigmoid",
        "from torch import sigmoid as s\ndef f(z):\n    return s(z)": "uses torch.sigmoid",
        "from torch.nn.functional import conv2d": "uses torch.nn.functional.conv2d",
        "s = getattr(torch, 'sigmoid')": "uses getattr(torch, 'sigmoid')",
        "def g(x, w):\n    return F.conv2d(x, w)": "uses F.conv2d",
    }
    for source, what in caught.items():
        found = switched_off_uses(source, off)
        assert found and what in found[0].what and "compute it yourself" in found[0].what, (source, found)
    own = "def sigmoid(z):\n    return 1 / (1 + torch.exp(-z))\n\ndef f(z):\n    return sigmoid(z)"
    assert switched_off_uses(own, off) == [], "a function of one's own with the same name is the point of the exercise"
    assert switched_off_uses("torch.sigmoid(z)", set()) == [] and switched_off_uses("def (:", off) == []


def test_lab11_reference_im2col_does_not_call_the_conv_it_must_not_use():
    """lab11's tests switch off F.conv2d / torch.conv2d while calling conv2d_im2col; the reference obeys."""
    answer = solution_answers("lab11_convolution_pooling")["ex03_conv2d_im2col"]
    off = {"torch.conv2d", "torch.nn.functional.conv2d"}
    assert switched_off_uses(answer, off) == []
    cheat = answer.replace("def conv2d_im2col(", "def _mine(") + "\n\ndef conv2d_im2col(x, w, b=None, stride=1, padding=0):\n" \
        "    return F.conv2d(x, w, b, stride=stride, padding=padding)\n"
    assert switched_off_uses(cheat, off)[0].line == cheat.splitlines().index("    return F.conv2d(x, w, b, stride=stride, padding=padding)") + 1


def test_course_helpers_that_answer_an_exercise_are_named_wherever_they_are_used():
    helpers = {"numerical_grad"}
    for source in ("from dlcourse import numerical_grad\ndef g(f, x):\n    return numerical_grad(f, x)",
                   "import dlcourse\ndef g(f, x):\n    return dlcourse.gradcheck.numerical_grad(f, x)",
                   "def g(f, x):\n    return numerical_grad(f, x)"):  # a name the setup cell bound
        found = switched_off_uses(source, set(), helpers)
        assert found and "a course-library function that answers this exercise: write it yourself" in found[0].what, source
    own = "def numerical_grad(f, x, eps=1e-6):\n    return (f(x + eps) - f(x - eps)) / (2 * eps)\n\ndef g(f, x):\n    return numerical_grad(f, x)"
    assert switched_off_uses(own, set(), helpers) == [], "writing it yourself under the same name is the exercise"


@pytest.mark.parametrize("lab", lab_names())
def test_no_reference_answer_uses_a_helper_its_exercise_forbids(lab):
    import re

    from autograder.course import ROOT

    library = "\n".join(p.read_text() for p in (ROOT / "dlcourse").rglob("*.py"))
    plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
    answers = solution_answers(lab)
    for gid, banned in plan.not_allowed.items():
        assert gid in answers and banned
        for helper in banned:
            assert re.search(rf"^def {helper}\(", library, re.M), f"{helper} is a course-library function"
        assert switched_off_uses(answers[gid], set(), set(banned)) == [], gid
