"""Grading command for the course: python -m autograder {release,check,grade}."""
