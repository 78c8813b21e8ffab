"""What the menu asks of the service app on every page, read in one query and kept between
requests under the tables it reads (issue 17 item 3).

The menu's service items ask four things the scope does not hold: the 舆情 reporter kinds
(OpinionSettings), whether the user is in a pairing, whether job posts are open to them and
whether they lead a volunteer team. Each policy asks its own on its pages and keeps the answer
on the user object for the request; `prefetch_nav_facts` answers every one the menu will ask and
has not been answered yet in a single query of Exists/Subquery columns (kept, core.fingerprint),
and stores each answer
where its policy looks for it, so the policies still say exactly what they said."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Subquery

from campusgrid.core.scoping import Scope


def _needs(user, scope: Scope) -> dict[str, bool]:
    """Which answers the menu will ask of this user (none for an answer the scope alone
    settles: the policies short-circuit the same way)."""
    student = getattr(user, "student", None)
    manager = scope.is_staff_member and scope.is_manager
    return {
        # policy_more.is_opinion_reporter: no post of any kind, no reporter.
        "reporter": bool(scope.post_kinds),
        # selectors.pairing.has_pairing: asked of everyone.
        "pairing": True,
        # hooks_more._job_posts_visible: managers see the list; others only as a student of a class.
        "jobs": not manager and student is not None and student.school_class_id is not None,
        # policy._is_secretary_or_team_leader: asked only below level 3, settled by a branch.
        "organiser": not (scope.is_office or scope.is_manager)
        and not scope.branch_ids
        and student is not None,
    }


# Where each policy looks for its answer on the user object (set for the request).
_ANSWERED_ON = {
    "reporter": "_campusgrid_opinion_reporter",
    "pairing": "_campusgrid_has_pairing",
    "jobs": "_campusgrid_job_posts",
    "organiser": "_campusgrid_service_organiser",
}


def nav_inputs() -> tuple:
    """The tables `prefetch_nav_facts` reads: the kept menu's counters for the service items."""
    from campusgrid.org.models import Grade, Major, SchoolClass

    from ..models import JobPost, OpinionSettings, Pairing, VolunteerTeam

    return (
        OpinionSettings,
        Pairing,
        JobPost,
        JobPost.majors.through,
        Major,
        SchoolClass,
        Grade,
        VolunteerTeam,
    )


def prefetch_nav_facts(user, scope: Scope) -> None:
    """Every answer the menu will ask, kept between requests under the tables it reads
    (`nav_inputs`, core.fingerprint.kept): the menu and the home page's 本期舆情 panel ask the
    same facts, and neither pays the query when nothing they read has changed. An answer a
    policy already holds for this request is left as it is."""
    if getattr(user, "_campusgrid_service_nav", False):
        return
    user._campusgrid_service_nav = True
    needs = {name: wanted for name, wanted in _needs(user, scope).items() if wanted}
    if not any(getattr(user, _ANSWERED_ON[name], None) is None for name in needs):
        return
    from campusgrid.core.fingerprint import kept

    answers = kept(user, "service-nav-facts", nav_inputs(), lambda: _read_facts(user, scope, needs))
    for name, answer in answers.items():
        if getattr(user, _ANSWERED_ON[name], None) is None:
            setattr(user, _ANSWERED_ON[name], answer)


def _read_facts(user, scope: Scope, needs: dict[str, bool]) -> dict[str, bool]:
    """The answers to `needs`, in one query of Exists/Subquery columns on the user's row."""
    from ..models import JobPost, OpinionSettings, Pairing, VolunteerTeam
    from ..models.opinion import DEFAULT_REPORTER_KINDS

    student = getattr(user, "student", None)
    columns = {}
    if "reporter" in needs:
        columns["reporter_kinds"] = Subquery(
            OpinionSettings.objects.filter(pk=1).values("reporter_kinds")[:1]
        )
    if "pairing" in needs:
        from .pairing import mine_q

        columns["pairing"] = Exists(Pairing.objects.filter(mine_q(user)))
    if "jobs" in needs:
        # selectors.pairing.job_posts_for_me: open posts of the student's class's major and grade
        # (one join through the post's majors to that class). Without `visible_to`: this condition
        # implies `JobPost.scope_q`'s own-student branch (a major of the post has the student's
        # class, in the post's grade), so the scope adds nothing to it; the answer is the same at
        # less than half the CPU the scoped subquery took to compile on a dorm head's every page.
        columns["jobs"] = Exists(
            JobPost.objects.open().filter(
                majors__classes=student.school_class_id, grade_year=F("majors__classes__grade__year")
            )
        )
    if "organiser" in needs:
        columns["organiser"] = Exists(VolunteerTeam.objects.filter(leader=student, active=True))
    row = get_user_model().objects.filter(pk=user.pk).annotate(**columns).values(*columns).first() or {}
    answers = {}
    if "reporter" in needs:
        raw = row.get("reporter_kinds")
        kinds = OpinionSettings(reporter_kinds=DEFAULT_REPORTER_KINDS if raw is None else raw).kinds
        answers["reporter"] = bool(scope.post_kinds & set(kinds))
    for name in ("pairing", "jobs", "organiser"):
        if name in needs:
            answers[name] = bool(row.get(name))
    return answers
