"""Which submissions of a lab share code: a report for instructors (``python -m autograder similarity``).

**What is compared.** Each student's answer cells (``solution: true`` in the *released* notebook, matched by
grade_id) and the code cells they added (cells the release does not have; the grader runs them too). Test
and setup cells are the course's, as in grading (``grading/plan.py``), and are left out.

**Normalisation.** A cell is read as its syntax tree (:mod:`ast`, IPython magics turned into calls as the
notebook would run them), written out node by node in preorder, one token a node: ``Return``, ``BinOp``,
``Div``, ``kw dim``, ``1``. So layout, brackets, quotes, line breaks, comments and the spelling of numbers
are gone; docstrings and strings standing as statements are dropped, every other string is ``S``. Names
become the placeholder ``V`` unless they are builtins or names the release's own cells import or define
(``torch``, ``np``, ``F``, the course helpers, the exercises' function names); an attribute keeps its name
only if it is an attribute of torch, numpy or their tensors and modules (``.sum``, ``.permute``,
``.weight``) and the cell does not assign it, so ``self.conv1`` and ``self.c1`` read alike; keyword
arguments keep theirs (``kw dim``). Renaming variables, reformatting and comments change nothing. A cell
that does not compile is read as its :mod:`tokenize` tokens (a regular expression where even that fails),
names normalised alike.

**Fingerprints.** MOSS's method (Schleimer, Wilkerson and Aiken, "Winnowing", SIGMOD 2003): a hash of every
``K`` tokens in a row (k-grams), of which each window of ``W`` consecutive hashes keeps its minimum; any
run of ``K + W - 1`` common tokens yields a common fingerprint. Every k-gram of the released notebook
(stubs, setup and test cells) and of the reference answers is *boilerplate* and never counts as shared.

**Aggregation over the lab.** One-line exercises have one right answer, so no single cell decides. A
fingerprint of one student's cell is *shared* if a k-gram of the other's cell of the same grade_id has it
(an added cell is compared with every cell, so code moved into a helper is still found). The pair's score
is the larger of the two containments: shared non-boilerplate fingerprints of a student / all of that
student's non-boilerplate fingerprints (for the smaller submission this is "how much of it is in the
other"). A pair is reported when the score reaches ``threshold`` *and* at least ``min_tokens``
non-boilerplate tokens of each are shared: a short common idiom (``dtype=X.dtype, device=X.device``) alone
is never a case. Two students who both wrote the reference answer share only boilerplate: score 0.

**Threshold** (default 0.5, measured on all 13 labs by ``tests/test_similarity.py``): a copy of the suite's
alternative answers with every name renamed, reformatted and commented scores 0.99-1.00 (1.00 also when only
half the lab is copied and the rest is the reference; 0.62-0.91 when the rest is the copier's own wrong
answers); two students with different correct alternatives score at most 0.07, and two with different
wrong answers (the suite's mutants) at most 0.46 (lab05: two hand-written ``1 / (1 + torch.exp(-z))``).
``MIN_TOKENS`` (30 nodes, about three lines) keeps one shared short answer from making a case.

Why not copydetect (the maintained MOSS-like library on PyPI): it fingerprints whole files of pygments
tokens with one boilerplate file set, while here cells are matched by grade_id, the boilerplate is the
release and the reference answers, the syntax tree undoes more reformatting than tokens can (brackets,
``1e-3`` for ``0.001``, tuple parentheses), and submissions are read only through the grader's checks
(``grading/inputs.py``). The method fits in this module: no new dependency (MOSS itself is a web service,
and students' code does not leave the machine).

Output: ``OUT/similarity.html`` (every piece of student text escaped, no script; a Content-Security-Policy
forbids any anyway) and ``OUT/similarity.csv``; nothing under ``OUT/feedback/``, which goes to students.
"""
from __future__ import annotations

import ast
import builtins
import csv
import functools
import hashlib
import html
import io
import keyword
import math
import os
import re
import tempfile
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from .course import LABS, GradingError, solution_answers
from .notebook import bound_names, grade_id, is_answer, nbg, parse

K = 6  # syntax-tree nodes per k-gram
W = 4  # k-grams per winnowing window: a common run of K + W - 1 = 9 nodes always shows
THRESHOLD = 0.5  # default score from which a pair is reported (see the measurements in tests/test_similarity.py)
MIN_TOKENS = 30  # and the fewest shared non-boilerplate syntax-tree nodes (about three lines), on each side
ADDED = "(added)"  # the scope of cells a student added
MAX_LINE = 200  # characters of a line shown in the report

