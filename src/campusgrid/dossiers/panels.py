"""What the dossiers app shows on other apps' pages: home panels and detail-page sections
(render functions that call selectors). Registered by hooks.py."""

from django.urls import reverse

from .policy import is_manager, may_see_dossier


def key_students_panel(request):
    """Counts for level 3 and above, from the scoped selectors (nothing for others)."""
    if not is_manager(request.user):
        return None
    from .selectors import panel_counts

    return panel_counts(user=request.user)


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
