"""The rules of party development as data (《中国共产党发展党员工作细则》).

Two rule sets: the 2014 text (the baseline) and its 2026 revision, which adds the
5-working-day 公示 of development candidates, the one-month limit from the 预审 to the
branch meeting and the one-month limit for the oath. The 2014 text numbers chapter 4
(预备党员的接收) onwards one higher than the 2026 revision. Every file records which
set applies (`DevelopmentFile.rule_version`).

For each step the rules give the legal earliest date and deadline, each with the article
it comes from. The college's own extras (quarterly thought reports, "applied at least N
months before becoming an activist", the 转正 application about a month before the end)
are a separate layer (`CollegeRules`, configurable in settings) whose dates are shown
beside the legal ones and never move them.

Everything here works on plain values (no queries) so that a board of thousands of files
is scheduled in one pass; working days come from `chinese-calendar` (public holidays and
make-up workdays) plus the college's own holidays (org.Holiday), passed in as dates.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from .models.pipeline import RuleVersion, Stage, StepCode

S = StepCode

# The 2026 revision was adopted on 2026-04-02: files opened from then on follow it.
REVISION_2026 = dt.date(2026, 4, 2)

# The rule-set differences, one row each.
VERSIONS = {
    RuleVersion.V2014: {
        "title": "《中国共产党发展党员工作细则》（2014年）",
        "publicity_working_days": None,
        "meeting_within_months": None,
        "oath_within_months": None,
        "sponsor_bars": ["probation"],  # 受留党察看处分、尚未恢复党员权利的党员，不能作入党介绍人
    },
    RuleVersion.V2026: {
        "title": "《中国共产党发展党员工作细则》（2026年修订）",
        "publicity_working_days": 5,
        "meeting_within_months": 1,
        "oath_within_months": 1,
        "sponsor_bars": ["probation", "warning", "serious_warning", "removal"],
    },
}

# Article numbers: chapters 1–3 are numbered alike; from chapter 4 the 2014 text is one higher.
_ARTICLES_2026 = {
    S.APPLICATION: "第六条",
    S.TALK: "第七条",
    S.ACTIVIST: "第八条",
    S.MENTORS: "第九条",
    S.REVIEW: "第十一条",
    S.PUBLICITY: "第十三条",
    S.CANDIDATE: "第十三条",
    S.SPONSORS: "第十四条",
    S.POLITICAL_REVIEW: "第十六条",
    S.TRAINING: "第十七条",
    S.PRE_REVIEW: "第十八条",
    S.MEETING: "第十九条",
    S.PROBATIONARY: "第二十五条",
    S.OATH: "第二十九条",
    S.EXTEND_PROBATION: "第三十一条",
    S.FULL_APPLICATION: "第三十二条",
    S.FULL_MEETING: "第三十二条",
    S.FULL: "第三十三条",
}
_CHAPTER_4_FROM = 18


def _shift(article: str) -> str:
    numerals = "零一二三四五六七八九"
    text = article.removeprefix("第").removesuffix("条")

    def parse(t: str) -> int:
        if t.startswith("十"):
            t = "一" + t
        if "十" in t:
            tens, _, ones = t.partition("十")
            return numerals.index(tens) * 10 + (numerals.index(ones) if ones else 0)
        return numerals.index(t)

    def write(n: int) -> str:
        tens, ones = divmod(n, 10)
        if not tens:
            return numerals[ones]
        head = "" if tens == 1 else numerals[tens]
        return f"{head}十{numerals[ones] if ones else ''}"

    n = parse(text)
    return f"第{write(n + 1 if n >= _CHAPTER_4_FROM else n)}条"


ARTICLES = {
    RuleVersion.V2026: dict(_ARTICLES_2026),
    RuleVersion.V2014: {code: _shift(article) for code, article in _ARTICLES_2026.items()},
}

TRAINING_MIN_DAYS = 3
TRAINING_MIN_HOURS = 24
APPROVAL_MONTHS = 3
APPROVAL_EXTENDED_MONTHS = 6
PROBATION_MONTHS = 12
REVIEW_MONTHS = 6
GRADUATION_GUARD_MONTHS = 3


@dataclasses.dataclass(frozen=True)
class CollegeRules:
    """The college's own extras (not national rules): shown beside the legal dates."""

    thought_report_months: int = 3  # 思想汇报: one a quarter
    apply_months_before_activist: int | None = None  # e.g. 6: applied at least 6 months before 推优
    full_application_months_before_end: int = 1  # 转正申请: about a month before the probation ends

    @classmethod
    def configured(cls) -> CollegeRules:
        return cls(**getattr(settings, "CAMPUSGRID_PARTY_COLLEGE_RULES", {}))


