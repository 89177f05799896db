"""Untrusted submissions (links, pipes, huge files, odd folder names) and feedback pages that try to run script."""
import hashlib
import os
import re
import shutil
import threading

import nbformat
import pytest

from autograder.course import GradingError

from autograder.grading import inputs
from autograder.grading.feedback_html import sanitize_feedback_html
from autograder.grading.inputs import (SubmissionRefused, check_submission, digest_files, list_students,
                                       read_notebook_bytes, read_roster, valid_student_id)
from tests.conftest import ROOT

LAB = "lab01_tensors"
NB = f"{LAB}.ipynb"
SOURCE = ROOT / "solutions" / LAB / NB
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@pytest.fixture
def subs(tmp_path):
    """submissions/alice/lab01_tensors/lab01_tensors.ipynb, and a folder outside the submissions."""
    (tmp_path / "subs" / "alice" / LAB).mkdir(parents=True)
    shutil.copy(SOURCE, tmp_path / "subs" / "alice" / LAB / NB)
    (tmp_path / "outside").mkdir()
    shutil.copy(SOURCE, tmp_path / "outside" / NB)
    return tmp_path / "subs"


def lab_folder(subs, student):
    folder = subs / student / LAB
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ------------------------------------------------------------------------------------- notebooks
def test_valid_notebook_accepted_with_its_bytes(subs):
    reason, files = check_submission(subs / "alice" / LAB, [NB])
    assert reason == ""
    assert files == {NB: SOURCE.read_bytes()}
    body = SOURCE.read_bytes()
    framed = len(NB).to_bytes(8, "big") + NB.encode() + len(body).to_bytes(8, "big") + body
    assert digest_files(files) == hashlib.sha256(framed).hexdigest()
    # names and contents cannot run into each other
    assert digest_files({"a.ipynb": b"p", "b.ipynb": b"b.ipynbq"}) != digest_files({"a.ipynb": b"pb.ipynb", "b.ipynb": b"q"})


def test_symlinked_notebook_refused(subs):
    folder = lab_folder(subs, "mallory")
    (folder / NB).symlink_to(subs.parent / "outside" / NB)
    reason, files = check_submission(folder, [NB])
    assert reason == f"{NB} is a symbolic link, not a file; submit the notebook itself (File > Download in JupyterLab)"
    assert files == {}
    with pytest.raises(SubmissionRefused, match="symbolic link") as err:
        read_notebook_bytes(folder / NB)
    assert isinstance(err.value, ValueError)


def test_symlinked_lab_folder_refused(subs):
    (subs / "mallory").mkdir()
    (subs / "mallory" / LAB).symlink_to(subs.parent / "outside")
    reason, files = check_submission(subs / "mallory" / LAB, [NB])
    assert reason.startswith(f"the lab folder {LAB}/ is a symbolic link") and files == {}
    with pytest.raises(SubmissionRefused, match="lab folder"):
        read_notebook_bytes(subs / "mallory" / LAB / NB)


def test_symlinked_student_folder_refused(subs):
    (subs.parent / "elsewhere" / LAB).mkdir(parents=True)
    shutil.copy(SOURCE, subs.parent / "elsewhere" / LAB / NB)
    (subs / "mallory").symlink_to(subs.parent / "elsewhere")
    reason, files = check_submission(subs / "mallory" / LAB, [NB])
    assert reason.startswith("the student folder mallory/ is a symbolic link") and files == {}
    with pytest.raises(SubmissionRefused, match="student folder"):
        read_notebook_bytes(subs / "mallory" / LAB / NB)


