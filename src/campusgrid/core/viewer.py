"""The college as its leaders see it (or the university as the office does), as a stand-in
for a user: what the semester report's figures are computed over, handed to the same scoped
selectors the list pages use, so a figure and the list it links to count the same rows. It
holds no post and no account, so nothing personal (one's own reports, notices) comes with it.
(Here in core so that every app's report figures can use it, not only the dashboards'.)"""

from __future__ import annotations

from .scoping import EVERYTHING


class Viewer:
    is_authenticated = True
    is_active = True
    is_superuser = False
    is_anonymous = False
    pk = None
    id = None

    def __init__(self, college=None):
        scope = EVERYTHING if college is None else EVERYTHING.narrowed_to_college(college.pk)
        self._campusgrid_scope = scope
        self.college = college
