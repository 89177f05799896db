"""autograder.grading.inputs and .feedback_html: untrusted submissions in, safe feedback pages out.

A submitted notebook is read once, as a regular file, under a size limit, never through a link; student
folders need plain names (and a place on the roster, when there is one). A feedback page keeps ordinary
markup and loses everything that could run script.
"""
import os
import re
import socket

import nbformat
import pytest

from autograder.course import GradingError
from autograder.grading.feedback_html import sanitize_feedback_html
from autograder.grading.inputs import (
    SubmissionRefused,
    check_submission,
    digest_files,
    list_students,
    read_notebook_bytes,
    read_roster,
    valid_student_id,
)
from tests.unit_helpers import tiny_release

NB = "tinylab.ipynb"


@pytest.fixture
def good_bytes():
    return nbformat.writes(tiny_release()).encode()


@pytest.fixture
def subs(tmp_path, good_bytes):
    (tmp_path / "subs" / "alice" / "tinylab").mkdir(parents=True)
    (tmp_path / "subs" / "alice" / "tinylab" / NB).write_bytes(good_bytes)
    return tmp_path / "subs"


def folder(subs, student):
    path = subs / student / "tinylab"
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_a_plain_notebook_is_read_once_with_its_bytes(subs, good_bytes):
    reason, files = check_submission(subs / "alice" / "tinylab", [NB])
    assert reason == "" and files == {NB: good_bytes}


def test_symbolic_links_are_refused_with_a_reason(subs, tmp_path, good_bytes):
    (tmp_path / "instructor.ipynb").write_bytes(good_bytes)
    mallory = folder(subs, "mallory")
    (mallory / NB).symlink_to(tmp_path / "instructor.ipynb")
    reason, files = check_submission(mallory, [NB])
    assert reason == f"{NB} is a symbolic link, not a file; submit the notebook itself (File > Download in JupyterLab)"
    assert files == {}, "nothing is read through a link"
    (subs / "eve").symlink_to(subs / "alice", target_is_directory=True)
    reason, files = check_submission(subs / "eve" / "tinylab", [NB])
    assert reason.startswith("the student folder eve/ is a symbolic link") and files == {}
    with pytest.raises(SubmissionRefused, match="student folder eve/ is a symbolic link"):
        read_notebook_bytes(subs / "eve" / "tinylab" / NB)


def test_oversized_notebooks_are_refused_before_and_while_reading(subs, monkeypatch, good_bytes):
    path = subs / "alice" / "tinylab" / NB
    with pytest.raises(SubmissionRefused) as err:
        read_notebook_bytes(path, limit=100)
    assert re.match(rf"{NB} is [0-9.]+ KB, over the grader's 0.1 KB limit; clear large outputs", err.value.reason), err.value.reason
    reason, files = check_submission(subs / "alice" / "tinylab", [NB], limit=100)
    assert "over the grader's 0.1 KB limit" in reason and files == {}
    # a file that claims to be small (or grows while it is read) is still cut off at the limit
    real_fstat = os.fstat

    def small(fd):
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *tuple(st)[1:6], 10, *tuple(st)[7:]))

    monkeypatch.setattr(os, "fstat", small)
    with pytest.raises(SubmissionRefused, match="is over 0.1 KB, over the grader's 0.1 KB limit"):
        read_notebook_bytes(path, limit=100)
    assert read_notebook_bytes(path, limit=len(good_bytes)) == good_bytes


def test_pipes_folders_and_missing_files_are_refused_without_blocking(subs, good_bytes):
    bob = folder(subs, "bob")
    os.mkfifo(bob / NB)  # opening a FIFO for reading would block a plain reader forever
    assert check_submission(bob, [NB])[0] == f"{NB} is a named pipe, not a regular file; submit the notebook itself as a plain file"
    carol = folder(subs, "carol")
    (carol / NB).mkdir()
    assert check_submission(carol, [NB])[0].startswith(f"{NB} is a folder, not a regular file")
    dan = folder(subs, "dan")
    (dan / "Untitled.ipynb").write_bytes(good_bytes)
    assert check_submission(dan, [NB])[0] == (f"missing notebook {NB} (found: Untitled.ipynb); "
                                             "submit the lab notebook under its original name")
    assert check_submission(subs / "nobody" / "tinylab", [NB])[0] == "no folder tinylab/ for this lab in the submission"


