from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def notification_list(request):
    # Notifications are the user's own (Notification.scope_q), never found by id alone.
    qs = selectors.notification_list(user=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "page_title": "通知"})


@login_required
@require_POST
def notification_open(request, pk):
    note = selectors.notification_get(user=request.user, pk=pk)
    services.mark_read(user=request.user, ids=[note.pk])
    target = note.url if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None) else "/"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")
