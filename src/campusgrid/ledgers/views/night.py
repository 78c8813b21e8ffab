"""Night-check pages: the dorm head's phone form, tonight's progress, the ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import bootstrap
from campusgrid.core.htmx import is_htmx, template_for
from campusgrid.core.registry import may_open
from campusgrid.core.scoping import scope_for

from .. import selectors, services
from ..forms import NightFilterForm
from ..models import LedgerSettings, NightStatus
from ..services.common import is_dorm_head_of
from .common import date_param, export, page_of, wants_export


@login_required
def night_index(request):
    """今晚查寝: a dorm head goes straight to their room; others to tonight's progress."""
    rooms = list(selectors.checkable_rooms(user=request.user))
    if len(rooms) == 1:
        return redirect("ledgers:night-check", room_id=rooms[0].pk)
    if rooms:
        return render(
            request,
            "ledgers/night_rooms.html",
            {"rooms": rooms, "page_title": "今晚查寝", "date": selectors.tonight()},
        )
    return redirect("ledgers:night-progress")


@login_required
def night_check(request, room_id):
    """One room, one night: GET the form, POST it (htmx swaps the card; without
    htmx the page is redirected back). A 6-bed room takes one GET and one POST."""
    user = request.user
    room = selectors.room_for_check(user=user, room_id=room_id)
    settings = LedgerSettings.get()
    tonight = settings.night_of()
    date = date_param(request, default=tonight)
    error = None
    saved = None
    if request.method == "POST":
        # The form's fields name the students (s-<学号>, t-<学号>); the service checks that
        # each is a member the user may check, so the members are not read twice.
        entries = {
            key[2:]: {"status": value, "time": request.POST.get(f"t-{key[2:]}")}
            for key, value in request.POST.items()
            if key.startswith("s-") and value
        }
        try:
            saved = services.night_check_submit(
                actor=user,
                room=room,
                date=date,
                entries=entries,
                expected_version=request.POST.get("version") or None,
            )
        except ServiceError as exc:
            error = exc.message
        else:
            if not is_htmx(request):
                messages.success(request, _saved_text(saved))
                return redirect(reverse("ledgers:night-check", args=[room.pk]) + f"?date={date.isoformat()}")
    context = selectors.night_check_form(user=user, room=room, date=date, submitted=saved)
    now = clock.now()
    manager = scope_for(user).manages(college_id=None, class_id=None) or not is_dorm_head_of(user, room.pk)
    not_open = not manager and now < settings.open_moment(date)
    closed = not manager and now > settings.cutoff_moment(date)
    locked = not_open or closed
    context.update(
        {
            "page_title": f"查寝 {room.label}",
            "tonight": tonight,
            "settings": settings,
            "statuses": STATUS_BUTTONS,
            "action": reverse("ledgers:night-check", args=[room.pk]) + f"?date={date.isoformat()}",
            "locked": "disabled" if locked else "",
            "error": error,
            "saved": saved,
            "saved_text": _saved_text(saved) if saved else "",
            "not_open": not_open,
            "closed": closed,
            # A check's first version has no corrections (each correction bumps it).
            "corrections": selectors.corrections(check=context["check"])
            if context["check"] and context["check"].version > 1
            else [],
            "absent_reports": [
                r["entry"].report_id for r in context["rows"] if r["entry"] and r["entry"].report_id
            ],
        }
    )
    return render(request, template_for(request, "ledgers/night_check.html", "card"), context)


# The form's buttons: (value, label, Bootstrap colour), one button group per student.
STATUS_COLOURS = {
    NightStatus.PRESENT: "success",
    NightStatus.LEAVE: "info",
    NightStatus.LATE: "warning",
    NightStatus.ABSENT: "danger",
}
STATUS_BUTTONS = [(value, label, STATUS_COLOURS[value]) for value, label in NightStatus.choices]


def _saved_text(check) -> str:
    text = f"已提交：在寝{check.present_count}人，请假{check.leave_count}人，晚归{check.late_count}人，未归{check.absent_count}人"
    if check.absent_count:
        text += "；未归且无请假的已自动上报辅导员（夜不归宿）"
    return text + "。"


