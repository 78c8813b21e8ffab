"""The Content-Security-Policy (issue 11 §1): every response carries it — pages, API
JSON, redirects, 404s, static files — with the directives that make injected markup
inert; and the sources keep to the rules that let the policy stay this strict (no
inline script, handler or style in a template; no HTML from strings in static JS).
The same policy in Chromium: tests/browser/test_csp.py."""

import pathlib
import re

import pytest
from django.test import override_settings

from campusgrid.core.csp import extra_form_action_origins

pytestmark = pytest.mark.django_db

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "src" / "campusgrid"

EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
}


def directives(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.get('Content-Type')}"
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def assert_strict(response):
    policy = directives(response)
    assert policy == EXPECTED, policy
    for name in ("script-src", "style-src", "default-src"):
        assert not policy[name] & {"'unsafe-inline'", "'unsafe-eval'", "*"}


def test_html_pages_carry_the_policy(world, login):
    client = login(world.counselor)
    for url in ["/", "/students/", "/ledgers/inspections/", "/grid/coverage/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_htmx_fragments_carry_the_policy(world, login):
    response = login(world.counselor).get("/students/", {"q": "张"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert_strict(response)


def test_api_json_carries_the_policy(world, api):
    response = api(world.counselor).get("/api/v1/students/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert_strict(response)
    refused = api().get("/api/v1/students/")
    assert refused.status_code in (401, 403)
    assert_strict(refused)


def test_redirects_and_errors_carry_the_policy(world, login, client):
    redirect = client.get("/students/")
    assert redirect.status_code == 302
    assert_strict(redirect)
    assert_strict(client.get("/accounts/login/"))
    missing = login(world.counselor).get("/students/NOPE/")
    assert missing.status_code == 404
    assert_strict(missing)
    assert_strict(client.get("/no/such/page/"))
    assert_strict(client.get("/healthz"))


def test_static_files_carry_the_policy(client):
    response = client.get("/static/campusgrid/app.js")
    assert response.status_code == 200
    assert_strict(response)


def test_downloads_carry_the_policy(world, login):
    response = login(world.counselor).get("/grid/import/template/roster.xlsx")
    assert response.status_code == 200
    assert_strict(response)


def test_the_admin_and_swagger_ui_get_the_same_policy(world, login, admin_client):
    assert_strict(admin_client.get("/admin/"))
    assert_strict(admin_client.get("/admin/people/student/"))
    docs = login(world.counselor).get("/api/docs/")
    assert docs.status_code == 200
    assert_strict(docs)
    html = docs.content.decode()
    assert "<style" not in html and not re.search(r"<script>", html)
    script = login(world.counselor).get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")


def test_the_browsable_api_alone_may_use_inline_styles(world, login):
    """DRF's own HTML for an API URL opened in a browser is written with style=""
    attributes; its scripts stay under script-src 'self'."""
    response = login(world.counselor).get("/api/v1/students/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    policy = directives(response)
    assert policy["style-src"] == {"'self'", "'unsafe-inline'"}
    assert policy["script-src"] == {"'self'"}
    assert {k: v for k, v in policy.items() if k != "style-src"} == {
        k: v for k, v in EXPECTED.items() if k != "style-src"
    }


@override_settings(
    CAS_SERVER_URL="https://cas.example.edu.cn/cas/",
    CAMPUSGRID_CSP_FORM_ACTION=["https://sso.example.edu.cn"],
)
def test_form_action_allows_the_configured_cas_server(client):
    assert extra_form_action_origins() == ["https://cas.example.edu.cn", "https://sso.example.edu.cn"]
    policy = directives(client.get("/accounts/login/"))
    assert policy["form-action"] == {"'self'", "https://cas.example.edu.cn", "https://sso.example.edu.cn"}
    assert policy["script-src"] == {"'self'"}


@override_settings(CAS_SERVER_URL="", CAMPUSGRID_CSP_FORM_ACTION=["not a url", "javascript:alert(1)"])
def test_form_action_ignores_what_is_not_an_origin(client):
    assert extra_form_action_origins() == []
    assert directives(client.get("/accounts/login/"))["form-action"] == {"'self'"}


# --- the sources keep to what the policy allows ------------------------------------------------

TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))
SCRIPTS = sorted((PACKAGE / "static").glob("**/*.js"))


def _template_problems(text: str) -> list[str]:
    # Template comments may name what is banned.
    text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", text, flags=re.S)
    problems = []
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
        if "src=" not in tag:
            problems.append(f"inline script {tag}")
    for tag in re.findall(r"<[a-z][^>]*>", text, flags=re.I | re.S):
        for attribute in re.findall(r"\s(on[a-z]+|hx-on[:\w-]*|style)\s*=", tag, flags=re.I):
            problems.append(f"{attribute}= in {tag[:80]}")
    if re.search(r"<style\b", text, flags=re.I):
        problems.append("<style> block")
    for marker in ("javascript:", "js:", "hx-vals='js", 'hx-vals="js'):
        if marker in text:
            problems.append(marker)
    return problems


def test_the_checks_of_the_sources_can_fail():
    assert _template_problems('<button onclick="go()">') and _template_problems("<script>x()</script>")
    assert _template_problems('<div style="width:1%">') and _template_problems("<style>a{}</style>")
    assert _template_problems('<div hx-on:click="x()">')
    assert not _template_problems(
        '<script src="/static/a.js"></script><div class="w-pct-5" data-confirm="确定？">'
    )
    assert _script_problems("el.innerHTML = title;") and _script_problems('x.insertAdjacentHTML("a", b)')


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_templates_have_no_inline_script_handler_or_style(path):
    assert not _template_problems(path.read_text()), path


def _script_problems(text: str) -> list[str]:
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)  # comments may name what is banned
    banned = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "$("]
    problems = [word for word in banned if word in code]
    if "tooltip" in code and 'renderMode: "richText"' not in code:
        problems.append("an ECharts tooltip that is not rich text (HTML tooltips parse their text)")
    return problems


def test_there_are_static_scripts_to_check():
    assert {p.name for p in SCRIPTS} >= {"app.js", "inspection_chart.js", "night_check.js", "import.js"}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_static_scripts_build_no_html_from_strings(path):
    assert not _script_problems(path.read_text()), path
