"""Semester records (issue 15 items 2 and 3): each grid worker's appraisal and the class
honours, one package because both rank subjects by figures from the same metric registry
(`metrics`); `services` and `selectors` are the appraisal's writes and reads, `honours` the
class ranking with its proposal and decision."""

from .honours import class_honours_list  # noqa: E402, F401  (the semester report's selector)