@login_required
def night_progress(request):
    """Tonight per class and building, the rooms not yet checked, absences and late returns."""
    user = request.user
    date = date_param(request, default=selectors.night_to_show())
    spans_colleges = scope_for(user).spans_colleges
    context = {
        "page_title": "查寝进度",
        "date": date,
        # Across colleges, the first absences only: a college's page lists all of its own.
        "exceptions": list(selectors.night_exceptions(user=user, date=date)[: 30 if spans_colleges else 100]),
        "settings": LedgerSettings.get(),
    }
    if spans_colleges:
        # The office: one row per college, each opening that college's progress (?college=).
        context["colleges"] = selectors.night_colleges(user=user, date=date)
        totals = selectors.night_totals(user=user, date=date, colleges=context["colleges"])
        context["progress"] = {"totals": totals}
    else:
        context["colleges"] = None
        context["progress"] = _kept_progress(user, date)
        context["unchecked"] = _unchecked_links(
            user, selectors.unchecked_rooms(user=user, date=date)[:120], date
        )
    return render(request, template_for(request, "ledgers/night_progress.html", "body"), context)


def _kept_progress(user, date) -> dict:
    """The per-class and per-building aggregates over the reach (a leader's 6,000 students),
    kept as the home panel keeps them (core.fingerprint.kept, on the panel's night_inputs): a
    check submitted shows on the next request; the unchecked rooms and the absences stay fresh
    rows."""
    from campusgrid.core.fingerprint import check_inputs, kept

    from ..panels import night_inputs

    def compute() -> dict:
        check_inputs(
            "ledgers-night-page",
            night_inputs(),
            [
                selectors.night_progress_rows(user=user, date=date),
                selectors.night_progress_rooms(user=user, date=date),
            ],
        )
        return selectors.night_progress(user=user, date=date)

    return kept(user, f"ledgers-night-page:{date.isoformat()}", night_inputs(), compute)


_MARKER = 987654321  # a room id no URL holds otherwise


def _unchecked_links(user, rooms, date) -> list[tuple[str, str]]:
    """(label, link) per room not yet checked: its night-check form where the user may check
    it (the opener's rule, as `{% can_open %}` asks), else the room's page. Built here, not
    in the template: up to 120 rooms on a page counselors refresh every half minute."""
    suffix = f"?date={date.isoformat()}"
    # The form's path reversed once, each room's id put in its place: 120 reverse() calls
    # were a tenth of the page's CPU.
    head, _, tail = reverse("ledgers:night-check", args=[_MARKER]).partition(str(_MARKER))
    links = []
    for room in rooms:
        if may_open(user, "ledgers:night-check", room.pk):
            url = f"{head}{room.pk}{tail}{suffix}"
        else:
            url = reverse("people:room", args=[room.building.name, room.number])
        links.append((room.label, url))
    return links


NIGHT_HEADERS = [
    "序号",
    "日期",
    "楼栋/寝室",
    "学号",
    "姓名",
    "班级",
    "情况",
    "归寝时间",
    "请假",
    "上报",
    "查寝人",
]


@login_required
def night_list(request):
    """夜不归宿台账: lines of the night checks with filters; ?format=xlsx exports them."""
    form = bootstrap(NightFilterForm(request.GET or None), small=True)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.night_entry_list(user=request.user, filters=filters)
    if wants_export(request):
        rows = [
            [
                i,
                e.date,
                e.night_check.room.label,
                e.student.student_no,
                e.student.name,
                e.student.school_class.name if e.student.school_class_id else "",
                e.get_status_display(),
                e.time.strftime("%H:%M") if e.time else "",
                "有" if e.leave_id else "",
                f"#{e.report_id}" if e.report_id else "",
                e.night_check.checked_by_name,
            ]
            for i, e in enumerate(entries.iterator(chunk_size=2000), start=1)
        ]
        return export(
            request,
            name="夜不归宿台账",
            headers=NIGHT_HEADERS,
            rows=rows,
            widths=[6, 12, 14, 14, 10, 12, 8, 10, 8, 8, 10],
        )
    context = {"page_title": "查寝台账", "form": form, "page": page_of(request, entries)}
    return render(request, template_for(request, "ledgers/night_list.html", "rows"), context)
