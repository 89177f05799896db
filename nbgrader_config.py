"""nbgrader configuration for the course, so stock nbgrader commands work from the repository root.

    nbgrader generate_assignment lab01_tensors --force     # solutions/ -> labs/
    nbgrader autograde lab01_tensors                       # .nbgrader/submitted/<student>/lab01_tensors/
    nbgrader generate_feedback lab01_tensors

Sources (with solutions and hidden tests) live in solutions/, student versions in labs/ (committed);
submissions, autograded copies, feedback and the gradebook live in the ignored folder .nbgrader/.
"""
import os
import sys

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)  # the preprocessors below live in this repository's autograder package
work = os.path.join(here, ".nbgrader")
os.makedirs(work, exist_ok=True)

c.CourseDirectory.root = here
c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "labs"
c.CourseDirectory.submitted_directory = ".nbgrader/submitted"
c.CourseDirectory.autograded_directory = ".nbgrader/autograded"
c.CourseDirectory.feedback_directory = ".nbgrader/feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(work, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".nbgrader"]
# Labs train small models: give each cell room, but stop runaway submissions.
c.ExecutePreprocessor.timeout = 300
c.Execute.timeout = 300
# Kernels log start-up chatter (e.g. a transport warning) to the grader's terminal; keep it to errors.
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Students' feedback never shows the hidden tests' code, what the answer printed while they ran, or a
# traceback quoting them (autograder/grading/feedback_filter.py). To show the code anyway:
#   nbgrader generate_feedback LAB --HideHiddenTests.reveal=True
c.Autograde.autograde_preprocessors = [
    "autograder.grading.feedback_filter.MarkHiddenTests",
    "nbgrader.preprocessors.Execute",
    "autograder.grading.feedback_filter.UnmarkHiddenTests",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "autograder.grading.feedback_filter.HideHiddenTests",
]
c.HideHiddenTests.reveal = False