def test_fifo_refused_without_hanging(subs):
    folder = lab_folder(subs, "mallory")
    os.mkfifo(folder / NB)
    got = []
    reader = threading.Thread(target=lambda: got.append(check_submission(folder, [NB])), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked the grader"
    assert got[0] == (f"{NB} is a named pipe, not a regular file; submit the notebook itself as a plain file", {})


def test_huge_notebook_refused_before_reading(subs, monkeypatch):
    folder = lab_folder(subs, "mallory")
    with open(folder / NB, "wb") as f:
        f.truncate(17 * 2**20)  # sparse: 17 MB on paper, nothing on disk
    reads = []
    real_read = os.read
    monkeypatch.setattr(inputs.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    reason, files = check_submission(folder, [NB])
    assert reason == (f"{NB} is 17 MB, over the grader's 16 MB limit; clear large outputs "
                      "(Edit > Clear Outputs of All Cells), save and resubmit")
    assert files == {} and reads == []


def test_reading_stops_after_the_limit(subs, monkeypatch):
    """A file that grows after fstat (or lies about its size) is read no further than limit + 1 bytes."""
    folder = lab_folder(subs, "mallory")
    with open(folder / NB, "wb") as f:
        f.truncate(17 * 2**20)
    real_fstat, real_read, total = os.fstat, os.read, []

    def small_fstat(fd):
        st = list(real_fstat(fd))
        st[6] = 10  # st_size
        return os.stat_result(st)

    monkeypatch.setattr(inputs.os, "fstat", small_fstat)
    monkeypatch.setattr(inputs.os, "read", lambda fd, n: (lambda b: total.append(len(b)) or b)(real_read(fd, n)))
    with pytest.raises(SubmissionRefused, match="over the grader's"):
        read_notebook_bytes(folder / NB, limit=4096)
    assert sum(total) == 4097


def test_folder_and_notebook_missing(subs):
    assert check_submission(subs / "bob" / LAB, [NB]) == (f"no folder {LAB}/ for this lab in the submission", {})
    folder = lab_folder(subs, "bob")
    (folder / "Untitled.ipynb").write_text("{}")
    assert check_submission(folder, [NB]) == (
        f"missing notebook {NB} (found: Untitled.ipynb); submit the lab notebook under its original name", {})


@pytest.mark.parametrize("content, reason", [
    (b"{not json", f"{NB} is not valid notebook JSON (Expecting property name enclosed in double quotes at line 1); "
                   "the file is damaged — re-download it from JupyterLab (File > Download) and resubmit"),
    (b"\xff\xfe{}", f"{NB} is not a text notebook file; resubmit the .ipynb saved by JupyterLab"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "cells": []}',
     f"{NB} is not a valid notebook ('metadata' is a required property); resubmit the .ipynb saved by JupyterLab"),
    (b"[]", f"{NB} is not a valid notebook (it holds a JSON list, not a notebook); resubmit the .ipynb saved by JupyterLab"),
    (b"[" * 100_000, f"{NB} is not a valid notebook (its JSON is nested too deeply); resubmit the .ipynb saved by JupyterLab"),
])
def test_damaged_notebooks_keep_their_reasons(subs, content, reason):
    folder = lab_folder(subs, "bob")
    (folder / NB).write_bytes(content)
    got, files = check_submission(folder, [NB])
    assert got == reason
    assert files == {NB: content}  # read, so the grader can still fingerprint it


# ------------------------------------------------------------------------------------- students
def test_valid_student_id():
    for good in ["alice", "a.b-c_1", "S123"]:
        assert valid_student_id(good), good
    for bad in ["", ".", "..", ".alice", "a/b", "a\nb", "alice\n", "é", "a b", "a;rm"]:
        assert not valid_student_id(bad), repr(bad)


def test_list_students_skips_odd_names_and_links(subs):
    for name in ["a\nb", "é", "a b", ".ipynb_checkpoints", "carol"]:
        (subs / name).mkdir()
    (subs / "notes.txt").write_text("not a student")
    (subs / "mallory").symlink_to(subs / "alice", target_is_directory=True)
    students, skipped = list_students(subs, None)
    assert students == ["alice", "carol"]
    why = dict(skipped)
    assert set(why) == {"a\nb", "é", "a b", "mallory"}
    assert why["a\nb"] == ("folder name 'a\\nb' is not a valid student id (letters, digits, '.', '_' and '-' only); "
                           "rename the folder")
    assert "'é'" in why["é"] and "'a b'" in why["a b"]
    assert "symbolic link" in why["mallory"]
    assert all("\n" not in reason for reason in why.values())


def test_list_students_with_roster(subs):
    (subs / "carol").mkdir()
    students, skipped = list_students(subs, ["alice", "dave"])
    assert students == ["alice"]
    assert skipped == [("carol", "not on the roster (roster.csv); add the student to the roster or remove the folder")]


def test_read_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffid,first_name,last_name,email\nalice,Alice,A,a@x.org\n , , , \nbob,Bob,,\n", encoding="utf-8")
    assert [r["id"] for r in read_roster(roster)] == ["alice", "bob"]
    assert read_roster(roster)[0] == {"id": "alice", "first_name": "Alice", "last_name": "A", "email": "a@x.org"}
    roster.write_text("id,first_name\nalice,Alice\n../etc,Eve\n")
    with pytest.raises(GradingError, match=r"line 3: '\.\./etc' is not a valid student id"):
        read_roster(roster)
    roster.write_text("name\nalice\n")
    with pytest.raises(GradingError, match="'id' column"):
        read_roster(roster)
    with pytest.raises(GradingError, match="does not exist"):
        read_roster(tmp_path / "none.csv")


# ------------------------------------------------------------------------------------- feedback pages
EVIL = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="  JaVa&#x09;ScRiPt&colon;alert(1)">click</a>',
    "<svg><script>alert(1)</script><a xlink:href='javascript:alert(1)'><text>t</text></a></svg>",
    "<svg><foreignObject><iframe src=x></iframe></foreignObject></svg>",
    "<iframe src='https://example.org'></iframe>",
    "<ScRiPt >alert(1)</sCrIpT >",
    "<script\n>alert(1)</script\n>",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<object data="x.swf"></object><embed src="x.swf"><form action="//evil"><input onfocus=alert(1) autofocus></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="//evil/">',
    '<link rel="stylesheet" href="https://evil.example/x.css"><div style="background:url(javascript:alert(1))">d</div>',
    "<style>p{}</style x><script>alert(1)</script></style>",
    "<svg><animate attributeName=href to=javascript:alert(1) /><set attributeName=onmouseover to=alert(1) /></svg>",
    "<body onload=alert(1)><details open ontoggle=alert(1)>x</details>",
]
KEEP = [
    f'<img src="data:image/png;base64,{PNG}" alt="plot">',
    "<p>a paragraph</p>",
    "<pre>x = 1 &lt; 2</pre>",
    "<table><tr><th>loss</th></tr><tr><td>0.25</td></tr></table>",
    "<style>.jp-Cell > p { color: red; }</style>",
]


