"""The staff import (教职工): staff, their accounts, and their counselor/teacher/leader posts."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from campusgrid.accounts.services import wecom_ids_from_import, wecom_ids_of
from campusgrid.core import clock
from campusgrid.core.actors import as_user, require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.imports import ImportResult, read_table, split_multi
from campusgrid.core.validators import mobile_problem
from campusgrid.org.models import College, SchoolClass, University
from campusgrid.people.models import (
    Staff,
    StaffRole,
)
from campusgrid.people.services import name_initials

from ..models import Post, PostKind
from .common import (
    _NO_RE,
    STAFF_COLUMNS,
    STAFF_POST_KINDS,
    _check_wecom,
    _check_wecom_holders,
    _new_password,
    _Reach,
    _wecom_change,
)


def import_staff(path: str | Path, *, actor, dry_run: bool = False) -> ImportResult:
    require_actor(actor)
    result = ImportResult(dry_run=dry_run)
    table = read_table(path, STAFF_COLUMNS, result)
    if table is None:
        return result
    reach = _Reach(actor)
    if not (reach.everything or reach.scope.leads_college()):
        result.error(0, "权限", "只有学院领导、学工部或系统管理员可以导入教职工")
        return result
    colleges = {c.name: c for c in College.objects.all()}
    classes = {c.name: c for c in SchoolClass.objects.all()}
    existing = {s.staff_no: s for s in Staff.objects.all()}
    seen, seen_class, seen_wecom = {}, {}, {}
    rows = []
    for row, v in table.rows:
        p = {"row": row, "staff_no": v["staff_no"], "name": v["name"]}
        if not v["staff_no"]:
            result.error(row, "工号", "工号不能为空")
        elif not _NO_RE.match(v["staff_no"]):
            result.error(row, "工号", "工号只能包含字母、数字、下划线或连字符")
        elif v["staff_no"] in seen:
            result.error(row, "工号", f"工号与第{seen[v['staff_no']]}行重复")
        else:
            seen[v["staff_no"]] = row
        if not v["name"]:
            result.error(row, "姓名", "姓名不能为空")
        roles = []
        for label in split_multi(v["roles"]):
            role = StaffRole.from_label(label)
            if role is None:
                result.error(row, "角色", f"无法识别的角色“{label}”，可选：辅导员、班主任、学院领导、学工部")
            else:
                roles.append(role)
        if not roles and v["roles"] == "":
            result.error(row, "角色", "角色不能为空")
        p["roles"] = roles
        college = colleges.get(v.get("college", ""))
        if v.get("college") and college is None:
            result.error(row, "学院", f"学院“{v['college']}”不存在，请先导入学生名册或在系统管理中添加")
        if StaffRole.LEADER in roles and not v.get("college"):
            result.error(row, "学院", "学院领导需要填写学院")
        p["college"] = college
        if college is not None and not reach.college(college.pk):
            result.error(row, "学院", "只能导入您所在学院的教职工")
        p["classes"] = []
        for name in split_multi(v.get("classes", "")):
            school_class = classes.get(name)
            if school_class is None:
                result.error(row, "负责班级", f"班级“{name}”不存在")
                continue
            if not reach.college(school_class.college_id):
                result.error(row, "负责班级", f"班级“{name}”不在您的学院")
                continue
            for role in roles:
                if role in (StaffRole.COUNSELOR, StaffRole.CLASS_TEACHER):
                    key = (role, name)
                    if key in seen_class:
                        result.error(
                            row,
                            "负责班级",
                            f"班级“{name}”的{StaffRole(role).label}与第{seen_class[key]}行重复",
                        )
                    seen_class[key] = row
            p["classes"].append(school_class)
        if p["classes"] and roles and not ({StaffRole.COUNSELOR, StaffRole.CLASS_TEACHER} & set(roles)):
            result.error(row, "负责班级", "只有辅导员或班主任可以填写负责班级")
        phone = v.get("phone", "")
        if phone and mobile_problem(phone):
            result.error(row, "手机号", f"“{phone}”不是有效的手机号")
        p["phone"] = phone
        p["wecom"] = _check_wecom(result, row, v.get("wecom_userid", ""), v["staff_no"], seen_wecom)
        p["present"] = table.present
        rows.append(p)
    wecom_holders = _check_wecom_holders(result, rows, "staff_no")
    if not result.ok:
        return result
    wecom_current = wecom_ids_of(s.user_id for s in existing.values())
    today = clock.today()
    desired = {}
    for p in rows:
        for role in p["roles"]:
            if role in (StaffRole.COUNSELOR, StaffRole.CLASS_TEACHER):
                for c in p["classes"]:
                    desired[(role, "school_class", c.pk)] = p["staff_no"]
            elif role == StaffRole.LEADER:
                desired[(role, "college", p["college"].pk, p["staff_no"])] = p["staff_no"]
            elif role == StaffRole.OFFICE:
                desired[(role, "office", 0, p["staff_no"])] = p["staff_no"]
    current = list(
        Post.objects.filter(kind__in=STAFF_POST_KINDS, end_date__isnull=True).values_list(
            "id", "kind", "staff__staff_no", "school_class_id", "college_id"
        )
    )
    in_file = {p["staff_no"] for p in rows}
    held, to_end, ending_for = set(), [], set()
    for post_id, kind, no, class_id, college_id in current:
        if kind in (PostKind.COUNSELOR, PostKind.CLASS_TEACHER):
            key = (kind, "school_class", class_id)
        elif kind == PostKind.LEADER:
            key = (kind, "college", college_id, no)
        else:
            key = (kind, "office", 0, no)
        if desired.get(key) == no:
            held.add(key)
        elif key in desired or no in in_file:
            to_end.append(post_id)
            ending_for.add(no)
    to_create = [(key, no) for key, no in desired.items() if key not in held]
    # A staff member whose posts change (a class handed over, taken away or added) is updated.
    creating_for = {no for _, no in to_create} | ending_for
    for p in rows:
        s = existing.get(p["staff_no"])
        roles = ",".join(p["roles"])
        if s is None:
            result.new += 1
            result.changes.append({"row": p["row"], "key": p["staff_no"], "name": p["name"], "what": "新增"})
            continue
        changed = []
        if s.name != p["name"]:
            changed.append("姓名")
        if s.roles != roles:
            changed.append("角色")
        if p["college"] is not None and s.college_id != p["college"].pk:
            changed.append("学院")
        if "phone" in p["present"] and s.phone != p["phone"]:
            changed.append("手机号")
        if p["staff_no"] in creating_for:
            changed.append("负责班级/职务")
        if s.user_id and _wecom_change(
            p, "staff_no", wecom_current.get(s.user_id), wecom_holders, table.present
        ):
            changed.append("企业微信账号")
        p["changed"] = changed
        if changed:
            result.updated += 1
            result.changes.append(
                {
                    "row": p["row"],
                    "key": p["staff_no"],
                    "name": p["name"],
                    "what": "更新",
                    "fields": "、".join(changed),
                }
            )
        else:
            result.unchanged += 1
    if to_end:
        result.notes.append(f"结束{len(to_end)}个教职工任期")
    if dry_run:
        return result
    if not (result.new or result.updated or to_end or to_create):
        result.applied = True  # the same file again writes nothing, not even an audit row
        return result
    User = get_user_model()
    wecom_rows, wecom_explicit = {}, set()
    with transaction.atomic():
        for p in rows:
            s = existing.get(p["staff_no"])
            is_new = s is None
            roles = ",".join(p["roles"])
            if s is None:
                user, _ = User.objects.get_or_create(
                    username=p["staff_no"],
                    defaults={"first_name": p["name"][:150], "password": _new_password()},
                )
                s = Staff.objects.create(
                    staff_no=p["staff_no"],
                    name=p["name"],
                    name_initials=name_initials(p["name"]),
                    college=p["college"],
                    roles=roles,
                    phone=p["phone"],
                    user=user,
                )
                existing[s.staff_no] = s
            elif p.get("changed"):
                s.name, s.roles = p["name"], roles
                s.name_initials = name_initials(p["name"])
                if p["college"] is not None:
                    s.college = p["college"]
                if "phone" in p["present"]:
                    s.phone = p["phone"]
                s.version += 1
                s.save()
            if s.user_id and (is_new or "企业微信账号" in (p.get("changed") or [])):
                wecom_rows[s.user_id] = p["wecom"] or p["staff_no"]
                if p["wecom"]:
                    wecom_explicit.add(s.user_id)
        wecom_ids_from_import(wecom_rows, explicit=wecom_explicit)
        Post.objects.filter(id__in=to_end).update(end_date=today, end_reason="教职工导入更新")
        Post.objects.bulk_create(
            [
                Post(
                    kind=key[0],
                    staff=existing[no],
                    start_date=today,
                    appointed_by=as_user(actor),
                    **(
                        {"school_class_id": key[2]}
                        if key[1] == "school_class"
                        else {"college_id": key[2]}
                        if key[1] == "college"
                        else {}
                    ),
                )
                for key, no in to_create
            ]
        )
        university = University.objects.order_by("id").first() or University.objects.create(name="本校")
        audit_record(
            actor=actor,
            verb="import.staff",
            target=university,
            summary=f"导入教职工：新增{result.new}，更新{result.updated}，无变化{result.unchanged}",
        )
    result.applied = True
    return result
