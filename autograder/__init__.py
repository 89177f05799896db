"""Grading command for the course: python -m autograder {release,check,grade}; self_check() for a lab's last cell."""
from .check import self_check

__all__ = ["self_check"]
