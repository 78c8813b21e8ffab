"""htmx helpers: one URL renders the whole page or just the fragment asked for."""


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def template_for(request, template: str, partial: str) -> str:
    """`template` for a full page, `template#partial` for an htmx request."""
    return f"{template}#{partial}" if is_htmx(request) else template
