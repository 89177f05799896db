"""End to end in a real browser: `make lab` serves the course, headless Chromium runs a lecture and a lab.

The server is started exactly as the README says (`make lab`, with `JUPYTER_ARGS` for a free port, a
random token and no browser), with its runtime, config, settings and workspace folders in a temporary
directory so that the user's own JupyterLab set-up is never read or written. The notebooks opened are
copies in an ignored folder under the repository root (deleted afterwards): the committed sources never
get outputs. Screenshots go to `screenshots/` (ignored).

Needs Chromium (`/usr/bin/chromium` or `chromium` on PATH; `.ci/run` installs it) and the `playwright`
package from requirements-dev.txt; skipped, with the reason, only where Chromium is missing.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

from autograder.notebook import nbg

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
LECTURE = ROOT / "lectures" / "lec02_linear_regression.ipynb"          # LineFitExplorer: W and b sliders over a plot
PROGRESS_LECTURE = ROOT / "lectures" / "lec07_training_practice.ipynb"  # dlcourse.train.fit shows a tqdm bar
LAB = ROOT / "labs" / "lab01_tensors" / "lab01_tensors.ipynb"
SOLUTION = ROOT / "solutions" / "lab01_tensors" / "lab01_tensors.ipynb"
EXERCISE = "ex01_row_normalize"

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and os.access(p, os.X_OK)), None)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Generous limits: the suite shares 2 cores with notebook kernels on other xdist workers.
SERVER_START_S = 180
KERNEL_START_S = 120
RUN_ALL_S = 300
WIDGET_UPDATE_S = 90

STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'   # stderr streams and tracebacks alike
WIDGET_PROBLEMS = ("Loading widget...", "Error displaying widget")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (/usr/bin/chromium or `chromium` on PATH); "
                                                "`apt-get install chromium` or run .ci/run to install it"),
]


# ---------------------------------------------------------------- the server, the copies, the browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


class LabServer:
    def __init__(self, url: str, token: str, log: Path) -> None:
        self.url, self.token, self.log = url, token, log

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def page_url(self, relpath: str) -> str:
        # ?reset: a fresh workspace, so that only this notebook is open.
        return f"{self.url}/lab/tree/{relpath}?reset&token={self.token}"

    def shutdown_kernels(self) -> None:
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """`make lab` on a free port with a random token and throw-away Jupyter folders; stopped at the end."""
    home = tmp_path_factory.mktemp("jupyter")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    for var, sub in [("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                     ("IPYTHONDIR", "ipython")]:
        env[var] = str(home / sub)
        (home / sub).mkdir()
    # No "get notified about Jupyter news?" toast over the notebook, no update check.
    notification = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))

    port, token = _free_port(), secrets.token_hex(16)
    venv = Path(sys.prefix)
    args = (f"--no-browser --allow-root --ServerApp.ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
            f"--IdentityProvider.token={token}")
    make = shutil.which("make")
    assert make, "`make` is not installed: the course is started with `make lab`"
    # The README's command. -o: the set-up step (`make venv`) is done already; never reinstall from a test.
    cmd = [make, "--no-print-directory", "-o", f"{venv}/.installed", "lab", f"VENV={venv}", f"JUPYTER_ARGS={args}"]
    log = home / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, log)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"`{' '.join(cmd)}` exited with {proc.returncode} before serving:\n{_tail(log)}")
            try:
                server.api("/api/status")
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer /api/status within {SERVER_START_S}s:\n{_tail(log)}")
                time.sleep(0.5)
        readme = server.api("/api/contents/README.md?content=0")
        assert readme["path"] == "README.md", "`make lab` does not serve the repository root"
        yield server
    finally:
        try:
            server.api("/api/shutdown", method="POST")       # stops the kernels too
            proc.wait(timeout=30)
        except Exception:  # noqa: BLE001 - fall back to signals below
            pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if proc.poll() is not None:
                break
            try:
                os.killpg(proc.pid, sig)         # make and the server it started (their own session)
                proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


@pytest.fixture(scope="session")
def copies():
    """An ignored folder under the root (inside what `make lab` serves) with copies of the notebooks."""
    folder = ROOT / "build" / f"browser-test-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    for nb in (LECTURE, PROGRESS_LECTURE, LAB):
        shutil.copy(nb, folder / nb.name)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.parent.rmdir()             # build/ only if nothing else is in it
    except OSError:
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, lab_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:       # what the browser showed when the test failed
        SHOTS.mkdir(exist_ok=True)
        try:
            page.screenshot(path=str(SHOTS / f"{request.node.name}_failure.png"))
        except Exception:  # noqa: BLE001 - a dead page has nothing to show
            pass
    context.close()
    lab_server.shutdown_kernels()        # free the CPU (and MNIST's memory) for the next test


# ---------------------------------------------------------------- driving JupyterLab

NOTEBOOK = ".jp-NotebookPanel:visible"


def open_notebook(page, server: LabServer, path: Path):
    """Open a notebook in JupyterLab and wait for its kernel; returns the locator of its cells."""
    page.goto(server.page_url(path.relative_to(ROOT).as_posix()))
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=KERNEL_START_S * 1000)
    try:
        page.wait_for_selector(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=KERNEL_START_S * 1000)
    except Exception:  # noqa: BLE001
        pytest.fail(f"{path.name}: the kernel did not become idle within {KERNEL_START_S}s of opening\n"
                    f"server log:\n{_tail(server.log)}")
    cells = page.locator(f"{NOTEBOOK} .jp-Notebook .jp-Cell")
    n = len(nbformat.read(path, as_version=4).cells)
    wait_for(lambda: cells.count() == n, lambda: f"{path.name}: JupyterLab shows {cells.count()} cells, the file has {n}", 60)
    return cells


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def execution_state(page) -> dict:
    return page.evaluate("""() => {
        const panel = [...document.querySelectorAll('.jp-NotebookPanel')].find(p => p.offsetParent !== null);
        const nb = panel.querySelector('.jp-Notebook');
        const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
        return {status: panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status,
                prompts: prompts, text: nb.textContent};
    }""")


def wait_until_executed(page, what: str, timeout: float, cells: list[int] | None = None) -> None:
    """Wait until the code cells (all, or those at these indices among code cells) show an execution count,
    none is queued or running, the kernel is idle and no widget is still loading."""
    deadline, state, stalled = time.monotonic() + timeout, {}, 0
    while time.monotonic() < deadline:
        state = execution_state(page)
        prompts = state["prompts"] if cells is None else [state["prompts"][i] for i in cells]
        busy = state["status"] != "idle" or any("*" in p for p in state["prompts"])
        done = all(re.fullmatch(r"\[\d+\]:", p) for p in prompts) and not busy
        if done and not any(w in state["text"] for w in WIDGET_PROBLEMS):
            return
        stalled = 0 if busy or done else stalled + 1
        if stalled >= 5:       # nothing running, cells left unrun: an error cancelled the rest
            assert_no_stderr(page, what)
            pytest.fail(f"{what}: execution stopped with cells not run: prompts {state['prompts']}")
        time.sleep(1)
    pytest.fail(f"{what}: not finished after {timeout:.0f}s (kernel {state.get('status')}, prompts {state.get('prompts')}, "
                f"widget problems shown: {[w for w in WIDGET_PROBLEMS if w in state.get('text', '')]})")


def assert_no_stderr(page, what: str) -> None:
    errors = page.locator(f"{NOTEBOOK} .jp-OutputArea-output{STDERR}")
    texts = [errors.nth(i).text_content()[:500] for i in range(errors.count())]
    assert not texts, f"{what} wrote to stderr or raised:\n" + "\n---\n".join(texts)


def show(cell) -> None:
    cell.evaluate("e => e.scrollIntoView({block: 'start'})")
    cell.page.wait_for_timeout(300)


def wait_for(predicate, what, timeout: float, poll: float = 0.5):
    """Poll predicate() until it is true; else fail with `what` (a string, or a callable giving one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    pytest.fail(f"{what() if callable(what) else what} (waited {timeout:.0f}s)")


# ---------------------------------------------------------------- tests


def test_lecture_widget_is_live(page, lab_server, copies):
    """Run All on lecture 02, then move the W slider of its line-fit explorer: the plot is redrawn."""
    cells = open_notebook(page, lab_server, copies / LECTURE.name)
    menu(page, "Run", "Run All Cells")
    wait_until_executed(page, f"{LECTURE.name}, Run All Cells", RUN_ALL_S)
    assert_no_stderr(page, LECTURE.name)

    cell = cells.filter(has_text="LineFitExplorer(bmi").filter(has=page.locator(".jupyter-widgets.widget-slider"))
    assert cell.count() == 1, "the LineFitExplorer cell shows no ipywidgets slider after Run All"
    show(cell)
    handle = cell.locator(".widget-slider", has=page.locator("label", has_text=re.compile("^W$"))).locator(".noUi-handle")
    readout = cell.locator(".widget-slider", has=page.locator("label", has_text=re.compile("^W$"))).locator(".widget-readout")
    plot = cell.locator(".widget-output img")
    assert plot.count() == 1, "the explorer shows no plot (an <img> in its Output widget)"
    SHOTS.mkdir(exist_ok=True)
    before_png = cell.screenshot(path=str(SHOTS / "lec02_widget_before.png"))
    before_src, before_value = plot.get_attribute("src"), float(handle.get_attribute("aria-valuenow"))

    handle.focus()
    for _ in range(5):                                   # 5 steps of 0.2: W 10.0 -> 11.0
        page.keyboard.press("ArrowRight")
    wait_for(lambda: float(handle.get_attribute("aria-valuenow")) > before_value,
             "the W slider did not move on ArrowRight", 10)
    wait_for(lambda: plot.count() == 1 and plot.get_attribute("src") != before_src,
             lambda: f"moving the W slider to {handle.get_attribute('aria-valuenow')} did not redraw the plot: "
                     "the widget is not connected to its kernel", WIDGET_UPDATE_S)
    wait_until_executed(page, "redraw after moving the slider", WIDGET_UPDATE_S)
    after_png = cell.screenshot(path=str(SHOTS / "lec02_widget_after.png"))
    assert float(handle.get_attribute("aria-valuenow")) == pytest.approx(before_value + 1.0)
    assert readout.text_content().strip() == f"{before_value + 1.0:.2f}"
    assert after_png != before_png
    assert_no_stderr(page, f"{LECTURE.name} after moving the slider")


def _reference_answer(grade_id: str) -> str:
    cell = next(c for c in nbformat.read(SOLUTION, as_version=4).cells
                if nbg(c).get("grade_id") == grade_id)
    return "\n".join(ln for ln in cell.source.splitlines()
                     if ln.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def test_lab_exercise_passes_in_the_browser(page, lab_server, copies):
    """Type the reference answer of exercise 1 into lab 01, run up to its test cell: it reports success."""
    nb = nbformat.read(LAB, as_version=4)
    ids = [nbg(c).get("grade_id") for c in nb.cells]
    answer_at, test_at = ids.index(EXERCISE), ids.index(f"{EXERCISE}_tests")
    passed = re.findall(r'print\(\s*"([^"]+)"\s*\)', nb.cells[test_at].source)[-1]   # what the test cell prints on success
    answer = _reference_answer(EXERCISE)
    code_index = {i: k for k, i in enumerate(i for i, c in enumerate(nb.cells) if c.cell_type == "code")}

    cells = open_notebook(page, lab_server, copies / LAB.name)
    show(cells.nth(answer_at))
    editor = cells.nth(answer_at).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(answer)
    typed = editor.evaluate("e => [...e.querySelectorAll('.cm-line')].map(l => l.textContent).join('\\n')")
    assert typed == answer, f"the answer cell holds\n{typed}\ninstead of the reference answer\n{answer}"
    page.keyboard.press("Escape")

    first_code = min(code_index)
    show(cells.nth(first_code))
    cells.nth(first_code).locator(".jp-InputPrompt").click()      # select it, command mode
    for _ in range(first_code, test_at + 1):                      # Shift+Enter down to the test cell
        page.keyboard.press("Shift+Enter")
    wait_until_executed(page, f"{LAB.name}, cells up to {EXERCISE}_tests", RUN_ALL_S,
                        cells=[code_index[i] for i in range(test_at + 1) if i in code_index])

    test_cell = cells.nth(test_at)
    outputs = test_cell.locator(".jp-OutputArea-output")
    shown = [outputs.nth(i).text_content() for i in range(outputs.count())]
    assert_no_stderr(page, f"{LAB.name} up to {EXERCISE}_tests")
    assert any(passed in s for s in shown), f"{EXERCISE}_tests shows {shown}, expected {passed!r}"

    show(cells.nth(answer_at))
    top, bottom = cells.nth(answer_at).bounding_box(), test_cell.bounding_box()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "lab01_ex01_passed.png"),
                    clip={"x": top["x"], "y": top["y"], "width": top["width"],
                          "height": bottom["y"] + bottom["height"] - top["y"]})


