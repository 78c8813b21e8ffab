"""What the dashboards show on other pages: the home panel that opens the charts."""

from __future__ import annotations

from django.urls import reverse

from .policy import charts_for


def charts_panel(request):
    """A short line on the home page of levels 3–5: the dashboard with its charts."""
    charts = charts_for(request.user)
    if not charts:
        return None
    url = reverse("dashboards:index")
    focus = getattr(request, "focus_college", None)
    if focus is not None:
        url += f"?college={focus.pk}"
    return {"url": url, "titles": [c.title for c in charts]}
