"""What the pipeline shows on other pages: the secretary's and the 组织员's home panel
(files in the pipeline and how many carry a warning). Render functions call selectors only."""

from __future__ import annotations

from . import policy
from .selectors import pipeline as sel


def pipeline_panel(request) -> dict | None:
    user = request.user
    r = policy.roles(user)
    if not (r.branch_ids or r.organiser_college_ids):
        return None
    return sel.board_summary(user=user)
