"""What student-written cells may not do: a static check run by the grader before anything executes.

A graded notebook's tests share one Python process with the code they test, so code that rewrites the
testing machinery — assigning to ``np.allclose``, installing IPython input or AST transformers, replacing
``builtins``, editing ``sys.modules``, reading the grader's files — could make failing tests look passing.
Probes (:mod:`autograder.probes`) catch wrong answers on functions whatever the notebook reports; this
check names the tampering and covers what probes cannot (models, training loops).

It is deliberately narrow, so that honest code is never flagged: an answer uses torch, numpy, math and the
course's helpers; it does not need to reach into the interpreter.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from ..notebook import bound_names as _bound_names, python_source  # noqa: F401 (python_source re-exported)

ALLOWED_IMPORTS = {
    "torch", "numpy", "math", "random", "itertools", "functools", "collections", "dataclasses", "typing",
    "statistics", "time", "dlcourse", "matplotlib", "copy", "operator", "string", "re", "warnings", "tqdm",
}
FORBIDDEN_NAMES = {
    "__import__": "imports by name", "exec": "running generated code", "eval": "running generated code",
    "compile": "compiling code", "globals": "reaching the notebook's globals", "vars": "reaching an object's namespace",
    "locals": "reaching a namespace", "setattr": "setting attributes by name", "delattr": "deleting attributes by name",
    "open": "opening files", "get_ipython": "driving IPython", "__builtins__": "the builtins module",
    "breakpoint": "the debugger", "memoryview": "raw memory access",
}
FORBIDDEN_ATTRS = {
    "__dict__", "__globals__", "__code__", "__builtins__", "__subclasses__", "__bases__", "__mro__", "__closure__",
    "__loader__", "__spec__", "__getattribute__", "__defaults__", "__kwdefaults__", "__func__", "__self__",
    "__import__", "__class__", "__base__", "f_globals", "f_locals", "f_back", "gi_frame", "tb_frame",
    "input_transformers_cleanup", "input_transformers_post", "ast_transformers", "user_ns", "user_global_ns",
    "meta_path", "sys", "os", "builtins", "subprocess", "importlib", "ctypes", "__setattr__", "__delattr__", "path_hooks", "settrace", "setprofile", "_getframe", "displayhook", "excepthook",
}
ALLOWED_MAGICS = {"matplotlib", "time", "timeit"}


@dataclass
class Violation:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


def check_cell(source: str, protected: set[str] = frozenset()) -> list[Violation]:
    """Tampering constructs in one student-written cell; ``protected`` are names the tests rely on
    (the notebook's imports and helpers) that a student cell may not rebind at top level."""
    try:
        code = python_source(source)
        tree = ast.parse(code)
    except (SyntaxError, ValueError, IndentationError):
        return []  # it will fail to run, and that failure is reported as such
    found: list[Violation] = []
    modules = set()  # names bound to modules in this cell

    def flag(node, what):
        found.append(Violation(getattr(node, "lineno", 0), what))

    library = {"torch", "np", "numpy", "F", "nn", "math", "dlcourse", "plt", "builtins", "sys", "os"}
    for node in ast.walk(tree):  # aliases: t = np.testing
        if isinstance(node, ast.Assign) and _root_name(node.value) in (library | protected) and isinstance(node.value, (ast.Name, ast.Attribute)):
            for t in node.targets:
                modules.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if (node.level if isinstance(node, ast.ImportFrom) else 0) or name.split(".")[0] not in ALLOWED_IMPORTS:
                    flag(node, f"imports {name or '(relative)'} — answers may import only {', '.join(sorted(ALLOWED_IMPORTS))}")
            for alias in node.names:
                modules.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("run_line_magic", "run_cell_magic", "system", "getoutput"):
            magic = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
            if node.func.attr in ("run_line_magic", "run_cell_magic") and magic in ALLOWED_MAGICS:
                continue
            flag(node, f"runs the IPython command {magic or node.func.attr!r} (magics and shell commands are not allowed in answers)")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            if node.id == "get_ipython" and _is_allowed_magic_call(tree, node):
                continue
            flag(node, f"uses {node.id} ({FORBIDDEN_NAMES[node.id]})")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRS:
            flag(node, f"touches .{node.attr} (interpreter internals)")
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            root = _root_name(node)
            if root is None or root in modules or root in protected or root in library:
                flag(node, f"assigns to {ast.unparse(node)} (changing a library or the tests' helpers)")
        elif isinstance(node, ast.Global):
            for name in node.names:
                if name in protected:
                    flag(node, f"rebinds {name}, which the tests use")
    for stmt in tree.body:  # top-level rebinding of names the tests rely on (re-imports are fine)
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and all(_plain_import(stmt, a) for a in stmt.names):
            continue
        for name in _bound_names(stmt):
            if name in protected:
                flag(stmt, f"redefines {name}, which the notebook's tests use")
    return found


KNOWN_ALIASES = {("numpy", "np"), ("torch.nn", "nn"), ("torch.nn.functional", "F"), ("matplotlib.pyplot", "plt")}


def _plain_import(stmt, alias) -> bool:
    """``import numpy as np`` / ``from dlcourse import check_close``: binds the usual name to the usual thing."""
    full = alias.name if isinstance(stmt, ast.Import) else f"{stmt.module}.{alias.name}"
    return alias.asname is None or alias.asname == alias.name.split(".")[-1] or (full, alias.asname) in KNOWN_ALIASES


def _is_allowed_magic_call(tree, name_node) -> bool:
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.value is not None
                and isinstance(node.func.value, ast.Call) and node.func.value.func is name_node):
            return (node.func.attr in ("run_line_magic", "run_cell_magic") and node.args
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in ALLOWED_MAGICS)
    return False


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def protected_names(test_sources: list[str], setup_sources: list[str]) -> set[str]:
    """Names bound by the notebook's own (non-answer) cells and used by its test cells."""
    bound: set[str] = set()
    for src in setup_sources:
        try:
            tree = ast.parse(python_source(src))
        except SyntaxError:
            continue
        for stmt in tree.body:
            bound.update(_bound_names(stmt))
    used: set[str] = set()
    for src in test_sources:
        try:
            tree = ast.parse(python_source(src))
        except SyntaxError:
            continue
        used.update(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))
    import builtins

    return (bound & used) | {n for n in used if hasattr(builtins, n)}


