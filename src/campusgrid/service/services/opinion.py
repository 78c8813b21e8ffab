"""Every write of 舆情 reports: filing the period's report (one tap 无异常, or items), turning
an item into a problem report, the college's special periods, and the `tick` flag of grid
workers without a 零报告 on a special-period day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.names import person_name
from campusgrid.core.scoping import scope_for
from campusgrid.grid.models import PostKind
from campusgrid.grid.selectors import holders_by, post_holders
from campusgrid.notifications.services import notify
from campusgrid.people.selectors import students_by_numbers

from .. import policy_more as policy
from ..models import (
    Cadence,
    ItemKind,
    ItemSeverity,
    MissingFlag,
    OpinionItem,
    OpinionReport,
    PeriodKind,
    Source,
    SpecialPeriod,
)
from ..selectors.opinion import current_period, expected_reporters, reporter_place

MAX_SUMMARY = 2000
OUTSIDE_TEXT = "CampusGrid 有舆情报送提醒，请登录系统查看"  # group robots get no personal data


def _report_for_period(actor, *, on=None) -> tuple[OpinionReport, bool]:
    """This period's report of `actor`, created when missing: (report, created)."""
    if not policy.is_opinion_reporter(actor):
        raise NotAllowed("您没有需要报送舆情的网格职务")
    place = reporter_place(actor)
    if place["college_id"] is None:
        raise ServiceError("无法确定您所在的学院，请联系辅导员")
    cadence, start, special = current_period(college_id=place["college_id"], day=on)
    # Lock the period's row: a double tap (or two devices) must not make two reports.
    found = (
        OpinionReport.objects.select_for_update(of=("self",))
        .filter(reporter=actor, cadence=cadence, period_start=start)
        .first()
    )
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            report = OpinionReport.objects.create(
                reporter=actor,
                reporter_name=person_name(actor),
                cadence=cadence,
                period_start=start,
                special=special,
                submitted_at=clock.now(),
                **place,
            )
    except IntegrityError:
        # The other tap won the unique (reporter, cadence, period): use its row.
        return OpinionReport.objects.select_for_update(of=("self",)).get(
            reporter=actor, cadence=cadence, period_start=start
        ), False
    return report, True


def opinion_report_nothing(*, actor) -> OpinionReport:
    """无异常 / 零报告 in one tap: this period's report with nothing to report."""
    with transaction.atomic():
        report, created = _report_for_period(actor)
        if not created and (report.nothing_to_report or report.items.exists()):
            raise Conflict(f"{report.period_label}已报送，无需重复报送")
        report.nothing_to_report = True
        report.submitted_at = clock.now()
        report.save(update_fields=["nothing_to_report", "submitted_at"])
        audit_record(actor=actor, verb="opinion_report.nothing", target=report, summary=str(report))
    return report


def opinion_item_add(
    *,
    actor,
    kind: str,
    source: str,
    summary: str,
    severity: str = ItemSeverity.NORMAL,
    platform: str = "",
    student_numbers=(),
) -> OpinionItem:
    """One item into this period's report (made when missing; a 无异常 report becomes one with items)."""
    if not policy.is_opinion_reporter(actor):
        raise NotAllowed("您没有需要报送舆情的网格职务")
    errors = {}
    if kind not in ItemKind.values:
        errors["kind"] = "请选择舆情类别"
    if source not in Source.values:
        errors["source"] = "来源应为线上或线下"
    if severity not in ItemSeverity.values:
        errors["severity"] = "严重程度应为：一般、较重、重大或紧急"
    summary = (summary or "").strip()
    platform = (platform or "").strip()
    if len(summary) < 2:
        errors["summary"] = "请填写内容摘要"
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = f"内容摘要最多{MAX_SUMMARY}字"
    if source == Source.ONLINE and not platform:
        errors["platform"] = "线上舆情请填写平台（如微信、QQ、微博）"
    if len(platform) > 32:
        errors["platform"] = "平台名称最多32字"
    if errors:
        first = next(iter(errors))
        raise ServiceError(errors[first], field=first, errors=errors)
    students = students_by_numbers(user=actor, numbers=list(student_numbers or []), field="students")
    with transaction.atomic():
        report, _ = _report_for_period(actor)
        item = OpinionItem.objects.create(
            report=report,
            kind=kind,
            source=source,
            platform=platform if source == Source.ONLINE else "",
            summary=summary,
            severity=severity,
            names_students=bool(students),
            created_at=clock.now(),
        )
        item.students.set(students)
        if report.nothing_to_report:
            report.nothing_to_report = False
            report.save(update_fields=["nothing_to_report"])
        audit_record(
            actor=actor,
            verb="opinion_item.add",
            target=item,
            summary=f"{report} {item.get_kind_display()}",
        )
        if severity in (ItemSeverity.MAJOR, ItemSeverity.URGENT):
            _tell_counselors(
                report, f"收到{item.get_severity_display()}舆情：{item.get_kind_display()}", item
            )
    return item


