"""Generate the student labs (labs/) from the nbgrader sources (solutions/) with stock nbgrader."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .course import LABS, SOLUTIONS, course_config, lab_names, quiet_nbgrader_env


def release(labs: list[str] | None = None, dest: Path | None = None, *, log_level: str = "WARNING") -> list[Path]:
    """Run ``nbgrader generate_assignment`` for ``labs`` (default: all) into ``dest`` (default: labs/).

    Generation happens in a scratch course folder, so the repository's gradebook is never touched and
    ``dest`` receives exactly what nbgrader wrote. Returns the generated notebooks.
    """
    from nbgrader.apps import NbGraderAPI

    quiet_nbgrader_env()
    labs = labs or lab_names()
    dest = Path(dest) if dest is not None else LABS
    written = []
    with tempfile.TemporaryDirectory(prefix="dlcourse-release-") as tmp:
        work = Path(tmp)
        cfg = course_config(work)
        cfg.Application.log_level = log_level
        for lab in labs:
            shutil.copytree(SOLUTIONS / lab, work / "source" / lab, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        api = NbGraderAPI(config=cfg)
        for lab in labs:
            result = api.generate_assignment(lab, force=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not generate {lab}:\n{result['error']}\n{result['log']}")
            target = dest / lab
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(work / "release" / lab, target)
            written += sorted(target.glob("*.ipynb"))
    return written
