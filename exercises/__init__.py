"""What the course knows about each exercise besides its reference answer: plausible wrong answers
(``exercises.mutants``), with the test cells each must fail, and correct answers written another way.

Used by the test suite, the benchmark and (for feedback) the grader. Deliberately *not* inside ``autograder/``
or ``dlcourse/``: the grader's sandbox can read those two packages, and the correct alternatives here are
answers.
"""