def _tell_counselors(report: OpinionReport, title: str, item: OpinionItem | None = None) -> None:
    url = reverse("service:opinion-item", args=[item.pk]) if item else reverse("service:opinion-summary")
    users = []
    if report.school_class_id:
        users = [p.user for p in post_holders(kinds=[PostKind.COUNSELOR], classes=[report.school_class_id])]
    if not users:
        users = [p.user for p in post_holders(kinds=[PostKind.LEADER], colleges=[report.college_id])]
    transaction.on_commit(
        lambda: notify(users=users, title=title, url=url, college=report.college, outside_text=OUTSIDE_TEXT)
    )


def opinion_item_escalate(*, actor, item: OpinionItem):
    """转为问题上报 (category 舆情): one report per item, linked both ways. The report's reporter
    is the grid worker who heard it; it lands with level 3 (the counselors)."""
    from campusgrid.reports.services import report_create

    if not policy.may_escalate_item(actor, item):
        raise NotAllowed("只有辅导员、学院领导或学工部可以将舆情转为问题上报")
    with transaction.atomic():
        # Lock the item: two counselors pressing at once must make one report, not two.
        locked = (
            OpinionItem.objects.select_for_update(of=("self",))
            .select_related("report", "report__room")
            .get(pk=item.pk)
        )
        if locked.problem_id:
            raise Conflict(f"该条舆情已转为问题上报 #{locked.problem_id}")
        students = list(locked.students.all())
        room = None
        if not students:
            room = locked.report.room
            if room is None:
                raise ServiceError("该条舆情未涉及学生，报送人也没有寝室，无法转为问题上报", field="students")
        source = f"舆情：{locked.get_kind_display()}"
        if locked.platform:
            source += f"（{locked.platform}）"
        problem = report_create(
            actor=SYSTEM,
            reporter=locked.report.reporter,
            category="舆情",
            severity=locked.severity,
            description=f"【{source}】{locked.summary}",
            students=students,
            room=room,
            source="舆情报告",
            source_key=f"opinion-item:{locked.pk}",
            level=3,
        )
        locked.problem = problem
        locked.save(update_fields=["problem"])
        audit_record(
            actor=actor,
            verb="opinion_item.escalate",
            target=locked,
            summary=f"转为问题上报 #{problem.pk}",
            report=problem.pk,
        )
    return problem


