"""The rules as data: the two rule sets and their differences, articles, working days
(state calendar plus the college's own holidays), and college extras that never move a
legal date."""

import datetime as dt

import pytest

from campusgrid.party import rules
from campusgrid.party.models import StepCode as S

D = dt.date
COLLEGE = rules.CollegeRules()


def facts(version="2026", **steps):
    return rules.Facts(
        version=version, applied_on=D(2025, 9, 8), steps={k: [(v, {})] for k, v in steps.items()}
    )


def test_the_2014_text_numbers_chapter_four_onwards_one_higher():
    assert rules.ARTICLES["2026"][S.TALK] == rules.ARTICLES["2014"][S.TALK] == "第七条"
    assert rules.ARTICLES["2026"][S.CANDIDATE] == rules.ARTICLES["2014"][S.CANDIDATE] == "第十三条"
    assert (
        rules.ARTICLES["2026"][S.PRE_REVIEW] == "第十八条"
        and rules.ARTICLES["2014"][S.PRE_REVIEW] == "第十九条"
    )
    assert (
        rules.ARTICLES["2026"][S.PROBATIONARY] == "第二十五条"
        and rules.ARTICLES["2014"][S.PROBATIONARY] == "第二十六条"
    )
    assert rules.ARTICLES["2014"][S.FULL] == "第三十四条"


def test_what_the_2026_revision_adds():
    f14 = facts(
        "2014",
        application=D(2025, 9, 8),
        pre_review=D(2026, 11, 2),
        meeting=D(2026, 11, 20),
        probationary=D(2026, 12, 1),
    )
    f26 = facts(
        "2026",
        application=D(2025, 9, 8),
        pre_review=D(2026, 11, 2),
        meeting=D(2026, 11, 20),
        probationary=D(2026, 12, 1),
    )
    assert rules.window(f14, S.MEETING, college=COLLEGE).deadline is None
    assert rules.window(f26, S.MEETING, college=COLLEGE).deadline == D(2026, 12, 2)
    assert rules.window(f14, S.OATH, college=COLLEGE).deadline is None
    assert rules.window(f26, S.OATH, college=COLLEGE).deadline == D(2027, 1, 1)
    assert S.PUBLICITY in rules.steps_for("2026") and S.PUBLICITY not in rules.steps_for("2014")
    assert (
        "warning" in rules.VERSIONS["2026"]["sponsor_bars"]
        and "warning" not in rules.VERSIONS["2014"]["sponsor_bars"]
    )


def test_working_days_follow_the_state_calendar_and_the_college_holidays():
    # 2026-10-01..07 National Day; Saturday 2026-10-10 is a make-up workday (chinese-calendar).
    assert rules.working_days(D(2026, 9, 30), D(2026, 10, 9)) == 3
    assert rules.is_working_day(D(2026, 10, 10))
    college = rules.holiday_dates([(D(2026, 10, 9), D(2026, 10, 9))])
    assert rules.working_days(D(2026, 9, 30), D(2026, 10, 9), college) == 2
    # A year the calendar has no data for falls back to weekdays.
    assert rules.working_days(D(2027, 3, 1), D(2027, 3, 7)) == 5


def test_months_clamp_to_the_end_of_the_month():
    assert rules.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert rules.add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_college_extras_never_move_a_legal_date():
    strict = rules.CollegeRules(apply_months_before_activist=6, thought_report_months=2)
    f = facts(application=D(2025, 9, 8), activist=D(2026, 3, 9))
    plain = rules.window(f, S.ACTIVIST, college=COLLEGE)
    extra = rules.window(f, S.ACTIVIST, college=strict)
    assert plain.earliest == extra.earliest == D(2025, 9, 8)
    assert extra.college_earliest == D(2026, 3, 8) and "学院规定" in extra.college_note
    assert rules.window(f, S.REPORT, college=strict).college_deadline == D(2026, 5, 9)
    with pytest.raises(rules.RuleRefusal) as exc:
        rules.check(
            facts(application=D(2025, 9, 8)),
            S.ACTIVIST,
            D(2026, 1, 5),
            {},
            today=D(2026, 6, 1),
            college=strict,
        )
    assert "2026年3月8日" in exc.value.message


def test_a_refusal_names_the_earliest_date_and_the_article():
    f = facts(application=D(2025, 9, 8), talk=D(2025, 9, 20), activist=D(2025, 10, 10))
    with pytest.raises(rules.RuleRefusal) as exc:
        rules.check(
            f, S.PUBLICITY, D(2026, 9, 1), {"end": "2026-09-08"}, today=D(2026, 12, 1), college=COLLEGE
        )
    assert exc.value.earliest == D(2026, 10, 10)
    assert "2026年10月10日" in exc.value.message and "第十三条" in exc.value.message


def test_extending_probation_is_six_to_twelve_months_once():
    f = facts(application=D(2025, 9, 8), meeting=D(2026, 11, 20), probationary=D(2026, 12, 1))
    for months in (5, 13, "x"):
        with pytest.raises(rules.RuleRefusal):
            rules.check(
                f,
                S.EXTEND_PROBATION,
                D(2027, 11, 20),
                {"months": months},
                today=D(2027, 12, 1),
                college=COLLEGE,
            )
    rules.check(f, S.EXTEND_PROBATION, D(2027, 11, 20), {"months": 6}, today=D(2027, 12, 1), college=COLLEGE)
    f.steps[S.EXTEND_PROBATION] = [(D(2027, 11, 20), {"months": 6})]
    assert f.probation_end == D(2028, 5, 20)


def test_approval_after_three_months_needs_the_extension_and_never_after_six():
    f = facts(application=D(2025, 9, 8), meeting=D(2026, 11, 20))
    with pytest.raises(rules.RuleRefusal) as exc:
        rules.check(f, S.PROBATIONARY, D(2027, 3, 1), {}, today=D(2027, 6, 1), college=COLLEGE)
    assert exc.value.field == "extended"
    rules.check(f, S.PROBATIONARY, D(2027, 3, 1), {"extended": True}, today=D(2027, 6, 1), college=COLLEGE)
    with pytest.raises(rules.RuleRefusal):
        rules.check(
            f, S.PROBATIONARY, D(2027, 5, 21), {"extended": True}, today=D(2027, 6, 1), college=COLLEGE
        )


@pytest.mark.parametrize("version", ["2014", "2026"])
def test_a_file_missing_the_step_a_date_counts_from_still_has_a_schedule(version):
    """Files imported or kept on paper may hold 预备/转正 without the branch meeting's date:
    the windows counted from it have no date (shown as —) instead of failing the page."""
    steps = facts(version, talk=D(2025, 9, 20), activist=D(2025, 10, 10), probationary=D(2026, 11, 1))
    windows = rules.schedule(steps, college=COLLEGE)
    full_application = next(w for w in windows if w.code == S.FULL_APPLICATION)
    assert full_application.college_earliest is None and full_application.college_deadline is None
    assert rules.add_months(None, 3) is None
