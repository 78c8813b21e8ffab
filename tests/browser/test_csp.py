"""The Content-Security-Policy in Chromium (issue 11 §1): every page type, opened by
every persona of the world who can open it, runs with no CSP violation and no script
error; a round title written as HTML by a dorm head is shown as text and runs nothing
when a leader hovers the chart.

A violation is caught twice: Chromium's own console error ("Refused to …") and a
`securitypolicyviolation` listener installed before any page script."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import get_resolver, reverse

from campusgrid.ledgers import services as ledgers
from campusgrid.ledgers.models import Inspection, InspectionItem, InspectionRound
from campusgrid.people.models import Student
from tests.browser.conftest import DESKTOP, PHONE, login_as
from tests.dashboards.contract_appraisal import csp_record
from tests.factories import PASSWORD
from tests.grid import rosters as r
from tests.scoping.test_contract import _all_covered, _names

from . import everything


def _service(w):
    """The service records (tests/service/contract_sessions.py), built once per world."""
    if not hasattr(w, "_service_records"):
        from tests.service.contract_sessions import build

        w._service_records = build(w)
    return w._service_records


def _party(w):
    """The pipeline's records (tests/party/contract_pipeline.py), built once per world."""
    if not hasattr(w, "_party_records"):
        from tests.party.contract_pipeline import build

        w._party_records = build(w)
    return w._party_records


def _party_built(w) -> list:
    """No arguments, but the pipeline's records exist (the board and the list show them)."""
    _party(w)
    return []


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The personas of tests/world.py, one of each role (the college-B twins add no page type).
PERSONAS = [
    "dorm_head",
    "monitor",
    "counselor",
    "class_teacher",
    "leader",
    "activist",
    "small_grid_leader",
    "branch_secretary",
    "student",
    "office",
]

