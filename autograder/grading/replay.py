"""nbgrader's execution step, replaced: put in the outputs the sandboxed grader already produced.

Configured by :mod:`autograder.grading.gradebook` as the first of ``Autograde.autograde_preprocessors``; every later
step (output limits, saving grades to the gradebook, late penalties, metadata checks) is stock nbgrader.
"""
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode


class ReplayExecute(NbGraderPreprocessor):
    runs_dir = Unicode("", help="folder with <student>/<notebook>.ipynb executed by the sandboxed grader").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = Path(self.runs_dir) / info["student"] / f"{info['notebook']}.ipynb"
        if not path.is_file():
            raise FileNotFoundError(f"no sandboxed run for {info['student']}/{info['notebook']} at {path}")
        return nbformat.read(path, as_version=nbformat.NO_CONVERT), resources