def test_sanitize_drops_everything_that_runs_script():
    out = sanitize_feedback_html("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                                 + "\n".join(EVIL + KEEP) + "</body></html>")
    low = out.lower()
    for bad in ["<script", "onerror", "onload", "ontoggle", "onfocus", "javascript:", "<iframe", "data:image/svg",
                "<object", "<embed", "<form", "http-equiv", "<base", "<foreignobject", "<animate", "<set", "evil"]:
        assert bad not in low, (bad, out)
    assert "alert(1)" not in re.sub(r"<style>.*?</style>", "", out, flags=re.S)  # inside CSS it is inert text
    for good in KEEP:
        assert good in out, (good, out)
    assert out.startswith("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")


def test_sanitize_keeps_local_stylesheets_and_svg_plots():
    svg = ('<svg viewbox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><defs><clippath id="c"><rect x="0" y="0" '
           'width="5" height="5" /></clippath></defs><path d="M 0 0 L 10 10" style="stroke: #1f77b4" clip-path="url(#c)" />'
           '<use href="#c" /></svg>')
    page = '<link rel="stylesheet" href="custom.css">' + svg
    assert sanitize_feedback_html(page) == page


def test_sanitize_real_nbconvert_page():
    from nbconvert import HTMLExporter

    nb = nbformat.read(SOURCE, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": "<b>student table</b><script>alert('stolen')</script><img src=x onerror=alert('stolen')>"}),
        nbformat.v4.new_output("display_data", data={"image/png": PNG}, metadata={})]
    page, _ = HTMLExporter().from_notebook_node(nb)
    assert "alert('stolen')" in page and f"data:image/png;base64,{PNG}" in page
    out = sanitize_feedback_html(page)
    low = out.lower()
    for bad in ["<script", "stolen", "onerror=", "javascript:"]:  # nbconvert's CSS has a .jp-validationErrors class
        assert bad not in low, bad
    assert "Lab 01: tensors" in out and "<b>student table</b>" in out
    assert f"data:image/png;base64,{PNG}" in out
    assert out.count("<style") == page.count("<style") and "jp-Notebook" in out
    assert sanitize_feedback_html(out) == out
