"""Grade a class's submissions of one lab: sandboxed, parallel, resumable, nbgrader-compatible, and with
every point decided here, in the grader's own process.

For every run and every submission:

1. **Reference** (once per run, :meth:`Grader.reference`): the lab's source notebook, hidden tests included,
   runs in a sandbox process of its own that is stopped afterwards and never forks a student. It records the
   calls its tests make, redraws their inputs for this run and takes the reference's behaviour signatures.
   Signatures stay here; students' sandboxes get the inputs only. The lab's known wrong answers then run on
   the same inputs in that sandbox too (:mod:`autograder.grading.misconceptions`), so that feedback can name
   the mistake an answer that lost points behaves like.
2. **Inputs** (:mod:`autograder.grading.inputs`): student folders must have plain names (and be on the
   roster, if one is given); notebooks are read once, as regular files (no symlinks), under a size limit.
3. **Plan** (:mod:`autograder.grading.plan`): the student's answer and added cells plus every test cell as
   released (hidden tests removed); the teaching-rule check reports findings as notes.
4. **Sandbox** (:mod:`autograder.sandbox`): one job per student, in a fresh child of a pre-warmed zygote,
   under one deadline; the student's probe signatures come back as data.
5. **Verdicts** (:mod:`autograder.grading.verdicts`): a test cell keeps its points only if its visible tests
   passed in the sandbox *and* its exercise's probes match the reference.
6. **Gradebook and feedback**: stock ``nbgrader autograde`` records the executed notebook; ``grades.csv`` has
   one row per graded cell with the reason for every lost point; feedback pages are sanitised.

State lives in ``OUT/.nbgrader``: started again with the same command, a run resumes — finished submissions
are not run again unless their files changed.
"""
from __future__ import annotations

import csv
import json
import os
import queue
import secrets
import shutil
import threading
from pathlib import Path

import nbformat

from ..course import GradingError
from ..sandbox.policy import check_cell
from ..sandbox.protocol import Limits
from . import feedback as fb
from .feedback import StudentResult
from .gradebook import CourseFolder
from .inputs import check_submission, digest_files, list_students, read_roster
from .misconceptions import Catalogue, catalogue_cells, known_mistakes
from .verdicts import apply, cell_reasons, notes_of, probe_failures, rule_failures, score

CSV_COLUMNS = ["student", "assignment", "grade_id", "score", "max_score", "reason"]
STATE_VERSION = 4  # 3: length-framed submission digests; 4: the known mistakes an answer matches


class ReferenceFailed(RuntimeError):
    """The lab's own solution does not pass its tests in the sandbox: the grader refuses to grade against it."""


