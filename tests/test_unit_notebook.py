"""autograder.notebook: one reading of a cell's nbgrader metadata and of the names its Python binds."""
import ast

import nbformat

from autograder import notebook as N
from tests.unit_helpers import code, md, tiny_source


def test_cell_kinds_follow_nbgrader_metadata():
    answer = code("def f(): pass", "ex1", solution=True)
    written = md("Explain.", "ex1_md", solution=True)
    test = code("assert f() is None", "ex1_tests", grade=True, locked=True, points=3)
    setup = code("import torch", "setup", locked=True)
    plain = code("x = 1")
    # nbgrader's "autograded answer": solution and grade at once, which this course never calls a test or an answer
    both = code("def g(): pass", "both", solution=True, grade=True, points=1)
    graded_md = md("a graded text answer", "essay", grade=True, points=2)

    assert [N.is_answer(c) for c in (answer, written, test, setup, plain, both)] == [True, True, False, False, False, False]
    assert [N.is_test(c) for c in (answer, test, setup, plain, both, graded_md)] == [False, True, False, False, False, False]
    assert [N.is_setup(c) for c in (answer, test, setup, plain, both, md("text"))] == [False, False, True, True, False, False]
    assert [N.is_readonly(c) for c in (answer, test, setup, plain)] == [False, True, True, False]
    assert N.points(test) == 3.0 and N.points(graded_md) == 2.0
    # points only count on a graded cell: a stray "points" key elsewhere is worth nothing
    stray = code("x = 2", "stray", solution=True, points=5)
    assert N.points(stray) == 0.0 and N.points(plain) == 0.0 and N.points(answer) == 0.0


def test_metadata_of_plain_and_odd_cells():
    plain = code("x = 1")
    assert N.nbg(plain) == {} and N.grade_id(plain) is None
    odd = nbformat.v4.new_code_cell("x = 1")
    odd.metadata = {"nbgrader": None}  # a hand-edited file
    assert N.nbg(odd) == {} and N.grade_id(odd) is None
    nb = tiny_source()
    ids = N.cells_by_id(nb)
    assert list(ids) == ["setup", "ex1", "ex1_tests", "ex2", "ex2_tests_a", "ex2_tests_b"]
    assert all(N.grade_id(c) == gid for gid, c in ids.items())


def test_python_source_turns_magics_into_calls():
    src = N.python_source("%matplotlib inline\n!ls -l\nx = 1\n")
    assert "get_ipython().run_line_magic('matplotlib', 'inline')" in src
    assert "get_ipython().system('ls -l')" in src
    assert "x = 1" in src
    ast.parse(src)  # what IPython runs is plain Python


def test_parse_gives_none_for_code_that_does_not_compile():
    assert N.parse("def f(:\n") is None
    assert isinstance(N.parse("%time y = 2\nz = 3"), ast.Module)


def test_bound_names_of_each_statement_kind():
    def names(src):
        return [n for stmt in ast.parse(src).body for n in N.bound_names(stmt)]

    assert names("def f(): pass\nasync def g(): pass\nclass C: pass") == ["f", "g", "C"]
    assert names("import os.path\nimport numpy as np\nfrom torch import nn, optim as o\nfrom math import *") == ["os", "np", "nn", "o"]
    assert names("a, (b, c) = 1, (2, 3)\nd = e = 4") == ["a", "b", "c", "d", "e"]
    assert names("k += 1\nm: int = 2\nfor i, j in []: pass\nwith open('x') as fh, open('y'): pass") == ["k", "m", "i", "j", "fh"]
    # attributes and subscripts are stores into objects, not names the cell binds
    assert names("self.x = 1\nd['k'] = 2\nobj.a.b += 1") == []
    # a name only read, or bound inside a function body, is not bound at top level
    assert names("print(q)\ndef h():\n    inner = 1") == ["h"]


def test_top_level_and_defined_names():
    cell = "import torch\n%matplotlib inline\n!echo hi\nW = torch.zeros(2)\ndef f(x):\n    y = x\n    return y\nclass Net: pass\n"
    assert N.top_level_names(cell) == {"torch", "W", "f", "Net"}
    assert N.defined_names(cell) == ["f", "Net"]  # in order, functions and classes only
    assert N.defined_names("### BEGIN SOLUTION\ndef b(): pass\n### END SOLUTION\ndef a(): pass") == ["b", "a"]
    assert N.top_level_names("def broken(:") == set() and N.defined_names("def broken(:") == []
