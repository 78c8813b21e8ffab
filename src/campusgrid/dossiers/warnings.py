"""Early warning (预警): explainable rules that propose students for the key list.

Each rule kind is a function `(rule, now) -> list[Finding]` over the
records; a finding names the student, the records it rests on and a sentence
that explains it. `run_rules` (a `tick` job) turns findings into proposals:

- a finding whose records were all part of an earlier proposal of the same rule
  for the same student (dismissed, accepted or open) is not proposed again;
- a new proposal supersedes the student's open one of the same rule;
- a rule kind no installed app registered is skipped (logged).

`RULES` is a registry: the apps above dossiers register the rules over their own
records with `@rule(kind)` and direct imports of their models (`ledgers/warnings.py`:
night absences, overdue holiday returns), so dossiers never reaches into them and
a renamed model or field fails at import or in the tests, not silently."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.grid.models import PostKind
from campusgrid.grid.selectors import post_holders
from campusgrid.notifications.services import notify
from campusgrid.people.models import StudentStatus

from .models import ProposalState, RiskLevel, ScreeningResult, WarningProposal, WarningRule

log = logging.getLogger("campusgrid.dossiers")


@dataclasses.dataclass(frozen=True)
class Record:
    """One record a proposal rests on, as shown to the counselor."""

    type: str  # report | screening | night_check | holiday
    id: int
    date: str  # ISO date
    label: str
    url: str = ""

    @property
    def key(self) -> str:
        return f"{self.type}:{self.id}"


@dataclasses.dataclass
class Finding:
    student_id: int
    records: list[Record]
    explanation: str
    level: str | None = None  # overrides the rule's suggested level (a crisis flag: 高危)

    @property
    def keys(self) -> set[str]:
        return {r.key for r in self.records}


RULES: dict[str, Callable] = {}


def rule(kind: str):
    """Register the function of one rule kind: `(rule_row, now) -> list[Finding]`."""

    def register(function):
        RULES[kind] = function
        return function

    return register


def fingerprint(keys: set[str]) -> str:
    return hashlib.sha1(",".join(sorted(keys)).encode()).hexdigest()


def month_day(value) -> str:
    value = clock.local(value) if isinstance(value, dt.datetime) else value
    return f"{value.month}月{value.day}日"


def iso_date(value) -> str:
    value = clock.local(value).date() if isinstance(value, dt.datetime) else value
    return value.isoformat()


def int_param(rule_row: WarningRule, name: str, default: int) -> int:
    try:
        return max(1, int(rule_row.params.get(name, default)))
    except (TypeError, ValueError):
        return default


# --- rules over this project's own records ----------------------------------------------------


@rule(WarningRule.Kind.REPEATED_REPORTS)
def repeated_reports(rule_row: WarningRule, now: dt.datetime) -> list[Finding]:
    """N or more reports of the given categories concerning a student within D days."""
    from campusgrid.reports.models import Report, State

    categories = [str(c) for c in rule_row.params.get("categories", [])]
    count = int_param(rule_row, "count", 2)
    days = int_param(rule_row, "days", 90)
    if not categories:
        return []
    rows = (
        Report.students.through.objects.exclude(report__state=State.WITHDRAWN)  # undone: no evidence
        .filter(
            report__category__name__in=categories,
            report__created_at__gte=now - dt.timedelta(days=days),
            report__created_at__lte=now,
            student__status=StudentStatus.ENROLLED,
        )
        .values_list("student_id", "report_id", "report__created_at", "report__category__name")
        .order_by("student_id", "report__created_at", "report_id")
    )
    by_student = defaultdict(list)
    for student_id, report_id, created_at, category in rows:
        by_student[student_id].append(
            Record(
                "report",
                report_id,
                iso_date(created_at),
                f"{month_day(created_at)} {category}上报 #{report_id}",
                reverse("reports:detail", args=[report_id]),
            )
        )
    label = "、".join(categories)
    return repeated(
        by_student, count, lambda n, dates: f"{days}天内有{n}次{label}上报（{dates}），达到规则的{count}次"
    )


def repeated(by_student: dict, count: int, explain) -> list[Finding]:
    """A finding for each student with `count` or more records; `explain(n, dates)` says why
    (dates: the records' labels up to their first space, joined)."""
    findings = []
    for student_id, records in by_student.items():
        if len(records) >= count:
            dates = "、".join(r.label.split(" ")[0] for r in records)
            findings.append(Finding(student_id, records, explain(len(records), dates)))
    return findings


@rule(WarningRule.Kind.SCREENING_FLAG)
def screening_flag(rule_row: WarningRule, now: dt.datetime) -> list[Finding]:
    """A screening result at or over its instrument's threshold, or a crisis flag."""
    days = int_param(rule_row, "days", 365)
    rows = (
        ScreeningResult.objects.filter(Q(over_threshold=True) | Q(crisis=True))
        .filter(imported_at__gte=now - dt.timedelta(days=days), student__status=StudentStatus.ENROLLED)
        .select_related("instrument", "semester", "student")
        .order_by("student_id", "semester__start", "instrument__name")
    )
    by_student = defaultdict(list)
    for result in rows:
        by_student[result.student_id].append(result)
    findings = []
    for student_id, results in by_student.items():
        records, parts = [], []
        for r in results:
            score = f"{r.total_score.normalize():f}"
            threshold = f"{r.instrument.threshold.normalize():f}"
            text = f"{r.semester.name} {r.instrument.name} 总分{score}"
            if r.over_threshold:
                text += f"（阈值{threshold}）"
            if r.crisis:
                text += "，有危机标记"
            records.append(
                Record(
                    "screening",
                    r.pk,
                    iso_date(r.imported_at),
                    text,
                    reverse("dossiers:dossier", args=[r.student.student_no]) + "#screening",
                )
            )
            parts.append(text)
        crisis = any(r.crisis for r in results)
        findings.append(
            Finding(
                student_id,
                records,
                "心理筛查：" + "；".join(parts),
                level=RiskLevel.HIGH if crisis else None,
            )
        )
    return findings


# --- turning findings into proposals ----------------------------------------------------------


def run_rules(now: dt.datetime | None = None) -> int:
    """Run every active rule once; returns the number of new proposals."""
    now = now or clock.now()
    created: list[WarningProposal] = []
    for rule_row in WarningRule.objects.filter(active=True).select_related("suggested_reason"):
        function = RULES.get(rule_row.kind)
        if function is None:
            log.info("early-warning rule %s skipped: no installed app registers its kind", rule_row.key)
            continue
        findings = function(rule_row, now)
        created += _propose(rule_row, findings, now)
    if created:
        _notify(created)
    return len(created)


def _propose(rule_row: WarningRule, findings: list[Finding], now) -> list[WarningProposal]:
    if not findings:
        return []
    seen: dict[int, set[str]] = defaultdict(set)
    student_ids = [f.student_id for f in findings]
    for start in range(0, len(student_ids), 500):
        rows = WarningProposal.objects.filter(
            rule=rule_row, student_id__in=student_ids[start : start + 500]
        ).values_list("student_id", "records")
        for student_id, records in rows:
            seen[student_id] |= {f"{r['type']}:{r['id']}" for r in records}
    created = []
    for finding in findings:
        keys = finding.keys
        if not keys or keys <= seen[finding.student_id]:
            continue  # nothing new since the last proposal (dismissed ones stay dismissed)
        try:
            with transaction.atomic():
                WarningProposal.objects.filter(
                    rule=rule_row, student_id=finding.student_id, state=ProposalState.OPEN
                ).update(state=ProposalState.SUPERSEDED)
                created.append(
                    WarningProposal.objects.create(
                        rule=rule_row,
                        student_id=finding.student_id,
                        fingerprint=fingerprint(keys),
                        records=[dataclasses.asdict(r) for r in finding.records],
                        explanation=finding.explanation[:500],
                        suggested_level=finding.level or rule_row.suggested_level,
                        created_at=now,
                    )
                )
        except IntegrityError:  # another tick run proposed the same records meanwhile
            continue
    return created


def _notify(proposals: list[WarningProposal]) -> None:
    """One notice per counselor / class teacher: how many new proposals wait."""
    from campusgrid.people.models import Student

    classes = dict(
        Student.objects.filter(pk__in={p.student_id for p in proposals}).values_list("pk", "school_class_id")
    )
    posts = post_holders(
        kinds=[PostKind.COUNSELOR, PostKind.CLASS_TEACHER], classes={c for c in classes.values() if c}
    )
    per_user: dict[int, tuple] = {}
    for post in posts:
        count = sum(1 for p in proposals if classes.get(p.student_id) == post.school_class_id)
        user, before = per_user.get(post.user.pk, (post.user, 0))
        per_user[post.user.pk] = (user, before + count)
    for user, count in per_user.values():
        notify(
            users=[user],
            title=f"新的重点学生预警 {count} 条",
            body="预警规则根据记录提出了需要关注的学生，请查看依据后采纳或忽略。",
            url=reverse("dossiers:warnings"),
            outside_text="CampusGrid 有新的待办提醒，请登录系统查看",
        )