_MODULES = {"torch", "np", "numpy", "nn", "F", "math", "optim", "random", "functools", "itertools"}


@dataclass(frozen=True)
class Shared:
    """The lines two cells have in common: ``(line number, text)`` on each side, 1-based within the cell."""

    label_a: str
    label_b: str
    lines_a: tuple[tuple[int, str], ...]
    lines_b: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Pair:
    student_a: str
    student_b: str
    score: float  # max over the two students of shared / own non-boilerplate fingerprints
    shared_lines: int  # lines holding shared code (the smaller count of the two sides)
    shared_tokens: int  # shared non-boilerplate tokens (the smaller count of the two sides)
    cells: tuple[Shared, ...] = ()


@dataclass
class _Cell:
    scope: str  # the answer's grade_id, or ADDED
    label: str  # what the report calls it
    lines: list[str]
    toks: list[tuple[str, int]]  # (normalised token, 0-based line)
    grams: list[int] = field(default_factory=list)  # hash of the k-gram starting at each token
    prints: set[int] = field(default_factory=set)  # winnowed, boilerplate removed

    def __post_init__(self):
        self.gram_set = set(self.grams)


@dataclass
class _Submission:
    student: str
    cells: list[_Cell]

    @property
    def size(self) -> int:
        return sum(len(c.prints) for c in self.cells)


# -- normalisation --------------------------------------------------------------------------------

@functools.cache
def api_attributes() -> frozenset[str]:
    """Attribute names of torch, numpy and their tensors, modules and optimizers (and of Python's types)."""
    names: set[str] = set()
    objs: list = [str, list, dict, tuple, set, int, float, bytes, object, math]
    try:
        import numpy

        objs += [numpy, numpy.ndarray, numpy.random, numpy.linalg, numpy.random.Generator]
    except ImportError:  # pragma: no cover - the course environment has numpy
        pass
    try:
        import torch
        from torch import nn

        objs += [torch, torch.Tensor, torch.nn.functional, torch.linalg, torch.optim, torch.optim.Optimizer,
                 torch.utils.data, torch.utils.data.DataLoader, nn, nn.init, torch.device]
        for cls in vars(nn).values():  # layers, with what their instances hold (weight, running_mean, padding)
            if isinstance(cls, type) and issubclass(cls, nn.Module):
                objs.append(cls)
                names.update(getattr(cls, "__annotations__", {}), getattr(cls, "__constants__", ()))
        names.update(("weight", "bias", "running_mean", "running_var", "num_batches_tracked"))
    except ImportError:  # pragma: no cover - the course environment has torch
        pass
    for obj in objs:
        names.update(n for n in dir(obj) if not n.startswith("_") or n.startswith("__"))
    return frozenset(names)


_BUILTINS = frozenset(dir(builtins))
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
         tokenize.ENDMARKER}
_FSTRING = {getattr(tokenize, n) for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, n)}
_WORD = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|\"[^\"]*\"?|'[^']*'?|\S")


def _name(text: str, prev: str, nxt: str, depth: int, in_def: bool, keep: frozenset[str], own: frozenset[str] = frozenset()) -> str:
    if keyword.iskeyword(text):
        return text
    if prev == ".":
        return text if text in api_attributes() and text not in own else "V"
    if nxt == "=" and depth > 0 and not in_def:  # a keyword argument of a call (dim=1, keepdim=True)
        return text
    return text if text in _BUILTINS or text in keep or text in _MODULES else "V"


