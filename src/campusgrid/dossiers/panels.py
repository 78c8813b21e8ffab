"""What the dossiers app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from django.urls import reverse

from .policy import is_manager, may_see_dossier


def key_students_panel(request):
    """Counts for level 3 and above. Each figure counts the rows of the page it opens through
    that page's selector: one aggregate over the key list (the same filters as ?risk_level=
    and ?review=), one count of open proposals, one of pending screening follow-ups."""
    if not is_manager(request.user):
        return None
    from django.db.models import Count, Q

    from campusgrid.core import clock
    from campusgrid.core.figures import figure

    from .models import FollowUp, RiskLevel
    from .selectors import key_student_list, panel_counts, screening_result_list

    user = request.user
    today = clock.today()
    counts = {f"level_{v}": Count("id", filter=Q(risk_level=v)) for v in RiskLevel.values}
    row = (
        key_student_list(user=user, filters={})
        .order_by()
        .aggregate(
            total=Count("id"),
            review_due=Count("id", filter=Q(next_review__lte=today)),
            review_overdue=Count("id", filter=Q(next_review__lt=today)),
            **counts,
        )
    )
    follow_up = {"follow_up": FollowUp.PENDING}
    return {
        "total": figure(request, "在册重点学生", row["total"], "dossiers:list"),
        "levels": [
            figure(request, label, row[f"level_{value}"], "dossiers:list", {"risk_level": value})
            for value, label in RiskLevel.choices
        ],
        "review_due": figure(request, "复查到期", row["review_due"], "dossiers:list", {"review": "due"}),
        "review_overdue": figure(
            request, "复查逾期", row["review_overdue"], "dossiers:list", {"review": "overdue"}
        ),
        # panel_counts' open proposals are proposal_list's rows (visible_to CHANGE, state open),
        # counted once per request for this figure and the navigation badge together
        "proposals": figure(request, "待处理预警", panel_counts(user=user)["proposals"], "dossiers:warnings"),
        "follow_ups": figure(
            request,
            "心理筛查待跟进",
            screening_result_list(user=user, filters=follow_up).count(),
            "dossiers:screening",
            follow_up,
        ),
    }


def student_dossier_section(request, student):
    """A link from the student page, only for those who may open the dossier. It
    says nothing of whether a file exists, so it reveals nothing by itself."""
    if not may_see_dossier(request.user, student):
        return None
    from .policy import may_manage_dossier

    return {
        "dossier_url": reverse("dossiers:dossier", args=[student.student_no]),
        "talk_url": reverse("dossiers:talk-new", args=[student.student_no]),
        "may_manage": may_manage_dossier(request.user, student),
    }