def test_progress_bar_is_a_widget(page, lab_server, copies):
    """Lecture 07 trains with dlcourse.train.fit: its tqdm bar renders as a widget, never as text."""
    cells = open_notebook(page, lab_server, copies / PROGRESS_LECTURE.name)
    menu(page, "Run", "Run All Cells")
    wait_until_executed(page, f"{PROGRESS_LECTURE.name}, Run All Cells", RUN_ALL_S)
    assert_no_stderr(page, PROGRESS_LECTURE.name)

    cell = cells.filter(has_text='desc="softmax on MNIST"')
    assert cell.count() == 1
    bar = cell.locator(".jupyter-widgets.widget-hprogress .progress-bar")
    assert bar.count() == 1, "the training cell shows no progress-bar widget"
    label = cell.locator(".jupyter-widgets.widget-html").first.text_content().replace("\u2007", " ")  # tqdm's figure spaces
    assert label.startswith("softmax on MNIST"), f"the progress bar is labelled {label!r}"
    assert bar.evaluate("e => e.style.width") == "100%", "the progress bar did not reach 100%"
    streams = cell.locator('.jp-OutputArea-output[data-mime-type^="application/vnd.jupyter.std"]')
    text = "".join(streams.nth(i).text_content() for i in range(streams.count()))
    assert "batch/s" not in text and "%|" not in text, f"the progress bar was printed as text:\n{text}"
    show(cell)
    SHOTS.mkdir(exist_ok=True)
    cell.locator(".jp-OutputArea").screenshot(path=str(SHOTS / "lec07_progress_bar.png"))
    width = cell.locator(".jupyter-widgets.widget-hprogress").bounding_box()["width"]
    assert width >= 100, f"the progress bar renders as a widget but is squeezed to {width:.0f} px wide (dlcourse.quiet.progress layout)"