@pytest.mark.parametrize("content, starts", [
    (b'{"cells": [', f"{NB} is not valid notebook JSON"),
    (b"[1, 2]", f"{NB} is not a valid notebook (it holds a JSON list, not a notebook)"),
    (b"\xff\xfe{}", f"{NB} is not a text notebook file"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "rocket", "id": "c1"}]}', f"{NB} is not a valid notebook ("),
    (b"[" * 100_000 + b"]" * 100_000, f"{NB} is not a valid notebook"),
])
def test_damaged_notebooks_are_refused_but_fingerprinted(subs, content, starts):
    bob = folder(subs, "bob")
    (bob / NB).write_bytes(content)
    reason, files = check_submission(bob, [NB])
    assert reason.startswith(starts), reason
    assert files == {NB: content}, "read (safely), so the grader can tell when it changes"


def test_digest_is_the_identity_of_the_files_read():
    a = {"x.ipynb": b"1", "y.ipynb": b"2"}
    assert digest_files(a) == digest_files(dict(reversed(list(a.items()))))
    assert digest_files(a) != digest_files({"x.ipynb": b"1", "y.ipynb": b"3"})
    assert digest_files({"x.ipynb": b"1"}) != digest_files({"z.ipynb": b"1"})


def test_student_folder_names():
    assert all(valid_student_id(n) for n in ("alice", "s123", "a.b-c_d", "A"))
    assert not any(valid_student_id(n) for n in ("", ".", "..", ".hidden", "a/b", "a b", "é", "a\n", "x;y", "$HOME"))


def test_list_students_skips_bad_names_links_and_strangers(subs):
    for name in ("bob", "a b", "semi;colon", ".ipynb_checkpoints"):
        (subs / name).mkdir()
    (subs / "README.txt").write_text("not a student")
    (subs / "mallory").symlink_to(subs / "alice", target_is_directory=True)
    (subs / "dangling").symlink_to(subs / "nowhere")
    students, skipped = list_students(subs, None)
    assert students == ["alice", "bob"]
    why = dict(skipped)
    assert set(why) == {"a b", "semi;colon", "mallory"}
    assert why["a b"].startswith("folder name 'a b' is not a valid student id")
    assert why["mallory"].startswith("mallory/ is a symbolic link")
    students, skipped = list_students(subs, ["bob", "zoe"])
    assert students == ["bob"]
    assert dict(skipped)["alice"] == "not on the roster (roster.csv); add the student to the roster or remove the folder"


def test_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffid,first_name,last_name,email,extra\n alice ,Alice,A,a@x.org,zz\n,,,\nbob,,,\n", encoding="utf-8")
    assert read_roster(roster) == [{"id": "alice", "first_name": "Alice", "last_name": "A", "email": "a@x.org"},
                                   {"id": "bob", "first_name": "", "last_name": "", "email": ""}]
    for text, match in (("id\nalice\nbad id\n", r"line 3: 'bad id' is not a valid student id"), ("name\nalice\n", "'id' column"),
                        ("", "'id' column"), ("id\n", "'id' column")):
        roster.write_text(text)
        with pytest.raises(GradingError, match=match):
            read_roster(roster)
    roster.write_bytes(b"id\n\xff\xfe\n")
    with pytest.raises(GradingError, match="not UTF-8"):
        read_roster(roster)
    with pytest.raises(GradingError, match="does not exist"):
        read_roster(tmp_path / "missing.csv")


# ------------------------------------------------------------------------------------------ feedback html
SCRIPTED = [
    "<script>steal()</script>",
    "<SCRIPT src='//evil/x.js'></SCRIPT>",
    "<img src=x onerror=steal()>",
    "<div onclick='steal()' onmouseover=steal()>d</div>",
    "<a href='javascript:steal()'>a</a>",
    "<a href=' &#106;ava&#x09;script:steal()'>b</a>",
    "<a href='vbscript:steal()'>c</a>",
    "<iframe srcdoc='<script>steal()</script>'></iframe>",
    "<svg onload=steal()><script>steal()</script><use href='data:image/svg+xml,steal'/></svg>",
    "<img src='data:image/svg+xml;base64,c3RlYWwoKQ=='>",
    "<style>body { background: url('javascript:steal()') }</style>",
    "<div style='width: expression(steal())'>e</div>",
    "<style>@import url(//evil/x.css);</style>",
    "<style></style><script>steal()</script>",
    "<!-- <script>steal()</script> -->",
    "<form action='//evil'><button formaction='javascript:steal()'>go</button></form>",
    "<meta http-equiv='refresh' content='0; url=javascript:steal()'>",
    "<object data='x'></object><embed src='x'>",
    "<math><mi xlink:href='javascript:steal()'>m</mi></math>",
]


