"""Who may do what with appraisals and class honours: services refuse by it, templates draw
buttons by it, navigation shows items by it."""

from __future__ import annotations

from campusgrid.core.scoping import scope_for


def may_manage_appraisals(user) -> bool:
    """Counselors, class teachers, leaders and the office: compute, score, publish, answer."""
    return scope_for(user).is_manager


def may_manage(user, appraisal) -> bool:
    """Level 3+ over the worker's class (as `Appraisal.scope_q(scope, "change")`)."""
    return scope_for(user).manages(college_id=appraisal.college_id, class_id=appraisal.school_class_id)


def is_the_worker(user, appraisal) -> bool:
    student_id = scope_for(user).self_student_id
    return student_id is not None and appraisal.student_id == student_id


def may_object(user, appraisal) -> bool:
    return is_the_worker(user, appraisal) and appraisal.objection_open


def may_see_own(user) -> bool:
    """A student who holds (or held) a grid post: their own appraisals."""
    scope = scope_for(user)
    return scope.self_student_id is not None and scope.is_grid_worker


def may_edit_settings(user) -> bool:
    """The college leaders and the office set weights, grade lines and the objection window."""
    return scope_for(user).leads_college()


# --- class honours ------------------------------------------------------------------------------


def may_see_honours(user) -> bool:
    return scope_for(user).is_manager


def may_propose(user, school_class) -> bool:
    """The class's counselor (or class teacher, or a leader) proposes."""
    return scope_for(user).is_manager_of_class(school_class.pk, school_class.college_id)


def may_decide(user, honour) -> bool:
    """The college decides: its leaders (and the office)."""
    return scope_for(user).leads_college(honour.college_id)