def normalise(source: str, keep: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """The tokens of a code cell as compared, each with its 0-based line: its syntax tree, node by node, where
    the cell compiles; else its :mod:`tokenize` tokens, names normalised alike (see the module docstring)."""
    try:
        tree = parse(source)
        if tree is not None:
            return _from_tree(tree, keep)
    except Exception:  # noqa: BLE001 - IPython's transformer on odd input, a tree too deep: read the tokens
        pass
    return _from_tokens(source, keep)


def _label(node: ast.AST, keep: frozenset[str], own: frozenset[str]) -> str | None:
    """One node as one token: its kind, and the name or value where it is not the student's own choice."""
    if isinstance(node, ast.Name):
        return _name(node.id, "", "", 0, False, keep)
    if isinstance(node, ast.Attribute):
        return "." + (node.attr if node.attr in api_attributes() and node.attr not in own else "V")
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return f"{type(node).__name__} {node.name if node.name in keep else 'V'}"
    if isinstance(node, ast.keyword):
        return f"kw {node.arg or '**'}"
    if isinstance(node, ast.Constant):
        return "S" if isinstance(node.value, (str, bytes)) else repr(node.value)
    if isinstance(node, ast.alias):
        return f"alias {node.name}"
    if isinstance(node, ast.arguments):
        return None
    return type(node).__name__


def _from_tree(tree: ast.Module, keep: frozenset[str]) -> list[tuple[str, int]]:
    """The tree in preorder, one token a node (``Return``, ``BinOp``, ``V``, ``.sum``, ``kw dim``, ``1``):
    layout, brackets, quotes, comments and number spelling are gone; docstrings and string statements too. A
    name the cell binds itself (a parameter ``input`` or ``seed``) is ``V`` even where a builtin or helper has it."""
    own = frozenset(n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store))
    bound = {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    bound |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    out: list[tuple[str, int]] = []
    stack = [(stmt, stmt.lineno) for stmt in reversed(tree.body)]
    while stack:
        node, line = stack.pop()
        line = getattr(node, "lineno", line)
        if isinstance(node, ast.expr_context):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            continue
        label = "V" if isinstance(node, ast.Name) and node.id in bound else _label(node, keep, own)
        if label is not None:
            out.append((label, line - 1))
        if isinstance(node, ast.JoinedStr):  # an f-string is a string
            continue
        stack.extend((child, line) for child in reversed(list(ast.iter_child_nodes(node))))
    return out


def _from_tokens(source: str, keep: frozenset[str]) -> list[tuple[str, int]]:
    try:
        raw = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)]
    except (tokenize.TokenError, SyntaxError):  # IndentationError included
        return _normalise_roughly(source, keep)
    sig = [t for t in raw if t.type not in (tokenize.COMMENT, tokenize.NL)]
    own = frozenset(t.string for i, t in enumerate(sig[1:-1], 1)  # attributes the cell assigns (self.conv1 = ...) are its own names
           if t.type == tokenize.NAME and sig[i - 1].string == "." and sig[i + 1].string == "=")
    out: list[tuple[str, int]] = []
    depth, in_def, fdepth = 0, False, 0
    for i, t in enumerate(sig):
        prev = sig[i - 1] if i else None
        nxt = sig[i + 1] if i + 1 < len(sig) else None
        line = t.start[0] - 1
        if t.type in _FSTRING:  # Python >= 3.12 splits f-strings: one S for the whole
            if t.type == getattr(tokenize, "FSTRING_START", None):
                if fdepth == 0:
                    out.append(("S", line))
                fdepth += 1
            elif t.type == getattr(tokenize, "FSTRING_END", None):
                fdepth -= 1
            continue
        if fdepth or t.type in _SKIP:
            continue
        if t.type == tokenize.STRING:
            alone = prev is None or prev.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
            if alone and (nxt is None or nxt.type in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.DEDENT)):
                continue  # a docstring, or a string standing as a statement
            if out and out[-1][0] == "S" and prev is not None and prev.type == tokenize.STRING:
                continue  # implicit concatenation
            out.append(("S", line))
        elif t.type == tokenize.NAME:
            if t.string == "def":
                in_def = True
            out.append((_name(t.string, prev.string if prev else "", nxt.string if nxt else "", depth, in_def, keep, own), line))
        elif t.type == tokenize.OP:
            s = t.string
            if s in "([{":
                depth += 1
            elif s in ")]}":
                depth = max(0, depth - 1)
            elif s == ":" and depth == 0:
                in_def = False
            if s == ";" or (s == "," and nxt is not None and nxt.string in (")", "]", "}")):
                continue
            out.append((s, line))
        elif t.type == tokenize.NUMBER:
            out.append((t.string.lower(), line))
        elif t.string.strip():
            out.append((t.string, line))
    return out


