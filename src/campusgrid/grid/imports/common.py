"""What the roster and staff imports share: the columns, cell checks and the importing actor's reach."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from campusgrid.accounts.services import wecom_id_holders
from campusgrid.core.actors import is_system
from campusgrid.core.imports import Column
from campusgrid.core.scoping import scope_for

from ..models import PostKind

BATCH = 2000

ROSTER_COLUMNS = [
    Column("student_no", "学号", ("学生编号",), required=True),
    Column("name", "姓名", required=True),
    Column("gender", "性别", required=True),
    Column("college", "学院", ("院系",), required=True),
    Column("major", "专业"),
    Column("grade", "年级"),
    Column("class", "班级"),
    Column("building", "楼栋", ("宿舍楼", "公寓楼")),
    Column("room", "寝室号", ("宿舍号", "房间号")),
    Column("bed", "床位", ("床号",)),
    Column("political", "政治面貌"),
    Column("posts", "职务"),
    Column("phone", "手机号", ("联系电话", "手机")),
    Column("id_number", "身份证号", ("身份证", "证件号码")),
    Column("ethnicity", "民族"),
    Column("origin", "生源地"),
    Column("parent_phone", "家长电话"),
    Column("wecom_userid", "企业微信账号", ("企业微信", "企业微信号")),
]
STAFF_COLUMNS = [
    Column("staff_no", "工号", required=True),
    Column("name", "姓名", required=True),
    Column("roles", "角色", required=True),
    Column("college", "学院"),
    Column("classes", "负责班级"),
    Column("phone", "手机号", ("联系电话", "手机")),
    Column("wecom_userid", "企业微信账号", ("企业微信", "企业微信号")),
]
ROSTER_POSTS = {"舍长": PostKind.DORM_HEAD, "班长": PostKind.MONITOR, "团支书": PostKind.LEAGUE_SECRETARY}
ROSTER_POST_KINDS = list(ROSTER_POSTS.values())
STAFF_POST_KINDS = [PostKind.COUNSELOR, PostKind.CLASS_TEACHER, PostKind.LEADER, PostKind.OFFICE]
_NO_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_PHONE_LOOSE = re.compile(r"^[0-9+\-() ]{7,20}$")
_GRADE_RE = re.compile(r"^(\d{4})\s*级?$")
_WECOM_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def _check_wecom(result, row, value: str, number: str, seen: dict) -> str:
    """The 企业微信账号 cell: a WeCom user id (default, when empty: the 学号/工号)."""
    if not value:
        return ""
    if not _WECOM_RE.match(value):
        result.error(row, "企业微信账号", f"“{value}”不是有效的企业微信账号（字母、数字、_ . @ -，最长64位）")
    elif value in seen:
        result.error(row, "企业微信账号", f"企业微信账号{value}与第{seen[value]}行重复")
    else:
        seen[value] = row
    return value


def _check_wecom_holders(result, rows, number_key: str) -> dict[str, str]:
    """A WeCom id named in the file must not belong to an account outside the file; returns
    id → holder's user name for the diff."""
    in_file = {p[number_key] for p in rows}
    holders = wecom_id_holders([p["wecom"] or p[number_key] for p in rows])
    for p in rows:
        holder = holders.get(p["wecom"])
        if p["wecom"] and holder is not None and holder != p[number_key] and holder not in in_file:
            result.error(p["row"], "企业微信账号", f"企业微信账号{p['wecom']}已属于账号{holder}")
    return holders


def _wecom_change(p, number_key: str, current: str | None, holders: dict[str, str], present) -> bool:
    """Whether the import changes an existing account's WeCom id: a named id that differs,
    or — when the file has the column — the default filling an account that has none (and
    that nobody else holds). New accounts always get the default."""
    if p["wecom"]:
        return current != p["wecom"]
    if "wecom_userid" not in present:
        return False
    default = p[number_key]
    return not current and holders.get(default, p[number_key]) == p[number_key]


def _floor_of(number: str) -> int:
    digits = re.match(r"^(\d+)", number)
    if digits and len(digits.group(1)) >= 3:
        return int(digits.group(1)[:-2])
    return 1


def _new_password() -> str:
    # An unusable password: the account cannot log in until one is set (or CAS).
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


class _Reach:
    """What the importing actor may write: the system (command line) may write all."""

    def __init__(self, actor):
        self.actor = actor
        self.scope = None if is_system(actor) else scope_for(actor)

    @property
    def everything(self) -> bool:
        return self.scope is None or self.scope.manage_everything

    def student(self, college_id, class_id) -> bool:
        return self.everything or self.scope.manages(college_id=college_id, class_id=class_id)

    def college(self, college_id) -> bool:
        return self.everything or college_id in self.scope.manage_college_ids


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
