"""Demo reports: a few weeks of realistic reports in every state, some overdue.

Written in bulk (one report per ~25 students) so the 50,000-student demo stays fast;
the timelines are what the workflow would have written."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.names import person_name
from campusgrid.grid.models import Post, PostKind
from campusgrid.people.models import Student

from .models import LEVEL_NAMES, Category, Report, ReportEvent, Severity, State, ensure_defaults
from .services import deadlines

TEMPLATES = [
    ("违章电器", Severity.SERIOUS, "寝室内发现违规使用的电热锅，已提醒但未上交。"),
    ("安全隐患", Severity.NORMAL, "阳台插线板老化，有焦糊味。"),
    ("安全隐患", Severity.NORMAL, "寝室门锁损坏，无法正常上锁。"),
    ("矛盾纠纷", Severity.NORMAL, "室友因作息时间发生争执，情绪较激动。"),
    ("夜不归宿", Severity.SERIOUS, "查寝时未归，电话未接通。"),
    ("学业", Severity.NORMAL, "本学期多次旷课，期中考试两门不及格。"),
    ("舆情", Severity.NORMAL, "班级群内有同学转发未经证实的校园传言。"),
    ("生活困难", Severity.NORMAL, "家中突发变故，生活费紧张，需要关注。"),
    ("心理健康", Severity.MAJOR, "近期情绪低落，少与人交流，需要辅导员关注。"),
    ("突发事件", Severity.URGENT, "寝室楼下水管爆裂，一楼进水。"),
    ("其他", Severity.NORMAL, "寝室网络长期故障，影响学习。"),
]
STATE_MIX = (
    [State.CLOSED] * 9
    + [State.FED_BACK] * 2
    + [State.HANDLED] * 2
    + [State.ACCEPTED] * 3
    + [State.REPORTED] * 3
    + [State.RETURNED]
)


def build(demo) -> None:
    ensure_defaults()
    rng = demo.rng
    now = clock.now()
    categories = {c.name: c for c in Category.objects.all()}
    current = Post.objects.current().filter(end_date__isnull=True)
    heads = {p.room_id: p for p in current.filter(kind=PostKind.DORM_HEAD).select_related("student__user")}
    monitors = {
        p.school_class_id: p for p in current.filter(kind=PostKind.MONITOR).select_related("student__user")
    }
    counselors = {
        p.school_class_id: p for p in current.filter(kind=PostKind.COUNSELOR).select_related("staff__user")
    }
    students = list(
        Student.objects.filter(status="enrolled", bed__isnull=False, school_class__isnull=False).values_list(
            "id", "college_id", "school_class_id", "bed__room_id"
        )
    )
    rng.shuffle(students)
    count = max(8, len(students) // 25)
    reports, links, class_links, events = [], [], [], []
    plans = []
    for index, (student_id, college_id, class_id, room_id) in enumerate(students[:count]):
        name, severity, text = TEMPLATES[index % len(TEMPLATES)]
        head, monitor, counselor = heads.get(room_id), monitors.get(class_id), counselors.get(class_id)
        if head is None or monitor is None or counselor is None:
            continue
        state = STATE_MIX[index % len(STATE_MIX)]
        created = now - dt.timedelta(
            days=rng.randint(0, 27), hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        if state == State.REPORTED and index % 2 == 0:
            created = now - dt.timedelta(days=rng.randint(2, 6))  # overdue: nobody accepted in time
        category = categories[name]
        sensitive_or_urgent = category.sensitive or category.urgent or severity == Severity.URGENT
        level = 3 if sensitive_or_urgent else 2
        accept, handle = deadlines(severity)
        handler = counselor.staff.user if level == 3 else monitor.student.user
        report = Report(
            category=category,
            severity=severity,
            state=state,
            level=level,
            urgent=category.urgent or severity == Severity.URGENT,
            room_id=room_id,
            college_id=college_id,
            description=text,
            reporter=head.student.user,
            reporter_name=head.student.name,
            reporter_level=1,
            created_at=created,
            updated_at=created,
            accept_due=created + accept,
            handle_due=created + handle,
            handler=handler if state not in (State.REPORTED, State.RETURNED) else None,
            outcome="已约谈相关同学并现场处理。"
            if state in (State.HANDLED, State.FED_BACK, State.CLOSED)
            else "",
            feedback="问题已处理，请继续关注。" if state in (State.FED_BACK, State.CLOSED) else "",
            closed_at=created + dt.timedelta(days=2) if state == State.CLOSED else None,
            source="演示数据",
        )
        reports.append(report)
        plans.append((report, student_id, class_id, state, head, handler, level, created))
    Report.objects.bulk_create(reports, batch_size=1000)
    through = Report.students.through
    class_through = Report.classes.through
    for report, student_id, class_id, state, head, handler, level, created in plans:
        links.append(through(report_id=report.pk, student_id=student_id))
        class_links.append(class_through(report_id=report.pk, schoolclass_id=class_id))
        steps = [
            ("create", "", State.REPORTED, None, level, head.student.user, f"上报至{LEVEL_NAMES[level]}")
        ]
        if state == State.RETURNED:
            steps.append(
                ("return", State.REPORTED, State.RETURNED, level, level, handler, "请补充具体时间和照片")
            )
        if state in (State.ACCEPTED, State.HANDLED, State.FED_BACK, State.CLOSED):
            steps.append(("accept", State.REPORTED, State.ACCEPTED, level, level, handler, ""))
        if state in (State.HANDLED, State.FED_BACK, State.CLOSED):
            steps.append(
                ("handle", State.ACCEPTED, State.HANDLED, level, level, handler, "已约谈相关同学并现场处理。")
            )
        if state in (State.FED_BACK, State.CLOSED):
            steps.append(
                ("feedback", State.HANDLED, State.FED_BACK, level, level, handler, "问题已处理，请继续关注。")
            )
        if state == State.CLOSED:
            steps.append(("confirm", State.FED_BACK, State.CLOSED, level, level, head.student.user, ""))
        for offset, (action, before, after, from_level, to_level, actor, note) in enumerate(steps):
            events.append(
                ReportEvent(
                    report_id=report.pk,
                    at=created + dt.timedelta(hours=offset * 5),
                    actor=actor,
                    actor_name=person_name(actor),
                    action=action,
                    from_state=before,
                    to_state=after,
                    from_level=from_level,
                    to_level=to_level,
                    note=note,
                )
            )
    through.objects.bulk_create(links, batch_size=2000)
    class_through.objects.bulk_create(class_links, batch_size=2000)
    ReportEvent.objects.bulk_create(events, batch_size=2000)
    # A couple of demo personas get something waiting in their inbox.
    persona = demo.personas.get("dorm_head")
    if persona is not None:
        Report.objects.filter(Q(room_id=persona.room_id)).update(
            reporter=persona.student.user, reporter_name=persona.student.name
        )
