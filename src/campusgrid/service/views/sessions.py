"""Session pages: the organiser's list, detail with attendance, code display, hours credit;
the attendee's phone pages (my sessions, sign in by code, my hours)."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campusgrid.core import clock
from campusgrid.core.errors import ServiceError
from campusgrid.core.forms import picker_form, put_errors
from campusgrid.core.htmx import template_for
from campusgrid.people.selectors import students_by_numbers

from .. import policy, selectors, services
from ..filters import PeriodFilter, SessionFilter
from ..forms import HoursCorrectForm, HoursCreditForm, ServedForm, SessionForm, SignInForm
from ..models import AttendanceStatus, SessionKind
from ..models.sessions import EDUCATION_TOPICS, PARTY_MEETING_TOPICS, TRAINING_TOPICS
from ..services import codes
from .common import export, page_of, wants_export


def _managed_or_404(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    if not policy.may_manage_session(request.user, session):
        raise Http404("未找到，或不在您的管理范围内")
    return session


@login_required
def session_list(request):
    """活动列表 (desktop): the sessions in reach, filtered by kind, text, team, dates."""
    user = request.user
    if not policy.may_see_sessions(user):
        raise Http404("未找到，或不在您的管理范围内")
    filterset = SessionFilter(request.GET or None, queryset=selectors.session_list(user=user), user=user)
    sessions = selectors.session_list(user=user, filters=request.GET)
    context = {
        "page_title": "活动与培训",
        "form": filterset.form,
        "page": page_of(request, sessions),
        "may_create": policy.may_create_session(user),
    }
    return render(request, template_for(request, "service/session_list.html", "rows"), context)


@login_required
def session_new(request):
    user = request.user
    if not policy.may_create_session(user):
        raise Http404("未找到，或不在您的管理范围内")
    initial = {
        "kind": request.GET.get("kind")
        if request.GET.get("kind") in SessionKind.values
        else SessionKind.EDUCATION
    }
    form = SessionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=user,
                kind=data["kind"],
                title=data["title"],
                topic=data["topic"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                hours=data["hours"],
                quota=data["quota"],
                signup_required=data["signup_required"],
                audience_college=data["audience_college"],
                audience_classes=list(data["audience_classes"]),
                audience_post_kind=data["audience_post_kind"],
                audience_branch=data["audience_branch"],
                branch=data["branch"],
                team=data["team"],
                college=data["team"].college if data["team"] else None,
                posts=data["posts"],
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, "活动已发布。")
            return redirect("service:session-detail", pk=session.pk)
    context = {
        "page_title": "发布活动",
        "form": form,
        "topics": EDUCATION_TOPICS + TRAINING_TOPICS + PARTY_MEETING_TOPICS,
    }
    return render(request, "service/session_new.html", context)


def _signup_post(posts):
    """The sign-up form's 报名岗位 select (None when the session has no posts)."""
    if not posts:
        return None
    field = picker_form(small=False, post=("报名岗位", [(p.pk, p.name) for p in posts], None))["post"]
    field.field.widget.attrs.update(
        {"id": "signup-post", "class": field.field.widget.attrs["class"] + " mb-2"}
    )
    return field


@login_required
def session_detail(request, pk):
    """The session: its details, sign-up for attendees, the attendance sheet for organisers."""
    user = request.user
    session = selectors.session_get(user=user, pk=pk)
    manager = policy.may_manage_session(user, session)
    now = clock.now()
    own = selectors.own_attendance(user=user, sessions=[session]).get(session.pk)
    posts = list(session.posts.all())
    context = {
        "page_title": session.title,
        "session": session,
        "manager": manager,
        "own": own,
        "now": now,
        "posts": posts,
        "signup_post": _signup_post(posts),
        "signed_up": selectors.is_signed_up(user=user, session=session),
        "may_sign_up": session.signup_required and now < session.starts_at and policy.may_attend(user),
    }
    if manager:
        sheet = selectors.attendance_sheet(session=session)
        context.update(
            {
                "sheet": sheet,
                "statuses": [
                    (v, label)
                    for v, label in AttendanceStatus.choices
                    if v != AttendanceStatus.MAKEUP or session.kind == SessionKind.TRAINING
                ],
                "counts": selectors.attendance_counts(session=session),
                "credit_form": HoursCreditForm(initial={"hours": session.hours}),
                "correct_form": HoursCorrectForm(),
                "served_form": ServedForm(
                    initial={
                        "served_count": session.served_count,
                        "student_numbers": " ".join(s.student_no for s in session.served_students.all()),
                    }
                )
                if session.kind == SessionKind.VOLUNTEER
                else None,
                "is_over": session.is_over(now),
            }
        )
    return render(request, "service/session_detail.html", context)


