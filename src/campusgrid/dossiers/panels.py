"""What the dossiers app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from django.urls import reverse

from .policy import is_manager, may_see_dossier


def key_students_panel(request):
    """Counts for level 3 and above. Each figure counts the rows of the page it opens through
    that page's selector with the link's filters (?risk_level=, ?review=, the open proposals,
    ?follow_up=pending): dossiers.selectors.panel_counts, one query shared with the
    navigation badge."""
    if not is_manager(request.user):
        return None
    from campusgrid.core.figures import figure

    from .models import FollowUp
    from .selectors import panel_counts

    counts = panel_counts(user=request.user)
    return {
        "total": figure(request, "在册重点学生", counts["total"], "dossiers:list"),
        "levels": [
            figure(request, label, n, "dossiers:list", {"risk_level": value})
            for value, label, n in counts["levels"]
        ],
        "review_due": figure(request, "复查到期", counts["review_due"], "dossiers:list", {"review": "due"}),
        "review_overdue": figure(
            request, "复查逾期", counts["review_overdue"], "dossiers:list", {"review": "overdue"}
        ),
        "proposals": figure(request, "待处理预警", counts["proposals"], "dossiers:warnings"),
        "follow_ups": figure(
            request,
            "心理筛查待跟进",
            counts["follow_ups"],
            "dossiers:screening",
            {"follow_up": FollowUp.PENDING},
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
