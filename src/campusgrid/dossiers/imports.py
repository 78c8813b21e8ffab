"""Mental-health screening import (SPEC §7, §13): a semester's results from .xlsx
or .csv, all or nothing like the roster (every bad row named, nothing written
when any row is wrong; the same file twice changes nothing the second time).

Columns: 学号, 量表 (UPI, SCL-90, …: configured instruments), 总分, 标记 (flags,
encrypted at rest), 危机 (crisis flag: 是/否); 姓名 optional, checked against 学号.
A total at or above the instrument's threshold puts the student on their
counselor's follow-up list; a crisis flag sends a 心理健康 report (urgent) to
levels 3 and 4 at once."""

from __future__ import annotations

import decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM, as_user, is_system, require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict
from campusgrid.core.excel import person_name
from campusgrid.core.imports import Column, ImportResult, read_table
from campusgrid.core.scoping import scope_for
from campusgrid.org.models import Semester
from campusgrid.people.models import Student

from .models import FollowUp, ScreeningInstrument, ScreeningResult, ScreeningRound

SCREENING_COLUMNS = [
    Column("student_no", "学号", ("学生编号",), required=True),
    Column("name", "姓名"),
    Column("instrument", "量表", ("测评量表", "量表名称", "问卷", "instrument"), required=True),
    Column("score", "总分", ("得分", "分数", "总得分", "score"), required=True),
    Column("flags", "标记", ("标记/flags", "flags", "Flags", "预警标记", "阳性项目")),
    Column("crisis", "危机", ("危机标记", "危机预警", "是否危机", "crisis", "Crisis")),
]
YES = {"是", "y", "yes", "1", "true", "危机", "√", "✓", "有"}
NO = {"", "否", "n", "no", "0", "false", "无", "×"}
SYSTEM_USERNAME = "campusgrid-system"


def system_user():
    """The reporter of machine-made reports when nobody is logged in (the command
    line): an account that can never log in."""
    user, _ = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "系统", "is_active": False, "password": UNUSABLE_PASSWORD_PREFIX + "system"},
    )
    return user


def find_semester(value) -> Semester | None:
    if isinstance(value, Semester):
        return value
    return Semester.objects.filter(name=str(value or "").strip()).first()


def import_screening(
    path: str | Path, *, semester, actor, dry_run: bool = False, file_name: str = ""
) -> ImportResult:
    require_actor(actor)
    result = ImportResult(dry_run=dry_run)
    found = find_semester(semester)
    if found is None:
        names = "、".join(Semester.objects.order_by("-start").values_list("name", flat=True)[:6])
        result.error(0, "学期", f"学期“{semester}”不存在" + (f"（现有：{names}）" if names else ""))
        return result
    table = read_table(path, SCREENING_COLUMNS, result)
    if table is None:
        return result
    plan = _Plan(table, result, found, actor)
    plan.check()
    if not result.ok or dry_run:
        return result
    if plan.rows_to_write():  # the same file again writes nothing, not even a round
        plan.apply(file_name or Path(path).name)
    result.applied = True
    return result


