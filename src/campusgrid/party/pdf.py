"""《入党积极分子培养考察登记表》 of one person, through the dossier's PDF helper and its CJK font
(dossiers/pdf.py). The 政审 conclusion is left out: the register is handed around the branch."""

from __future__ import annotations

from campusgrid.core import clock
from campusgrid.core.excel import person_name
from campusgrid.dossiers.pdf import _date, _Document

from .models.pipeline import StepCode

S = StepCode


def register_pdf(*, request, view, votes) -> bytes:
    file = view.file
    facts = view.facts
    title = "入党积极分子培养考察登记表"
    doc = _Document(title, person_name(request.user))
    doc.title(
        title, f"{file.person_name}（{file.number}） · {file.branch.name} · 导出时间：{_date(clock.now())}"
    )
    doc.heading("基本情况")
    student = file.student
    doc.pairs(
        [
            ("姓名", file.person_name),
            ("学号/工号", file.number),
            ("班级", student.school_class.name if student and student.school_class_id else "—"),
            ("所在支部", file.branch.name),
            ("当前阶段", file.get_stage_display()),
            ("适用细则", file.get_rule_version_display()),
            ("递交申请", _date(file.applied_on)),
            ("确定积极分子", _date(facts.first(S.ACTIVIST))),
            ("培养联系人", "、".join(facts.data(S.MENTORS).get("names", [])) or "—"),
            ("入党介绍人", "、".join(facts.data(S.SPONSORS).get("names", [])) or "—"),
        ]
    )
    doc.heading("培养考察记录（每半年）")
    doc.lines(
        [f"{_date(on)}：{d.get('text') or '—'}" for on, d in facts.steps.get(S.REVIEW, [])],
        empty="尚无考察记录",
    )
    doc.heading("思想汇报")
    doc.lines(
        [f"{_date(on)} {d.get('title') or ''}".strip() for on, d in facts.steps.get(S.REPORT, [])],
        empty="尚无思想汇报",
    )
    doc.heading("培训")
    doc.lines(
        [
            f"{_date(on)} {d.get('course') or '集中培训'}：{d.get('days') or 0}天 / {d.get('hours') or 0}学时"
            for on, d in facts.steps.get(S.TRAINING, [])
        ],
        empty="尚无培训记录",
    )
    doc.heading("发展程序")
    rows = []
    for w in view.windows:
        if w.code in (S.REVIEW, S.REPORT, S.TRAINING):
            continue
        limits = []
        if w.earliest:
            limits.append(f"最早 {_date(w.earliest)}")
        if w.deadline:
            limits.append(f"期限 {_date(w.deadline)}")
        article = w.deadline_article or w.earliest_article
        rows.append(
            f"{w.label}：{_date(w.date) if w.date else '未办理'}"
            + (f"（{'，'.join(limits)}；{article}）" if limits else "")
        )
    doc.lines(rows)
    if votes:
        doc.heading("支部党员大会决议")
        for vote in votes:
            meeting = vote.meeting
            doc.block(
                f"{_date(meeting.held_on or meeting.scheduled_for)} {meeting.get_purpose_display()}",
                [
                    ("应到/实到", f"{meeting.members_due or '—'} / {meeting.present or '—'}"),
                    (
                        "赞成/反对/弃权",
                        f"{vote.yes}/{vote.no}/{vote.abstain}" if vote.yes is not None else "—",
                    ),
                    ("决议", vote.resolution),
                ],
            )
    return doc.output()
