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

    talk = w(S.TALK)
    if not talk.done and talk.deadline and today > talk.deadline:
        out.append(
            FileWarning(
                "talk_overdue",
                f"谈话已逾期：应于{cn(talk.deadline)}前谈话（{talk.deadline_article}）",
                str(talk.deadline),
            )
        )
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
    meeting = w(S.MEETING)
    if facts.first(S.PRE_REVIEW) and not meeting.done and meeting.deadline and today > meeting.deadline:
        out.append(
            FileWarning(
                "meeting_overdue",
                f"预审后应于{cn(meeting.deadline)}前召开支部党员大会（{meeting.deadline_article}）",
                str(meeting.deadline),
            )
        )
    approval = w(S.PROBATIONARY)
    if facts.first(S.MEETING) and not approval.done and approval.deadline and today > approval.deadline:
        out.append(
            FileWarning(
                "approval_overdue",
                f"党委应于{cn(approval.deadline)}前审批（{approval.deadline_article}）",
                str(approval.deadline),
            )
        )
    full = w(S.FULL)
    if facts.first(S.FULL_MEETING) and not full.done and full.deadline and today > full.deadline:
        out.append(
            FileWarning(
                "approval_overdue",
                f"党委应于{cn(full.deadline)}前审批转正（{full.deadline_article}）",
                str(full.deadline),
            )
        )
    oath = w(S.OATH)
    if facts.first(S.PROBATIONARY) and not oath.done and oath.deadline and today > oath.deadline:
        out.append(
            FileWarning(
                "oath_overdue",
                f"应于{cn(oath.deadline)}前进行入党宣誓（{oath.deadline_article}）",
                str(oath.deadline),
            )
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
            if not mentor.present:
                out.append(
                    FileWarning(
                        "mentor_invalid", f"培养联系人{mentor.name}已离校或离职，请另行指定", f"m{mentor.id}"
                    )
                )
            elif not mentor.is_member:
                out.append(
                    FileWarning(
                        "mentor_invalid", f"培养联系人{mentor.name}不是正式党员，请另行指定", f"m{mentor.id}"
                    )
                )
    if stage != Stage.PROBATIONARY and not facts.first(S.MEETING):
        guard = rules.graduation_guard(facts.leaves_on, today)
        if guard:
            out.append(FileWarning("graduating", guard, str(facts.leaves_on)))
    return out
