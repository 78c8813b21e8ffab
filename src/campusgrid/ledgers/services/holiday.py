"""Holiday departures and returns (节假日离校返校): a counselor opens the
registration for their classes, students register, returns are confirmed by the
student or their dorm head; overdue returns are flagged (`tick`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.scoping import scope_for
from campusgrid.core.validators import mobile_problem
from campusgrid.notifications.services import notify
from campusgrid.org.models import Holiday, SchoolClass
from campusgrid.people.models import Student, StudentStatus

from ..models import (
    HOLIDAY_EARLY_DAYS,
    HolidayPlan,
    HolidayRegistration,
    HolidayStatus,
    HolidayWindow,
    LedgerSettings,
)
from .common import APPROVERS, holders_by_class, is_dorm_head_of, manages_student, name_of


def _window_url(window: HolidayWindow) -> str:
    return reverse("ledgers:holiday-window", args=[window.pk])


REQUIRED_TO_LEAVE = [
    ("destination", "目的地"),
    ("depart_on", "离校日期"),
    ("return_on", "计划返校日期"),
    ("transport", "交通方式"),
    ("emergency_contact", "紧急联系人"),
    ("emergency_phone", "紧急联系电话"),
]


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _check_leaving(window: HolidayWindow, values: dict, *, today: dt.date, previous_depart_on) -> None:
    """Every problem of a departure at once (the form shows them all, the API returns
    them all): missing fields, a departure in the past or outside the holiday, a
    return before the departure, or after the return deadline without a reason."""
    holiday = window.holiday
    errors: dict[str, str] = {}
    missing = [label for key, label in REQUIRED_TO_LEAVE if not values[key]]
    for key, label in REQUIRED_TO_LEAVE:
        if not values[key]:
            errors[key] = f"离校请填写{label}"
    depart_on, return_on = values["depart_on"], values["return_on"]
    earliest = holiday.start - dt.timedelta(days=HOLIDAY_EARLY_DAYS)
    due = clock.local(window.return_due)
    if depart_on:
        # An unchanged departure date may lie in the past: the student is away already.
        if depart_on < today and depart_on != previous_depart_on:
            errors["depart_on"] = f"离校日期不能早于今天（{_md(today)}）"
        elif not earliest <= depart_on <= holiday.end:
            errors["depart_on"] = f"离校日期应在{_md(earliest)}至{_md(holiday.end)}之间（{holiday.name}）"
    if depart_on and return_on and return_on < depart_on:
        errors["return_on"] = "返校日期不能早于离校日期"
    elif return_on and return_on > due.date() and not values["late_reason"]:
        errors["late_reason"] = (
            f"计划返校日期晚于返校截止时间（{_md(due.date())} {due:%H:%M}），请填写晚返原因"
        )
    if values["emergency_phone"] and mobile_problem(values["emergency_phone"]):
        errors["emergency_phone"] = "紧急联系电话应为11位手机号"
    if errors:
        summary = [f"离校请填写：{'、'.join(missing)}"] if missing else []
        summary += [m for k, m in errors.items() if not m.startswith("离校请填写")]
        raise ServiceError("；".join(summary), field=next(iter(errors)), errors=errors)


def holiday_window_open(
    *,
    actor,
    holiday: Holiday,
    classes: list[SchoolClass],
    register_by: dt.date | None = None,
    return_due: dt.datetime | None = None,
    note: str = "",
) -> list[HolidayWindow]:
    """Open the registration of `holiday` for the actor's classes; classes already
    open are left as they are. The students of the new ones are told."""
    if not classes:
        raise ServiceError("请选择班级", field="classes")
    scope = scope_for(actor)
    outside = [c.name for c in classes if not scope.manages(college_id=c.college_id, class_id=c.pk)]
    if outside:
        raise NotAllowed(f"只能为您所带的班级发起登记：{'、'.join(outside)}")
    settings = LedgerSettings.get()
    register_by = register_by or holiday.start - dt.timedelta(days=1)
    return_due = return_due or settings.holiday_return_due(holiday)
    if return_due.date() < holiday.start:
        raise ServiceError("返校截止时间不能早于假期开始", field="return_due")
    now = clock.now()
    opened = []
    with transaction.atomic():
        existing = set(
            HolidayWindow.objects.filter(holiday=holiday, school_class__in=classes).values_list(
                "school_class_id", flat=True
            )
        )
        for school_class in classes:
            if school_class.pk in existing:
                continue
            try:
                # Savepoint: a colleague opening the same class at this moment wins, we skip it.
                with transaction.atomic():
                    window = HolidayWindow.objects.create(
                        holiday=holiday,
                        school_class=school_class,
                        register_by=register_by,
                        return_due=return_due,
                        opened_by=actor,
                        opened_by_name=name_of(actor),
                        opened_at=now,
                        note=(note or "")[:255],
                    )
            except IntegrityError:
                continue
            opened.append(window)
            audit_record(actor=actor, verb="holiday.open", target=window, summary=str(window))
        for window in opened:
            students = Student.objects.filter(
                school_class=window.school_class, status=StudentStatus.ENROLLED, user__isnull=False
            ).select_related("user")
            notify(
                users=[s.user for s in students],
                title=f"请在{register_by.month}月{register_by.day}日前完成{holiday.name}离校返校登记",
                url=reverse("ledgers:holiday-register", args=[window.pk]),
                college=window.school_class.college,
                outside_text=f"{holiday.name}离校返校登记已开始，请同学们及时登记",
            )
    return opened


def holiday_register(
    *,
    actor,
    window: HolidayWindow,
    student: Student,
    plan: str,
    destination: str = "",
    depart_on: dt.date | None = None,
    return_on: dt.date | None = None,
    transport: str = "",
    emergency_contact: str = "",
    emergency_phone: str = "",
    late_reason: str = "",
    expected_version: int | None = None,
) -> HolidayRegistration:
    """A student registers (or changes) staying or leaving; a counselor may register for them."""
    own = student.user_id is not None and student.user_id == actor.pk
    if not (own or manages_student(actor, student)):
        raise NotAllowed("只能登记本人的去留（辅导员可代为登记）")
    if student.school_class_id != window.school_class_id:
        raise ServiceError("该登记不属于您的班级")
    if plan not in HolidayPlan.values:
        raise ServiceError("请选择留校或离校", field="plan")
    holiday = window.holiday
    values = {
        "destination": (destination or "").strip()[:100],
        "transport": (transport or "").strip()[:64],
        "emergency_contact": (emergency_contact or "").strip()[:64],
        "emergency_phone": (emergency_phone or "").strip(),
        "depart_on": depart_on,
        "return_on": return_on,
        "late_reason": (late_reason or "").strip()[:200],
    }
    if plan == HolidayPlan.LEAVE:
        previous = (
            HolidayRegistration.objects.filter(holiday=holiday, student=student)
            .values_list("depart_on", flat=True)
            .first()
        )
        _check_leaving(window, values, today=clock.today(), previous_depart_on=previous)
    else:
        values = dict.fromkeys(values, "") | {"depart_on": None, "return_on": None}
    now = clock.now()
    with transaction.atomic():
        # Lock the student's registration: a double submission updates, never duplicates.
        registration = (
            HolidayRegistration.objects.select_for_update().filter(holiday=holiday, student=student).first()
        )
        if registration is None:
            try:
                with transaction.atomic():
                    registration = HolidayRegistration.objects.create(
                        window=window,
                        holiday=holiday,
                        student=student,
                        plan=plan,
                        registered_at=now,
                        registered_by_name=name_of(actor),
                        return_due=window.return_due,
                        **values,
                    )
            except IntegrityError:
                raise Conflict("已经登记过了，请刷新后修改")
            audit_record(actor=actor, verb="holiday.register", target=registration, summary=str(registration))
            return registration
        registration.check_version(expected_version)
        if registration.returned_at:
            raise Conflict("已确认返校，不能再修改登记")
        registration.plan = plan
        for key, value in values.items():
            setattr(registration, key, value)
        registration.registered_at, registration.registered_by_name = now, name_of(actor)
        registration.version += 1
        registration.save(update_fields=[*values, "plan", "registered_at", "registered_by_name", "version"])
        audit_record(actor=actor, verb="holiday.update", target=registration, summary=str(registration))
    return registration


def _locked_for_confirmation(actor, registration: HolidayRegistration, what: str) -> HolidayRegistration:
    """The registration, row-locked, once the actor may confirm the student's 离校/返校
    (the student, their dorm head or their counselor) and the student is leaving at all."""
    locked = (
        HolidayRegistration.objects.select_for_update(of=("self",))
        .select_related("student__bed", "holiday")
        .get(pk=registration.pk)
    )
    student = locked.student
    own = student.user_id is not None and student.user_id == actor.pk
    room_id = student.bed.room_id if student.bed_id else None
    if not (own or is_dorm_head_of(actor, room_id) or manages_student(actor, student)):
        raise NotAllowed(f"只能由本人、舍长或辅导员确认{what}")
    if locked.plan != HolidayPlan.LEAVE:
        raise Conflict(f"该生登记为留校，无需确认{what}")
    return locked


def holiday_confirm_return(*, actor, registration: HolidayRegistration) -> HolidayRegistration:
    """返校确认: by the student, their dorm head, or their counselor."""
    with transaction.atomic():
        # Lock: the student and the dorm head confirming together record one return.
        locked = _locked_for_confirmation(actor, registration, "返校")
        student = locked.student
        if locked.returned_at:
            raise Conflict("已经确认返校")
        now = clock.now()
        if not locked.may_confirm_return(now):
            raise Conflict("尚未到离校日期，也未确认离校，不能确认返校")
        locked.returned_at, locked.return_confirmed_by_name = now, name_of(actor)
        locked.version += 1
        locked.save(update_fields=["returned_at", "return_confirmed_by_name", "version"])
        audit_record(actor=actor, verb="holiday.return", target=locked, summary=f"{student.name} 返校")
    return locked


def holiday_confirm_departure(*, actor, registration: HolidayRegistration) -> HolidayRegistration:
    """离校确认: the student left before the departure date they registered (by the
    student, their dorm head, or their counselor); from then on they count as away."""
    with transaction.atomic():
        # Lock: a departure confirmed while the return is being confirmed records one state.
        locked = _locked_for_confirmation(actor, registration, "离校")
        student = locked.student
        now = clock.now()
        if locked.status(now) != HolidayStatus.PLANNED:
            raise Conflict("已经离校或已返校，无需再确认离校")
        if not locked.may_confirm_departure(now):
            raise Conflict("距离假期还早，不能确认离校")
        locked.departed_at, locked.departure_confirmed_by_name = now, name_of(actor)
        locked.version += 1
        locked.save(update_fields=["departed_at", "departure_confirmed_by_name", "version"])
        audit_record(actor=actor, verb="holiday.depart", target=locked, summary=f"{student.name} 离校")
    return locked


def holiday_flag_overdue(now: dt.datetime | None = None) -> int:
    """Students away past the return deadline, and classes with students who never
    registered by the registration deadline: the counselors and class teachers are
    told once (the rows record it)."""
    now = now or clock.now()
    done = 0
    late = list(
        HolidayRegistration.objects.overdue(now)
        .filter(overdue_flagged_at__isnull=True)
        .select_related("window__school_class__college", "holiday", "student")
    )
    by_window = defaultdict(list)
    for registration in late:
        # Claim each row: two ticks at once must not both notify.
        claimed = HolidayRegistration.objects.filter(
            pk=registration.pk, overdue_flagged_at__isnull=True
        ).update(overdue_flagged_at=now)
        if claimed:
            by_window[registration.window_id].append(registration)
    for rows in by_window.values():
        window = rows[0].window
        people = holders_by_class([window.school_class_id], APPROVERS).get(window.school_class_id, [])
        names = "、".join(r.student.name for r in rows[:10]) + ("等" if len(rows) > 10 else "")
        notify(
            users=people,
            title=f"{window.school_class.name}有{len(rows)}名学生{window.holiday.name}后逾期未返校：{names}",
            url=_window_url(window) + "?status=overdue",
            college=window.school_class.college,
            outside_text=f"{window.holiday.name}返校：有{len(rows)}名学生逾期未返校",
        )
        done += len(rows)
    today = clock.local(now).date()
    unflagged = HolidayWindow.objects.filter(register_by__lt=today, unregistered_flagged_at__isnull=True)
    for window in unflagged.select_related("school_class__college", "holiday"):
        claimed = HolidayWindow.objects.filter(pk=window.pk, unregistered_flagged_at__isnull=True).update(
            unregistered_flagged_at=now
        )
        if not claimed:
            continue
        missing = (
            Student.objects.filter(school_class=window.school_class, status=StudentStatus.ENROLLED)
            .exclude(holiday_registrations__holiday=window.holiday)
            .count()
        )
        if missing:
            people = holders_by_class([window.school_class_id], APPROVERS).get(window.school_class_id, [])
            notify(
                users=people,
                title=f"{window.school_class.name}有{missing}名学生未完成{window.holiday.name}离校返校登记",
                url=_window_url(window) + "?status=unregistered",
                college=window.school_class.college,
                outside_text=f"{window.holiday.name}离校返校登记截止，仍有学生未登记",
            )
            done += 1
    return done
