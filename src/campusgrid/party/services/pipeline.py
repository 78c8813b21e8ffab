"""Every write of the pipeline: opening a file, recording a step (which moves the stage
and the person's political status in the same transaction, so the grid's eligibility and
coverage follow at once), materials, the 支部党员大会 and its vote, and the warnings tick."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.db import IntegrityError, transaction

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.people.models import PoliticalStatus, Staff, Student

from .. import policy, rules
from ..models.pipeline import (
    BranchMeeting,
    DevelopmentFile,
    Material,
    MaterialKind,
    MeetingPurpose,
    MeetingState,
    MeetingVote,
    MemberDiscipline,
    Mentor,
    Stage,
    Step,
    StepCode,
    WarningSent,
)

S = StepCode

STATUS_OF_STAGE = {
    Stage.APPLICANT: PoliticalStatus.APPLICANT,
    Stage.ACTIVIST: PoliticalStatus.ACTIVIST,
    Stage.CANDIDATE: PoliticalStatus.CANDIDATE,
    Stage.PROBATIONARY: PoliticalStatus.PROBATIONARY,
    Stage.FULL: PoliticalStatus.MEMBER,
}


def _refused(exc: rules.RuleRefusal) -> ServiceError:
    return ServiceError(exc.message, field=exc.field)


def _facts(file: DevelopmentFile) -> rules.Facts:
    from ..selectors.pipeline import facts_of

    return facts_of(file)


def _holidays() -> frozenset[dt.date]:
    from ..selectors.pipeline import college_holidays

    return college_holidays()


# --- opening a file --------------------------------------------------------------------------------


def file_open(
    *,
    actor,
    applied_on: dt.date,
    student: Student | None = None,
    staff: Staff | None = None,
    branch=None,
    rule_version: str | None = None,
) -> DevelopmentFile:
    """Open a development file from the application (入党申请书) of a student or staff member."""
    from campusgrid.grid.models import PartyBranch

    if (student is None) == (staff is None):
        raise ServiceError("请指定学生（学号）或教职工（工号）", field="student_no")
    person = student or staff
    if branch is None and student is not None and student.bed_id:
        branch = PartyBranch.objects.filter(rooms__room__beds=student.bed_id).first()
    if branch is None:
        raise ServiceError("该学生的寝室不在任何党支部的网格内，请指定党支部", field="branch")
    if branch.college_id != person.college_id:
        raise ServiceError("党支部与该人员不属于同一学院", field="branch")
    if not policy.may_manage_branch(actor, branch):
        raise NotAllowed("只有本支部书记、学院组织员或学院领导可以建立发展党员档案")
    today = clock.today()
    if applied_on > today:
        raise ServiceError(f"申请日期不能晚于今天（{rules.cn(today)}）", field="applied_on")
    if applied_on < today - dt.timedelta(days=365 * 15):
        raise ServiceError("申请日期过早，请核对", field="applied_on")
    version = rule_version or rules.default_version(today)
    if version not in rules.VERSIONS:
        raise ServiceError("适用细则须为 2014 或 2026", field="rule_version")
    if student is not None and student.political_status in (
        PoliticalStatus.PROBATIONARY,
        PoliticalStatus.MEMBER,
    ):
        raise ServiceError(f"{student.name}已是{student.get_political_status_display()}", field="student_no")
    with transaction.atomic():
        try:
            # The one-to-one on the person catches two secretaries opening the same file at once.
            with transaction.atomic():
                file = DevelopmentFile.objects.create(
                    student=student,
                    staff=staff,
                    branch=branch,
                    college_id=person.college_id,
                    rule_version=version,
                    applied_on=applied_on,
                    status_before=student.political_status if student else "",
                    opened_by=actor,
                )
        except IntegrityError:
            raise Conflict(f"{person.name}已有发展党员档案", field="student_no")
        Step.objects.create(file=file, code=S.APPLICATION, on=applied_on, recorded_by=actor)
        _sync_status(actor, file, Stage.APPLICANT, applied_on)
        audit_record(
            actor=actor, verb="party.file_open", target=file, summary=f"建立发展党员档案 {person.name}"
        )
    return file


# --- recording a step --------------------------------------------------------------------------------


def _person(number: str, field: str):
    number = (number or "").strip()
    if not number or len(number) > 32:
        raise ServiceError("请填写学号或工号", field=field)
    person = (
        Student.objects.filter(student_no=number).first() or Staff.objects.filter(staff_no=number).first()
    )
    if person is None:
        raise ServiceError(f"没有学号或工号为 {number} 的人员", field=field)
    return person


def _full_member_problem(person, *, on: dt.date, version: str, role: str) -> str | None:
    """Why `person` cannot be a mentor/sponsor: not a full member, gone, under discipline."""
    if isinstance(person, Student):
        if person.status != "enrolled":
            return f"{person.name}已不在校"
        if person.political_status == PoliticalStatus.PROBATIONARY:
            return f"{person.name}是预备党员，{role}须为正式党员"
        if person.political_status != PoliticalStatus.MEMBER:
            return f"{person.name}不是正式党员（{person.get_political_status_display()}），{role}须为正式党员"
        where = {"student": person}
    else:
        if not person.active:
            return f"{person.name}已离职"
        where = {"staff": person}
    if role == "入党介绍人":
        bars = rules.VERSIONS[version]["sponsor_bars"]
        active = (
            MemberDiscipline.objects.filter(kind__in=bars, start__lte=on, **where).exclude(end__lt=on).first()
        )
        if active is not None:
            return f"{person.name}正处于{active.get_kind_display()}期间，不能作入党介绍人"
    return None


def _names(data: dict, key: str, field: str) -> list:
    raw = data.get(key)
    if isinstance(raw, str):
        raw = [p for p in raw.replace("，", ",").replace(" ", ",").split(",") if p]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ServiceError("请填写学号或工号（多人用逗号分隔）", field=field)
    return raw


def _clean_data(code: str, data: dict) -> dict:
    """Keep only what each step records (strings trimmed and bounded)."""
    keys = {
        S.TALK: ["talker"],
        S.ACTIVIST: ["source", "filed_on"],
        S.REVIEW: ["text"],
        S.REPORT: ["title"],
        S.PUBLICITY: ["end"],
        S.POLITICAL_REVIEW: ["conclusion"],
        S.TRAINING: ["days", "hours", "course"],
        S.PRE_REVIEW: ["result"],
        S.PROBATIONARY: ["extended", "extension_reason"],
        S.EXTEND_PROBATION: ["months", "reason"],
        S.MEETING: ["graduation_exception"],
        S.CLOSE: ["reason"],
    }.get(code, [])
    out = {}
    for key in keys:
        value = data.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, bool | int | float):
            out[key] = value
        elif isinstance(value, str):
            if len(value) > 4000:
                raise ServiceError("内容过长（最多 4000 字）", field=key)
            out[key] = value.strip()
        elif isinstance(value, dt.date):
            out[key] = value.isoformat()
        else:
            raise ServiceError("内容格式不正确", field=key)
    if code == S.ACTIVIST and out.get("source") not in (None, "推荐", "推优"):
        raise ServiceError("产生方式须为“推荐”（党员推荐）或“推优”（团组织推优）", field="source")
    if code == S.PROBATIONARY and out.get("extended") in ("false", "0", "off"):
        out.pop("extended")
    return out


def step_record(
    *, actor, file: DevelopmentFile, code: str, on: dt.date, data: dict | None = None, note: str = ""
) -> Step:
    """Record one step; the rules refuse a date or a step they forbid (a Chinese message that
    names the earliest allowed date). The stage and the political status follow."""
    data = dict(data or {})
    if code not in S.values:
        raise ServiceError(f"步骤须为以下之一：{'、'.join(S.values)}", field="step")
    if code == S.APPLICATION:
        raise ServiceError("入党申请在建档时记录", field="step")
    if code in (S.MEETING, S.FULL_MEETING) and not data.pop("_from_meeting", False):
        raise ServiceError("支部党员大会请通过“支部大会”记录表决结果", field="step")
    if not isinstance(on, dt.date):
        raise ServiceError("日期须为 YYYY-MM-DD", field="date")
    if not policy.may_record(actor, file, code):
        raise NotAllowed(
            "预审、审批由学院组织员或学院领导记录"
            if code in policy.COMMITTEE_STEPS
            else "您不能记录该档案的步骤"
        )
    if len(note or "") > 4000:
        raise ServiceError("说明过长（最多 4000 字）", field="note")
    with transaction.atomic():
        # Lock the file: two steps recorded at once must be checked one after the other.
        locked = DevelopmentFile.objects.select_for_update(of=("self",)).get(pk=file.pk)
        if locked.closed_on:
            raise Conflict("该档案已终止培养")
        fresh = DevelopmentFile.objects.select_related("student__school_class__grade").get(pk=file.pk)
        facts = _facts(fresh)
        cleaned = _clean_data(code, data)
        try:
            rules.check(
                facts,
                code,
                on,
                cleaned,
                today=clock.today(),
                college=rules.CollegeRules.configured(),
                holidays=_holidays(),
            )
        except rules.RuleRefusal as exc:
            raise _refused(exc)
        people = []
        if code in (S.MENTORS, S.SPONSORS):
            role, limit = ("培养联系人", (1, 2)) if code == S.MENTORS else ("入党介绍人", (2, 2))
            numbers = _names(data, "people", "people")
            if not limit[0] <= len(numbers) <= limit[1]:
                want = "一至两名" if code == S.MENTORS else "两名"
                raise ServiceError(f"须指定{want}正式党员作{role}", field="people")
            for number in numbers:
                person = _person(number, "people")
                problem = _full_member_problem(person, on=on, version=locked.rule_version, role=role)
                if problem:
                    raise ServiceError(problem, field="people")
                people.append(person)
            cleaned["people"] = [getattr(p, "student_no", None) or p.staff_no for p in people]
            cleaned["names"] = [p.name for p in people]
        if code == S.CLOSE:
            reason = (cleaned.get("reason") or note or "").strip()
            if not reason:
                raise ServiceError("请填写终止培养的原因", field="reason")
        try:
            with transaction.atomic():
                step = Step.objects.create(
                    file=locked, code=code, on=on, data=cleaned, note=note or "", recorded_by=actor
                )
        except IntegrityError:
            raise Conflict(f"“{StepCode(code).label}”已记录")
        if people:
            mentor_role = Mentor.Role.MENTOR if code == S.MENTORS else Mentor.Role.SPONSOR
            # New mentors replace the current ones (2026: replace one who can no longer serve).
            Mentor.objects.filter(file=locked, role=mentor_role, end__isnull=True).update(end=on)
            Mentor.objects.bulk_create(
                [
                    Mentor(
                        file=locked,
                        role=mentor_role,
                        student=p if isinstance(p, Student) else None,
                        staff=p if isinstance(p, Staff) else None,
                        start=on,
                    )
                    for p in people
                ]
            )
        changed = ["version"]
        if code == S.CLOSE:
            locked.closed_on = on
            locked.closed_reason = (cleaned.get("reason") or note)[:255]
            changed += ["closed_on", "closed_reason"]
            if locked.student_id:
                _set_status(
                    actor,
                    locked.student,
                    locked.status_before or PoliticalStatus.LEAGUE_MEMBER,
                    on,
                    "终止入党培养",
                )
        else:
            after = _facts(
                DevelopmentFile.objects.select_related("student__school_class__grade").get(pk=file.pk)
            )
            stage = after.stage
            if stage != locked.stage:
                locked.stage = stage
                changed.append("stage")
                _sync_status(actor, locked, stage, _status_date(after, stage))
        locked.version += 1
        locked.save(update_fields=changed)
        audit_record(
            actor=actor,
            verb="party.step",
            target=locked,
            summary=f"{locked.person_name} {StepCode(code).label} {on}",
            step=code,
        )
    file.stage, file.version, file.closed_on = locked.stage, locked.version, locked.closed_on
    return step


def _status_date(facts: rules.Facts, stage: str) -> dt.date:
    """The date of the political status: probation counts from the branch meeting (《细则》
    预备期从支部大会通过之日算起), 党龄 from the end of probation."""
    if stage == Stage.PROBATIONARY:
        return facts.first(S.MEETING)
    if stage == Stage.FULL:
        return facts.probation_end
    return facts.first({Stage.ACTIVIST: S.ACTIVIST, Stage.CANDIDATE: S.CANDIDATE}.get(stage, S.APPLICATION))


def _sync_status(actor, file: DevelopmentFile, stage: str, on: dt.date) -> None:
    if file.student_id:
        student = Student.objects.get(pk=file.student_id)
        _set_status(actor, student, STATUS_OF_STAGE[stage], on, f"发展党员：{Stage(stage).label}")


def _set_status(actor, student: Student, status: str, on: dt.date, note: str) -> None:
    from campusgrid.people.services import political_status_change

    if student.political_status == status:
        return
    # The status history orders by date: a change dated before the latest would not show.
    latest = (
        student.political_history.order_by("-changed_on", "-id").values_list("changed_on", flat=True).first()
    )
    if latest and on < latest:
        on = latest
    political_status_change(actor=actor, student=student, status=status, on=on, note=note)


# --- materials --------------------------------------------------------------------------------------

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MATERIAL_MAX_BYTES = 10 * 1024 * 1024
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024


def check_document(upload) -> tuple[object, str, str]:
    """The upload guard of party materials: photos go through the photo guard (re-encoded,
    no EXIF); PDF and Word by their signature and size (a .docx also by its unpacked size).
    Returns (content, content_type, name)."""
    from django.core.files.base import ContentFile

    name = (getattr(upload, "name", "") or "file")[-150:]
    size = getattr(upload, "size", 0) or 0
    if size > MATERIAL_MAX_BYTES:
        raise ServiceError(f"文件“{name}”超过{MATERIAL_MAX_BYTES // (1024 * 1024)}MB", field="upload")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in (".jpg", ".jpeg", ".png", ".gif", ".webp"):
        from campusgrid.reports.services import check_photo

        try:
            cleaned, content_type, _ = check_photo(upload)
        except ServiceError as exc:
            raise ServiceError(exc.message, field="upload")
        return cleaned, content_type, name
    if suffix not in DOCUMENT_TYPES:
        raise ServiceError("只支持 PDF、Word（.doc/.docx）或图片（JPG、PNG、GIF、WEBP）", field="upload")
    upload.seek(0)
    content = upload.read(MATERIAL_MAX_BYTES + 1)
    upload.seek(0)
    if len(content) > MATERIAL_MAX_BYTES:
        raise ServiceError(f"文件“{name}”超过{MATERIAL_MAX_BYTES // (1024 * 1024)}MB", field="upload")
    ok = False
    if suffix == ".pdf":
        ok = content.startswith(b"%PDF-")
    elif suffix == ".doc":
        ok = content.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
    else:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                infos = archive.infolist()
                ok = (
                    any(i.filename == "word/document.xml" for i in infos)
                    and sum(i.file_size for i in infos) <= DOCX_MAX_UNCOMPRESSED
                )
        except (zipfile.BadZipFile, ValueError):
            ok = False
    if not ok:
        raise ServiceError(f"“{name}”不是有效的{suffix[1:].upper()}文件", field="upload")
    return ContentFile(content, name=name), DOCUMENT_TYPES[suffix], name


def material_upload(*, actor, file: DevelopmentFile, kind: str, upload) -> Material:
    if kind not in MaterialKind.values:
        raise ServiceError("请选择材料类别", field="kind")
    if not policy.may_record(actor, file, S.TALK):
        raise NotAllowed("您不能为该档案上传材料")
    content, content_type, name = check_document(upload)
    with transaction.atomic():
        material = Material(
            file=file, kind=kind, name=name, content_type=content_type, size=content.size, uploaded_by=actor
        )
        material.upload.save(name, content, save=False)
        material.save()
        audit_record(
            actor=actor,
            verb="party.material",
            target=file,
            summary=f"{file.person_name} 上传{material.get_kind_display()}",
        )
    return material


# --- the 支部党员大会 ---------------------------------------------------------------------------------


def meeting_schedule(
    *, actor, branch, purpose: str, scheduled_for: dt.date, files: list[DevelopmentFile]
) -> BranchMeeting:
    """Schedule a branch meeting for the given candidates (one vote each, one at a time)."""
    if purpose not in MeetingPurpose.values:
        raise ServiceError("请选择大会议题", field="purpose")
    if not policy.may_manage_branch(actor, branch):
        raise NotAllowed("只有本支部书记、学院组织员或学院领导可以安排支部党员大会")
    if not files:
        raise ServiceError("请至少选择一名表决对象", field="files")
    if scheduled_for < clock.today() - dt.timedelta(days=366):
        raise ServiceError("计划日期过早，请核对", field="scheduled_for")
    for f in files:
        if f.branch_id != branch.pk:
            raise ServiceError(f"{f.person_name}不属于{branch.name}", field="files")
    with transaction.atomic():
        session = _attendance_session(actor, branch, purpose, scheduled_for)
        meeting = BranchMeeting.objects.create(
            branch=branch, purpose=purpose, scheduled_for=scheduled_for, created_by=actor, session=session
        )
        MeetingVote.objects.bulk_create([MeetingVote(meeting=meeting, file=f) for f in files])
        audit_record(actor=actor, verb="party.meeting_schedule", target=meeting, summary=f"安排{meeting}")
    return meeting


def _attendance_session(actor, branch, purpose: str, on: dt.date):
    """The meeting's attendance: a session of the one attendance mechanism (service), whose
    audience is the branch's members and post holders."""
    from django.utils import timezone

    from campusgrid.service.models import SessionKind
    from campusgrid.service.services import session_create

    starts = timezone.make_aware(dt.datetime.combine(on, dt.time(19, 0)))
    try:
        return session_create(
            actor=actor,
            kind=SessionKind.PARTY_MEETING,
            title=f"{branch.name}支部党员大会（{MeetingPurpose(purpose).label}）"[:120],
            topic="支部党员大会",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            branch=branch,
            audience_branch=True,
        )
    except NotAllowed:
        raise NotAllowed("支部党员大会须由支部书记或学院领导安排（考勤由安排人登记）")