# How each URL name that answers GET is opened: name -> args from the seeded records.
GET = {
    "home": lambda w, e: [],
    "people:students": lambda w, e: [],
    "people:student": lambda w, e: [w.student.student_no],
    "people:classes": lambda w, e: [],
    "people:class": lambda w, e: [w.class_a1.name],
    "people:room": lambda w, e: [w.room_a1.building.name, w.room_a1.number],
    "grid:coverage": lambda w, e: [],
    "grid:posts": lambda w, e: [],
    "grid:post": lambda w, e: [e.post.pk],
    "grid:import": lambda w, e: [],
    "grid:appoint": lambda w, e: [],
    "reports:list": lambda w, e: [],
    "reports:mine": lambda w, e: [],
    "reports:todo": lambda w, e: [],
    "reports:new": lambda w, e: [],
    "reports:detail": lambda w, e: [e.report.pk],
    "dossiers:list": lambda w, e: [],
    "dossiers:warnings": lambda w, e: [],
    "dossiers:screening": lambda w, e: [],
    "dossiers:screening-import": lambda w, e: [],
    "dossiers:grants": lambda w, e: [],
    "dossiers:access-log": lambda w, e: [],
    "dossiers:dossier": lambda w, e: [w.student.student_no],
    "dossiers:edit": lambda w, e: [w.student.student_no],
    "dossiers:talk-new": lambda w, e: [w.student.student_no],
    "ledgers:night": lambda w, e: [],
    "ledgers:night-progress": lambda w, e: [],
    "ledgers:night-list": lambda w, e: [],
    "ledgers:night-check": lambda w, e: [w.room_a1.pk],
    "ledgers:leave-list": lambda w, e: [],
    "ledgers:leave-new": lambda w, e: [],
    "ledgers:leave-detail": lambda w, e: [e.leave.pk],
    "ledgers:holiday-list": lambda w, e: [],
    "ledgers:holiday-open": lambda w, e: [],
    "ledgers:holiday-window": lambda w, e: [e.window.pk],
    "ledgers:holiday-register": lambda w, e: [e.window.pk],
    "ledgers:inspection-list": lambda w, e: [],
    "ledgers:inspection-new": lambda w, e: [],
    "ledgers:inspection-round": lambda w, e: [e.round.pk],
    "ledgers:inspection-room": lambda w, e: [e.inspection.pk],
    "ledgers:finding-list": lambda w, e: [],
    "ledgers:finding": lambda w, e: [e.finding.pk],
    "ledgers:ratings": lambda w, e: [],
    "notifications:list": lambda w, e: [],
    "api-docs": lambda w, e: [],
    "ping": lambda w, e: [],
    # The API opened in a browser: DRF's browsable pages.
    "api-root": lambda w, e: [],
    "student-list": lambda w, e: [],
    "student-detail": lambda w, e: [w.student.student_no],
    "api-student-chain": lambda w, e: [w.student.student_no],
    "api-coverage": lambda w, e: [],
    "api-vacancy-candidates": lambda w, e: [],
    "post-list": lambda w, e: [],
    "post-detail": lambda w, e: [e.post.pk],
    "report-list": lambda w, e: [],
    "report-detail": lambda w, e: [e.report.pk],
    "key-student-list": lambda w, e: [],
    "key-student-detail": lambda w, e: [w.student.student_no],
    "talk-record-list": lambda w, e: [],
    "talk-record-detail": lambda w, e: [e.talk.pk],
    "screening-result-list": lambda w, e: [],
    "screening-result-detail": lambda w, e: [e.screening.pk],
    "warning-list": lambda w, e: [],
    "warning-detail": lambda w, e: [e.proposal.pk],
    "access-grant-list": lambda w, e: [],
    "access-log-list": lambda w, e: [],
    "night-check-list": lambda w, e: [],
    "night-check-detail": lambda w, e: [e.night_check.pk],
    "night-check-progress": lambda w, e: [],
    "leave-list": lambda w, e: [],
    "leave-detail": lambda w, e: [e.leave.pk],
    "holiday-window-list": lambda w, e: [],
    "holiday-window-detail": lambda w, e: [e.window.pk],
    "holiday-registration-list": lambda w, e: [],
    "holiday-registration-detail": lambda w, e: [e.registration.pk],
    "inspection-round-list": lambda w, e: [],
    "inspection-round-rates": lambda w, e: [],
    "inspection-round-detail": lambda w, e: [e.round.pk],
    "inspection-list": lambda w, e: [],
    "inspection-detail": lambda w, e: [e.inspection.pk],
    "finding-list": lambda w, e: [],
    "finding-detail": lambda w, e: [e.finding.pk],
    "room-rating-list": lambda w, e: [],
    "notification-list": lambda w, e: [],
    "people:profile": lambda w, e: [],
    # appraisal, honours
    "dashboards:appraisals": lambda w, e: [],
    "dashboards:appraisal-mine": lambda w, e: [],
    "dashboards:appraisal-settings": lambda w, e: [],
    "dashboards:appraisal": lambda w, e: [csp_record(w, "published")],
    "dashboards:honours": lambda w, e: [],
    "dashboards-appraisal-list": lambda w, e: [],
    "dashboards-appraisal-detail": lambda w, e: [csp_record(w, "published")],
    "dashboards-class-honour-list": lambda w, e: [],
    "dashboards-class-honour-detail": lambda w, e: [csp_record(w, "honour")],
    "dashboards-class-honour-ranking": lambda w, e: [],
    # assessments, awards, meetings (party-assess): records made on first use
    "party:assess-mine": lambda w, e: [],
    "party:assess-form": lambda w, e: [_party_assess(w)["applicant"]],
    "party:assess-sheet": lambda w, e: [_party_assess(w)["activist"]],
    "party:assess-progress": lambda w, e: [],
    "party:award-list": lambda w, e: [],
    "party:meeting-list": lambda w, e: [],
    "party:meeting-new": lambda w, e: [],
    "party:meeting-detail": lambda w, e: [_party_assess(w)["meeting"]],
    "party-assessment-list": lambda w, e: [],
    "party-assessment-detail": lambda w, e: [_party_assess(w)["assessment"]],
    "party-assessment-mine": lambda w, e: [],
    "party-assessment-progress": lambda w, e: [],
    "party-assessment-sheet": lambda w, e: [],
    "party-award-list": lambda w, e: [],
    "party-award-detail": lambda w, e: [_party_assess(w)["award"]],
    "party-award-candidates": lambda w, e: [],
    "party-meeting-list": lambda w, e: [],
    "party-meeting-detail": lambda w, e: [_party_assess(w)["meeting"]],
    "dashboards:index": lambda w, e: [],
    # service: sessions, attendance, hours, teams, training (svc-core)
    "service:session-list": lambda w, e: [],
    "service:volunteer-list": lambda w, e: [],
    "service:served-list": lambda w, e: [],
    "service:session-new": lambda w, e: [],
    "service:session-detail": lambda w, e: [_service(w)["a"].pk],
    "service:session-code": lambda w, e: [_service(w)["live"].pk],
    "service:sign-in": lambda w, e: [],
    "service:my-sessions": lambda w, e: [],
    "service:my-hours": lambda w, e: [],
    "service:hours-ledger": lambda w, e: [],
    "service:team-list": lambda w, e: [],
    "service:team-new": lambda w, e: [],
    "service:team-detail": lambda w, e: [_service(w)["team_a"].pk],
    "service:training": lambda w, e: [],
    "service-session-list": lambda w, e: [],
    "service-session-detail": lambda w, e: [_service(w)["a"].pk],
    "service-session-attendance": lambda w, e: [_service(w)["a"].pk],
    "service-hours-list": lambda w, e: [],
    "service-team-list": lambda w, e: [],
    "service-team-detail": lambda w, e: [_service(w)["team_a"].pk],
    # pairing, 舆情, visits (records of tests/service/contract_more.py, built once per world)
    "service:opinion-mine": lambda w, e: [],
    "service:opinion-summary": lambda w, e: [],
    "service:opinion-periods": lambda w, e: [],
    "service:opinion-item": lambda w, e: [_more(w)["named"].pk],
    "service:pairing-list": lambda w, e: [],
    "service:pairing-mine": lambda w, e: [],
    "service:pairing-detail": lambda w, e: [_more(w)["pairing"].pk],
    "service:job-list": lambda w, e: [],
    "service:visit-list": lambda w, e: [],
    "service:visit-new": lambda w, e: [],
    "service:visit-progress": lambda w, e: [],
    "service:visit-detail": lambda w, e: [_more(w)["visit"].pk],
    "service-pairing-list": lambda w, e: [],
    "service-pairing-detail": lambda w, e: [_more(w)["pairing"].pk],
    "service-job-post-list": lambda w, e: [],
    "service-job-post-detail": lambda w, e: [_more(w)["job"].pk],
    "service-opinion-report-list": lambda w, e: [],
    "service-opinion-report-detail": lambda w, e: [_more(w)["report"].pk],
    "service-opinion-item-list": lambda w, e: [],
    "service-opinion-item-detail": lambda w, e: [_more(w)["named"].pk],
    "service-visit-list": lambda w, e: [],
    "service-visit-detail": lambda w, e: [_more(w)["visit"].pk],
    "party:board": lambda w, e: _party_built(w),
    "party:file-new": lambda w, e: [],
    "party:file": lambda w, e: [_party(w)["a"].number],
    "party:meetings": lambda w, e: [],
    "party:meeting": lambda w, e: [_party(w)["meeting"].pk],
    "party-file-list": lambda w, e: _party_built(w),
    "party-file-detail": lambda w, e: [_party(w)["a"].number],
    "party-assembly-list": lambda w, e: [],
    "party-assembly-detail": lambda w, e: [_party(w)["meeting"].pk],
    # semester report
    "dashboards:report": lambda w, e: [],
    "dashboards:report-run": lambda w, e: [_semester_report_run(w)],
}