def _normalise_roughly(source: str, keep: frozenset[str]) -> list[tuple[str, int]]:
    """For a cell that does not tokenize (a syntax error): words and symbols, line by line, no comments."""
    out: list[tuple[str, int]] = []
    for n, line in enumerate(source.splitlines()):
        words = _WORD.findall(line.split("#", 1)[0])
        for i, w in enumerate(words):
            if w[0] in "\"'":
                out.append(("S", n))
            elif w[0].isalpha() or w[0] == "_":
                out.append((_name(w, words[i - 1] if i else "", words[i + 1] if i + 1 < len(words) else "", 0, False, keep), n))
            elif w not in (";",):
                out.append((w, n))
    return out


def _words(source: str) -> list[tuple[str, int]]:
    """A markdown answer: its words, lower case."""
    return [(w.lower(), n) for n, line in enumerate(source.splitlines()) for w in re.findall(r"\w+", line)]


def _hash(tokens: list[str]) -> int:
    return int.from_bytes(hashlib.blake2b("\x1f".join(tokens).encode(), digest_size=8).digest(), "big")


def kgrams(toks: list[tuple[str, int]], k: int | None = None) -> list[int]:
    """The hash of every run of ``k`` tokens (default ``K``), by its first token."""
    k = k or K
    words = [t for t, _ in toks]
    return [_hash(words[i:i + k]) for i in range(len(words) - k + 1)]


def winnow(hashes: list[int], w: int | None = None) -> set[int]:
    """The minimum of every window of ``w`` consecutive hashes (default ``W``; one window if fewer)."""
    w = w or W
    if len(hashes) <= w:
        return {min(hashes)} if hashes else set()
    return {min(hashes[i:i + w]) for i in range(len(hashes) - w + 1)}


# -- reading the lab and the submissions ----------------------------------------------------------

@dataclass
class _Lab:
    name: str
    notebooks: list[str]
    answers: dict[str, dict[str, str]]  # notebook -> answer grade_id -> cell type
    course_ids: dict[str, set[str]]  # notebook -> grade_ids of the release's other cells (tests, setup)
    plain: set[str]  # the release's code cells but answers (stripped)
    setup: set[str]  # digests of setup cells as released before (``released_setup.json``)
    keep: frozenset[str]
    boiler: set[int]


def _load_lab(lab: str) -> _Lab:
    folder = LABS / lab
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    if not names:
        raise GradingError(f"no released notebook in {folder}; run `python -m autograder release {lab}` first")
    from .grading.plan import RELEASED_SETUP

    answers, course_ids, plain, keep, texts = {}, {}, set(), set(dir(builtins)), []
    for name in names:
        nb = nbformat.read(folder / name, as_version=4)
        answers[name], course_ids[name] = {}, set()
        for cell in nb.cells:
            gid = grade_id(cell)
            if gid and is_answer(cell):
                answers[name][gid] = cell.cell_type
            elif gid:
                course_ids[name].add(gid)
            if cell.cell_type == "code":
                texts.append((False, cell.source))
                keep |= _api_names(cell.source)
                if not is_answer(cell):
                    plain.add(cell.source.strip())
            elif is_answer(cell):
                texts.append((True, cell.source))
    markdown = {gid for kinds in answers.values() for gid, kind in kinds.items() if kind == "markdown"}
    texts += [(gid in markdown, text) for gid, text in solution_answers(lab).items()]
    keep_f = frozenset(keep)
    boiler = {h for prose, text in texts for h in kgrams(_words(text) if prose else normalise(text, keep_f))}
    return _Lab(lab, names, answers, course_ids, plain, set(RELEASED_SETUP.get(lab, {})), keep_f, boiler)


def _api_names(source: str) -> set[str]:
    """What a release cell imports or defines at top level (not its variables: ``X = ...`` stays a variable)."""
    tree = parse(source)
    out: set[str] = set()
    for stmt in tree.body if tree else []:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.update(bound_names(stmt))
    return out


def _is_course_cell(lab: _Lab, source: str) -> bool:
    from .grading.plan import text_digest

    return source.strip() in lab.plain or text_digest(source) in lab.setup


