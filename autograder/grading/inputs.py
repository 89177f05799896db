"""Checks on what students hand in, before the grader trusts any of it.

Everything under the submissions folder is untrusted: folder names become paths and gradebook ids,
notebooks may be symbolic links to the instructor's files, FIFOs that block a reader, or files of
gigabytes. Each check here refuses such input with one sentence for the student: what is wrong and
how to fix it. Standard library and nbformat only.
"""
from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import re
import stat
from pathlib import Path

import nbformat

from ..course import GradingError

STUDENT_ID = re.compile(r"[A-Za-z0-9._-]+")
MAX_NOTEBOOK_BYTES = 16 * 2**20
_CHUNK = 2**20


class SubmissionRefused(ValueError):
    """A submitted file the grader will not read; ``str()`` is the reason shown to the student."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def valid_student_id(name: str) -> bool:
    """Letters, digits, '.', '_' and '-' only, and not hidden ('.', '..', '.x')."""
    return bool(STUDENT_ID.fullmatch(name)) and not name.startswith(".")


def _show(name: str) -> str:
    """A file name as it can be shown in a one-line message."""
    return name if name.isprintable() else repr(name)


def _mb(n: int) -> str:
    if n < 2**20:
        return f"{n / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{n / 2**20:.1f}".removesuffix(".0") + " MB"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"


def _refuse_links(path: Path) -> None:
    """Refuse if the file, its lab folder or the student folder is a symbolic link."""
    name = _show(path.name)
    for depth, (p, what) in enumerate(((path, "file"), (path.parent, "lab folder"), (path.parent.parent, "student folder"))):
        try:
            mode = os.lstat(p).st_mode
        except FileNotFoundError:
            if depth == 0:
                raise SubmissionRefused(f"{name} is missing; submit the lab notebook under its original name") from None
            raise SubmissionRefused(f"the {what} {_show(p.name)}/ is missing; submit the lab notebook in its lab folder") from None
        except OSError as err:
            raise SubmissionRefused(f"{name} could not be read ({err.strerror}); resubmit the notebook") from None
        if stat.S_ISLNK(mode):
            if depth == 0:
                raise SubmissionRefused(f"{name} is a symbolic link, not a file; submit the notebook itself (File > Download in JupyterLab)")
            raise SubmissionRefused(f"the {what} {_show(p.name)}/ is a symbolic link, not a folder; submit the notebook in a real folder")


def read_notebook_bytes(path: Path, limit: int = MAX_NOTEBOOK_BYTES) -> bytes:
    """The raw bytes of a submitted notebook, read without following links, blocking or overrunning ``limit``.

    Raises ``SubmissionRefused`` for a symbolic link (the file, its lab folder or the student folder), a
    FIFO, device, socket or folder, and a file over ``limit`` bytes (checked before reading, and again while
    reading, which stops after ``limit + 1`` bytes in case the file grows).
    """
    path = Path(path)
    name = _show(path.name)
    _refuse_links(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise SubmissionRefused(f"{name} is a symbolic link, not a file; submit the notebook itself (File > Download in JupyterLab)") from None
        if isinstance(err, FileNotFoundError):
            raise SubmissionRefused(f"{name} is missing; submit the lab notebook under its original name") from None
        raise SubmissionRefused(f"{name} could not be opened ({err.strerror}); submit the notebook itself as a plain file") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SubmissionRefused(f"{name} is {_kind(st.st_mode)}, not a regular file; submit the notebook itself as a plain file")
        too_big = f"{name} is {{}}, over the grader's {_mb(limit)} limit; clear large outputs (Edit > Clear Outputs of All Cells), save and resubmit"
        if st.st_size > limit:
            raise SubmissionRefused(too_big.format(_mb(st.st_size)))
        parts, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
        if total > limit:
            raise SubmissionRefused(too_big.format("over " + _mb(limit)))
        return b"".join(parts)
    except OSError as err:
        raise SubmissionRefused(f"{name} could not be read ({err.strerror}); resubmit the notebook") from None
    finally:
        os.close(fd)


def _notebook_reason(name: str, data: bytes) -> str:
    """Why these bytes are not a notebook ('' if they are)."""
    try:
        nb = json.loads(data.decode("utf-8"))
        if not isinstance(nb, dict):
            return f"{name} is not a valid notebook (it holds a JSON {type(nb).__name__}, not a notebook); resubmit the .ipynb saved by JupyterLab"
        nbformat.validate(nbformat.from_dict(nb))
    except json.JSONDecodeError as err:
        return f"{name} is not valid notebook JSON ({err.msg} at line {err.lineno}); the file is damaged — re-download it from JupyterLab (File > Download) and resubmit"
    except UnicodeDecodeError:
        return f"{name} is not a text notebook file; resubmit the .ipynb saved by JupyterLab"
    except nbformat.ValidationError as err:
        return f"{name} is not a valid notebook ({err.message}); resubmit the .ipynb saved by JupyterLab"
    except RecursionError:
        return f"{name} is not a valid notebook (its JSON is nested too deeply); resubmit the .ipynb saved by JupyterLab"
    except Exception:  # noqa: BLE001 - nbformat raises ImportError/AssertionError/... on unknown format versions
        return f"{name} is not a valid notebook (unknown notebook format); resubmit the .ipynb saved by JupyterLab"
    return ""


def check_submission(folder: Path, expected: list[str], limit: int = MAX_NOTEBOOK_BYTES) -> tuple[str, dict[str, bytes]]:
    """Why the submission in ``folder`` (``<student>/<lab>/``) cannot be autograded ('' if it can), and the
    raw bytes of every expected notebook that could be read safely (all of them when the reason is '';
    after a refusal, those that were readable, for a digest). The grader should use these bytes and never
    open the notebooks by path again."""
    folder = Path(folder)
    files: dict[str, bytes] = {}
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        mode = 0
    if stat.S_ISLNK(mode):
        return f"the lab folder {_show(folder.name)}/ is a symbolic link, not a folder; submit the notebook in a real folder", files
    if folder.parent.is_symlink():
        return f"the student folder {_show(folder.parent.name)}/ is a symbolic link, not a folder; submit the notebook in a real folder", files
    if not stat.S_ISDIR(mode):
        return f"no folder {_show(folder.name)}/ for this lab in the submission", files
    present = sorted(_show(p.name) for p in folder.glob("*.ipynb"))
    reason = ""
    for name in expected:
        path = folder / name
        if not os.path.lexists(path):
            reason = reason or (f"missing notebook {name} (found: {', '.join(present) or 'no notebooks'}); "
                                "submit the lab notebook under its original name")
            continue
        try:
            data = read_notebook_bytes(path, limit)
        except SubmissionRefused as err:
            reason = reason or str(err)
            continue
        files[name] = data
        reason = reason or _notebook_reason(name, data)
    return reason, files


def digest_files(files: dict[str, bytes]) -> str:
    """sha256 over the names (sorted) and bytes of the notebooks read: the submission's identity for resuming.
    Each name and content is preceded by its length, so no two different submissions share a digest."""
    h = hashlib.sha256()
    for name in sorted(files):
        for part in (os.fsencode(name), files[name]):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
    return h.hexdigest()


def list_students(submissions: Path, roster_ids: list[str] | None) -> tuple[list[str], list[tuple[str, str]]]:
    """The student folders in ``submissions`` to grade (sorted), and ``(name, why)`` for each one skipped.

    Hidden entries and plain files are ignored silently. Skipped: symbolic links to folders, names that are
    not valid student ids, and, when ``roster_ids`` is given (not None or empty), folders not on the roster.
    """
    students: list[str] = []
    skipped: list[tuple[str, str]] = []
    for name in sorted(os.listdir(submissions)):
        if name.startswith("."):
            continue
        path = Path(submissions) / name
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode):
            if path.is_dir():
                skipped.append((name, f"{_show(name)}/ is a symbolic link, not a folder; put the submission in a real folder named after the student id"))
            continue
        if not stat.S_ISDIR(mode):
            continue
        if not valid_student_id(name):
            skipped.append((name, f"folder name {name!r} is not a valid student id (letters, digits, '.', '_' and '-' only); rename the folder"))
        elif roster_ids and name not in roster_ids:
            skipped.append((name, "not on the roster (roster.csv); add the student to the roster or remove the folder"))
        else:
            students.append(name)
    return students, skipped


def read_roster(path: Path) -> list[dict]:
    """The class roster: a CSV with an ``id`` column (the student's folder name) and optionally
    ``first_name``, ``last_name``, ``email`` — the format of ``nbgrader db student import``.
    Exits with a message naming the line when an id is not a valid student id."""
    path = Path(path)
    if not path.is_file():
        raise GradingError(f"roster {path} does not exist")
    keep = ("id", "first_name", "last_name", "email")
    out, rows = [], 0
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "id" not in reader.fieldnames:
                raise GradingError(f"roster {path} needs a header line with an 'id' column (and optionally first_name,last_name,email)")
            for r in reader:
                rows += 1
                row = {k: (r.get(k) or "").strip() for k in keep}
                if not row["id"]:
                    continue
                if not valid_student_id(row["id"]):
                    raise GradingError(f"roster {path} line {reader.line_num}: {row['id']!r} is not a valid student id "
                                     "(letters, digits, '.', '_' and '-' only); fix the id in the roster")
                out.append(row)
    except UnicodeDecodeError:
        raise GradingError(f"roster {path} is not UTF-8 text; save it as CSV UTF-8") from None
    if not rows:
        raise GradingError(f"roster {path} needs a header line with an 'id' column (and optionally first_name,last_name,email)")
    return out
