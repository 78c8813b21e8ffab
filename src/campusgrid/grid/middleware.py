"""`?college=<id>` on any page narrows the view to that college (issue 12 item 9).

The university office (and a leader of several colleges) starts every list with one row
per college; each row opens the same page with `?college=<id>`, which this middleware
turns into the person's scope narrowed to that college for the request — so every panel,
list, filter and export of the page shows that college as its leader sees it, through the
one scoping mechanism, and the 学院 filter of a list is the same parameter. Only reads
(GET/HEAD) are narrowed; a college the person does not see answers 404."""

from __future__ import annotations

from django.http import Http404

from campusgrid.core.scoping import scope_for


def focus_college_id(request) -> int | None:
    value = request.GET.get("college", "")
    return int(value) if value.isdigit() else None


class CollegeFocusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or request.path.startswith("/api/"):
            return None
        college_id = focus_college_id(request)
        user = getattr(request, "user", None)
        if college_id is None or user is None or not user.is_authenticated:
            return None
        scope = scope_for(user)
        if not scope.spans_colleges:
            return None  # one college at most: the page's own filter (if any) handles it
        from campusgrid.org.models import College

        college = College.objects.filter(pk=college_id).first()
        if college is None or not scope.sees_college(college_id):
            raise Http404("未找到，或不在您的管理范围内")
        request.scope_before_focus = scope
        user._campusgrid_scope = scope.narrowed_to_college(college_id)
        request.focus_college = college
        query = request.GET.copy()
        query.pop("college", None)
        request.focus_back_url = request.path + (f"?{query.urlencode()}" if query else "")
        return None