def _cells(lab: _Lab, student: str, files: dict[str, bytes]) -> _Submission:
    cells: list[_Cell] = []
    for name in lab.notebooks:
        nb = nbformat.reads(files[name].decode("utf-8"), as_version=4)
        prefix = f"{name}: " if len(lab.notebooks) > 1 else ""
        seen: set[str] = set()
        for index, cell in enumerate(nb.cells):
            gid = nbg(cell).get("grade_id")
            source = cell.get("source") or ""
            if isinstance(source, list):
                source = "".join(source)
            if gid in lab.answers[name] and gid not in seen:
                seen.add(gid)
                scope, label = prefix + gid, prefix + gid
                toks = _words(source) if lab.answers[name][gid] == "markdown" else normalise(source, lab.keep)
            elif cell.get("cell_type") != "code" or gid in lab.course_ids[name] or _is_course_cell(lab, source):
                continue
            else:
                scope, label = ADDED, f"{prefix}added cell {index + 1}"
                toks = normalise(source, lab.keep)
            c = _Cell(scope, label, source.splitlines(), toks, kgrams(toks))
            c.prints = winnow(c.grams) - lab.boiler
            cells.append(c)
    return _Submission(student, cells)


def _read(lab: _Lab, submissions: Path, progress: Callable[[str], None]) -> list[_Submission]:
    from .grading.inputs import check_submission, list_students

    if not Path(submissions).is_dir():
        raise GradingError(f"submissions folder {submissions} does not exist")
    students, skipped = list_students(submissions, None)
    for name, why in skipped:
        progress(f"skipped {name!r}: {why}")
    out = []
    for student in students:
        reason, files = check_submission(Path(submissions) / student / lab.name, lab.notebooks)
        if not reason:
            try:
                out.append(_cells(lab, student, files))
                continue
            except Exception as err:  # noqa: BLE001 - one notebook never stops the report
                reason = f"could not read the notebook ({type(err).__name__})"
        progress(f"skipped {student}: {reason}")
    return out


# -- comparing -------------------------------------------------------------------------------------

def _may_match(a: _Cell, b: _Cell) -> bool:
    return a.scope == b.scope or ADDED in (a.scope, b.scope)


def _covered(cell: _Cell, common: set[int]) -> set[int]:
    """Indices of the tokens of ``cell`` inside a k-gram whose hash is in ``common``."""
    hit: set[int] = set()
    for i, h in enumerate(cell.grams):
        if h in common:
            hit.update(range(i, i + K))
    return hit


def _lines(cell: _Cell, tokens: set[int]) -> tuple[tuple[int, str], ...]:
    nums = sorted({cell.toks[i][1] for i in tokens})
    return tuple((n + 1, cell.lines[n] if n < len(cell.lines) else "") for n in nums)


def compare(a: _Submission, b: _Submission, boiler: set[int], threshold: float = 0.0) -> Pair:
    """The pair's score, and where it reaches ``threshold``, how much they share and where (``student_a`` is ``a``)."""
    shared_a = {(i, h) for i, ca in enumerate(a.cells) for h in ca.prints
                if any(_may_match(ca, cb) and h in cb.gram_set for cb in b.cells)}
    shared_b = {(j, h) for j, cb in enumerate(b.cells) for h in cb.prints
                if any(_may_match(ca, cb) and h in ca.gram_set for ca in a.cells)}
    score = max(len(shared_a) / a.size if a.size else 0.0, len(shared_b) / b.size if b.size else 0.0)
    blocks, tok_a, tok_b, lines_a, lines_b = [], {}, {}, set(), set()
    if score and score >= threshold:
        for i, ca in enumerate(a.cells):
            for j, cb in enumerate(b.cells):
                if not _may_match(ca, cb):
                    continue
                common = (ca.gram_set & cb.gram_set) - boiler
                if not common:
                    continue
                ta, tb = _covered(ca, common), _covered(cb, common)
                tok_a.setdefault(i, set()).update(ta)
                tok_b.setdefault(j, set()).update(tb)
                la, lb = _lines(ca, ta), _lines(cb, tb)
                lines_a |= {(i, n) for n, _ in la}
                lines_b |= {(j, n) for n, _ in lb}
                blocks.append(Shared(ca.label, cb.label, la, lb))
    tokens = min(sum(map(len, tok_a.values())), sum(map(len, tok_b.values())))
    return Pair(a.student, b.student, score, min(len(lines_a), len(lines_b)), tokens, tuple(blocks))


