"""The student roster import (学生名册): students, their org units, beds, accounts and posts."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from campusgrid.accounts.services import wecom_ids_from_import, wecom_ids_of
from campusgrid.core import clock
from campusgrid.core.actors import as_user, require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.crypto import digest
from campusgrid.core.imports import ImportResult, read_table, split_multi
from campusgrid.core.validators import id_number_problem, mobile_problem, normalize_id_number
from campusgrid.org.models import Bed, Building, College, Floor, Grade, Major, Room, SchoolClass, University
from campusgrid.people import residence
from campusgrid.people.models import (
    PoliticalStatus,
    PoliticalStatusChange,
    Student,
    StudentStatus,
)
from campusgrid.people.services import name_initials

from ..models import Post, PostKind
from .common import (
    _GRADE_RE,
    _NO_RE,
    _PHONE_LOOSE,
    BATCH,
    ROSTER_COLUMNS,
    ROSTER_POST_KINDS,
    ROSTER_POSTS,
    _check_wecom,
    _check_wecom_holders,
    _chunks,
    _floor_of,
    _new_password,
    _Reach,
    _wecom_change,
)


def import_roster(path: str | Path, *, actor, dry_run: bool = False) -> ImportResult:
    require_actor(actor)
    result = ImportResult(dry_run=dry_run)
    table = read_table(path, ROSTER_COLUMNS, result)
    if table is None:
        return result
    reach = _Reach(actor)
    plan = _RosterPlan(table, result, reach)
    plan.check()
    if not result.ok or dry_run:
        return result
    if plan.has_changes():  # the same file again writes nothing, not even an audit row
        plan.apply()
    result.applied = True
    return result


class _RosterPlan:
    def __init__(self, table, result: ImportResult, reach: _Reach):
        self.table = table
        self.result = result
        self.reach = reach
        self.today = clock.today()

    # --- checking -------------------------------------------------------------------------
    def check(self) -> None:
        r = self.result
        present = self.table.present
        self.colleges = {c.name: c for c in College.objects.all()}
        self.classes = {
            c["name"]: c
            for c in SchoolClass.objects.values("id", "name", "college_id", "major__name", "grade__year")
        }
        self.buildings = {b.name: b for b in Building.objects.all()}
        self.rooms = {
            (b, n): (rid, cap)
            for rid, b, n, cap in Room.objects.values_list("id", "building__name", "number", "capacity")
        }
        numbers = [v["student_no"] for _, v in self.table.rows]
        self.existing = {}
        for chunk in _chunks(numbers, BATCH):
            for s in Student.objects.filter(student_no__in=chunk).values(
                "id",
                "student_no",
                "name",
                "gender",
                "status",
                "college_id",
                "school_class_id",
                "bed_id",
                "bed__room_id",
                "bed__number",
                "political_status",
                "phone",
                "id_number_digest",
                "ethnicity",
                "origin",
                "parent_phone",
                "user_id",
            ):
                self.existing[s["student_no"]] = s
        seen_no, seen_id, seen_bed, seen_post, seen_wecom = {}, {}, {}, {}, {}
        self.rows = []
        for row, v in self.table.rows:
            parsed = {"row": row}
            no = v["student_no"]
            if not no:
                r.error(row, "学号", "学号不能为空")
            elif not _NO_RE.match(no):
                r.error(row, "学号", "学号只能包含字母、数字、下划线或连字符，最长32位")
            elif no in seen_no:
                r.error(row, "学号", f"学号{no}与第{seen_no[no]}行重复")
            else:
                seen_no[no] = row
            parsed["student_no"] = no
            if not v["name"]:
                r.error(row, "姓名", "姓名不能为空")
            elif len(v["name"]) > 64:
                r.error(row, "姓名", "姓名过长")
            parsed["name"] = v["name"]
            gender = {"男": "男", "女": "女", "男性": "男", "女性": "女"}.get(v["gender"])
            if gender is None:
                r.error(row, "性别", f"性别应为“男”或“女”，而不是“{v['gender']}”")
            parsed["gender"] = gender
            self._check_org(row, v, parsed, present)
            self._check_room(row, v, parsed, seen_bed)
            if "political" in present and v["political"]:
                status = PoliticalStatus.from_label(v["political"])
                if status is None:
                    options = "、".join(PoliticalStatus.labels)
                    r.error(row, "政治面貌", f"无法识别“{v['political']}”，可选：{options}")
                parsed["political"] = status
            parsed["posts"] = None
            if "posts" in present:
                kinds = []
                for title in split_multi(v["posts"]):
                    kind = ROSTER_POSTS.get(title)
                    if kind is None:
                        r.error(row, "职务", f"无法识别的职务“{title}”，可选：舍长、班长、团支书")
                        continue
                    place = parsed.get("room_key") if kind == PostKind.DORM_HEAD else parsed.get("class_name")
                    if not place:
                        r.error(
                            row,
                            "职务",
                            f"担任{title}需要填写{'寝室' if kind == PostKind.DORM_HEAD else '班级'}",
                        )
                        continue
                    if (kind, place) in seen_post:
                        r.error(
                            row,
                            "职务",
                            f"{title}与第{seen_post[(kind, place)]}行重复（同一{'寝室' if kind == PostKind.DORM_HEAD else '班级'}只能有一名）",
                        )
                        continue
                    seen_post[(kind, place)] = row
                    kinds.append(kind)
                parsed["posts"] = kinds
            for key, header in (("phone", "手机号"), ("parent_phone", "家长电话")):
                value = v.get(key, "")
                if value and key == "phone" and mobile_problem(value):
                    r.error(row, header, f"“{value}”不是有效的手机号（11位，以1开头）")
                elif value and key == "parent_phone" and not _PHONE_LOOSE.match(value):
                    r.error(row, header, f"“{value}”不是有效的电话号码")
                parsed[key] = value
            id_number = normalize_id_number(v.get("id_number", ""))
            if id_number:
                if "E+" in id_number.upper() or "." in id_number:
                    r.error(row, "身份证号", "身份证号被 Excel 存成了数字，请把该列设为文本格式后重新填写")
                elif (why := id_number_problem(id_number)) is not None:
                    r.error(row, "身份证号", why)
                elif id_number in seen_id:
                    r.error(row, "身份证号", f"身份证号与第{seen_id[id_number]}行重复")
                else:
                    seen_id[id_number] = row
            parsed["id_number"] = id_number
            parsed["ethnicity"] = v.get("ethnicity", "")
            parsed["origin"] = v.get("origin", "")
            parsed["wecom"] = _check_wecom(r, row, v.get("wecom_userid", ""), no, seen_wecom)
            self._check_reach(row, parsed)
            self.rows.append(parsed)
        self._check_against_database(seen_id)
        self.wecom_holders = _check_wecom_holders(r, self.rows, "student_no")
        self.wecom_current = wecom_ids_of(e["user_id"] for e in self.existing.values())
        if r.ok:
            self._diff()

    def _check_org(self, row, v, parsed, present):
        r = self.result
        college = self.colleges.get(v["college"])
        if not v["college"]:
            r.error(row, "学院", "学院不能为空")
        elif college is None and not self.reach.everything:
            r.error(row, "学院", f"学院“{v['college']}”不存在（新学院只能由学工部或管理员导入）")
        parsed["college_name"] = v["college"]
        parsed["class_name"] = v.get("class", "")
        grade = None
        if v.get("grade"):
            match = _GRADE_RE.match(v["grade"])
            if not match:
                r.error(row, "年级", f"年级应为四位年份，如 2024 或 2024级，而不是“{v['grade']}”")
            else:
                grade = int(match.group(1))
        parsed["grade"] = grade
        parsed["major"] = v.get("major", "")
        name = parsed["class_name"]
        if not name:
            return
        known = self.classes.get(name)
        if known is None:
            if not parsed["major"]:
                r.error(row, "专业", f"班级“{name}”是新班级，需要填写专业")
            if grade is None and not v.get("grade"):
                r.error(row, "年级", f"班级“{name}”是新班级，需要填写年级")
            if college is not None and not self.reach.college(college.pk) and not self.reach.everything:
                r.error(row, "班级", f"班级“{name}”不存在，只有学院领导或学工部可以新建班级")
            return
        if college is not None and known["college_id"] != college.pk:
            r.error(row, "班级", f"班级“{name}”属于其他学院，与本行学院“{v['college']}”不符")
        if parsed["major"] and known["major__name"] != parsed["major"]:
            r.error(
                row, "专业", f"班级“{name}”的专业是“{known['major__name']}”，与本行“{parsed['major']}”不符"
            )
        if grade is not None and known["grade__year"] != grade:
            r.error(row, "年级", f"班级“{name}”是{known['grade__year']}级，与本行“{v['grade']}”不符")

    def _check_room(self, row, v, parsed, seen_bed):
        r = self.result
        building, number, bed = v.get("building", ""), v.get("room", ""), v.get("bed", "")
        parsed["room_key"] = None
        parsed["bed"] = None
        if not building and not number:
            if bed:
                r.error(row, "床位", "填写了床位但没有填写楼栋和寝室号")
            return
        if not building:
            r.error(row, "楼栋", "填写了寝室号但没有填写楼栋")
            return
        if not number:
            r.error(row, "寝室号", "填写了楼栋但没有填写寝室号")
            return
        if "/" in building or "/" in number or len(number) > 16 or len(building) > 64:
            r.error(row, "寝室号", "楼栋或寝室号格式不正确（不能包含“/”）")
            return
        parsed["room_key"] = (building, number)
        if bed:
            if not bed.isdigit() or not 1 <= int(bed) <= 12:
                r.error(row, "床位", f"床位应为1到12之间的数字，而不是“{bed}”")
                return
            parsed["bed"] = int(bed)
            known = self.rooms.get((building, number))
            if known is not None and int(bed) > known[1]:
                r.error(row, "床位", f"{building}/{number}只有{known[1]}个床位，床位{bed}不存在")
                return
            key = (building, number, int(bed))
            if key in seen_bed:
                r.error(row, "床位", f"{building}/{number} {bed}号床与第{seen_bed[key]}行重复")
                return
            seen_bed[key] = row

    def _check_reach(self, row, parsed):
        if self.reach.everything or not parsed["student_no"]:
            return
        college = self.colleges.get(parsed["college_name"])
        known_class = self.classes.get(parsed["class_name"]) if parsed["class_name"] else None
        existing = self.existing.get(parsed["student_no"])
        targets = [(college.pk if college else None, known_class["id"] if known_class else None)]
        if existing is not None:
            targets.append((existing["college_id"], existing["school_class_id"]))
        if not all(self.reach.student(c, k) for c, k in targets):
            self.result.error(row, "学号", f"学生{parsed['student_no']}不在您管理的班级或学院内")

    def _check_against_database(self, seen_id):
        r = self.result
        in_file = {p["student_no"] for p in self.rows}
        # Beds already taken by students who are not in this file.
        wanted_rooms = {p["room_key"] for p in self.rows if p["room_key"] and p["room_key"] in self.rooms}
        room_ids = [self.rooms[k][0] for k in wanted_rooms]
        self.occupied = defaultdict(dict)  # room_id -> bed number -> student_no
        for chunk in _chunks(room_ids, BATCH):
            for room_id, number, no, sname in Student.objects.filter(bed__room_id__in=chunk).values_list(
                "bed__room_id", "bed__number", "student_no", "name"
            ):
                self.occupied[room_id][number] = (no, sname)
        for p in self.rows:
            if p["room_key"] and p["bed"] and p["room_key"] in self.rooms:
                room_id = self.rooms[p["room_key"]][0]
                holder = self.occupied[room_id].get(p["bed"])
                if holder and holder[0] not in in_file:
                    r.error(
                        p["row"],
                        "床位",
                        f"{p['room_key'][0]}/{p['room_key'][1]} {p['bed']}号床已有学生{holder[1]}（{holder[0]}）入住",
                    )
        # ID numbers that belong to another student already.
        digests = {digest(n): n for n in seen_id}
        by_row = {p["row"]: p for p in self.rows}  # a dict: 50,000 rows must not be scanned per match
        for chunk in _chunks(list(digests), BATCH):
            for no, d in Student.objects.filter(id_number_digest__in=chunk).values_list(
                "student_no", "id_number_digest"
            ):
                row = seen_id[digests[d]]
                mine = by_row[row]
                if mine["student_no"] != no:
                    r.error(row, "身份证号", f"该身份证号已登记在学生{no}名下")
        # A post needs an enrolled student.
        for p in self.rows:
            existing = self.existing.get(p["student_no"])
            if p["posts"] and existing and existing["status"] != StudentStatus.ENROLLED:
                r.error(p["row"], "职务", "该学生不在校，不能担任网格职务")
        # Rooms filled beyond capacity once auto-assigned beds are counted.
        self._assign_free_beds()

    def _assign_free_beds(self):
        taken = defaultdict(set)
        in_file = {p["student_no"] for p in self.rows}
        for room_id, beds in self.occupied.items():
            for number, (no, _) in beds.items():
                if no not in in_file:
                    taken[room_id].add(number)
        by_key = {}
        for p in self.rows:
            if p["room_key"] and p["bed"]:
                by_key.setdefault(p["room_key"], set()).add(p["bed"])
        for p in self.rows:
            if not p["room_key"] or p["bed"]:
                continue
            existing = self.existing.get(p["student_no"])
            known = self.rooms.get(p["room_key"])
            if existing and known and existing["bed__room_id"] == known[0]:
                p["bed"] = existing["bed__number"]  # already lives there: keep the bed
                by_key.setdefault(p["room_key"], set()).add(p["bed"])
        for p in self.rows:
            if not p["room_key"] or p["bed"]:
                continue
            known = self.rooms.get(p["room_key"])
            capacity = known[1] if known else 6
            used = by_key.setdefault(p["room_key"], set()) | (taken[known[0]] if known else set())
            free = next((n for n in range(1, capacity + 1) if n not in used), None)
            if free is None:
                self.result.error(
                    p["row"], "寝室号", f"{p['room_key'][0]}/{p['room_key'][1]}已住满（{capacity}人）"
                )
                continue
            p["bed"] = free
            by_key[p["room_key"]].add(free)

    # --- planning the writes -------------------------------------------------------------------
    def _diff(self):
        r = self.result
        for p in self.rows:
            existing = self.existing.get(p["student_no"])
            if existing is None:
                r.new += 1
                p["change"] = "new"
                if len(r.changes) < 500:
                    r.changes.append(
                        {"row": p["row"], "key": p["student_no"], "name": p["name"], "what": "新增"}
                    )
                continue
            changed = self._changed_fields(p, existing)
            p["changed"] = changed
            if changed:
                r.updated += 1
                p["change"] = "updated"
                if len(r.changes) < 500:
                    r.changes.append(
                        {
                            "row": p["row"],
                            "key": p["student_no"],
                            "name": p["name"],
                            "what": "更新",
                            "fields": "、".join(changed),
                        }
                    )
            else:
                r.unchanged += 1
                p["change"] = "unchanged"
        self._plan_posts()

    def _changed_fields(self, p, e) -> list[str]:
        present = self.table.present
        changed = []
        if p["name"] != e["name"]:
            changed.append("姓名")
        if p["gender"] != e["gender"]:
            changed.append("性别")
        college = self.colleges.get(p["college_name"])
        if college is None or college.pk != e["college_id"]:
            changed.append("学院")
        if "class" in present:
            known = self.classes.get(p["class_name"]) if p["class_name"] else None
            if (known["id"] if known else None) != e["school_class_id"] or (
                p["class_name"] and known is None
            ):
                changed.append("班级")
        if "building" in present or "room" in present:
            known = self.rooms.get(p["room_key"]) if p["room_key"] else None
            if p["room_key"] is None:
                if e["bed_id"] is not None:
                    changed.append("床位")
            elif known is None or known[0] != e["bed__room_id"] or p["bed"] != e["bed__number"]:
                changed.append("床位")
        if p.get("political") and p["political"] != e["political_status"]:
            changed.append("政治面貌")
        for key, label in (
            ("phone", "手机号"),
            ("parent_phone", "家长电话"),
            ("ethnicity", "民族"),
            ("origin", "生源地"),
        ):
            if key in present and p[key] != e[key]:
                changed.append(label)
        if "id_number" in present and digest(p["id_number"]) != e["id_number_digest"]:
            changed.append("身份证号")
        if e["user_id"] and _wecom_change(
            p, "student_no", self.wecom_current.get(e["user_id"]), self.wecom_holders, present
        ):
            changed.append("企业微信账号")
        return changed

    def _plan_posts(self):
        """Posts named in the 职务 column: which to end, which to create."""
        self.post_plan = None
        if "posts" not in self.table.present:
            return
        desired = {}
        for p in self.rows:
            for kind in p["posts"] or []:
                place = p["room_key"] if kind == PostKind.DORM_HEAD else p["class_name"]
                desired[(kind, place)] = p["student_no"]
        current = list(
            Post.objects.filter(kind__in=ROSTER_POST_KINDS, end_date__isnull=True).values_list(
                "id",
                "kind",
                "student__student_no",
                "room__building__name",
                "room__number",
                "school_class__name",
            )
        )
        in_file = {p["student_no"] for p in self.rows}
        to_end, held = [], set()
        for post_id, kind, no, building, number, class_name in current:
            place = (building, number) if kind == PostKind.DORM_HEAD else class_name
            want = desired.get((kind, place))
            if want == no:
                held.add((kind, place))
            elif want is not None or no in in_file:
                # Someone else is named for this place, or the holder is in the file without it.
                to_end.append(post_id)
        to_create = [(kind, place, no) for (kind, place), no in desired.items() if (kind, place) not in held]
        self.post_plan = (to_end, to_create)
        if (to_end or to_create) and self.result.changes is not None:
            self.result.notes.append(f"网格职务：新任命{len(to_create)}个，结束{len(to_end)}个任期")
        appointed = {no for _, _, no in to_create}
        for p in self.rows:
            if p["student_no"] in appointed and p["change"] == "unchanged":
                p["change"] = "updated"
                self.result.unchanged -= 1
                self.result.updated += 1
                if len(self.result.changes) < 500:
                    self.result.changes.append(
                        {
                            "row": p["row"],
                            "key": p["student_no"],
                            "name": p["name"],
                            "what": "更新",
                            "fields": "职务",
                        }
                    )

    # --- writing ------------------------------------------------------------------------------
    def has_changes(self) -> bool:
        posts = self.post_plan is not None and any(self.post_plan)
        return bool(self.result.new or self.result.updated or posts)

    def apply(self):
        with transaction.atomic(), residence.dated():  # the 住宿记录 of the moves it makes
            self._ensure_org()
            self._write_students()
            self._write_wecom()
            self._write_posts()
            r = self.result
            audit_record(
                actor=self.reach.actor,
                verb="import.roster",
                target=self._university,
                summary=f"导入学生名册：新增{r.new}，更新{r.updated}，无变化{r.unchanged}",
                new=r.new,
                updated=r.updated,
                unchanged=r.unchanged,
            )

    def _ensure_org(self):
        self._university = University.objects.order_by("id").first() or University.objects.create(name="本校")
        for name in {p["college_name"] for p in self.rows} - set(self.colleges):
            self.colleges[name] = College.objects.create(university=self._university, name=name)
        majors = {(m.college_id, m.name): m for m in Major.objects.all()}
        grades = {(g.college_id, g.year): g for g in Grade.objects.all()}
        for p in self.rows:
            name = p["class_name"]
            if not name or name in self.classes:
                continue
            college = self.colleges[p["college_name"]]
            major = majors.get((college.pk, p["major"])) or Major.objects.create(
                college=college, name=p["major"]
            )
            majors[(college.pk, p["major"])] = major
            grade = grades.get((college.pk, p["grade"])) or Grade.objects.create(
                college=college, year=p["grade"]
            )
            grades[(college.pk, p["grade"])] = grade
            created = SchoolClass.objects.create(name=name, college=college, major=major, grade=grade)
            self.classes[name] = {
                "id": created.pk,
                "name": name,
                "college_id": college.pk,
                "major__name": major.name,
                "grade__year": grade.year,
            }
        # Housing: buildings, floors, rooms, beds.
        needed_rooms = defaultdict(int)
        for p in self.rows:
            if p["room_key"]:
                needed_rooms[p["room_key"]] = max(needed_rooms[p["room_key"]], p["bed"] or 1)
        for name in {k[0] for k in needed_rooms} - set(self.buildings):
            self.buildings[name] = Building.objects.create(name=name)
        floors = {(f.building_id, f.number): f for f in Floor.objects.all()}
        new_rooms = []
        for (building, number), top_bed in needed_rooms.items():
            if (building, number) in self.rooms:
                continue
            b = self.buildings[building]
            level = _floor_of(number)
            floor = floors.get((b.pk, level))
            if floor is None:
                floor = floors[(b.pk, level)] = Floor.objects.create(building=b, number=level)
            capacity = 4 if top_bed <= 4 else (6 if top_bed <= 6 else top_bed)
            new_rooms.append(Room(building=b, floor=floor, number=number, capacity=capacity))
        Room.objects.bulk_create(new_rooms, batch_size=BATCH)
        if new_rooms:
            self.rooms = {
                (b, n): (rid, cap)
                for rid, b, n, cap in Room.objects.values_list("id", "building__name", "number", "capacity")
            }
        wanted_beds = {(self.rooms[p["room_key"]][0], p["bed"]) for p in self.rows if p["room_key"]}
        room_ids = list({rid for rid, _ in wanted_beds})
        self.beds = {}
        for chunk in _chunks(room_ids, BATCH):
            for bed_id, room_id, number in Bed.objects.filter(room_id__in=chunk).values_list(
                "id", "room_id", "number"
            ):
                self.beds[(room_id, number)] = bed_id
        missing = [Bed(room_id=rid, number=n) for rid, n in wanted_beds if (rid, n) not in self.beds]
        Bed.objects.bulk_create(missing, batch_size=BATCH)
        if missing:
            for chunk in _chunks(room_ids, BATCH):
                for bed_id, room_id, number in Bed.objects.filter(room_id__in=chunk).values_list(
                    "id", "room_id", "number"
                ):
                    self.beds[(room_id, number)] = bed_id

    def _target(self, p) -> dict:
        present = self.table.present
        values = {
            "name": p["name"],
            "gender": p["gender"],
            "college_id": self.colleges[p["college_name"]].pk,
        }
        if "class" in present:
            values["school_class_id"] = self.classes[p["class_name"]]["id"] if p["class_name"] else None
        if "building" in present or "room" in present:
            values["bed_id"] = self.beds[(self.rooms[p["room_key"]][0], p["bed"])] if p["room_key"] else None
        if p.get("political"):
            values["political_status"] = p["political"]
        for key in ("phone", "parent_phone", "ethnicity", "origin"):
            if key in present:
                values[key] = p[key]
        if "id_number" in present:
            values["id_number"] = p["id_number"]
        return values

    def _write_students(self):
        now = clock.now()
        User = get_user_model()
        changed = [p for p in self.rows if p["change"] in ("new", "updated")]
        new_rows = [p for p in changed if p["change"] == "new"]
        moving = [
            self.existing[p["student_no"]]["id"]
            for p in changed
            if p["change"] == "updated" and "床位" in p.get("changed", [])
        ]
        # Free the beds of students who move first, so swaps inside the file never
        # collide on the one-student-per-bed constraint.
        for chunk in _chunks(moving, BATCH):
            Student.objects.filter(id__in=chunk).update(bed=None)
        updates, history = [], []
        fields = set()
        for p in changed:
            if p["change"] != "updated":
                continue
            e = self.existing[p["student_no"]]
            target = self._target(p)
            student = Student(id=e["id"], student_no=p["student_no"])
            for key, value in target.items():
                setattr(student, key, value)
                fields.add(key)
            student.name_initials = name_initials(p["name"])
            student.id_number_digest = (
                digest(target.get("id_number", "")) if "id_number" in target else e["id_number_digest"]
            )
            student.updated_at = now
            updates.append(student)
            if target.get("political_status") and target["political_status"] != e["political_status"]:
                history.append(
                    PoliticalStatusChange(
                        student_id=e["id"],
                        status=target["political_status"],
                        changed_on=self.today,
                        note="名册导入",
                    )
                )
        if updates:
            fields |= {"name_initials", "id_number_digest", "updated_at"}
            Student.objects.bulk_update(updates, sorted(fields), batch_size=500)
            for chunk in _chunks([s.id for s in updates], BATCH):
                Student.objects.filter(id__in=chunk).update(version=F("version") + 1)
        # New students and their accounts.
        usernames = [p["student_no"] for p in new_rows]
        existing_users = {}
        for chunk in _chunks(usernames, BATCH):
            existing_users.update(dict(User.objects.filter(username__in=chunk).values_list("username", "id")))
        User.objects.bulk_create(
            [
                User(username=no, first_name=p["name"][:150], password=_new_password())
                for p, no in zip(new_rows, usernames, strict=True)
                if no not in existing_users
            ],
            batch_size=BATCH,
        )
        for chunk in _chunks(usernames, BATCH):
            existing_users.update(dict(User.objects.filter(username__in=chunk).values_list("username", "id")))
        self.new_user_ids = existing_users
        created = []
        for p in new_rows:
            target = self._target(p)
            target.setdefault("political_status", PoliticalStatus.LEAGUE_MEMBER)
            created.append(
                Student(
                    student_no=p["student_no"],
                    name_initials=name_initials(p["name"]),
                    id_number_digest=digest(target.get("id_number", "")),
                    user_id=existing_users.get(p["student_no"]),
                    created_at=now,
                    updated_at=now,
                    status=StudentStatus.ENROLLED,
                    **target,
                )
            )
        Student.objects.bulk_create(created, batch_size=500)
        if created:
            ids = {}
            for chunk in _chunks(usernames, BATCH):
                ids.update(dict(Student.objects.filter(student_no__in=chunk).values_list("student_no", "id")))
            for s in created:
                history.append(
                    PoliticalStatusChange(
                        student_id=ids[s.student_no],
                        status=s.political_status,
                        changed_on=self.today,
                        note="名册导入",
                    )
                )
        PoliticalStatusChange.objects.bulk_create(history, batch_size=BATCH)

    def _write_wecom(self):
        rows, explicit = {}, set()
        for p in self.rows:
            if p["change"] == "unchanged":
                continue
            e = self.existing.get(p["student_no"])
            if e and not p["wecom"] and "wecom_userid" not in self.table.present:
                continue  # without the column, only new accounts get the default
            user_id = e["user_id"] if e else self.new_user_ids.get(p["student_no"])
            if user_id:
                rows[user_id] = p["wecom"] or p["student_no"]
                if p["wecom"]:
                    explicit.add(user_id)
        wecom_ids_from_import(rows, explicit=explicit)

    def _write_posts(self):
        if not self.post_plan:
            return
        to_end, to_create = self.post_plan
        for chunk in _chunks(to_end, BATCH):
            Post.objects.filter(id__in=chunk).update(end_date=self.today, end_reason="名册导入更新")
        if not to_create:
            return
        numbers = list({no for _, _, no in to_create})
        ids = {}
        for chunk in _chunks(numbers, BATCH):
            ids.update(dict(Student.objects.filter(student_no__in=chunk).values_list("student_no", "id")))
        posts = []
        for kind, place, no in to_create:
            post = Post(
                kind=kind, student_id=ids[no], start_date=self.today, appointed_by=as_user(self.reach.actor)
            )
            if kind == PostKind.DORM_HEAD:
                post.room_id = self.rooms[place][0]
            else:
                post.school_class_id = self.classes[place]["id"]
            posts.append(post)
        Post.objects.bulk_create(posts, batch_size=BATCH)