def _person(session, token: str):
    """ "s-<id>" / "t-<id>" of the ticking form: a person of the session's sheet."""
    kind, _, raw = (token or "").partition("-")
    if not raw.isdigit():
        raise ServiceError("请选择人员", field="person")
    for row in selectors.attendance_sheet(session=session):
        if (row["kind"] == "student" and kind == "s" or row["kind"] == "staff" and kind == "t") and row[
            "person"
        ].pk == int(raw):
            return row["person"] if kind == "s" else None, row["person"] if kind == "t" else None
    raise ServiceError("此人不在此活动的参加名单中", field="person")


@login_required
@require_POST
def session_attendance(request, pk):
    """The organiser ticks one person (出席, 迟到, 缺席, 请假, 补课), or marks every missing
    person absent (`close`)."""
    session = _managed_or_404(request, pk)
    try:
        if request.POST.get("close"):
            n = services.attendance_close(actor=request.user, session=session)
            messages.success(request, f"已将{n}名未签到者记为缺席。")
        else:
            student, staff = _person(session, request.POST.get("person", ""))
            att = services.attendance_record(
                actor=request.user,
                session=session,
                student=student,
                staff=staff,
                status=request.POST.get("status", ""),
            )
            messages.success(request, f"已登记：{att.person_name} {att.get_status_display()}")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("service:session-detail", args=[session.pk]) + "#attendance")


