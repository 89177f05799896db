"""The grading sandbox: everything that runs student code, and the data-only protocol around it.

- :mod:`.protocol` — the typed :class:`~.protocol.Job` that goes in and :class:`~.protocol.Result` that comes out;
- :mod:`.codec` — the data-only wire format (no pickle leaves a sandbox) and its frames;
- :mod:`.host` — the grader's side: bubblewrap command line, cgroups, :class:`~.host.Zygote`;
- :mod:`.worker` — the zygote and the forked child that runs one job;
- :mod:`.probes` — recording the reference's calls, behaviour signatures, and comparing them (grader side);
- :mod:`.policy` — the static teaching-rule check of student cells (reported, never scored on its own).
"""
