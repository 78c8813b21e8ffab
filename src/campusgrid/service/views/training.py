"""网格员培训台账: who holds a post and has not had its required training, per class and
college; the export lists who was trained on what and who not."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from campusgrid.core.htmx import template_for

from .. import policy, selectors
from .common import export, wants_export

TRAINING_HEADERS = ["序号", "学号/工号", "姓名", "职务", "网格", "班级", "学院", "培训要求", "期限", "状态"]


@login_required
def training_ledger(request):
    user = request.user
    if not policy.may_see_training(user):
        raise Http404("未找到，或不在您的管理范围内")
    show = request.GET.get("show", "untrained")
    rows = selectors.training_status(user=user, untrained_only=show != "all" and not wants_export(request))
    if wants_export(request):
        return export(
            request,
            name="网格员培训台账",
            headers=TRAINING_HEADERS,
            rows=[
                [
                    i,
                    r["number"],
                    r["holder"].name if r["holder"] else "",
                    r["post"].get_kind_display(),
                    r["post"].place_label,
                    r["school_class"].name if r["school_class"] else "",
                    r["college"].name if r["college"] else "",
                    r["requirement"].topic,
                    r["due"],
                    "已培训" if r["trained"] else ("逾期未培训" if r["overdue"] else "未培训"),
                ]
                for i, r in enumerate(rows, start=1)
            ],
            widths=[6, 14, 10, 12, 16, 14, 14, 18, 12, 12],
        )
    context = {
        "page_title": "网格员培训台账",
        "rows": rows,
        "groups": selectors.untrained_by_class(rows),
        "requirements": selectors.requirement_list(),
        "show": show,
    }
    return render(request, template_for(request, "service/training_ledger.html", "rows"), context)
