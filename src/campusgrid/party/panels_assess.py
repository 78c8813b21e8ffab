"""What assessments, awards and meetings show on other pages: home panels (whom I still have
to assess; the secretary's missing assessments and this quarter's meeting) and the student
page's and dossier's awards section. Render functions that call selectors only."""

from __future__ import annotations

from . import policy_assess as policy


def assess_panel(request):
    """A party member's or activist's home: how many they still have to assess this semester."""
    user = request.user
    if not (policy.assesses_activists(user) or policy.assesses_applicants(user)):
        return None
    from .selectors import assess as selectors

    semester = selectors.semester_pick()
    if semester is None:
        return None
    rows = selectors.assessable_for(user=user, semester=semester)
    return {"semester": semester, "total": len(rows), "todo": sum(1 for r in rows if r["assessment"] is None)}


def desk_panel(request):
    """A branch secretary's home: assessments not yet given, and whether the branch met this quarter."""
    user = request.user
    posts = policy.party_posts(user)
    if not posts.secretary_branch_ids:
        return None
    from .selectors import assess as selectors
    from .selectors import awards as award_selectors
    from .selectors import meetings as meeting_selectors

    semester = selectors.semester_pick()
    branches = []
    for branch in award_selectors.desk_branches(user=user).filter(pk__in=posts.secretary_branch_ids):
        progress = (
            selectors.assessment_progress(user=user, branch=branch, semester=semester) if semester else None
        )
        branches.append(
            {
                "branch": branch,
                "missing": len(progress["missing"]) if progress else 0,
                "held": meeting_selectors.held_this_quarter(branch=branch),
            }
        )
    return {"semester": semester, "branches": branches}


def awards_section(request, student):
    """党建评优 on the student page and in the dossier: the student's published awards."""
    from .selectors import awards as selectors

    awards = selectors.student_awards(user=request.user, student=student)
    if not awards:
        return None
    return {"student": student, "awards": awards}
