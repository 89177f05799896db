"""What the grader knows about one lab notebook, from its nbgrader source and its released version, and the
jobs it builds from them: the reference job (the whole source, hidden tests included, recording the tests'
calls) and a student's job (their answer cells and added cells, every test cell as *released*, that is with
the hidden tests removed, and each exercise's probe inputs after its last test cell).
"""
from __future__ import annotations

import json
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course import copy_notebook
from ..notebook import defined_names, graded_end, is_readonly, is_setup, is_test, nbg, top_level_names  # noqa: F401 (re-exported)
from ..sandbox.policy import protected_names
from ..sandbox.protocol import Job, Limits


def text_digest(source: str) -> str:
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()


def is_readonly_setup(cell) -> bool:
    return is_setup(cell) and is_readonly(cell) and bool(nbg(cell).get("grade_id"))


def _released_setup() -> dict[str, dict[str, str]]:
    """lab -> {digest of a setup cell's text as released on some date: its grade_id today}."""
    data = json.loads((Path(__file__).resolve().parent.parent / "released_setup.json").read_text())
    merged: dict[str, dict[str, str]] = {}
    for release in data["released"].values():
        for lab, ids in release.items():
            merged.setdefault(lab, {}).update(ids)
    return merged


RELEASED_SETUP = _released_setup()


def copy_cell(cell):
    new = nbformat.from_dict(json.loads(json.dumps(cell)))
    if new.cell_type == "code":
        new.outputs, new.execution_count = [], None
    return new


