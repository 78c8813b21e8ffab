"""Writes of grid-worker training: the `tick` reminder to counselors about workers whose
required training is overdue (once per post and requirement)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM
from campusgrid.core.audit import audit_record
from campusgrid.grid.models import Post, PostKind

from ..models import TrainingReminder


def training_remind(now: dt.datetime | None = None) -> int:
    """Remind each counselor (for student workers) or college leader (for staff) once about
    the workers whose required training is past due; returns the reminders recorded."""
    from campusgrid.notifications.services import notify

    from ..selectors.training import untrained_everywhere

    now = now or clock.now()
    with clock.frozen_at(now):
        overdue = [row for row in untrained_everywhere() if row["overdue"]]
    if not overdue:
        return 0
    done = set(TrainingReminder.objects.values_list("post_id", "requirement_id"))
    pending = [r for r in overdue if (r["post"].pk, r["requirement"].pk) not in done]
    if not pending:
        return 0
    today = clock.local(now).date()
    class_ids = {r["school_class"].pk for r in pending if r["post"].student_id and r["school_class"]}
    counselors: dict[int, list] = {}
    for post in (
        Post.objects.current(today)
        .filter(kind=PostKind.COUNSELOR, school_class_id__in=class_ids)
        .select_related("staff__user")
    ):
        counselors.setdefault(post.school_class_id, []).append(post.staff.user)
    college_ids = {r["college"].pk for r in pending if r["post"].staff_id and r["college"]}
    leaders: dict[int, list] = {}
    for post in (
        Post.objects.current(today)
        .filter(kind=PostKind.LEADER, college_id__in=college_ids)
        .select_related("staff__user")
    ):
        leaders.setdefault(post.college_id, []).append(post.staff.user)
    by_user: dict[int, tuple] = {}
    recorded = 0
    with transaction.atomic():
        for row in pending:
            try:
                with transaction.atomic():
                    TrainingReminder.objects.create(
                        post=row["post"], requirement=row["requirement"], sent_at=now
                    )
            except IntegrityError:
                continue  # another tick recorded it meanwhile
            recorded += 1
            if row["post"].student_id:
                users = counselors.get(row["school_class"].pk if row["school_class"] else None, [])
            else:
                users = leaders.get(row["college"].pk if row["college"] else None, [])
            for user in users:
                if user is None:
                    continue
                entry = by_user.setdefault(user.pk, (user, []))
                entry[1].append(row)
        for user, rows in by_user.values():
            names = "、".join(f"{r['holder'].name}（{r['requirement'].topic}）" for r in rows[:10])
            count = len(rows)
            more = f"等{count}人" if count > 10 else ""
            # In the transaction: the reminder rows and their notification commit together
            # (notify sends outside messages on commit itself).
            notify(
                users=[user],
                title=f"{count}名网格员逾期未参加培训",
                body=f"{names}{more}逾期未参加岗位要求的培训，请安排培训或补课。",
                url="/service/training/",
            )
        audit_record(
            actor=SYSTEM, verb="service.training_remind", target=None, summary=f"培训提醒 {recorded} 条"
        )
    return recorded