class _Plan:
    def __init__(self, table, result: ImportResult, semester: Semester, actor):
        self.table = table
        self.result = result
        self.semester = semester
        self.actor = actor
        self.scope = None if is_system(actor) else scope_for(actor)
        self.new: list[dict] = []
        self.updated: list[tuple[ScreeningResult, dict]] = []

    def _reaches(self, student: Student) -> bool:
        if self.scope is None or self.scope.manage_everything:
            return True
        return self.scope.manages(college_id=student.college_id, class_id=student.school_class_id)

    def check(self) -> None:
        result = self.result
        rows = self.table.rows
        numbers = {values.get("student_no", "").strip() for _, values in rows}
        students = {
            s.student_no: s
            for s in Student.objects.filter(student_no__in=numbers).only(
                "id", "student_no", "name", "college_id", "school_class_id", "status"
            )
        }
        instruments = {i.name.upper(): i for i in ScreeningInstrument.objects.filter(active=True)}
        existing = {
            (r.student_id, r.instrument_id): r
            for r in ScreeningResult.objects.filter(
                semester=self.semester, student__student_no__in=numbers
            ).select_related("instrument")
        }
        seen: dict[tuple, int] = {}
        over = crisis_count = 0
        for row, values in rows:
            errors_before = len(result.errors)
            number = values.get("student_no", "").strip()
            student = students.get(number)
            if not number:
                result.error(row, "学号", "学号不能为空")
            elif student is None or not self._reaches(student):
                # The same words for "missing" and "not yours": an import must not probe the roster.
                result.error(row, "学号", f"在您的管理范围内找不到学号“{number}”")
                student = None
            name = values.get("name", "").strip()
            if student is not None and name and name != student.name:
                result.error(row, "姓名", f"姓名“{name}”与学号{number}不符")
            instrument_name = values.get("instrument", "").strip()
            instrument = instruments.get(instrument_name.upper().replace(" ", ""))
            if not instrument_name:
                result.error(row, "量表", "量表不能为空")
            elif instrument is None:
                known = "、".join(i.name for i in instruments.values())
                result.error(row, "量表", f"未配置的量表“{instrument_name}”（已配置：{known}）")
            score = _score(values.get("score", ""), instrument, row, result)
            crisis = _crisis(values.get("crisis", ""), row, result)
            flags = values.get("flags", "").strip()
            if student is not None and instrument is not None:
                key = (student.pk, instrument.pk)
                if key in seen:
                    result.error(row, "学号", f"与第{seen[key]}行重复（同一学生同一量表）")
                else:
                    seen[key] = row
            if len(result.errors) != errors_before:
                continue
            over_threshold = score >= instrument.threshold
            over += over_threshold
            crisis_count += crisis
            data = {
                "student": student,
                "instrument": instrument,
                "total_score": score,
                "flags": flags,
                "crisis": crisis,
                "over_threshold": over_threshold,
                "row": row,
            }
            before = existing.get((student.pk, instrument.pk))
            what = f"{instrument.name} {score.normalize():f}" + ("（超过阈值）" if over_threshold else "")
            if crisis:
                what += "（危机）"
            if before is None:
                self.new.append(data)
                result.new += 1
                result.changes.append(
                    {"row": row, "key": number, "name": student.name, "what": "新增 " + what}
                )
            elif (before.total_score, before.flags, before.crisis) != (score, flags, crisis):
                self.updated.append((before, data))
                result.updated += 1
                result.changes.append(
                    {"row": row, "key": number, "name": student.name, "what": "更新 " + what}
                )
            else:
                result.unchanged += 1
        if result.ok:
            result.notes.append(
                f"达到阈值需跟进 {over} 人次；有危机标记 {crisis_count} 人次"
                + ("（导入后立即向三级、四级网格员上报心理健康紧急情况）" if crisis_count else "")
            )

    def rows_to_write(self) -> bool:
        return bool(self.new or self.updated)

    def apply(self, file_name: str) -> None:
        now = clock.now()
        with transaction.atomic():
            round_ = ScreeningRound.objects.create(
                semester=self.semester,
                file_name=file_name[:255],
                imported_at=now,
                imported_by=as_user(self.actor),
                rows=self.result.rows,
            )
            created = ScreeningResult.objects.bulk_create(
                [
                    ScreeningResult(
                        round=round_,
                        semester=self.semester,
                        student=d["student"],
                        instrument=d["instrument"],
                        total_score=d["total_score"],
                        flags=d["flags"],
                        crisis=d["crisis"],
                        over_threshold=d["over_threshold"],
                        follow_up=FollowUp.PENDING if d["over_threshold"] or d["crisis"] else FollowUp.NONE,
                        imported_at=now,
                    )
                    for d in self.new
                ],
                batch_size=500,
            )
            changed = []
            undone, again = [], []  # crisis reports whose cause a corrected result removed / restored
            for before, d in self.updated:
                if before.report_id and before.crisis and not d["crisis"]:
                    undone.append(before)
                elif before.report_id and d["crisis"] and not before.crisis:
                    again.append(before)
                before.round = round_
                before.total_score = d["total_score"]
                before.flags = d["flags"]
                before.crisis = d["crisis"]
                before.over_threshold = d["over_threshold"]
                before.imported_at = now
                needs = d["over_threshold"] or d["crisis"]
                if needs and before.follow_up == FollowUp.NONE:
                    before.follow_up = FollowUp.PENDING
                elif not needs and before.follow_up == FollowUp.PENDING:
                    before.follow_up = FollowUp.NONE
                changed.append(before)
            ScreeningResult.objects.bulk_update(
                changed,
                ["round", "total_score", "flags", "crisis", "over_threshold", "imported_at", "follow_up"],
                batch_size=500,
            )
            students = {d["student"].pk: d["student"] for d in self.new}
            students.update({b.student_id: d["student"] for b, d in self.updated})
            crises = [r for r in [*created, *changed] if r.crisis and r.report_id is None]
            for screening in crises:
                screening.student = students[screening.student_id]
                _crisis_report(self.actor, screening, self.semester)
            if undone or again:
                from campusgrid.reports.services import report_reopen, report_withdraw

                for screening in undone:
                    report_withdraw(report=screening.report, reason="心理筛查结果更正：已无危机标记")
                for screening in again:
                    report_reopen(report=screening.report, reason="心理筛查结果更正：再次出现危机标记")
            audit_record(
                actor=self.actor,
                verb="screening.import",
                target=round_,
                summary=f"{self.semester.name} {file_name}：新增{len(created)}，更新{len(changed)}",
                crises=len(crises),
            )