@dataclass
class Plan:
    source: nbformat.NotebookNode
    release: nbformat.NotebookNode
    exercise_of: dict[str, str]  # test grade_id -> answer grade_id
    owner: dict[str, str]  # function or class name -> answer grade_id
    plain_sources: set[str]
    protected: set[str]
    visible: set[str]  # names bound by public code: setup cells and the released (visible) test cells
    setup_ids: dict[str, str] = field(default_factory=dict)  # digest of a setup cell's text, as ever released -> grade_id
    # answer grade_id -> course-library functions that answer it (the answer cell's "dlcourse": {"not_allowed": [...]})
    not_allowed: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, source_path, release_path) -> "Plan":
        source = nbformat.read(source_path, as_version=4)
        release = nbformat.read(release_path, as_version=4)
        exercise_of, owner, plain, tests, setup, not_allowed = {}, {}, set(), [], [], {}
        current = ""
        for cell in source.cells:
            meta = nbg(cell)
            if cell.cell_type != "code":
                continue
            if meta.get("solution"):
                current = meta["grade_id"]
                for name in defined_names(cell.source):
                    owner[name] = current
                banned = (cell.metadata.get("dlcourse") or {}).get("not_allowed") or []
                if banned:
                    not_allowed[current] = [str(n) for n in banned]
            elif meta.get("grade"):
                exercise_of[meta["grade_id"]] = current
                tests.append(cell.source)
            else:
                plain.add(cell.source.strip())
                setup.append(cell.source)
        visible = set()
        for cell in release.cells:
            if cell.cell_type == "code" and not nbg(cell).get("solution"):
                visible |= top_level_names(cell.source)
        visible -= set(owner)
        setup_ids = dict(RELEASED_SETUP.get(Path(source_path).stem, {}))
        for cell in release.cells:
            if is_readonly_setup(cell):
                setup_ids[text_digest(cell.source)] = nbg(cell)["grade_id"]
        return cls(source, release, exercise_of, owner, plain, protected_names(tests, setup), visible, setup_ids, not_allowed)

    def probe_rules(self, probe: dict) -> dict:
        """What a probe of this exercise must switch off besides what its test did: the course helpers that answer it."""
        banned = self.not_allowed.get(self.owner.get(probe.get("name"), ""))
        return {"not_allowed": banned} if banned else {}

    def names_of(self, gid: str) -> set[str]:
        """The functions and classes answer cell ``gid`` defines."""
        return {name for name, owner in self.owner.items() if owner == gid}

    def reference_answers(self) -> dict[str, str]:
        """answer grade_id -> the reference answer, as a student would type it (solution markers removed)."""
        from ..course import strip_solution_markers

        return {nbg(c)["grade_id"]: strip_solution_markers(c.source) for c in self.source.cells
                if c.cell_type == "code" and nbg(c).get("solution")}

    @property
    def exercises(self) -> list[str]:
        return sorted({gid for gid in self.exercise_of.values() if gid})

    # -- jobs ---------------------------------------------------------------------------------------
    graded_end = staticmethod(graded_end)  # neither the reference nor a student's job runs the cells after it

    def reference_job(self, limits: Limits, seed: int) -> Job:
        cells = []
        end = self.graded_end(self.source)
        for i, cell in enumerate(self.source.cells):
            if cell.cell_type != "code" or i >= end:
                continue
            entry = {"index": i, "source": cell.source}
            if nbg(cell).get("solution"):
                entry["wrap"] = defined_names(cell.source)
            cells.append(entry)
        return Job(cells=cells, limits=limits, record=True, visible=sorted(self.visible), seed=seed)

    def last_test_cells(self, nb) -> dict[str, int]:
        """answer grade_id -> the index of its exercise's last test cell in ``nb``."""
        return {self.exercise_of.get(nbg(c)["grade_id"]): i for i, c in enumerate(nb.cells) if is_test(c)}

    def student_job(self, nb, probes: list[dict], limits: Limits) -> Job:
        """The job for an assembled notebook ``nb``: each probe (inputs only) after its exercise's last test cell."""
        last_test = self.last_test_cells(nb)
        end = self.graded_end(nb)
        cells = {i: {"index": i, "source": c.source, "probes": []} for i, c in enumerate(nb.cells) if c.cell_type == "code" and i < end}
        for probe in probes:
            at = last_test.get(self.owner.get(probe["name"]))
            if at is not None:
                cells[at]["probes"].append({k: v for k, v in probe.items() if k not in ("mode",)})
        return Job(cells=[cells[i] for i in sorted(cells)], limits=limits)

    def assemble(self, student) -> tuple[nbformat.NotebookNode, dict[int, str]]:
        """The notebook to run and ``{cell index: 'answer <id>' | 'added'}`` for the cells the student wrote.

        Answer cells come from the submission; every test cell comes from the *release* (the visible tests:
        deleted or edited test cells are restored, hidden tests never run in the student's process); cells
        the student deleted are put back, after their predecessor."""
        by_id = {nbg(c)["grade_id"]: c for c in self.source.cells if nbg(c).get("grade_id")}
        released = {nbg(c)["grade_id"]: c for c in self.release.cells if nbg(c).get("grade_id")}
        cells, seen = [], set()
        for cell in student.cells:
            gid = nbg(cell).get("grade_id")
            if gid is None and cell.cell_type == "code":  # a setup cell saved before setup cells were read-only
                gid = self.setup_ids.get(text_digest(cell.source))
            if gid in by_id and gid not in seen:
                seen.add(gid)
                new = copy_cell(by_id[gid])
                if nbg(by_id[gid]).get("solution"):
                    new.source = cell.source
                elif gid in released:
                    new.source = released[gid].source
                cells.append(new)
            else:
                new = copy_cell(cell)
                new.metadata.pop("nbgrader", None)
                cells.append(new)
        order = [nbg(c).get("grade_id") for c in self.source.cells]
        for k, gid in enumerate(order):
            if gid and gid not in seen:
                new = copy_cell(released.get(gid, by_id[gid]))
                new.metadata["nbgrader"] = dict(nbg(by_id[gid]))
                prev = next((order[j] for j in range(k - 1, -1, -1) if order[j] in seen), None)
                at = 0 if prev is None else 1 + next(i for i, c in enumerate(cells) if nbg(c).get("grade_id") == prev)
                cells.insert(at, new)
                seen.add(gid)
        nb = copy_notebook(self.source)
        nb.cells = cells
        authored = {}
        for i, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            meta = nbg(cell)
            if meta.get("solution"):
                authored[i] = f"answer {meta['grade_id']}"
            elif not meta and cell.source.strip() not in self.plain_sources:
                authored[i] = "added"
        return nb, authored
