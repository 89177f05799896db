"""Does the feedback name each wrong answer's own misconception, and never an honest answer's?

``python -m tests.misconception_audit LAB [LAB ...] [--out OUT.json]`` grades every mutant of each lab as a
submission, through the real grader (``python -m autograder grade``, sandboxed): round *r* is one student
whose answer to each exercise is that exercise's *r*-th mutant (the reference answer where it has fewer); a
mutant that is declared to fail other exercises' tests gets a student of its own. Every correct alternative
is graded the same way. For each mutant it reads which known mistake the grader named (the run's records)
and counts it right if it is the mutant itself or one whose signatures match it on every probe (the same
behaviour: either may be named). It prints and writes the counts.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def submissions(lab: str, root: Path) -> dict[str, dict[str, str]]:
    """student -> {answer grade_id: mutant or alternative id}, the submissions written under ``root``."""
    import nbformat

    from autograder.course import LABS, fill_answers, solution_answers
    from exercises import mutants as M

    released = nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4)
    ref = solution_answers(lab)
    plan: dict[str, dict[str, str]] = {}
    sources: dict[str, str] = {}
    rounds: dict[str, list] = {}
    for m in M.load(lab):
        sources[m.id] = M.answer_source(lab, m)
        if m.fails:
            plan[f"solo_{len(plan):03d}"] = {m.answer: m.id}
        else:
            rounds.setdefault(m.answer, []).append(m.id)
    for r in range(max((len(v) for v in rounds.values()), default=0)):
        plan[f"round_{r:03d}"] = {gid: ids[r] for gid, ids in rounds.items() if r < len(ids)}
    alts: dict[str, list] = {}
    for a in M.alternatives(lab):
        sources[a.id] = a.source
        alts.setdefault(a.answer, []).append(a.id)
    for r in range(max((len(v) for v in alts.values()), default=0)):
        plan[f"honest_{r:03d}"] = {gid: ids[r] for gid, ids in alts.items() if r < len(ids)}
    for student, chosen in plan.items():
        folder = root / student / lab
        folder.mkdir(parents=True)
        nbformat.write(fill_answers(released, {**ref, **{g: sources[i] for g, i in chosen.items()}}), folder / f"{lab}.ipynb")
    return plan


def load_catalogue(out: Path, lab: str):
    """The grading run's catalogue of known mistakes (``OUT/.nbgrader/grader/reference.json``), rebuilt here."""
    from autograder.course import LABS, source_notebook
    from autograder.grading.misconceptions import Catalogue, known_mistakes
    from autograder.grading.plan import Plan

    saved = json.loads((out / ".nbgrader" / "grader" / "reference.json").read_text())
    nb = f"{lab}.ipynb"
    reference = {int(k): v for k, v in saved["signatures"][nb].items()}
    mutant_sigs = {m: {int(k): v for k, v in s.items()} for m, s in saved.get("mutants", {}).get(nb, {}).items()}
    plan = Plan.build(source_notebook(lab), LABS / lab / nb)
    return Catalogue(known_mistakes(lab), saved["probes"][nb], reference, mutant_sigs, plan.owner), plan


def same(cat, a: str, b: str) -> bool:
    """Mutants ``a`` and ``b`` behave alike on every probe of their exercise (either may be named)."""
    from autograder.grading.misconceptions import _same

    mine = cat.probes.get(a.split("-")[0], [])
    sa, sb = cat.signatures.get(a, {}), cat.signatures.get(b, {})
    return bool(mine) and all(p["id"] in sa and p["id"] in sb and _same(sa[p["id"]], sb[p["id"]], p) for p in mine)


def self_naming(cat) -> tuple[int, int]:
    """(mutants named as themselves or a look-alike when their own signatures are the submission, candidates)."""
    right = total = 0
    for answer in cat.probes:
        for k in cat.candidates(answer):
            total += 1
            named = cat.name(answer, cat.signatures[k.id])
            right += named is not None and (named.id == k.id or same(cat, k.id, named.id))
    return right, total


def audit(lab: str, work: Path) -> dict:
    subs, out = work / "subs", work / "out"
    plan = submissions(lab, subs)
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", lab, str(subs), "--out", str(out)], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(run.stdout[-2000:] + run.stderr[-2000:])
    state = out / ".nbgrader" / "grader"
    nb = f"{lab}.ipynb"
    cat, lab_plan = load_catalogue(out, lab)
    rows = {r["student"] + "/" + r["grade_id"]: r for r in _grades(out)}

    result = {"lab": lab, "mutants": {}, "alternatives": {}}
    for student, chosen in plan.items():
        record = json.loads((state / f"{student}.json").read_text())
        named = (record.get("notebooks", {}).get(nb) or {}).get("mistakes") or {}
        for gid, item in chosen.items():
            lost = any(float(r["score"] or 0) < float(r["max_score"]) for k, r in rows.items()
                       if k.startswith(student + "/") and lab_plan.exercise_of.get(r["grade_id"]) == gid)
            said = named.get(gid)
            if student.startswith("honest_"):
                result["alternatives"][item] = {"lost": lost, "named": said}
            else:
                ok = said is not None and (said == item or same(cat, item, said))
                result["mutants"][item] = {"lost": lost, "named": said, "right": ok, "candidate": any(k.id == item for k in cat.candidates(gid))}
    ms = result["mutants"].values()
    result["summary"] = {"mutants": len(ms), "lost_points": sum(m["lost"] for m in ms), "named_right": sum(m["right"] for m in ms),
                         "named_wrong": sum(bool(m["named"]) and not m["right"] for m in ms), "named_none": sum(m["named"] is None for m in ms),
                         "alternatives": len(result["alternatives"]),
                         "alternatives_named": sum(a["named"] is not None for a in result["alternatives"].values())}
    return result


def _grades(out: Path) -> list[dict]:
    import csv

    with open(out / "grades.csv", newline="") as f:
        return list(csv.DictReader(f))


def main(argv: list[str]) -> int:
    from autograder.course import lab_names, resolve_lab

    target = None
    if "--out" in argv:
        i = argv.index("--out")
        target, argv = Path(argv[i + 1]), argv[:i] + argv[i + 2:]
    labs = [resolve_lab(a) for a in argv] or lab_names()
    results = []
    for lab in labs:
        with tempfile.TemporaryDirectory(prefix="mistake-audit-") as tmp:
            r = audit(lab, Path(tmp))
        results.append(r)
        print(lab, json.dumps(r["summary"]), flush=True)
    total = {k: sum(r["summary"][k] for r in results) for k in results[0]["summary"]}
    print("all", json.dumps(total))
    if target:
        target.write_text(json.dumps({"labs": results, "total": total}, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main(sys.argv[1:]))