def _crisis_report(actor, screening: ScreeningResult, semester: Semester) -> None:
    """心理健康 (urgent): straight to levels 3 and 4 at once; flags stay out of the report text."""
    from campusgrid.reports.services import report_create

    # Reported by the importer (or, from the command line, the system account); the rule
    # names the level, so the counselors get it first and the college at once (urgent).
    importer = "" if is_system(actor) else f"（导入人：{person_name(actor)}）"
    try:
        report = report_create(
            actor=SYSTEM,
            reporter=system_user() if is_system(actor) else actor,
            category="心理健康",
            severity="urgent",
            description=(
                f"心理筛查危机预警：{semester.name} {screening.instrument.name} 测评有危机标记{importer}。"
                "请立即核实学生情况，按心理危机干预流程处置并记录。"
            ),
            students=[screening.student],
            level=3,
            source="screening",
            source_key=f"screening:{screening.pk}",
        )
    except Conflict:  # already reported from this result
        return
    ScreeningResult.objects.filter(pk=screening.pk).update(report=report)


def _score(text: str, instrument, row: int, result: ImportResult) -> decimal.Decimal:
    text = (text or "").strip()
    if not text:
        result.error(row, "总分", "总分不能为空")
        return decimal.Decimal(0)
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        result.error(row, "总分", f"总分“{text}”不是数字")
        return decimal.Decimal(0)
    if not value.is_finite() or value < 0:
        result.error(row, "总分", f"总分“{text}”应为不小于0的数字")
        return decimal.Decimal(0)
    if instrument is not None and instrument.max_score is not None and value > instrument.max_score:
        result.error(
            row, "总分", f"总分{text}超过{instrument.name}的最高分{instrument.max_score.normalize():f}"
        )
    if value >= 10**5:
        result.error(row, "总分", f"总分“{text}”过大")
        return decimal.Decimal(0)
    return value.quantize(decimal.Decimal("0.01"))


def _crisis(text: str, row: int, result: ImportResult) -> bool:
    value = (text or "").strip().lower()
    if value in YES:
        return True
    if value not in NO:
        result.error(row, "危机", f"“{text}”无法识别，请填写“是”或“否”（空白表示否）")
    return False