def similarity_report(lab: str, submissions: Path, out: Path, threshold: float = THRESHOLD, *,
                      min_tokens: int = MIN_TOKENS, progress: Callable[[str], None] | None = None) -> list[Pair]:
    """Compare every two submissions of ``lab`` in ``submissions`` (``<student>/<lab>/<notebook>.ipynb``);
    write ``out/similarity.html`` and ``out/similarity.csv``; return the pairs reported, highest score first.

    ``progress`` gets one line for each submission left out (a broken notebook, a bad folder name) and why."""
    out = Path(out)
    if "feedback" in out.resolve().parts:
        raise GradingError(f"{out} is inside a feedback/ folder, which students receive; write the similarity report elsewhere")
    notes: list[str] = []

    def note(line: str) -> None:
        notes.append(line)
        if progress:
            progress(line)

    info = _load_lab(lab)
    subs = _read(info, Path(submissions), note)
    pairs = [p for x in range(len(subs)) for y in range(x + 1, len(subs))
             for p in [compare(subs[x], subs[y], info.boiler, threshold)]
             if p.score >= threshold and p.shared_tokens >= min_tokens]
    pairs.sort(key=lambda p: (-p.score, -p.shared_tokens, p.student_a, p.student_b))
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "similarity.csv", _csv(pairs))
    _write(out / "similarity.html", _html(lab, pairs, subs, notes, threshold, min_tokens))
    return pairs


# -- output ----------------------------------------------------------------------------------------

def _write(path: Path, text: str) -> None:
    """Write through a new file renamed into place: a link planted at ``path`` is replaced, never followed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _cell_text(value: str) -> str:
    """A CSV field a spreadsheet will not read as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(pairs: list[Pair]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student_a", "student_b", "score", "shared_lines"])
    for p in pairs:
        w.writerow([_cell_text(p.student_a), _cell_text(p.student_b), f"{p.score:.3f}", p.shared_lines])
    return buf.getvalue()


_CSS = """body{font-family:sans-serif;margin:2em;max-width:90em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}
pre{margin:0;white-space:pre-wrap;font-size:.9em}.n{color:#888}h3{margin-bottom:.3em}"""


def _pre(lines: tuple[tuple[int, str], ...]) -> str:
    rows, last = [], None
    for n, text in lines:
        if last is not None and n != last + 1:
            rows.append('<span class="n">   …</span>')
        shown = text if len(text) <= MAX_LINE else text[:MAX_LINE] + " …"
        rows.append(f'<span class="n">{n:4d}</span>  {html.escape(shown)}')
        last = n
    return "<pre>" + "\n".join(rows) + "</pre>"


def _html(lab: str, pairs: list[Pair], subs: list[_Submission], notes: list[str], threshold: float, min_tokens: int) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Similarity: {e(lab)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Similarity of the answers to {e(lab)}</h1>",
        "<p>For instructors only: do not share. Shared code is code both students wrote in the same exercise "
        "(or in a cell one of them added) after renaming, reformatting and comments are undone; the release and "
        "the reference answers never count. A score is the larger of the two students' shares of their own "
        "code found in the other's.</p>",
        f"<p>{len(subs)} submissions compared; pairs reported from a score of {threshold:g} with at least "
        f"{min_tokens} shared tokens ({K}-token fingerprints, winnowing window {W}).</p>",
    ]
    if notes:
        parts.append("<h2>Left out</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    parts.append(f"<h2>Pairs ({len(pairs)})</h2>")
    if not pairs:
        parts.append("<p>No pair above the threshold.</p>")
    else:
        parts.append("<table><tr><th>#</th><th>student A</th><th>student B</th><th>score</th><th>shared lines</th></tr>")
        for k, p in enumerate(pairs, 1):
            parts.append(f'<tr><td><a href="#pair{k}">{k}</a></td><td>{e(p.student_a)}</td><td>{e(p.student_b)}</td>'
                         f"<td>{p.score:.2f}</td><td>{p.shared_lines}</td></tr>")
        parts.append("</table>")
    for k, p in enumerate(pairs, 1):
        parts.append(f'<h2 id="pair{k}">{k}. {e(p.student_a)} and {e(p.student_b)}: score {p.score:.2f}, '
                     f"{p.shared_lines} shared lines</h2>")
        for s in p.cells:
            title = e(s.label_a) if s.label_a == s.label_b else f"{e(s.label_a)} / {e(s.label_b)}"
            parts.append(f"<h3>{title}</h3><table><tr><th>{e(p.student_a)}</th><th>{e(p.student_b)}</th></tr>"
                         f"<tr><td>{_pre(s.lines_a)}</td><td>{_pre(s.lines_b)}</td></tr></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
