"""The demo college's semester records: its workers appraised from the demo's records (most
classes published, one objection answered, one worker 不合格), and class honours proposed by
the counselors and decided by the college. Deterministic (the demo's rng)."""

from __future__ import annotations

from decimal import Decimal

from campusgrid.grid.models import Post, PostKind
from campusgrid.people.models import StudentStatus

from ..models import Appraisal, AppraisalState, HonourKind, HonourSettings
from . import honours, services


def run(demo) -> None:
    college = demo.colleges[0]
    semester = demo.semester
    leader = (
        Post.objects.current()
        .filter(kind=PostKind.LEADER, college=college, staff__user__isnull=False)
        .select_related("staff__user")
        .order_by("id")
        .first()
    )
    if leader is None:
        return
    actor = leader.staff.user
    rng = demo.rng
    services.appraisal_compute(actor=actor, semester=semester)
    drafts = list(
        Appraisal.objects.filter(semester=semester, college=college)
        .select_related("student__user", "school_class", "post")
        .order_by("id")
    )
    if not drafts:
        return
    # The 不合格 one: the lowest computed score among those still serving (so that the vacancy
    # suggestions visibly leave them out), else among all.
    serving = [
        d
        for d in drafts
        if d.computed_score is not None
        and d.post.end_date is None
        and d.student.status == StudentStatus.ENROLLED
    ]
    scored = serving or [d for d in drafts if d.computed_score is not None] or drafts
    failing = min(scored, key=lambda d: (d.computed_score or Decimal(0), d.pk))
    scores = []
    for draft in drafts:
        if draft is failing:
            score, comment = 10, "本学期多次未按时查寝，工作不到位，需改进。"
        else:
            score = rng.randint(70, 98)
            comment = rng.choice(
                ["工作认真负责。", "能及时发现并上报问题。", "查寝按时，寝室氛围良好。", "积极配合班级工作。"]
            )
        scores.append((draft, score, comment, None))
    services.appraisal_score_many(actor=actor, scores=scores)
    # Most classes published; the last fifth left as drafts, never the failing worker's class.
    classes = sorted({d.school_class for d in drafts if d.school_class_id}, key=lambda c: c.name)
    keep_draft = {c.pk for c in classes[-max(len(classes) // 5, 1) :]} - {failing.school_class_id}
    for school_class in classes:
        if school_class.pk not in keep_draft:
            services.appraisal_publish(actor=actor, semester=semester, school_class=school_class)
    published = [
        a
        for a in Appraisal.objects.filter(semester=semester, college=college, state=AppraisalState.PUBLISHED)
        .exclude(pk=failing.pk)
        .select_related("student__user")
        .order_by("id")
        if a.student.user_id
    ]
    if published:
        objector = rng.choice(published)
        services.appraisal_object(
            actor=objector.student.user,
            appraisal=objector,
            reason="本学期有两晚查寝因系统故障未能提交，已向辅导员说明，请复核。",
        )
        objector.refresh_from_db()
        services.appraisal_answer(
            actor=actor,
            appraisal=objector,
            answer="已核实系统故障记录，辅导员评分上调 5 分。",
            score=min((objector.counselor_score or Decimal(80)) + 5, Decimal(100)),
        )
    _honours(actor, college, semester)


def _honours(actor, college, semester) -> None:
    ranking = honours.rank_classes(list(college.classes.select_related("college").order_by("name")), semester)
    settings = HonourSettings.get()
    proposed = []
    for kind in (HonourKind.SANJIE, HonourKind.STUDY_STYLE):
        line = settings.min_score(kind)
        taken = {h.school_class_id for h in proposed}
        for row in [
            r
            for r in ranking
            if r["score"] is not None and r["score"] >= line and r["school_class"].pk not in taken
        ][:2]:
            proposed.append(
                honours.class_honour_propose(
                    actor=actor,
                    semester=semester,
                    school_class=row["school_class"],
                    kind=kind,
                    reason=f"学院排名第 {row['rank']} 名，查寝、寝室评比表现突出。",
                )
            )
    for index, honour in enumerate(proposed):
        if index == len(proposed) - 1 and len(proposed) > 1:
            honours.class_honour_decide(
                actor=actor, honour=honour, approve=False, note="本学期名额已满，下学期再评。"
            )
        elif index < len(proposed) - 1 or len(proposed) == 1:
            honours.class_honour_decide(actor=actor, honour=honour, approve=True, note="同意。")