def _record_attendance(actor, meeting: BranchMeeting, attended) -> int:
    """Tick every member of the audience present or absent through the service's attendance
    mechanism; returns how many attended (出席/迟到)."""
    from campusgrid.service.models import ATTENDED, Attendance, AttendanceStatus
    from campusgrid.service.selectors import audience_staff, audience_students
    from campusgrid.service.services import attendance_record

    session = meeting.session
    if attended is not None:
        chosen = {(type(p).__name__, p.pk) for p in attended}
        people = [*audience_students(session), *audience_staff(session)]
        known = {(type(p).__name__, p.pk) for p in people}
        if chosen - known:
            raise ServiceError("到会人员须为本支部党员", field="attended")
        for person in people:
            status = (
                AttendanceStatus.PRESENT
                if (type(person).__name__, person.pk) in chosen
                else AttendanceStatus.ABSENT
            )
            attendance_record(
                actor=actor,
                session=session,
                student=person if isinstance(person, Student) else None,
                staff=person if isinstance(person, Staff) else None,
                status=status,
            )
    return Attendance.objects.filter(session=session, status__in=ATTENDED).count()


def vote_outcome(
    *,
    members_due: int,
    present: int,
    written_opinions: int,
    ballots_issued: int,
    ballots_returned: int,
    yes: int,
    no: int,
    abstain: int,
) -> tuple[bool, str]:
    """Whether a candidate passes, and why (Chinese). Refuses numbers that cannot be.

    《细则》: more than half of the members with a vote present (quorum); passes when the
    yes votes exceed half of the members due; absent members' written opinions count."""
    for label, value in (
        ("应到人数", members_due),
        ("实到人数", present),
        ("书面意见", written_opinions),
        ("发出选票", ballots_issued),
        ("收回选票", ballots_returned),
        ("赞成票", yes),
        ("反对票", no),
        ("弃权票", abstain),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100000:
            raise ServiceError(f"{label}须为 0 到 100000 的整数", field="tallies")
    if members_due < 1:
        raise ServiceError("应到有表决权的党员人数须至少为 1", field="members_due")
    if present > members_due:
        raise ServiceError("实到人数不能多于应到人数", field="present")
    if present + written_opinions > members_due:
        raise ServiceError("实到人数与缺席党员书面意见之和不能多于应到人数", field="written_opinions")
    if ballots_issued > present:
        raise ServiceError("发出选票不能多于实到人数", field="ballots_issued")
    if ballots_returned > ballots_issued:
        raise ServiceError("收回选票不能多于发出选票", field="ballots_returned")
    if yes + no + abstain > ballots_returned + written_opinions:
        raise ServiceError("赞成、反对、弃权票之和不能多于收回选票与书面意见之和", field="yes")
    if present * 2 <= members_due:
        return False, f"实到{present}人，未超过应到{members_due}人的半数，大会不能表决"
    if yes * 2 <= members_due:
        return False, f"赞成{yes}票，未超过应到{members_due}人的半数，未通过"
    return True, f"赞成{yes}票，超过应到{members_due}人的半数，通过"


def meeting_record(
    *,
    actor,
    meeting: BranchMeeting,
    held_on: dt.date,
    members_due: int,
    present: int,
    written_opinions: int,
    ballots_issued: int,
    ballots_returned: int,
    votes: dict[int, dict],
    attended: list | None = None,
) -> BranchMeeting:
    """Record a held meeting: the tallies, and per candidate yes/no/abstain, the outcome (the
    service computes it; an `outcome` the numbers do not support is refused) and the resolution,
    which goes into the file as the meeting step."""
    if not policy.may_manage_branch(actor, meeting.branch):
        raise NotAllowed("只有本支部书记、学院组织员或学院领导可以记录支部党员大会")
    if held_on > clock.today():
        raise ServiceError(f"召开日期不能晚于今天（{rules.cn(clock.today())}）", field="held_on")
    tallies = {
        "members_due": members_due,
        "present": present,
        "written_opinions": written_opinions,
        "ballots_issued": ballots_issued,
        "ballots_returned": ballots_returned,
    }
    with transaction.atomic():
        # Lock the meeting: two secretaries recording it at once must not both write votes.
        locked = BranchMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if locked.state == MeetingState.HELD:
            raise Conflict("该次大会已记录")
        if locked.session_id:
            count = _record_attendance(actor, locked, attended)
            if count != present:
                raise ServiceError(
                    f"实到人数（{present}）须与考勤登记的到会党员人数（{count}）一致", field="present"
                )
        rows = list(MeetingVote.objects.filter(meeting=locked).select_related("file__student", "file__staff"))
        if set(votes) != {r.file_id for r in rows}:
            raise ServiceError("请为每名表决对象填写表决结果", field="votes")
        passed_files = []
        for row in rows:
            given = votes[row.file_id]
            counts = {k: given.get(k) for k in ("yes", "no", "abstain")}
            passed, why = vote_outcome(**tallies, **counts)
            outcome = given.get("outcome")
            if outcome not in (None, "") and (outcome == "passed") != passed:
                raise ServiceError(
                    f"{row.file.person_name}：{why}，不能记录为“{'通过' if outcome == 'passed' else '未通过'}”",
                    field="outcome",
                )
            resolution = (given.get("resolution") or "").strip()
            if passed and not resolution:
                raise ServiceError(f"请填写{row.file.person_name}的支部大会决议", field="resolution")
            if len(resolution) > 4000:
                raise ServiceError("决议过长（最多 4000 字）", field="resolution")
            row.yes, row.no, row.abstain, row.passed = counts["yes"], counts["no"], counts["abstain"], passed
            row.resolution = resolution or why
            row.save(update_fields=["yes", "no", "abstain", "passed", "resolution"])
            if passed:
                passed_files.append((row, given))
        for field, value in tallies.items():
            setattr(locked, field, value)
        locked.held_on = held_on
        locked.state = MeetingState.HELD
        locked.save(update_fields=[*tallies, "held_on", "state"])
        code = S.MEETING if locked.purpose == MeetingPurpose.ADMISSION else S.FULL_MEETING
        for row, given in passed_files:
            data = {
                "_from_meeting": True,
                "meeting": locked.pk,
                **tallies,
                "yes": row.yes,
                "no": row.no,
                "abstain": row.abstain,
            }
            if given.get("graduation_exception"):
                data["graduation_exception"] = given["graduation_exception"]
            _meeting_step(actor, row.file, code, held_on, data, row.resolution)
        audit_record(
            actor=actor, verb="party.meeting_record", target=locked, summary=f"记录{locked}", **tallies
        )
    return locked


def _meeting_step(actor, file, code, on, data, resolution):
    """The meeting step: the rules check it as any step (the graduation guard, the order)."""
    extra = {k: v for k, v in data.items() if k not in ("_from_meeting", "graduation_exception")}
    data = {"_from_meeting": True, "graduation_exception": data.get("graduation_exception", "")}
    step = step_record(actor=actor, file=file, code=code, on=on, data=data, note=resolution)
    step.data = {**step.data, **extra}
    step.save(update_fields=["data"])


# --- the warnings tick -----------------------------------------------------------------------------------


def warnings_tick(now=None) -> int:
    """Send each new warning once to the branch's secretary (and the 组织员): a warning is new
    when its (file, code, key) was not raised before. Idempotent. The files are read as the
    board reads them (`plain_files`: plain values, the same rules), not as model objects."""
    from campusgrid.grid.models import Post, PostKind
    from campusgrid.notifications.services import notify

    from ..selectors.pipeline import plain_files

    today = clock.local(now).date() if now else clock.today()
    files = DevelopmentFile.objects.filter(closed_on__isnull=True).exclude(stage=Stage.FULL)
    sent = set(WarningSent.objects.values_list("file_id", "code", "key"))
    new = []
    with clock.frozen_at(now or clock.now()):
        plain = plain_files(
            files, "branch_id", "student_id", "student__student_no", "student__name",
            "staff__staff_no", "staff__name",
        )  # fmt: skip
    for p in plain:
        for w in p.warnings:
            if (p.row["id"], w.code, w.key) not in sent:
                new.append((p.row, w))
    if not new:
        return 0
    secretaries = {}
    for post in (
        Post.objects.current(today)
        .filter(kind=PostKind.BRANCH_SECRETARY)
        .select_related("student__user", "staff__user")
    ):
        secretaries[post.branch_id] = (post.student or post.staff).user
    with transaction.atomic():
        rows = WarningSent.objects.bulk_create(
            [WarningSent(file_id=r["id"], code=w.code, key=w.key) for r, w in new], ignore_conflicts=True
        )
        for r, w in new:
            user = secretaries.get(r["branch_id"])
            student = r["student_id"] is not None
            name = r["student__name"] if student else r["staff__name"]
            number = r["student__student_no"] if student else r["staff__staff_no"]
            title = f"发展党员预警：{name} {w.label}"
            transaction.on_commit(
                lambda user=user, title=title, w=w, number=number: notify(
                    users=[user] if user else [],
                    title=title,
                    body=w.message,
                    url=f"/party/files/{number}/",
                )
            )
    return len(rows)
