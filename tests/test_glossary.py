"""GLOSSARY.md: enough terms, each with a Korean equivalent, linked to a lecture that really uses the term."""
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "GLOSSARY.md"
HEADER = ["Term", "Also written", "Korean (한국어)", "Definition", "Lecture"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
LECTURE_PATH = re.compile(r"lectures/lec\d\d_[a-z0-9_]+\.ipynb")
MIN_TERMS = 80
MIN_NEEDLE = 3  # shorter spellings ("σ", "FC", "TP") are shown to readers but too common to prove anything


class Row(NamedTuple):
    line: int  # 1-based line number in GLOSSARY.md
    term: str
    variants: list[str]
    korean: str
    definition: str
    links: list[str]

    def __str__(self):
        return f"GLOSSARY.md:{self.line} ({self.term!r})"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _plain(text: str) -> str:
    """Lower-case text without markdown emphasis or code marks, whitespace collapsed."""
    return re.sub(r"\s+", " ", text.replace("*", "").replace("`", "")).strip().lower()


def parse_glossary(text: str) -> list[Row]:
    """Every data row of every table in the glossary whose header is HEADER."""
    rows, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        if lines[i].startswith("|") and _cells(lines[i])[0] == HEADER[0]:
            assert _cells(lines[i]) == HEADER, f"GLOSSARY.md:{i + 1}: table header {_cells(lines[i])}, expected {HEADER}"
            i += 2  # header and |---| separator
            while i < len(lines) and lines[i].startswith("|"):
                cells = _cells(lines[i])
                assert len(cells) == len(HEADER), (
                    f"GLOSSARY.md:{i + 1}: {len(cells)} cells, expected {len(HEADER)} (a '|' inside a cell?): {lines[i]}")
                term, also, korean, definition, lecture = cells
                variants = [] if also in ("", "—", "-") else [v.strip() for v in also.split(",") if v.strip()]
                rows.append(Row(i + 1, term.replace("*", "").strip(), variants, korean, definition,
                                [target for _, target in LINK.findall(lecture)]))
                i += 1
        else:
            i += 1
    return rows


@lru_cache(maxsize=None)
def glossary() -> tuple[Row, ...]:
    assert GLOSSARY.is_file(), "GLOSSARY.md is missing at the repository root"
    return tuple(parse_glossary(GLOSSARY.read_text(encoding="utf-8")))


@lru_cache(maxsize=None)
def lecture_text(path: Path) -> str:
    """All cell sources of a notebook (markdown and code), as plain lower-case text."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return _plain("\n".join("".join(cell["source"]) for cell in nb["cells"]))


def occurs(needle: str, text: str) -> bool:
    """`needle` occurs in `text`, not as the tail of a longer word ("rank" does not match "frank")."""
    return re.search(r"(?<![a-z0-9])" + re.escape(_plain(needle)), text) is not None


def test_glossary_has_enough_terms():
    rows = glossary()
    assert len(rows) >= MIN_TERMS, f"GLOSSARY.md has {len(rows)} terms, expected at least {MIN_TERMS}"


def test_every_term_has_a_korean_equivalent_and_a_definition():
    bad = [f"{row}: Korean equivalent {row.korean!r} has no Hangul" for row in glossary() if not HANGUL.search(row.korean)]
    bad += [f"{row}: empty definition" for row in glossary() if not row.definition.strip(" —-")]
    assert not bad, "\n".join(bad)


def test_every_lecture_link_points_to_an_existing_lecture():
    bad = []
    for row in glossary():
        if not row.links:
            bad.append(f"{row}: no lecture link, expected e.g. [lec02](lectures/lec02_linear_regression.ipynb)")
        for target in row.links:
            if not LECTURE_PATH.fullmatch(target):
                bad.append(f"{row}: link {target!r} is not a relative link to lectures/lecNN_*.ipynb")
            elif not (ROOT / target).is_file():
                bad.append(f"{row}: link {target!r} points to a lecture that does not exist")
    assert not bad, "\n".join(bad)


def test_every_term_appears_in_its_lecture():
    bad = []
    for row in glossary():
        needles = [n for n in [row.term, *row.variants] if len(_plain(n)) >= MIN_NEEDLE]
        for target in row.links:
            path = ROOT / target
            if not (LECTURE_PATH.fullmatch(target) and path.is_file()):
                continue  # reported by the link test
            if not any(occurs(n, lecture_text(path)) for n in needles):
                bad.append(f"{row}: neither the term nor any of {row.variants} occurs in {target}")
    assert not bad, "wrong lecture reference, or add the spelling the lecture uses to 'Also written':\n" + "\n".join(bad)


def test_no_duplicate_terms():
    seen, bad = {}, []
    for row in glossary():
        key = _plain(row.term)
        if key in seen:
            bad.append(f"{row}: duplicate of the term on line {seen[key]}")
        seen.setdefault(key, row.line)
    assert not bad, "\n".join(bad)


def test_terms_are_in_alphabetical_order():
    terms = [_plain(row.term) for row in glossary()]
    bad = [f"{row}: comes after {prev!r}" for prev, row in zip(terms, glossary()[1:]) if _plain(row.term) < prev]
    assert not bad, "keep the glossary alphabetical:\n" + "\n".join(bad)


def test_readme_links_the_glossary():
    assert "(GLOSSARY.md)" in (ROOT / "README.md").read_text(encoding="utf-8"), "README.md should link GLOSSARY.md"
