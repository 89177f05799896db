"""Name the misconception: when an answer that lost points behaves like a known wrong answer, say which.

The course keeps plausible wrong answers for every exercise (``exercises/mutants``), each with a
student-facing ``mistake`` and ``hint``. In a grading run, after the reference, the grader runs every
mutant on the run's own probe inputs, in the *reference's* sandbox (instructor code only; never a student's
sandbox), and keeps each mutant's behaviour signature here, like the reference's.

A student's exercise is matched only if it lost points because its probes differ from the reference. A
mutant is a candidate only if its own signature differs from the reference's on those probes. It matches
when its signature agrees with the student's on *every* probe of the exercise, by the same comparison the
verdicts use (values within the test's tolerance, dtype, shape, device, contiguity, aliasing, arguments
changed in place, autograd, files written; for an exception, its type and message). The first matching
candidate, in the order the lab lists its mutants, is named; none matching, nothing is said.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..sandbox.probes import compare

SAYS = " — this matches a known mistake: {mistake} ({hint})"
BASE_ID = 1_000_000  # probe and cell ids of the mutant runs start here (a lab has far fewer real ones)


@dataclass(frozen=True)
class Known:
    id: str  # "<answer grade_id>-<name>"
    answer: str
    source: str  # the answer cell as a student would submit it
    mistake: str
    hint: str

    def says(self) -> str:
        return SAYS.format(mistake=self.mistake, hint=self.hint)


def known_mistakes(lab: str) -> list[Known]:
    """The lab's mutants that carry a text, in the order the lab lists them ([] if the course has none)."""
    try:
        from exercises import mutants as M
    except ImportError:  # a course copy without the exercises package: nothing to name
        return []
    said = [m for m in M.load(lab) if m.mistake and m.hint]
    src = M.lab_source(lab) if said else None
    return [Known(m.id, m.answer, M.answer_source(lab, m, src), m.mistake, m.hint) for m in said]


def _same(ref: dict, got, probe: dict) -> bool:
    if compare(ref, got, probe.get("mode", "values"), bool(probe.get("tight")), probe.get("tol")):
        return False
    if isinstance(got, dict) and "raised" in ref:
        return str(got.get("message", "")) == str(ref.get("message", ""))
    return True


def _not_set_up(sig) -> bool:
    return isinstance(sig, dict) and sig.get("raised") == "NameError" and str(sig.get("message", "")).endswith("is not defined in the notebook")


class Catalogue:
    """The mutants' signatures on one run's probes, and the matching."""

    def __init__(self, known: list[Known], probes: list[dict], reference: dict[int, dict], signatures: dict[str, dict[int, dict]],
                 owner: dict[str, str]):
        self.by_answer: dict[str, list[Known]] = {}
        self.probes: dict[str, list[dict]] = {}
        for p in probes:
            gid = owner.get(p["name"])
            if gid:
                self.probes.setdefault(gid, []).append(p)
        self.signatures = signatures
        for k in known:
            sigs = signatures.get(k.id)
            mine = self.probes.get(k.answer, [])
            if sigs is None or not mine or any(p["id"] not in sigs for p in mine):
                continue
            if all(_same(reference[p["id"]], sigs[p["id"]], p) for p in mine):
                continue  # behaves like the reference on these probes: it could not tell a student anything
            self.by_answer.setdefault(k.answer, []).append(k)

    def name(self, answer: str, got: dict[int, dict]) -> Known | None:
        """The first known mistake of exercise ``answer`` whose signature matches the student's ``got``.

        A probe the student's run could not even set up says nothing about the answer and is left out: its
        test cell stopped at a failing check before it defined a helper the probe passes (a NameError for a
        notebook name). At least one probe must match on what the answer did."""
        mine = self.probes.get(answer, [])
        for k in self.by_answer.get(answer, []):
            sigs, matched = self.signatures[k.id], 0
            for p in mine:
                if _not_set_up(got.get(p["id"])) and not _not_set_up(sigs[p["id"]]):
                    continue
                if not _same(sigs[p["id"]], got.get(p["id"]), p):
                    break
                matched += 1
            else:
                if matched:
                    return k
        return None

    def candidates(self, answer: str) -> list[Known]:
        return list(self.by_answer.get(answer, []))


def catalogue_cells(plan, nb, probes: list[dict], known: list[Known]) -> tuple[list[dict], dict[int, tuple[str, int]]]:
    """The job cells of the mutants' run: the lab's code cells as a student job with the reference answers
    (``nb``, assembled), and after each exercise's last test cell, for every mutant of that exercise, its
    answer (the reference's names forgotten first) with that exercise's probes, then the reference answer
    again. Returns the cells and ``{probe id in this job: (mutant id, probe id)}``."""
    from .plan import graded_end

    end = graded_end(nb)
    last_test = plan.last_test_cells(nb)
    by_answer: dict[str, list[dict]] = {}
    for p in probes:
        gid = plan.owner.get(p["name"])
        if gid:
            by_answer.setdefault(gid, []).append({k: v for k, v in p.items() if k != "mode"})
    reference = plan.reference_answers()
    cells, ids, n = [], {}, BASE_ID
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or i >= end:
            continue
        cells.append({"index": i, "source": cell.source, "probes": []})
        for gid in [g for g, at in last_test.items() if at == i]:
            mine = by_answer.get(gid, [])
            first: dict[int, int] = {}  # probe id -> its id in this job, the first time it was sent
            for k in (k for k in known if k.answer == gid and mine):
                forget = "".join(f"globals().pop({name!r}, None)\n" for name in sorted(plan.names_of(gid)))
                sent = []
                for p in mine:
                    ids[n] = (k.id, p["id"])
                    sent.append({"id": n, "repeat": first[p["id"]]} if p["id"] in first else {**p, "id": n})
                    first.setdefault(p["id"], n)
                    n += 1
                cells.append({"index": n, "source": forget + k.source, "probes": sent})
                cells.append({"index": n + 1, "source": forget + reference[gid], "probes": []})
                n += 2
    return cells, ids
