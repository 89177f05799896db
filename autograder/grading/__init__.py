"""Grading a class: everything that decides a point, in the grader's own (trusted) process.

- :mod:`.inputs` — untrusted submission folders and files, the roster;
- :mod:`.plan` — what a lab's source and release say, and the jobs built from them;
- :mod:`.runner` — :class:`~.runner.Grader`: the reference run, the workers, the order of things;
- :mod:`.verdicts` — a sandbox's result turned into scores (probes compared here);
- :mod:`.gradebook` — the nbgrader course folder, gradebook writes and reads;
- :mod:`.feedback` — students' feedback pages (sanitised by :mod:`.feedback_html`).
"""
