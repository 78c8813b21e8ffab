"""The 企业微信账号 column of the roster and staff imports: the WeCom id of each account,
defaulting to the 学号/工号; all-or-nothing checks like every other column."""

import pytest
from django.contrib.auth import get_user_model

from campusgrid.accounts.models import WeComAccount
from campusgrid.core.actors import SYSTEM
from campusgrid.grid.imports import import_roster, import_staff
from tests.grid import rosters as r

pytestmark = pytest.mark.django_db


def wecom_ids() -> dict[str, str | None]:
    return dict(WeComAccount.objects.values_list("user__username", "userid"))


def roster(tmp_path, rows, name="roster.xlsx"):
    return r.write_xlsx(tmp_path / name, rows)


def test_new_accounts_default_to_their_number_and_a_named_id_wins(tmp_path):
    rows = r.small_roster()
    rows[0]["企业微信账号"] = "zhaoyi"
    for row in rows[1:]:
        row["企业微信账号"] = ""
    result = import_roster(roster(tmp_path, rows), actor=SYSTEM)
    assert result.ok, result.errors
    ids = wecom_ids()
    assert ids["S2401001"] == "zhaoyi"
    assert ids["S2401002"] == "S2401002" and len(ids) == 6

    again = import_roster(roster(tmp_path, rows, "again.xlsx"), actor=SYSTEM)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)  # idempotent


def test_a_roster_without_the_column_gives_new_accounts_their_number(tmp_path):
    assert import_roster(roster(tmp_path, r.small_roster()), actor=SYSTEM).ok
    assert wecom_ids()["S2402002"] == "S2402002"


def test_a_later_file_changes_an_id_and_reports_it(tmp_path):
    import_roster(roster(tmp_path, r.small_roster()), actor=SYSTEM)
    rows = [{**row, "企业微信账号": ""} for row in r.small_roster()]  # the column, mostly empty
    rows[1]["企业微信账号"] = "qianer"
    result = import_roster(roster(tmp_path, rows, "later.xlsx"), actor=SYSTEM)
    assert result.ok and result.updated == 1
    assert any(c.get("fields") == "企业微信账号" for c in result.changes)
    assert wecom_ids()["S2401002"] == "qianer"


def test_a_user_bound_id_is_kept_by_a_file_without_one(tmp_path):
    import_roster(roster(tmp_path, r.small_roster()), actor=SYSTEM)
    user = get_user_model().objects.get(username="S2401003")
    WeComAccount.objects.filter(user=user).update(userid="sunsan-own", source="bound")
    rows = r.small_roster()
    for row in rows:
        row["企业微信账号"] = ""
    result = import_roster(roster(tmp_path, rows, "again.xlsx"), actor=SYSTEM)
    assert result.ok and result.updated == 0
    assert wecom_ids()["S2401003"] == "sunsan-own"


def test_bad_duplicate_and_taken_ids_are_row_errors_and_nothing_is_written(tmp_path):
    import_roster(roster(tmp_path, r.small_roster()[:2]), actor=SYSTEM)
    rows = r.small_roster()[2:]
    rows[0]["企业微信账号"] = "not valid!"
    rows[1]["企业微信账号"] = "same"
    rows[2]["企业微信账号"] = "same"
    rows[3]["企业微信账号"] = "S2401001"  # the WeCom id of a student outside this file
    before = wecom_ids()
    result = import_roster(roster(tmp_path, rows, "bad.xlsx"), actor=SYSTEM)
    assert not result.ok
    messages = [e["message"] if isinstance(e, dict) else str(e) for e in result.errors]
    text = " ".join(map(str, messages))
    assert "不是有效的企业微信账号" in text
    assert "企业微信账号same与第" in text
    assert "企业微信账号S2401001已属于账号S2401001" in text
    assert wecom_ids() == before


def test_staff_import_sets_wecom_ids_too(tmp_path):
    import_roster(roster(tmp_path, r.small_roster()), actor=SYSTEM)
    rows = [
        {
            "工号": "T2001",
            "姓名": "李老师",
            "角色": "辅导员",
            "学院": "化学学院",
            "企业微信账号": "li-teacher",
        },
        {"工号": "T2003", "姓名": "张书记", "角色": "学院领导", "学院": "化学学院", "企业微信账号": ""},
    ]
    result = import_staff(r.write_xlsx(tmp_path / "staff.xlsx", rows), actor=SYSTEM)
    assert result.ok, result.errors
    ids = wecom_ids()
    assert ids["T2001"] == "li-teacher" and ids["T2003"] == "T2003"
    again = import_staff(r.write_xlsx(tmp_path / "staff2.xlsx", rows), actor=SYSTEM)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