def add_months(day: dt.date | None, months: int) -> dt.date | None:
    """The same day `months` later (the month's last day when it has fewer); None stays None:
    a file imported or kept on paper may lack the step a date counts from."""
    if day is None:
        return None
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


# --- working days -------------------------------------------------------------------------------


def is_working_day(day: dt.date, college_holidays: frozenset[dt.date] = frozenset()) -> bool:
    """A working day by the state calendar (public holidays, make-up workdays) and not one
    of the college's own holidays. Years the calendar has no data for fall back to weekdays."""
    if day in college_holidays:
        return False
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def working_days(start: dt.date, end: dt.date, college_holidays: frozenset[dt.date] = frozenset()) -> int:
    """Working days from `start` to `end`, both included."""
    count, day = 0, start
    while day <= end:
        count += is_working_day(day, college_holidays)
        day += dt.timedelta(days=1)
    return count


def nth_working_day(start: dt.date, n: int, college_holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    """The day on which a period starting `start` has lasted `n` working days."""
    day, count = start, 0
    while True:
        if is_working_day(day, college_holidays):
            count += 1
            if count >= n:
                return day
        day += dt.timedelta(days=1)


def holiday_dates(ranges: Iterable[tuple[dt.date, dt.date]]) -> frozenset[dt.date]:
    days = set()
    for start, end in ranges:
        day = start
        while day <= end:
            days.add(day)
            day += dt.timedelta(days=1)
    return frozenset(days)


# --- the facts of one file and its schedule --------------------------------------------------------


@dataclasses.dataclass
class Facts:
    """What the rules need of a file: its version and its recorded steps (plain values)."""

    version: str
    applied_on: dt.date
    steps: dict[str, list[tuple[dt.date, dict]]]  # code -> [(on, data)] in date order
    leaves_on: dt.date | None = None

    def first(self, code: str) -> dt.date | None:
        rows = self.steps.get(code)
        return rows[0][0] if rows else None

    def last(self, code: str) -> dt.date | None:
        rows = self.steps.get(code)
        return rows[-1][0] if rows else None

    def data(self, code: str) -> dict:
        rows = self.steps.get(code)
        return rows[-1][1] if rows else {}

    @property
    def stage(self) -> str:
        for code, stage in (
            (S.FULL, Stage.FULL),
            (S.PROBATIONARY, Stage.PROBATIONARY),
            (S.CANDIDATE, Stage.CANDIDATE),
            (S.ACTIVIST, Stage.ACTIVIST),
        ):
            if self.first(code):
                return stage
        return Stage.APPLICANT

    @property
    def probation_end(self) -> dt.date | None:
        meeting = self.first(S.MEETING)
        if not meeting:
            return None
        months = PROBATION_MONTHS + int(self.data(S.EXTEND_PROBATION).get("months") or 0)
        return add_months(meeting, months)

    def training_totals(self) -> tuple[float, float]:
        days = sum(float(d.get("days") or 0) for _, d in self.steps.get(S.TRAINING, []))
        hours = sum(float(d.get("hours") or 0) for _, d in self.steps.get(S.TRAINING, []))
        return days, hours

    def training_enough(self) -> bool:
        days, hours = self.training_totals()
        return days >= TRAINING_MIN_DAYS or hours >= TRAINING_MIN_HOURS


@dataclasses.dataclass(frozen=True)
class Window:
    """One step of the schedule: when it may be done at the earliest and must be done at the
    latest by law (with the article), the college's own dates, and what was recorded."""

    code: str
    label: str
    needs: tuple[str, ...]
    earliest: dt.date | None = None
    earliest_article: str = ""
    earliest_reason: str = ""
    deadline: dt.date | None = None
    deadline_article: str = ""
    deadline_reason: str = ""
    college_earliest: dt.date | None = None
    college_deadline: dt.date | None = None
    college_note: str = ""
    done: tuple[dt.date, ...] = ()

    @property
    def date(self) -> dt.date | None:
        return self.done[-1] if self.done else None


# Which steps must be recorded before each, in the order the board and forms show them.
NEEDS: dict[str, tuple[str, ...]] = {
    S.APPLICATION: (),
    S.TALK: (S.APPLICATION,),
    S.ACTIVIST: (S.APPLICATION,),
    S.MENTORS: (S.ACTIVIST,),
    S.REVIEW: (S.ACTIVIST,),
    S.REPORT: (S.APPLICATION,),
    S.PUBLICITY: (S.ACTIVIST,),
    S.CANDIDATE: (S.ACTIVIST,),
    S.SPONSORS: (S.CANDIDATE,),
    S.POLITICAL_REVIEW: (S.CANDIDATE,),
    S.TRAINING: (S.ACTIVIST,),
    S.PRE_REVIEW: (S.SPONSORS, S.POLITICAL_REVIEW, S.TRAINING),
    S.MEETING: (S.PRE_REVIEW,),
    S.PROBATIONARY: (S.MEETING,),
    S.OATH: (S.PROBATIONARY,),
    S.EXTEND_PROBATION: (S.PROBATIONARY,),
    S.FULL_APPLICATION: (S.PROBATIONARY,),
    S.FULL_MEETING: (S.FULL_APPLICATION,),
    S.FULL: (S.FULL_MEETING,),
}
ORDER = list(NEEDS)
# The steps whose `data` the schedule and the warnings read (Facts.data, training_totals): the
# board's and the 台账's plain read decodes only theirs (rules.check reads a file's own facts).
DATA_READ = (S.PUBLICITY, S.TRAINING, S.PROBATIONARY, S.EXTEND_PROBATION)
STAGE_OF_STEP = {
    S.ACTIVIST: Stage.ACTIVIST,
    S.CANDIDATE: Stage.CANDIDATE,
    S.PROBATIONARY: Stage.PROBATIONARY,
    S.FULL: Stage.FULL,
}


def steps_for(version: str) -> list[str]:
    """The steps of a rule set (the 公示 exists from 2026)."""
    return [c for c in ORDER if c != S.PUBLICITY or VERSIONS[version]["publicity_working_days"]]


def schedule(
    facts: Facts, *, college: CollegeRules, holidays: frozenset[dt.date] = frozenset()
) -> list[Window]:
    """Every step of the file with its windows, in order."""
    return [window(facts, code, college=college, holidays=holidays) for code in steps_for(facts.version)]


def window(
    facts: Facts, code: str, *, college: CollegeRules, holidays: frozenset[dt.date] = frozenset()
) -> Window:
    v = VERSIONS[facts.version]
    art = ARTICLES[facts.version]
    title = "《细则》"
    f = facts
    kw: dict = {}
    applied = f.first(S.APPLICATION) or f.applied_on
    activist = f.first(S.ACTIVIST)
    if code == S.TALK:
        kw = {
            "earliest": applied,
            "earliest_article": art[S.TALK],
            "earliest_reason": "收到入党申请书后谈话",
            "deadline": add_months(applied, 1),
            "deadline_article": art[S.TALK],
            "deadline_reason": "收到入党申请书后一个月内派人谈话",
        }
    elif code == S.ACTIVIST:
        kw = {
            "earliest": applied,
            "earliest_article": art[S.ACTIVIST],
            "earliest_reason": "递交入党申请书之后",
        }
        if college.apply_months_before_activist:
            kw.update(
                college_earliest=add_months(applied, college.apply_months_before_activist),
                college_note=f"学院规定：递交申请满{college.apply_months_before_activist}个月后方可推优",
            )
    elif code in (S.MENTORS, S.REVIEW) and activist:
        kw = {
            "earliest": activist,
            "earliest_article": art[code],
            "earliest_reason": "确定为入党积极分子之后",
        }
        if code == S.REVIEW:
            base = f.last(S.REVIEW) or activist
            kw.update(
                deadline=add_months(base, REVIEW_MONTHS),
                deadline_article=art[S.REVIEW],
                deadline_reason="党支部每半年对入党积极分子进行一次考察",
            )
    elif code == S.REPORT:
        kw = {"earliest": applied, "earliest_reason": "递交入党申请书之后"}
        if activist and not f.first(S.MEETING):
            base = max(f.last(S.REPORT) or activist, activist)
            kw.update(
                college_deadline=add_months(base, college.thought_report_months),
                college_note=f"学院规定：入党积极分子每{college.thought_report_months}个月至少一篇思想汇报（非《细则》规定）",
            )
    elif code in (S.PUBLICITY, S.CANDIDATE) and activist:
        kw = {
            "earliest": add_months(activist, 12),
            "earliest_article": art[S.CANDIDATE],
            "earliest_reason": "经过一年以上培养教育和考察",
        }
        days = v["publicity_working_days"]
        publicity = f.first(S.PUBLICITY)
        if code == S.CANDIDATE and days and publicity:
            end = nth_working_day(publicity, days, holidays) + dt.timedelta(days=1)
            if end > kw["earliest"]:
                kw.update(earliest=end, earliest_reason=f"公示不少于{days}个工作日期满之后")
    elif code in (S.SPONSORS, S.POLITICAL_REVIEW) and f.first(S.CANDIDATE):
        kw = {
            "earliest": f.first(S.CANDIDATE),
            "earliest_article": art[code],
            "earliest_reason": "确定为发展对象之后",
        }
    elif code == S.TRAINING and activist:
        kw = {
            "earliest": activist,
            "earliest_article": art[S.TRAINING],
            "earliest_reason": "确定为入党积极分子之后",
        }
    elif code == S.PRE_REVIEW:
        before = [
            d
            for d in (
                f.first(S.CANDIDATE),
                f.last(S.SPONSORS),
                f.first(S.POLITICAL_REVIEW),
                f.last(S.TRAINING),
            )
            if d
        ]
        if before:
            kw = {
                "earliest": max(before),
                "earliest_article": art[S.PRE_REVIEW],
                "earliest_reason": "政审、培训、确定入党介绍人之后",
            }
    elif code == S.MEETING and f.first(S.PRE_REVIEW):
        pre = f.first(S.PRE_REVIEW)
        kw = {"earliest": pre, "earliest_article": art[S.MEETING], "earliest_reason": "基层党委预审合格之后"}
        if v["meeting_within_months"]:
            kw.update(
                deadline=add_months(pre, v["meeting_within_months"]),
                deadline_article=art[S.MEETING],
                deadline_reason="预审合格后一个月内提交支部党员大会讨论",
            )
    elif code == S.PROBATIONARY and f.first(S.MEETING):
        meeting = f.first(S.MEETING)
        extended = bool(f.data(S.PROBATIONARY).get("extended"))
        kw = {
            "earliest": meeting,
            "earliest_article": art[S.PROBATIONARY],
            "earliest_reason": "支部党员大会通过之后",
            "deadline": add_months(meeting, APPROVAL_EXTENDED_MONTHS if extended else APPROVAL_MONTHS),
            "deadline_article": art[S.PROBATIONARY],
            "deadline_reason": "基层党委三个月内审批（特殊情况可延长，最长不超过六个月）",
        }
    elif code == S.OATH and f.first(S.PROBATIONARY):
        approved = f.first(S.PROBATIONARY)
        kw = {"earliest": approved, "earliest_article": art[S.OATH], "earliest_reason": "党委审批之后"}
        if v["oath_within_months"]:
            kw.update(
                deadline=add_months(approved, v["oath_within_months"]),
                deadline_article=art[S.OATH],
                deadline_reason="审批后一般一个月内进行入党宣誓",
            )
    elif code == S.EXTEND_PROBATION and f.first(S.PROBATIONARY):
        kw = {
            "earliest": f.first(S.PROBATIONARY),
            "earliest_article": art[S.EXTEND_PROBATION],
            "earliest_reason": "预备期内",
            "deadline": add_months(f.first(S.MEETING), PROBATION_MONTHS),
            "deadline_article": art[S.EXTEND_PROBATION],
            "deadline_reason": "预备期满时讨论，可延长一次（半年至一年）",
        }
    elif code == S.FULL_APPLICATION and f.first(S.PROBATIONARY):
        end = f.probation_end
        kw = {
            "earliest": f.first(S.PROBATIONARY),
            "earliest_article": art[S.FULL_APPLICATION],
            "earliest_reason": "预备期内",
            "college_earliest": add_months(end, -college.full_application_months_before_end),
            "college_deadline": end,
            "college_note": f"学院规定：预备期满前约{college.full_application_months_before_end}个月提交转正申请",
        }
    elif code == S.FULL_MEETING and f.probation_end:
        kw = {
            "earliest": f.probation_end,
            "earliest_article": art[S.FULL_MEETING],
            "earliest_reason": "预备期满",
        }
    elif code == S.FULL and f.first(S.FULL_MEETING):
        meeting = f.first(S.FULL_MEETING)
        kw = {
            "earliest": meeting,
            "earliest_article": art[S.FULL],
            "earliest_reason": "支部党员大会讨论通过之后",
            "deadline": add_months(meeting, APPROVAL_MONTHS),
            "deadline_article": art[S.FULL],
            "deadline_reason": "基层党委三个月内审批转正",
        }
    if kw.get("earliest_article"):
        kw["earliest_article"] = f"{title}{kw['earliest_article']}"
    if kw.get("deadline_article"):
        kw["deadline_article"] = f"{title}{kw['deadline_article']}"
    return Window(
        code=code,
        label=StepCode(code).label,
        needs=NEEDS.get(code, ()),
        done=tuple(on for on, _ in f.steps.get(code, [])),
        **kw,
    )


class RuleRefusal(ValueError):
    """The rules forbid the step (the message is Chinese and names the earliest date)."""

    def __init__(self, message: str, *, field: str = "date", earliest: dt.date | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.earliest = earliest


def check(
    facts: Facts,
    code: str,
    on: dt.date,
    data: dict,
    *,
    today: dt.date,
    college: CollegeRules,
    holidays: frozenset[dt.date] = frozenset(),
) -> None:
    """Refuse a step the rules forbid on `on` (with `data`), or return quietly."""
    label = StepCode(code).label
    if code not in steps_for(facts.version) and code != S.CLOSE:
        raise RuleRefusal(f"{VERSIONS[facts.version]['title']}没有“{label}”这一步骤", field="step")
    if on > today:
        raise RuleRefusal(f"{label}的日期不能晚于今天（{cn(today)}）")
    if code == S.CLOSE:
        return
    for need in NEEDS.get(code, ()):
        if not facts.first(need):
            raise RuleRefusal(f"请先记录“{StepCode(need).label}”，再记录“{label}”", field="step")
    if facts.first(code) and code not in (S.REVIEW, S.REPORT, S.TRAINING, S.MENTORS):
        raise RuleRefusal(f"“{label}”已记录（{cn(facts.first(code))}），不能重复记录", field="step")
    if facts.first(S.FULL):
        raise RuleRefusal("已转为正式党员，发展程序已完成", field="step")
    w = window(facts, code, college=college, holidays=holidays)
    if w.earliest and on < w.earliest:
        raise RuleRefusal(
            f"{label}的日期不得早于{cn(w.earliest)}（{w.earliest_article}：{w.earliest_reason}）",
            earliest=w.earliest,
        )
    if w.college_earliest and code == S.ACTIVIST and on < w.college_earliest:
        raise RuleRefusal(
            f"{label}的日期不得早于{cn(w.college_earliest)}（{w.college_note}）", earliest=w.college_earliest
        )
    v = VERSIONS[facts.version]
    if code == S.PUBLICITY:
        end = _date(data.get("end"), "end", "公示结束日期")
        if end < on:
            raise RuleRefusal("公示结束日期不能早于开始日期", field="end")
    if code == S.CANDIDATE and v["publicity_working_days"]:
        publicity = facts.first(S.PUBLICITY)
        if not publicity:
            raise RuleRefusal(
                f"请先记录“发展对象公示”（{ARTICLES[facts.version][S.CANDIDATE]}）", field="step"
            )
        end = _date(facts.data(S.PUBLICITY).get("end"), "end", "公示结束日期")
        length = working_days(publicity, end, holidays)
        if length < v["publicity_working_days"]:
            refuse_until = nth_working_day(publicity, v["publicity_working_days"], holidays) + dt.timedelta(
                days=1
            )
            raise RuleRefusal(
                f"公示仅{length}个工作日，不足{v['publicity_working_days']}个工作日（《细则》{ARTICLES[facts.version][S.CANDIDATE]}）；"
                f"公示须延长，确定发展对象的日期不得早于{cn(refuse_until)}",
                earliest=refuse_until,
            )
    if code == S.TRAINING:
        for key, label_ in (("days", "培训天数"), ("hours", "培训学时")):
            value = data.get(key)
            if value in (None, ""):
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise RuleRefusal(f"{label_}须为数字", field=key)
            if not 0 <= number <= 1000:
                raise RuleRefusal(f"{label_}须在 0 到 1000 之间", field=key)
        if not data.get("days") and not data.get("hours"):
            raise RuleRefusal("请填写培训天数或学时", field="hours")
    if code == S.PRE_REVIEW and not facts.training_enough():
        days, hours = facts.training_totals()
        raise RuleRefusal(
            f"集中培训累计{hours:g}学时、{days:g}天，不足{TRAINING_MIN_DAYS}天或{TRAINING_MIN_HOURS}学时"
            f"（《细则》{ARTICLES[facts.version][S.TRAINING]}），不能预审",
            field="step",
        )
    if code == S.POLITICAL_REVIEW and not (data.get("conclusion") or "").strip():
        raise RuleRefusal(
            f"政治审查须有书面结论（《细则》{ARTICLES[facts.version][S.POLITICAL_REVIEW]}）",
            field="conclusion",
        )
    if code == S.PROBATIONARY:
        meeting = facts.first(S.MEETING)
        if on > add_months(meeting, APPROVAL_EXTENDED_MONTHS):
            raise RuleRefusal(
                f"支部大会通过已超过六个月（《细则》{ARTICLES[facts.version][S.PROBATIONARY]}），须重新履行入党手续",
            )
        if on > add_months(meeting, APPROVAL_MONTHS) and not data.get("extended"):
            raise RuleRefusal(
                f"超过三个月审批须注明延长审批的理由（《细则》{ARTICLES[facts.version][S.PROBATIONARY]}）",
                field="extended",
            )
    if code == S.EXTEND_PROBATION:
        try:
            months = int(data.get("months"))
        except (TypeError, ValueError):
            raise RuleRefusal("延长预备期须填写月数（6 到 12）", field="months")
        if not 6 <= months <= 12:
            raise RuleRefusal(
                "预备期只能延长一次，时间不少于半年、最长不超过一年（6 到 12 个月）", field="months"
            )
    excepted = (data.get("graduation_exception") or "").strip()
    if code == S.MEETING and facts.leaves_on and not excepted:  # noqa: SIM102
        if facts.leaves_on <= add_months(on, GRADUATION_GUARD_MONTHS):
            raise RuleRefusal(
                f"该发展对象将于{cn(facts.leaves_on)}离校，三个月内离开学习单位的一般不办理接收预备党员手续"
                f"（《细则》{ARTICLES[facts.version][S.PRE_REVIEW]}）；确需办理请填写特殊情况说明",
                field="graduation_exception",
            )


def _date(value, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise RuleRefusal(f"{label}须为日期（YYYY-MM-DD）", field=field)


def graduation_guard(leaves_on: dt.date | None, on: dt.date) -> str | None:
    """The guard's sentence when the person leaves within three months of `on`, or None."""
    if leaves_on and leaves_on <= add_months(on, GRADUATION_GUARD_MONTHS):
        return f"将于{cn(leaves_on)}离校：三个月内离开学习单位的，一般不办理接收预备党员的手续"
    return None


def default_version(on: dt.date) -> str:
    return RuleVersion.V2026 if on >= REVISION_2026 else RuleVersion.V2014
