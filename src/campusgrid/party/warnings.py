"""The pipeline's warnings, computed from a file's steps and today's date (no queries):
shown on the secretary's board and sent once each by `campusgrid tick`."""

from __future__ import annotations

import dataclasses
import datetime as dt

from campusgrid.people.models import PoliticalStatus, StudentStatus

from . import rules
from .models.pipeline import Stage, StepCode

S = StepCode

LABELS = {
    "talk_overdue": "谈话逾期",
    "candidate_early": "发展对象确定过早",
    "publicity_short": "公示不足5个工作日",
    "training_short": "培训不足24学时",
    "meeting_overdue": "支部大会逾期",
    "approval_overdue": "审批逾期",
    "oath_overdue": "入党宣誓逾期",
    "probation_ending": "预备期将满（转正提醒）",
    "report_missing": "思想汇报缺交",
    "review_overdue": "半年考察逾期",
    "mentor_invalid": "培养联系人不再符合条件",
    "graduating": "三个月内离校",
}


@dataclasses.dataclass(frozen=True)
class FileWarning:
    code: str
    message: str
    key: str  # what the warning is about (a date, a mentor): a new key is a new warning

    @property
    def label(self) -> str:
        return LABELS[self.code]


@dataclasses.dataclass(frozen=True)
class MentorFacts:
    id: int
    name: str
    is_member: bool  # a full member (中共党员)
    present: bool  # still enrolled / in post


def mentor_facts(mentor) -> MentorFacts:
    """From a Mentor with its student or staff loaded."""
    if mentor.student_id:
        s = mentor.student
        return MentorFacts(
            mentor.pk,
            s.name,
            s.political_status == PoliticalStatus.MEMBER,
            s.status == StudentStatus.ENROLLED,
        )
    return MentorFacts(mentor.pk, mentor.staff.name, True, mentor.staff.active)


def compute(
    facts: rules.Facts,
    *,
    today: dt.date,
    college: rules.CollegeRules,
    holidays: frozenset[dt.date] = frozenset(),
    mentors: list[MentorFacts] = (),
    closed: bool = False,
) -> list[FileWarning]:
    if closed or facts.first(S.FULL):
        return []
    cn = rules.cn
    out: list[FileWarning] = []
    version = rules.VERSIONS[facts.version]
    stage = facts.stage

    def w(code):
        return rules.window(facts, code, college=college, holidays=holidays)

    def overdue(warning: str, code, message: str, *, after=True) -> None:
        """The step `code` is not done by its deadline, once the step that starts its clock is
        recorded (`after`: that step's date); `message` names the {deadline} and its {article}."""
        if not after or facts.steps.get(code):  # done, or its clock not started: no window needed
            return
        window = w(code)
        if window.deadline and today > window.deadline:
            text = message.format(deadline=cn(window.deadline), article=window.deadline_article)
            out.append(FileWarning(warning, text, str(window.deadline)))

    overdue("talk_overdue", S.TALK, "谈话已逾期：应于{deadline}前谈话（{article}）")
    activist, candidate = facts.first(S.ACTIVIST), facts.first(S.CANDIDATE)
    if activist and candidate and candidate < rules.add_months(activist, 12):
        months = (candidate.year - activist.year) * 12 + candidate.month - activist.month
        out.append(
            FileWarning(
                "candidate_early",
                f"确定为发展对象时距确定入党积极分子仅约{months}个月，不足一年（{w(S.CANDIDATE).earliest_article}）",
                str(candidate),
            )
        )
    publicity = facts.first(S.PUBLICITY)
    if version["publicity_working_days"] and publicity:
        end = facts.data(S.PUBLICITY).get("end")
        try:
            end = dt.date.fromisoformat(str(end))
        except ValueError:
            end = publicity
        days = rules.working_days(publicity, end, holidays)
        if days < version["publicity_working_days"]:
            out.append(FileWarning("publicity_short", f"公示仅{days}个工作日，不足5个工作日", str(publicity)))
    if facts.steps.get(S.TRAINING) and not facts.training_enough() and not facts.first(S.PRE_REVIEW):
        days, hours = facts.training_totals()
        out.append(
            FileWarning(
                "training_short", f"集中培训累计{hours:g}学时、{days:g}天，不足3天或24学时", "training"
            )
        )
    overdue(
        "meeting_overdue",
        S.MEETING,
        "预审后应于{deadline}前召开支部党员大会（{article}）",
        after=facts.first(S.PRE_REVIEW),
    )
    overdue(
        "approval_overdue",
        S.PROBATIONARY,
        "党委应于{deadline}前审批（{article}）",
        after=facts.first(S.MEETING),
    )
    overdue(
        "approval_overdue",
        S.FULL,
        "党委应于{deadline}前审批转正（{article}）",
        after=facts.first(S.FULL_MEETING),
    )
    overdue(
        "oath_overdue", S.OATH, "应于{deadline}前进行入党宣誓（{article}）", after=facts.first(S.PROBATIONARY)
    )
    end = facts.probation_end
    if stage == Stage.PROBATIONARY and end and not facts.first(S.FULL_APPLICATION):
        remind = rules.add_months(end, -college.full_application_months_before_end)
        if today >= remind:
            out.append(FileWarning("probation_ending", f"预备期将于{cn(end)}期满，请提交转正申请", str(end)))
    if stage in (Stage.ACTIVIST, Stage.CANDIDATE) and not facts.first(S.MEETING):
        report = w(S.REPORT)
        if report.college_deadline and today > report.college_deadline:
            out.append(
                FileWarning(
                    "report_missing",
                    f"思想汇报缺交：应于{cn(report.college_deadline)}前提交（{report.college_note}）",
                    str(report.college_deadline),
                )
            )
        review = w(S.REVIEW)
        if review.deadline and today > review.deadline:
            out.append(
                FileWarning(
                    "review_overdue",
                    f"半年考察逾期：应于{cn(review.deadline)}前考察（{review.deadline_article}）",
                    str(review.deadline),
                )
            )
        for mentor in mentors:
            why = "已离校或离职" if not mentor.present else "不是正式党员" if not mentor.is_member else ""
            if why:
                out.append(
                    FileWarning(
                        "mentor_invalid", f"培养联系人{mentor.name}{why}，请另行指定", f"m{mentor.id}"
                    )
                )
    if stage != Stage.PROBATIONARY and not facts.first(S.MEETING):
        guard = rules.graduation_guard(facts.leaves_on, today)
        if guard:
            out.append(FileWarning("graduating", guard, str(facts.leaves_on)))
    return out