@pytest.mark.parametrize("html", SCRIPTED)
def test_nothing_that_runs_script_survives(html):
    out = sanitize_feedback_html(html).lower()
    assert "<script" not in out and "javascript:" not in out and "vbscript:" not in out
    assert not re.search(r"<[^>]*\son\w+\s*=", out), out
    assert "<iframe" not in out and "<object" not in out and "<embed" not in out and "http-equiv" not in out
    assert "@import" not in out and "expression(" not in out and "data:image/svg" not in out
    assert "steal()" not in re.sub(r"<[^>]*>", "", out) or "<style" not in out, "a script's text never stays runnable"


def test_ordinary_markup_stays_as_it_was():
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title><style>.a > b { color: red; }</style></head>"
            "<body><h1 id=\"top\">Lab</h1><p class=\"x\">text &amp; more <em>em</em> <code>a &lt; b</code></p>"
            "<a href=\"https://example.org/doc\">doc</a> <a href=\"#top\">up</a>"
            "<table><tr><th colspan=\"2\">h</th></tr><tr><td>1</td><td>2</td></tr></table>"
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"plot\"><details open><summary>s</summary>d</details>"
            "<svg viewbox=\"0 0 1 1\"><path d=\"M 0 0 L 1 1\" stroke=\"black\" /></svg></body></html>")
    assert sanitize_feedback_html(page) == page
    assert sanitize_feedback_html(sanitize_feedback_html(SCRIPTED[5] + page)) == sanitize_feedback_html(SCRIPTED[5] + page)


def test_text_stays_text():
    out = sanitize_feedback_html("<p>1 &lt; 2 and <b>bold</b></p><pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>")
    assert out == "<p>1 &lt; 2 and <b>bold</b></p><pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>"
    assert sanitize_feedback_html("<style>p::after { content: '</style><script>x()</script>' }</style>").count("<script") == 0


def test_every_way_a_path_is_not_a_plain_notebook_has_its_reason(subs, tmp_path):
    from pathlib import Path

    bob = folder(subs, "bob")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(bob / NB))
    try:
        reason = check_submission(bob, [NB])[0]  # (a socket cannot even be opened)
        assert reason.startswith(f"{NB} could not be opened (") and reason.endswith("submit the notebook itself as a plain file")
    finally:
        server.close()
    with pytest.raises(SubmissionRefused, match="null is a device, not a regular file"):
        read_notebook_bytes(Path("/dev/null"))
    (subs / "carol").mkdir()
    (subs / "carol" / "tinylab").symlink_to(subs / "alice" / "tinylab")
    assert check_submission(subs / "carol" / "tinylab", [NB])[0].startswith("the lab folder tinylab/ is a symbolic link")
    with pytest.raises(SubmissionRefused, match="the lab folder tinylab/ is a symbolic link"):
        read_notebook_bytes(subs / "carol" / "tinylab" / NB)
    for missing in (subs / "dan" / "tinylab" / NB, folder(subs, "erin") / NB):
        with pytest.raises(SubmissionRefused, match=f"{NB} is missing; submit the lab notebook under its original name"):
            read_notebook_bytes(missing)


@pytest.mark.parametrize("html, gone, kept", [
    ('<link rel="stylesheet" href="custom.css"><link rel="stylesheet" href="https://evil/x.css"><link rel="icon" href="x.ico">',
     ["evil", "icon"], ['<link rel="stylesheet" href="custom.css">']),
    ('<meta name="viewport" content="width=device-width"><meta content="0;url=x">', ["url=x"],
     ['<meta name="viewport" content="width=device-width">']),
    ("<iframe><iframe></iframe>inside</iframe>after", ["inside", "iframe"], ["after"]),
    ("<svg><foreignObject/><circle r=\"1\" /></svg>", ["foreignobject"], ['<circle r="1" />']),
    ('<div style="x: j\\61vascript:alert(1)">a</div><div style="width: expr/**/ession(1)">b</div>', ["style"], ["<div>a</div>", "<div>b</div>"]),
    ("<p id=\"a\" id=\"b\">p</p><?php evil ?><![CDATA[evil]]>", ["evil", 'id="b"'], ['<p id="a">p</p>']),
    ("<p>x</p><style>p { color: red }", [], ["<p>x</p><style>", "</style>"]),  # an unclosed block is closed
])
def test_sanitiser_details(html, gone, kept):
    out = sanitize_feedback_html(html)
    for g in gone:
        assert g not in out.lower(), (g, out)
    for k in kept:
        assert k in out, (k, out)