class Grader:
    def __init__(self, lab: str, out: Path, *, timeout: int = 300, workers: int | None = None, isolate: bool = True,
                 memory: int = 4 * 2**30, resume: bool = True, log_level: str = "WARNING", progress=print,
                 roster: Path | None = None, scheduler: str | None = None, reveal_hidden_tests: bool = False,
                 name_mistakes: bool = True, gpu: bool = False):
        self.lab, self.out, self.timeout, self.isolate, self.gpu = lab, Path(out).resolve(), timeout, isolate, bool(gpu)
        if self.gpu and scheduler:
            raise GradingError("--gpu with --scheduler is not supported: the reference runs on this machine's GPU, and the "
                               "cluster's workers may have none (grade on one GPU machine, or without --gpu)")
        if self.gpu and isolate:  # refused before nbgrader's set-up, not at the first sandbox
            from ..sandbox.host import required_gpu_nodes

            required_gpu_nodes()
        self.reveal_hidden_tests = bool(reveal_hidden_tests)
        self.known = known_mistakes(lab) if name_mistakes else []
        self.known_by_id = {k.id: k for k in self.known}
        self.catalogues: dict[str, Catalogue] = {}
        self.scheduler = scheduler
        self.roster = read_roster(roster) if roster else []
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.progress = progress or (lambda *a: None)
        self.work = self.out / ".nbgrader"
        self.state = self.work / "grader"
        if not resume and self.work.exists():
            shutil.rmtree(self.work)
        self.course = CourseFolder(lab, self.work, timeout=timeout, log_level=log_level, reveal_hidden_tests=self.reveal_hidden_tests)
        self.limits = Limits(cell_timeout=float(timeout), memory=memory, cpu=timeout * 4 + 60)
        self.uid_base = None

    # -- reference ---------------------------------------------------------------------------------
    def _seed(self) -> int:
        seed_file = self.state / "seed"
        if not seed_file.is_file():
            seed_file.write_text(str(secrets.randbits(31)))
        return int(seed_file.read_text())

    def reference(self) -> None:
        """Run the reference in a process of its own and keep the probes (inputs) and signatures (here only)."""
        from ..engine import score_notebook
        from ..sandbox.host import Zygote

        path = self.state / "reference.json"
        if path.is_file():
            saved = json.loads(path.read_text())
            self.probes, self.signatures = saved["probes"], {nb: {int(k): v for k, v in s.items()} for nb, s in saved["signatures"].items()}
            mutants = {nb: {m: {int(k): v for k, v in s.items()} for m, s in per.items()} for nb, per in saved.get("mutants", {}).items()}
            self._catalogues(mutants)
            return
        self.probes, self.signatures = {}, {}
        zygote = Zygote("reference", isolate=self.isolate, log=self.state / "logs" / "reference.log", uid=self.uid_base + 4095,
                        limits=self.limits, gpu=self.gpu)
        try:
            if self.gpu:
                self.progress(f"the sandbox sees the GPU: {zygote.check_gpu()}")
            for name, plan in self.course.plans.items():
                job = plan.reference_job(self.limits, self._seed())
                result = zygote.run(job, deadline=self.deadline(len(job.cells)) * 3)
                nb = nbformat.from_dict(json.loads(json.dumps(plan.source)))
                apply(nb, result, plan.graded_end(nb))
                lost = [f"{r.grade_id}: {r.message}" for r in score_notebook(nb) if not r.passed]
                if lost or result.problem:
                    raise ReferenceFailed(f"the reference solution of {self.lab} does not pass its own tests in the sandbox: {lost or result.problem}")
                probes, signatures = [], {}
                for k, (probe, signature) in enumerate(result.reference):
                    probes.append({**probe, "id": k, **plan.probe_rules(probe)})
                    signatures[k] = signature
                self.probes[name], self.signatures[name] = probes, signatures
            mutants = {name: self._run_mutants(zygote, plan, self.probes[name]) for name, plan in self.course.plans.items()}
        finally:
            zygote.stop()
        path.write_text(json.dumps({"probes": self.probes, "signatures": {nb: {str(k): v for k, v in s.items()} for nb, s in self.signatures.items()},
                                    "mutants": {nb: {m: {str(k): v for k, v in s.items()} for m, s in per.items()} for nb, per in mutants.items()}}))
        self._catalogues(mutants)
        self.progress(self.probe_coverage())

    def _run_mutants(self, zygote, plan, probes: list[dict]) -> dict[str, dict[int, dict]]:
        """Every known wrong answer's signatures on this run's probes, taken in the reference's sandbox."""
        from ..course import fill_answers
        from ..sandbox.protocol import Job, Limits

        known = self._known_in(plan)
        if not known or not probes:
            return {}
        nb, _ = plan.assemble(fill_answers(plan.release, plan.reference_answers()))
        cells, ids = catalogue_cells(plan, nb, probes, known)
        limits = Limits(**{**self.limits.__dict__, "output": 1024 * 2**20, "cpu": self.limits.cpu * 4})
        probe_time = sum(p.get("time_limit", 10) for c in cells for p in c["probes"])
        result = zygote.run(Job(cells=cells, limits=limits), deadline=self.deadline(len(cells)) * 3 + probe_time)
        if result.problem:
            self.progress(f"{self.lab}: the known mistakes could not all be run ({result.problem[:200]}); feedback names fewer of them")
        out: dict[str, dict[int, dict]] = {}
        for n, (mutant, probe) in ids.items():
            if n in result.probes:
                out.setdefault(mutant, {})[probe] = result.probes[n]
        return out

    def _known_in(self, plan) -> list:
        exercises = set(plan.exercises)
        return [k for k in self.known if k.answer in exercises]

    def _catalogues(self, mutants: dict[str, dict[str, dict[int, dict]]]) -> None:
        self.catalogues = {name: Catalogue(self._known_in(plan), self.probes.get(name, []),
                                           self.signatures.get(name, {}), mutants.get(name, {}), plan.owner)
                           for name, plan in self.course.plans.items()}

    def probe_coverage(self) -> str:
        """One line for the instructor: which graded exercises the grader's own probes cover."""
        graded, covered = set(), set()
        for name, plan in self.course.plans.items():
            graded |= set(plan.exercises)
            covered |= {plan.owner.get(p["name"]) for p in self.probes.get(name, [])}
        missing = sorted(graded - covered)
        tail = f" (not covered, so their tests' points cannot be verified: {', '.join(missing)})" if missing else ""
        devices = self.probe_devices()  # (none where no input is a tensor)
        on = f"; their inputs are on {', '.join(devices)}" if devices else ""
        return f"{self.lab}: probes cover {len(graded & covered)} of {len(graded)} exercises{tail}{on}"

    def probe_devices(self) -> list[str]:
        """The devices the hidden tests' recorded inputs are on (the devices student answers are checked on)."""
        found: set[str] = set()

        def walk(v):
            if isinstance(v, dict):
                if "$tensor" in v or "$generator" in v:  # (a module's device is its tensors')
                    found.add(str(v.get("device", "cpu")).split(":")[0])
                if "$torch_device" in v:
                    found.add(str(v["$torch_device"]).split(":")[0])
                for x in v.values():
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)

        walk(list(self.probes.values()))
        order = ["cpu", "cuda", "mps", "simgpu"]
        return sorted(found, key=lambda d: (order.index(d) if d in order else len(order), d))

    def deadline(self, n_cells: int, probe_time: float = 0.0) -> float:
        return min(self.timeout * n_cells, self.timeout * 4 + 120) + 30 + min(probe_time, self.timeout * 2)

    # -- one submission ----------------------------------------------------------------------------
    def run_one(self, zygote, student: str, files: dict[str, bytes]) -> dict:
        record = {"version": STATE_VERSION, "student": student, "hash": digest_files(files), "notebooks": {}, "reason": ""}
        for name in self.course.notebooks:
            plan = self.course.plans[name]
            try:
                nb, authored = plan.assemble(nbformat.reads(files[name].decode("utf-8"), as_version=4))
            except Exception as err:  # noqa: BLE001 - a malformed notebook must not stop the class
                record["reason"] = f"{name} could not be read as a lab notebook ({type(err).__name__}: {err})"[:500]
                return record
            notes = {}
            for i, what in authored.items():
                found = check_cell(nb.cells[i].source, plan.protected)
                if found:
                    where = f"answer cell {what.split(' ', 1)[1]}" if what.startswith("answer ") else f"a cell you added (cell {i + 1})"
                    notes[i] = f"{where}: " + "; ".join(str(v) for v in found[:3])
            probes = self.probes.get(name, [])
            job = plan.student_job(nb, probes, self.limits)
            result = zygote.run(job, deadline=self.deadline(len(job.cells), sum(p.get("time_limit", 10) for p in probes)))
            apply(nb, result, plan.graded_end(nb))
            wrong = probe_failures(plan, probes, self.signatures.get(name, {}), result)
            mistakes = {}
            if name in self.catalogues:
                for gid in wrong:
                    known = self.catalogues[name].name(gid, result.probes)
                    if known is not None:
                        mistakes[gid] = known.id
            wrong.update(rule_failures(plan, probes, nb, authored))
            for gid, mid in mistakes.items():
                wrong[gid] += self.known_by_id[mid].says()
            score(nb, plan, wrong, notes)
            run_dir = self.state / "runs" / student
            run_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, run_dir / name)
            record["notebooks"][name] = {"problem": result.problem, "mistakes": mistakes}
        return record

    def device_notice(self) -> str | None:
        """A line for the instructor when this machine has a GPU that the grading will not use."""
        from ..sandbox.host import gpu_device_nodes

        if self.gpu or not gpu_device_nodes():
            return None
        return ("note: this machine has an NVIDIA GPU, which the sandbox does not see without --gpu: answers are checked "
                "on the CPU and the CPU-backed simgpu device, not on cuda (add --gpu to check them there too)")

    def _private_import_path(self, submissions: Path) -> None:
        """The folders the sandbox imports from (the grader's PYTHONPATH) must not hold the class's work."""
        from ..sandbox.host import import_dirs

        private = [Path(submissions).resolve(), self.out]
        for d in map(Path, import_dirs() if self.isolate else []):
            for p in private:
                if d == p or p in d.parents or d in p.parents:
                    raise GradingError(f"the grader's import path (PYTHONPATH) includes {d}, which would show "
                                       f"{p} to every sandboxed notebook: remove it from PYTHONPATH")

    def _same_devices(self) -> None:
        """A run resumes only with the device setting it started with: its probes were recorded there."""
        path = self.state / "sandbox.json"
        setting = {"gpu": self.gpu}
        if path.is_file():
            before = json.loads(path.read_text())
        elif (self.state / "reference.json").is_file():  # recorded before this file existed: without --gpu
            before = {"gpu": False}
        else:
            before = setting
        if before != setting:
            was = "with --gpu" if before.get("gpu") else "without --gpu"
            raise GradingError(f"{self.out} was graded {was}, and a run resumes only with the same setting: "
                               f"repeat the earlier command, or add --fresh to grade everything again")
        self.state.mkdir(parents=True, exist_ok=True)
        _write_json(path, setting)

    # -- rows ----------------------------------------------------------------------------------------
    def rows(self, student: str, record: dict) -> StudentResult:
        result = StudentResult(student, reason=record.get("reason", ""))
        scores = {} if result.reason else self.course.scores(student)
        for nb in self.course.notebooks:
            run = self.state / "runs" / student / nb
            executed = nbformat.read(run, as_version=4) if not result.reason and run.is_file() else None
            why = cell_reasons(executed) if executed is not None else {}
            if executed is not None:
                result.notes += notes_of(executed)
            mistakes = (record.get("notebooks", {}).get(nb) or {}).get("mistakes") or {}
            for gid, points in self.course.graded_cells(nb):
                got = 0.0 if result.reason else scores.get((nb, gid))
                lost = got is not None and got < points
                reason = result.reason or (why.get(gid, "partial credit") if lost else "")
                known = self.known_by_id.get(mistakes.get(self.course.plans[nb].exercise_of.get(gid, ""), ""))
                if lost and known is not None and not result.reason and known.says() not in reason:
                    reason += known.says()
                result.rows.append({"student": student, "assignment": self.lab, "grade_id": gid,
                                    "score": "" if got is None else f"{got:g}", "max_score": f"{points:g}", "reason": reason})
        return result

    # -- the run ---------------------------------------------------------------------------------------
    def _slots(self, n: int):
        from ..sandbox.host import Zygote

        logs = self.state / "logs"
        if self.scheduler:  # the notebooks run on a Dask cluster; everything else stays here
            from ..cluster import DaskSlot, connect, course_version

            self.client, slots = connect(self.scheduler)
            version = course_version()
            return [DaskSlot(self.client, isolate=self.isolate, version=version, limits=self.limits) for _ in range(max(1, min(slots, n)))]
        return [Zygote(k, isolate=self.isolate, log=logs / f"worker{k}.log", uid=self.uid_base + k, limits=self.limits, gpu=self.gpu)
                for k in range(min(self.workers, max(1, n)))]

    def grade(self, submissions: Path) -> list[StudentResult]:
        from ..sandbox.host import run_uid_base

        submissions = Path(submissions)
        if not submissions.is_dir():
            raise GradingError(f"submissions folder {submissions} does not exist")
        self.course.prepare()
        (self.state / "logs").mkdir(parents=True, exist_ok=True)
        if self.roster:
            self.course.add_students(self.roster)
        self.uid_base = run_uid_base()
        self._same_devices()
        self._private_import_path(submissions)
        notice = self.device_notice()
        if notice:
            self.progress(notice)
        students, skipped = list_students(submissions, [r["id"] for r in self.roster] if self.roster else None)
        for name, why in skipped:
            self.progress(f"not graded: {why}")
        records: dict[str, dict] = {}
        for row in self.roster:  # on the roster, nothing handed in
            if row["id"] not in students:
                records[row["id"]] = {"student": row["id"], "reason": "no submission from this student"}
        absent = sorted(records)
        todo, inputs, resumed = [], {}, 0
        for student in students:
            reason, files = check_submission(submissions / student / self.lab, self.course.notebooks)
            saved = self.state / f"{student}.json"
            if reason:
                records[student] = {"version": STATE_VERSION, "student": student, "reason": reason, "recorded": True}
                continue
            if saved.is_file():
                try:
                    old = json.loads(saved.read_text())
                except json.JSONDecodeError:
                    old = {}
                if old.get("version") == STATE_VERSION and old.get("hash") == digest_files(files) and old.get("recorded"):
                    records[student] = old
                    resumed += 1
                    continue
            todo.append(student)
            inputs[student] = files
        if resumed:
            self.progress(f"resuming: {resumed} submission(s) already graded, {len(todo)} to go")
        self.client = None
        if todo or not (self.state / "reference.json").is_file():
            self.reference()
        zygotes = self._slots(len(todo)) if todo or self.scheduler else []  # (a cluster is checked even with nothing to do)
        try:
            jobs: queue.Queue = queue.Queue()
            for student in todo:
                jobs.put(student)
            done: queue.Queue = queue.Queue()

            def work(z):
                while True:
                    try:
                        student = jobs.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        rec = self.run_one(z, student, inputs[student])
                    except Exception as err:  # noqa: BLE001 - one submission never stops the class
                        rec = {"version": STATE_VERSION, "student": student, "hash": digest_files(inputs[student]), "notebooks": {},
                               "reason": f"the grader failed on this submission ({type(err).__name__}: {err})"[:500]}
                    done.put(rec)

            threads = [threading.Thread(target=work, args=(z,), daemon=True) for z in zygotes]
            for t in threads:
                t.start()
            for n in range(len(todo)):  # gradebook writes happen here, one at a time
                rec = done.get()
                student = rec["student"]
                if not rec.get("reason"):
                    try:
                        self.course.record(student, inputs[student])
                    except Exception as err:  # noqa: BLE001
                        rec["reason"] = str(err)[:500]
                rec["recorded"] = True
                _write_json(self.state / f"{student}.json", rec)
                records[student] = rec
                self.progress(f"[{n + 1}/{len(todo)}] {student}")
            for t in threads:
                t.join()
        finally:
            for z in zygotes:
                z.stop()
            if self.client is not None:
                self.client.close()
        graded = sorted(set(students) | set(absent))
        results = [self.rows(s, records[s]) for s in graded]
        _write_csv(self.out / "grades.csv", results)
        dest = self.out / "feedback"
        fresh = set(todo)
        shown = self.state / "feedback.json"  # the pages' setting: all are redone when the instructor changes it
        setting = {"reveal_hidden_tests": self.reveal_hidden_tests}
        if not shown.is_file() or json.loads(shown.read_text()) != setting:
            fresh = {r.student for r in results}
        _write_json(shown, setting)
        pages = [r.student for r in results if not r.reason and (r.student in fresh or not (dest / r.student / self.lab).is_dir())]
        fb.generate(self.course.api, self.lab, pages, self.workers)
        fb.publish(results, self.lab, self.work / "feedback", dest, fresh)
        return results


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def _write_csv(path: Path, results: list[StudentResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in results:
            writer.writerows(r.rows)
    os.replace(tmp, path)


def grade(lab: str, submissions: Path, out: Path, **kwargs) -> list[StudentResult]:
    """Autograde every student folder in ``submissions`` for ``lab``; write grades.csv and feedback."""
    return Grader(lab, out, **kwargs).grade(submissions)