def test_formgrader_loads(page, lab_server):
    """nbgrader's formgrader (the instructor's web view of the gradebook) loads with the pinned JupyterLab."""
    page.goto(f"{lab_server.url}/formgrader?token={lab_server.token}")
    page.get_by_text("Manage Assignments").first.wait_for(timeout=60_000)
    # the list is filled from solutions/ (the nbgrader source folder) once the gradebook answers
    wait_for(lambda: page.locator("td", has_text="lab01_tensors").count() > 0, "lab01_tensors in the formgrader's assignment list",
             timeout=90)
    assert page.locator("text=Loading, please wait").count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "formgrader.png"))


@pytest.mark.sandbox
def test_student_feedback_page_reads_well(browser, tmp_path):
    """A graded student's feedback page, opened in Chromium: the outcome, the test's message and the named
    misconception are on screen in the "Where points were lost" table; no hidden test code appears anywhere;
    the page runs no script."""
    from autograder.course import fill_answers, solution_answers
    from exercises import mutants as M
    from tests.test_feedback_hidden import hidden_code_shown

    lab = LAB.parent.name
    wrong = next(m for m in M.load(lab) if m.id == f"{EXERCISE}-wrong_axis")
    answers = {**solution_answers(lab), EXERCISE: M.answer_source(lab, wrong).replace(
        "def row_normalize(X):\n", "def row_normalize(X):\n    print('called with', tuple(X.shape))\n", 1)}
    folder = tmp_path / "subs" / "pat" / lab
    folder.mkdir(parents=True)
    nbformat.write(fill_answers(nbformat.read(LAB, as_version=4), answers), folder / LAB.name)
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", lab, str(tmp_path / "subs"), "--out", str(tmp_path / "out")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    feedback = tmp_path / "out" / "feedback" / "pat" / lab / LAB.name.replace(".ipynb", ".html")
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.goto(feedback.as_uri())
        table = page.locator("#lost-points")
        table.wait_for(timeout=30_000)
        assert table.is_visible()
        row = table.locator("tr", has_text=f"{EXERCISE}_tests")
        text = row.inner_text()
        assert "FAIL" in text and "0/" in text, f"the outcome should be on screen: {text!r}"
        assert "the grader's own check of row_normalize failed" in text or "row_normalize" in text, text
        assert "this matches a known mistake: " + wrong.mistake in text, f"the misconception should be named: {text!r}"
        assert wrong.hint in text
        box = row.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 10, f"the row is squeezed: {box}"
        assert not hidden_code_shown(page.content(), lab), "no hidden test code on the page"
        assert page.evaluate("document.scripts.length") == 0, "the page runs no script"
        assert not errors, errors
        SHOTS.mkdir(exist_ok=True)
        table.screenshot(path=str(SHOTS / "feedback_lost_points.png"))
    finally:
        context.close()