def special_period_create(
    *, actor, college, kind: str, name: str, start: dt.date, end: dt.date, due_time: dt.time | None = None
) -> SpecialPeriod:
    """特殊时期 (关键时间节点、重大活动、突发事件): daily 零报告 from every grid worker of the college."""
    if college is None or not scope_for(actor).leads_college(college.pk):
        raise NotAllowed("只有学院领导或学工部可以设置特殊时期")
    errors = {}
    name = (name or "").strip()
    if kind not in PeriodKind.values:
        errors["kind"] = "类型应为关键时间节点、重大活动或突发事件"
    if not name:
        errors["name"] = "请填写名称"
    elif len(name) > 64:
        errors["name"] = "名称最多64字"
    if start is None:
        errors["start"] = "请填写开始日期"
    if end is None:
        errors["end"] = "请填写结束日期"
    if start and end and end < start:
        errors["end"] = "结束日期不能早于开始日期"
    if start and end and (end - start).days > 92:
        errors["end"] = "特殊时期最长92天"
    if errors:
        first = next(iter(errors))
        raise ServiceError(errors[first], field=first, errors=errors)
    with transaction.atomic():
        period = SpecialPeriod.objects.create(
            college=college,
            kind=kind,
            name=name,
            start=start,
            end=end,
            due_time=due_time or dt.time(20, 0),
            created_by=actor,
        )
        audit_record(actor=actor, verb="special_period.create", target=period, summary=str(period))
    return period


# --- tick ------------------------------------------------------------------------------------------


def opinion_flag_missing(now: dt.datetime | None = None) -> int:
    """On each day of a special period, once its due time has passed, every grid worker of the
    college without that day's 零报告 is flagged to their counselor — once (MissingFlag)."""
    now = now or clock.now()
    day = timezone.localtime(now).date()
    done = 0
    for special in SpecialPeriod.objects.covering(day).select_related("college"):
        due = timezone.make_aware(dt.datetime.combine(day, special.due_time))
        if now < due:
            continue
        expected = expected_reporters(college_ids={special.college_id}, on=day)
        reported = set(
            OpinionReport.objects.filter(cadence=Cadence.DAILY, period_start=day).values_list(
                "reporter_id", flat=True
            )
        )
        flagged = set(
            MissingFlag.objects.filter(special=special, day=day).values_list("reporter_id", flat=True)
        )
        missing = [r for r in expected if r["user"].pk not in reported and r["user"].pk not in flagged]
        if not missing:
            continue
        try:
            with transaction.atomic():
                # The unique (special, day, reporter) makes a concurrent tick fail here, not flag twice.
                MissingFlag.objects.bulk_create(
                    [
                        MissingFlag(special=special, day=day, reporter=r["user"], flagged_at=now)
                        for r in missing
                    ]
                )
                _tell_missing(special, day, missing)
        except IntegrityError:
            continue
        done += len(missing)
    return done


def _tell_missing(special: SpecialPeriod, day: dt.date, missing: list[dict]) -> None:
    by_class = defaultdict(list)
    no_class = []
    for row in missing:
        (by_class[row["school_class_id"]] if row["school_class_id"] else no_class).append(row)
    counselors = holders_by(
        post_holders(kinds=[PostKind.COUNSELOR], classes=set(by_class)), "school_class_id"
    )
    per_user: dict[int, list] = defaultdict(list)
    users = {}
    for class_id, rows in by_class.items():
        for user in counselors.get(class_id, []):
            per_user[user.pk] += rows
            users[user.pk] = user
    if no_class or any(not counselors.get(c) for c in by_class):
        leftover = no_class + [r for c, rows in by_class.items() if not counselors.get(c) for r in rows]
        for post in post_holders(kinds=[PostKind.LEADER], colleges=[special.college_id]):
            per_user[post.user.pk] += leftover
            users[post.user.pk] = post.user
    url = reverse("service:opinion-summary") + f"?date={day.isoformat()}"
    for user_id, rows in per_user.items():
        names = [r["name"] for r in rows]
        shown = "、".join(names[:10]) + ("等" if len(names) > 10 else "")
        transaction.on_commit(
            partial(
                notify,
                users=[users[user_id]],
                title=f"{special.name}：{day:%m月%d日}{special.due_time:%H:%M}前仍有{len(names)}名网格员未报送舆情零报告：{shown}",
                url=url,
                college=special.college,
                outside_text=OUTSIDE_TEXT,
            )
        )