def _more(w):
    """The pairing, 舆情 and visit records, built once for the world."""
    if getattr(w, "_service_more", None) is None:
        from tests.service.contract_more import build

        w._service_more = build(w)
    return w._service_more


def _semester_report_run(world) -> int:
    from tests.dashboards.contract_report import build

    if not hasattr(world, "semester_report_run"):  # once: GET's args are asked per persona
        world.semester_report_run = build(world)["run"].pk
    return world.semester_report_run


def _party_assess(w) -> dict:
    """An applicant in 301 assessed by its activist, the activist assessed by the small grid's
    member, a work meeting with a 舆情 item, a proposal (once per world)."""
    if getattr(w, "_party", None) is None:
        from campusgrid.core import clock
        from campusgrid.org.models import Semester
        from campusgrid.party.services.assess import assessment_record
        from campusgrid.party.services.awards import award_propose
        from campusgrid.party.services.meetings import meeting_record

        semester = Semester.current()
        Student.objects.filter(student_no="A1002").update(political_status="applicant")
        member = assessment_record(
            actor=w.small_grid_leader.user,
            semester=semester,
            student_no="A1003",
            score=90,
            comment="带头作用好",
        )
        assessment_record(
            actor=w.activist.user, semester=semester, student_no="A1002", score=85, comment="积极"
        )
        meeting = meeting_record(
            actor=w.branch_secretary.user,
            branch=w.branch,
            date=clock.today(),
            minutes="通报寝室检查情况",
            attendees=[w.small_grid_leader, w.activist],
            opinions=[{"text": "热水时间短", "room": w.room_a1, "students": []}],
        )
        award = award_propose(
            actor=w.branch_secretary.user,
            branch=w.branch,
            semester=semester,
            kind="advanced",
            student_no="A1003",
        )
        w._party = {
            "applicant": "A1002",
            "activist": "A1003",
            "assessment": member.pk,
            "meeting": meeting.pk,
            "award": award.pk,
        }
    return w._party