@login_required
@require_POST
def session_hours(request, pk):
    """Credit the session's hours to those who attended, or correct one person's hours."""
    session = _managed_or_404(request, pk)
    if request.POST.get("reason") is not None:
        form = HoursCorrectForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["person"].strip()
            try:
                student = next(
                    (s for s in selectors.audience_or_attendee(session=session, number=number)), None
                )
                if student is None:
                    raise ServiceError(f"此活动没有学号或工号为“{number}”的参加者", field="person")
                services.hours_correct(
                    actor=request.user,
                    session=session,
                    hours=form.cleaned_data["hours"],
                    reason=form.cleaned_data["reason"],
                    **student,
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已更正时长（原记录保留，更正记为新的一行）。")
        else:
            messages.error(
                request, "更正未成功：" + "；".join(e for errs in form.errors.values() for e in errs)
            )
    else:
        form = HoursCreditForm(request.POST)
        if form.is_valid():
            try:
                created = services.hours_credit(
                    actor=request.user, session=session, hours=form.cleaned_data["hours"]
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    f"已为{len(created)}人认定时长。"
                    if created
                    else "没有需要认定的人员（已认定的不重复认定）。",
                )
        else:
            messages.error(
                request, "认定未成功：" + "；".join(e for errs in form.errors.values() for e in errs)
            )
    return redirect(reverse("service:session-detail", args=[session.pk]) + "#hours")


@login_required
@require_POST
def session_served(request, pk):
    session = _managed_or_404(request, pk)
    form = ServedForm(request.POST)
    if form.is_valid():
        try:
            students = students_by_numbers(user=request.user, numbers=form.numbers(), field="student_numbers")
            services.session_record_served(
                actor=request.user,
                session=session,
                students=students,
                count=form.cleaned_data["served_count"],
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存服务对象。")
    else:
        messages.error(request, "保存未成功：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("service:session-detail", args=[session.pk]) + "#served")


@login_required
@require_POST
def session_signup(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    try:
        if request.POST.get("cancel"):
            services.signup_cancel(actor=request.user, session=session)
            messages.success(request, "已取消报名。")
        else:
            post = None
            if request.POST.get("post"):
                post = next((p for p in session.posts.all() if str(p.pk) == request.POST["post"]), None)
                if post is None:
                    raise ServiceError("岗位不属于此活动", field="post")
            services.signup_create(actor=request.user, session=session, post=post)
            messages.success(request, "报名成功。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("service:session-detail", pk=session.pk)


@login_required
@require_POST
def session_end(request, pk):
    session = _managed_or_404(request, pk)
    try:
        services.session_end(actor=request.user, session=session)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "活动已结束，签到已关闭；可以认定时长了。")
    return redirect(reverse("service:session-detail", args=[session.pk]) + "#hours")


def _code_context(request, session):
    now = clock.now()
    step = codes.step_of(now)
    code = codes.code_at(session.secret, step)
    return {
        "session": session,
        "open": session.signin_open(now),
        "over": session.is_over(now),
        "code": code,
        "step": step,
        "seconds_left": codes.seconds_left(now),
        "opens_at": session.signin_opens_at(),
        "counts": selectors.attendance_counts(session=session),
        "signin_url": request.build_absolute_uri(reverse("service:sign-in")),
    }


@login_required
def session_code(request, pk):
    """签到码 on the organiser's phone: the 6-digit code and its QR code, refreshed by htmx
    polling (no inline script) as the code rotates; the count of those signed in."""
    session = _managed_or_404(request, pk)
    context = {"page_title": f"签到码 · {session.title}", **_code_context(request, session)}
    return render(request, template_for(request, "service/session_code.html", "code"), context)


@login_required
def session_qr(request, pk):
    """The QR code of the current code (SVG): it opens the sign-in page with the code filled in."""
    session = _managed_or_404(request, pk)
    now = clock.now()
    if not session.signin_open(now):
        raise Http404("不在签到时间内")
    code = codes.current_code(session.secret, now)
    url = request.build_absolute_uri(reverse("service:sign-in")) + f"?s={session.pk}&c={code}"
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, title="签到二维码")
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=30"  # the URL names the step (?t=)
    return response


@login_required
def sign_in(request):
    """扫码/输入签到码 (phone): the QR link fills in the code and the session; a typed code
    finds its session. Refusals say why in Chinese."""
    user = request.user
    initial = {
        "code": request.GET.get("c", "")[:12],
        "session": request.GET.get("s") if (request.GET.get("s") or "").isdigit() else None,
    }
    form = SignInForm(request.POST or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        session = None
        if form.cleaned_data.get("session"):
            session = selectors.session_for_sign_in(pk=form.cleaned_data["session"])
        try:
            result = services.attendance_sign_in(
                actor=user, code=form.cleaned_data["code"], session=session, how="qr" if session else "code"
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, f"签到成功：{result.session.title}（{result.get_status_display()}）")
            return redirect("service:my-sessions")
    context = {"page_title": "签到", "form": form, "from_qr": bool(initial["code"])}
    return render(request, "service/sign_in.html", context)


@login_required
def my_sessions(request):
    """我的活动 (phone): sessions I am invited to, signed up for or attended, with my attendance."""
    user = request.user
    if not policy.may_attend(user):
        raise Http404("未找到，或不在您的管理范围内")
    page = page_of(request, selectors.my_sessions(user=user), size=20)
    own = selectors.own_attendance(user=user, sessions=list(page))
    rows = [{"session": s, "attendance": own.get(s.pk)} for s in page]
    return render(
        request,
        "service/my_sessions.html",
        {"page_title": "我的活动", "page": page, "rows": rows, "now": clock.now()},
    )


@login_required
def my_hours(request):
    """我的时长 (phone): my volunteer hours and study hours per semester and in total, each row."""
    user = request.user
    if not policy.may_attend(user):
        raise Http404("未找到，或不在您的管理范围内")
    summary = selectors.my_hours(user=user)
    return render(request, "service/my_hours.html", {"page_title": "我的时长", **summary})


HOURS_HEADERS = ["序号", "学号", "姓名", "班级", "学院", "志愿时长（小时）", "参加活动次数"]


@login_required
def hours_ledger(request):
    """志愿时长台账: per student, volunteer hours (this semester or all) and activities."""
    user = request.user
    if not policy.may_see_sessions(user):
        raise Http404("未找到，或不在您的管理范围内")
    semesters = selectors.semester_choices()
    semester = next((s for s in semesters if str(s.pk) == request.GET.get("semester")), None)
    class_id = request.GET.get("school_class", "")
    class_id = int(class_id) if class_id.isdigit() else None
    school_class = selectors.hours_class_choice(user=user, pk=class_id)
    # The activities' dates as the people lists read them (any date format the forms take; an
    # invalid date: no filter).
    dates = PeriodFilter(request.GET or None).period()
    rows = selectors.volunteer_hours_ledger(user=user, semester=semester, school_class=class_id, **dates)
    if wants_export(request):
        title = f"志愿时长台账（{semester.name}）" if semester else "志愿时长台账"
        return export(
            request,
            name=title,
            headers=HOURS_HEADERS,
            rows=[
                [
                    i,
                    r["student__student_no"],
                    r["student__name"],
                    r["student__school_class__name"] or "",
                    r["student__college__name"] or "",
                    float(r["total"] or 0),
                    r["activities"],
                ]
                for i, r in enumerate(rows, start=1)
            ],
            widths=[6, 14, 10, 14, 14, 14, 12],
        )
    context = {
        "page_title": "志愿时长台账",
        "page": page_of(request, rows, size=50),
        "semesters": semesters,
        "semester": semester,
        "school_class": school_class,
        "dates": dates,
    }
    return render(request, template_for(request, "service/hours_ledger.html", "rows"), context)