def switched_off_uses(source: str, disabled: set[str], helpers: set[str] = frozenset()) -> list[Violation]:
    """Where an answer cell uses a library function that its exercise's tests switch off: a rule the
    instructions state ("write the sigmoid yourself"), checked here on the source, in the grader's process.

    The probes already make such a call raise; this also catches the names a probe cannot switch off, bound
    before the test ran (``from torch import sigmoid as s``, ``f = torch.sigmoid``, ``getattr(torch, "sigmoid")``).
    ``helpers`` are course-library functions that answer the exercise (``numerical_grad``): any use of the
    name counts, imported, as an attribute, or as a bare name the cell does not bind itself.
    """
    leaves: dict[str, str] = {}
    for dotted in sorted(disabled):
        leaves.setdefault(dotted.rpartition(".")[2], dotted)
    leaves.update({h: f"dlcourse.{h}" for h in helpers})
    if not leaves:
        return []
    try:
        tree = ast.parse(python_source(source))
    except (SyntaxError, ValueError, IndentationError):
        return []
    own = {n for stmt in tree.body for n in _bound_names(stmt) if not isinstance(stmt, (ast.Import, ast.ImportFrom))}
    found: list[Violation] = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Attribute) and node.attr in leaves:
            name = node.attr
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("torch", "dlcourse"):
            name = next((a.name for a in node.names if a.name in leaves), None)
        elif (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in helpers
              and node.id not in own):
            name = node.id
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value in leaves):
            name = node.args[1].value
        if name:
            what = ast.unparse(node) if not isinstance(node, ast.ImportFrom) else f"{node.module}.{name}"
            if name in helpers:
                found.append(Violation(getattr(node, "lineno", 0), f"uses {what[:60]}, a course-library function that "
                                       "answers this exercise: write it yourself"))
            else:
                found.append(Violation(getattr(node, "lineno", 0), f"uses {what[:60]}, which this exercise asks you "
                                       "not to call: compute it yourself"))
    return found