# The REST API opened in a browser (DRF's browsable API).
API_PAGES = {name for name in GET if ":" not in name and name not in ("home", "api-docs", "healthz", "ping")}

# URL names not opened as a page here, and why (their headers: tests/foundation/test_csp.py).
NOT_PAGES = {
    # JSON drawn by /dashboards/ (opened above), which fetches them one after another.
    "dashboard-chart-list": "JSON for the dashboard's charts (fetched by dashboards:index)",
    "dashboard-chart-detail": "JSON for one chart (fetched by dashboards:index)",
    "bench-floor": "404 outside DEBUG, staff and `campusgrid bench` (tests/dashboards/test_bench.py)",
    "bench-api-floor": "404 outside DEBUG, staff and `campusgrid bench` (tests/dashboards/test_bench.py)",
    "login": "opened anonymously in test_login_and_error_pages_run_under_the_policy",
    "logout": "POST only",
    "schema": "a YAML download",
    "grid:placement": "POST only",
    "grid:import-template": "an .xlsx download",
    "reports:act": "POST only",
    "reports:photo": "an image (shown inside reports:detail)",
    "dossiers:warning-decide": "POST only",
    "dossiers:screening-template": "an .xlsx download",
    "dossiers:screening-follow-up": "POST only",
    "dossiers:grant-revoke": "POST only",
    "dossiers:remove": "POST only",
    "dossiers:review": "POST only",
    "dossiers:pdf": "a PDF download",
    "dashboards:report-download": "a PDF or .xlsx download (the report page links it)",
    "dashboards:report-export": "a PDF or .xlsx download",
    "ledgers:leave-act": "POST only",
    "ledgers:holiday-return": "POST only",
    "ledgers:holiday-depart": "POST only",
    "ledgers:finding-photo": "an image (shown inside ledgers:finding)",
    "ledgers:holiday-ledger": "an .xlsx download",
    "notifications:open": "a redirect to the notification's target",
    "notifications:read-all": "POST only",
    "people:my-data": "a JSON download",
    "accounts:profile": "a permanent redirect to people:profile (the one 个人设置 page)",
    "healthz": "JSON for the load balancer, 503 until a tick ran (its header: tests/foundation/test_csp.py)",
    "accounts:wecom-messages": "POST only",
    "accounts:wecom-unbind": "POST only",
    "accounts:wecom-login": "a redirect to WeCom (404 unless WeCom is configured)",
    "accounts:wecom-callback": "WeCom's redirect back, with a one-time code",
    # appraisal, honours
    "dashboards:appraisal-run": "POST only",
    "dashboards:honour-decide": "POST only",
    "dashboards-appraisal-compute": "POST only",
    "dashboards-appraisal-publish": "POST only",
    "dashboards-appraisal-score": "POST only",
    "dashboards-appraisal-answer": "POST only",
    "dashboards-class-honour-decide": "POST only",
    "party:award-propose": "POST only",
    "party:award-decide": "POST only",
    "party:award-publish": "POST only",
    "party:award-quota": "POST only",
    "party:opinion-report": "POST only",
    "party-award-propose": "POST only",
    "party-award-decide": "POST only",
    "party-award-publish": "POST only",
    "party-meeting-report-opinion": "POST only",
    "service:session-attendance": "POST only",
    "service:session-hours": "POST only",
    "service:session-served": "POST only",
    "service:session-signup": "POST only",
    "service:session-end": "POST only",
    "service:session-qr": "an SVG image (shown inside service:session-code)",
    "service:team-member-remove": "POST only",
    "service-session-sign-in": "POST only",
    "service-session-credit-hours": "POST only",
    "service-session-correct-hours": "POST only",
    "service:pairing-mark": "POST only",
    "service:pairing-new": "POST only",
    "service:pairing-outcome": "POST only",
    "service:opinion-item-escalate": "POST only",
    "service:visit-follow-up": "POST only",
    "service-pairing-contacts": "POST only",
    "service-pairing-outcome": "POST only",
    "party:step": "POST only",
    "party:material-upload": "POST only",
    "party:material": "a download (linked from party:file)",
    "party:register-pdf": "a PDF download",
    "party-file-steps": "POST only",
}
# Query strings a URL needs to answer 200.
QUERY = {
    "grid:appoint": "?kind=monitor&class=化工2401",
    "api-vacancy-candidates": "?kind=monitor&class=化工2401",
    "party-assessment-sheet": "?student_no=A1003",
}
API_POST_ONLY = ("-end", "-accept", "-close", "-confirm", "-escalate", "-feedback", "-handle", "-object")
API_POST_ONLY += ("-resubmit", "-return", "-transfer", "-remove", "-review", "-import", "-follow-up")
API_POST_ONLY += ("-dismiss", "-revoke", "-approve", "-cancel", "-refuse", "-record", "-findings")
API_POST_ONLY += ("-recheck", "-read-all", "-depart")

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var line = e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
    e.sourceFile + ":" + e.lineNumber + " " + (e.sample || "");
  window.__csp.push(line);
  console.error("CSP violation: " + line);
});
"""


class Watcher:
    """Collects CSP violations, console errors and uncaught script errors of one page."""

    def __init__(self, page):
        self.page, self.problems = page, []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: script error {error}"))

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            if where.endswith("/favicon.ico"):
                return  # asked by Chromium for JSON and text answers, which cannot link an icon
            self.problems.append(f"{self.page.url}: {message.text} ({where})")

    def open(self, url):
        return self.page.goto(url)  # waits for "load"

    def assert_clean(self):
        # Violations fire as events after the fact: give them a moment to arrive.
        self.page.wait_for_timeout(50)
        reported = self.page.evaluate("window.__csp || []")
        assert not self.problems and not reported, "\n".join(self.problems + reported)


def session_for(live_server, page, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_every_url_name_is_opened_or_said_why_not():
    # CAS's own views exist only while CAS is configured (test_cas_sso.py configures it, and in a
    # random order may run first): they are its journey's, not pages of ours.
    names = {n for n in _names(get_resolver().url_patterns) if not n.startswith("cas_ng_")}
    assert names <= set(_all_covered()) | {"api-root"}  # the scoping contract's list
    missing = sorted(
        n for n in names if n not in GET and n not in NOT_PAGES and not n.endswith(API_POST_ONLY)
    )
    assert not missing, f"open these in test_every_page_type_runs_under_the_policy: {missing}"


def test_every_page_type_runs_under_the_policy(world, live_server, new_page):
    seeded = everything.build(world)
    opened = {}
    for persona in PERSONAS:
        user = world[persona].user
        client = Client()
        client.force_login(user)
        urls = []
        for name, args in GET.items():
            if name in API_PAGES and name in opened:
                continue  # DRF's browsable page is the same template for everyone: once is enough
            url = reverse(name, args=args(world, seeded)) + QUERY.get(name, "")
            # Only what this persona can open (the scoping contract proves the 404s);
            # a redirect is followed (今晚查寝 → the dorm head's room or tonight's progress).
            if client.get(url, HTTP_ACCEPT="text/html").status_code in (200, 302):
                urls.append((name, url))
                if name in API_PAGES:
                    opened[name] = {persona}
        phone = persona in ("dorm_head", "monitor", "activist", "small_grid_leader", "student")
        page = new_page(**(PHONE if phone else DESKTOP))
        session_for(live_server, page, user)
        watcher = Watcher(page)
        for name, url in urls:
            response = watcher.open(live_server.url + url)
            assert response.status == 200, (persona, url, response.status)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            if name == "ledgers:inspection-list" and page.locator("#illegal-rate-chart canvas").count():
                page.hover("#illegal-rate-chart canvas")
            opened.setdefault(name, set()).add(persona)
        watcher.assert_clean()
    loads = sum(len(personas) for personas in opened.values())
    print(f"CSP: {len(opened)} URL names, {loads} page loads over {len(PERSONAS)} personas")
    never = sorted(set(GET) - set(opened))
    assert not never, f"no persona could open: {never}"


def test_login_and_error_pages_run_under_the_policy(world, live_server, page):
    watcher = Watcher(page)
    response = watcher.open(f"{live_server.url}/students/")  # a redirect to the login page
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.fill("#id_username", "A1001")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    page.locator(".alert-danger").wait_for()
    watcher.assert_clean()
    login_as(page, live_server, "A1001", PASSWORD)
    response = page.goto(f"{live_server.url}/students/NOPE/")
    assert response.status == 404 and "object-src 'none'" in response.headers["content-security-policy"]
    # The 404 page's own resources are fine; the 404 itself is what the console reports.
    page.wait_for_timeout(50)
    assert page.evaluate("window.__csp || []") == []


def test_the_scripts_that_were_inline_work_under_the_policy(world, live_server, page, tmp_path):
    """What used to be inline JavaScript, now in static files: the confirmation before a
    student leaves, the import upload with its progress and the confirm button that
    says it is busy, the late-return time of the night check."""
    everything.build(world)
    session_for(live_server, page, world.counselor.user)
    watcher = Watcher(page)
    watcher.open(f"{live_server.url}{reverse('people:student', args=['A1002'])}")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="变更").click()
    assert asked == ["离校将释放床位并结束其网格职务，确定吗？"]
    assert page.url.endswith("/students/A1002/")
    assert Student.objects.get(student_no="A1002").status == "enrolled"

    rows = [r.student("A2101", "新生甲", 学院="化工学院", 班级="化工2402", 楼栋="东1", 寝室号="305")]
    path = r.write_xlsx(
        tmp_path / "名册.xlsx", rows, headers=["学号", "姓名", "性别", "学院", "班级", "楼栋", "寝室号"]
    )
    watcher.open(f"{live_server.url}{reverse('grid:import')}")
    page.select_option("#id_kind", "roster")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-button")
    page.locator("#import-preview").wait_for()
    assert page.locator("#count-new").inner_text() == "1"
    assert page.locator("nav.navbar").count() == 1  # htmx swapped <main>, not the whole page
    page.click("#confirm-import")
    page.wait_for_url(f"{live_server.url}/grid/coverage/")
    assert Student.objects.filter(student_no="A2101").exists()
    watcher.assert_clean()

    dorm = page.context.browser.new_context(**PHONE)
    dorm_page = dorm.new_page()
    session_for(live_server, dorm_page, world.dorm_head.user)
    dorm_watcher = Watcher(dorm_page)
    dorm_watcher.open(f"{live_server.url}{reverse('ledgers:night-check', args=[world.room_a1.pk])}")
    dorm_page.click("label[for=s-A1003-late]")
    assert dorm_page.locator("input[name=t-A1003]").is_visible()
    assert dorm_page.inner_text("#night-submit") == "提交查寝"
    dorm_watcher.assert_clean()
    dorm.close()


XSS = '<img src=x onerror="window.__xss=1">'


def test_a_round_title_written_as_html_is_text_and_runs_nothing(world, live_server, new_page):
    # A dorm head creates a round over their own room, on their phone, titled as HTML.
    phone = new_page(**PHONE)
    login_as(phone, live_server, "A1001", PASSWORD)
    phone.goto(f"{live_server.url}{reverse('ledgers:inspection-new')}")
    phone.fill("#id_title", XSS)
    phone.select_option("#id_kind", "safety")
    phone.click("#submit-round")
    phone.wait_for_url(f"{live_server.url}/ledgers/inspections/*/")
    round_ = InspectionRound.objects.get(title=XSS)
    inspection = Inspection.objects.get(round=round_)
    dorm_head = User.objects.get(username="A1001")
    ledgers.inspection_record(actor=dorm_head, inspection=inspection)
    ledgers.finding_add(
        actor=dorm_head, inspection=inspection, item=InspectionItem.objects.get(name="违章电器")
    )

    # The college leader opens the inspections and hovers the chart.
    page = new_page(**DESKTOP)
    watcher = Watcher(page)
    login_as(page, live_server, "L0001", PASSWORD)
    watcher.open(f"{live_server.url}{reverse('ledgers:inspection-list')}")
    canvas = page.locator("#illegal-rate-chart canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    # Sweep the plot: the axis tooltip shows the round nearest the pointer.
    for step in range(1, 10):
        page.mouse.move(box["x"] + box["width"] * step / 10, box["y"] + box["height"] / 2)
        page.wait_for_timeout(30)
    assert page.evaluate("window.__xss") is None
    # The tooltip is drawn on the canvas: its text never reaches an HTML parser.
    chart = "echarts.getInstanceByDom(document.getElementById('illegal-rate-chart'))"
    assert page.evaluate(f"{chart}.getOption().tooltip[0].renderMode") == "richText"
    assert page.locator("#illegal-rate-chart img").count() == 0
    assert page.locator("main img[src=x]").count() == 0
    # The title is shown as text in the list, and nothing outside the canvas holds markup.
    row = page.locator(f"tr[data-round='{round_.pk}'] a").first
    assert row.inner_text() == XSS
    assert (
        page.locator("#illegal-rate-chart").evaluate(
            "e => e.querySelectorAll('*:not(div):not(canvas)').length"
        )
        == 0
    )
    page.screenshot(path="/tmp/csp-xss-chart.png")
    watcher.assert_clean()


def test_swagger_ui_and_the_admin_run_under_the_policy(world, live_server, page):
    admin = User.objects.create_superuser("csp-admin", password=PASSWORD)
    session_for(live_server, page, admin)
    watcher = Watcher(page)
    response = watcher.open(f"{live_server.url}{reverse('api-docs')}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .opblock").first.wait_for()  # the operations are drawn
    page.locator(".swagger-ui .opblock-summary").first.click()  # and open
    page.locator(".swagger-ui .opblock-body").first.wait_for()
    watcher.assert_clean()

    pages = [
        reverse("admin:index"),
        reverse("admin:people_student_changelist"),
        reverse("admin:people_student_change", args=[world.student.pk]),
        reverse("admin:grid_post_add"),
        reverse("admin:auth_user_changelist"),
    ]
    for url in pages:
        response = watcher.open(live_server.url + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
    watcher.assert_clean()


def test_the_watcher_sees_what_the_policy_blocks(world, live_server, page):
    """The checks above can fail: an inline script, an inline style and an inline
    handler put into a page are blocked and reported."""
    watcher = Watcher(page)
    watcher.open(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = 1";
        document.body.append(script);
        const box = document.createElement("div");
        box.setAttribute("style", "color: red");
        box.setAttribute("onclick", "window.__ran = 2");
        document.body.append(box);
        box.click();
    }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.__ran") is None
    reported = page.evaluate("window.__csp")
    assert any(r.startswith("script-src") for r in reported), reported
    assert any(r.startswith("style-src") for r in reported), reported
    with pytest.raises(AssertionError):
        watcher.assert_clean()
