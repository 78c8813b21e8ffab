"""The one staged-import page (SPEC §13): upload → check every row (a dry run) → show
each problem by row, column and reason, or what would change → confirm → write. The
uploaded file waits in the staging storage (`core.uploads`) between the preview and the
confirmation, under a token bound to the uploading user; it is deleted once confirmed,
refused or cancelled.

An app describes its import as a `StagedImport` subclass — who may use it, its upload
form, its check and apply callables, the fields the confirmation carries — and its
template extends `core/import_page.html`, filling the blocks it needs (intro, the
changes table's key column). Every import page thus shares its messages and markup."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from .forms import bootstrap
from .imports import ImportResult
from .uploads import discard_staged, stage_upload, staged_path

CANCELLED = "已取消导入，上传的文件已删除。"
EXPIRED = "导入文件已过期，请重新上传。"


class StagedImport(View):
    """Subclass and set the attributes; override the hooks below. `as_view()` gives the page."""

    prefix: str = ""  # the staged file's token prefix (the app's)
    template_name: str = "core/import_page.html"
    url_name: str = ""  # this page, where cancel and expiry land
    page_title: str = ""
    key_label: str = "编号"  # the changes table's key column
    form_class: type[forms.Form] | None = None

    # --- hooks --------------------------------------------------------------------------

    def allowed(self, request: HttpRequest) -> bool:
        return True

    def get_form(self, request: HttpRequest) -> forms.Form:
        return self.form_class(request.POST or None, request.FILES or None)

    def extra_context(self, request: HttpRequest) -> dict:
        return {}

    def check(self, request: HttpRequest, path: Path, data: dict) -> ImportResult:
        """The dry run of the staged file, with the form's cleaned data."""
        raise NotImplementedError

    def carried(self, request: HttpRequest, data: dict, file_name: str) -> dict[str, str]:
        """Hidden fields the confirmation posts back (besides the token)."""
        return {}

    def confirmable(self, request: HttpRequest) -> bool:
        """Whether the confirmation's carried fields make sense (else it is refused as expired)."""
        return True

    def apply(self, request: HttpRequest, path: Path) -> ImportResult:
        """The write, from the confirmation's POST (`request.POST` carries `carried`)."""
        raise NotImplementedError

    def done_url(self, request: HttpRequest) -> str:
        """Where a successful import lands (a URL name or path)."""
        return self.url_name

    # --- the flow -----------------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _form(self, request) -> forms.Form:
        form = bootstrap(self.get_form(request))
        for field in form.fields.values():
            if isinstance(field, forms.FileField):
                field.widget.attrs.setdefault("accept", ".xlsx,.csv")
        return form

    def _render(self, request, form, **context) -> HttpResponse:
        if form.is_bound and form.errors:
            for name in form.errors:
                if name in form.fields:
                    widget = form.fields[name].widget
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        context = {
            "form": form,
            "page_title": self.page_title,
            "key_label": self.key_label,
            "carried": {},
            **self.extra_context(request),
            **context,
        }
        return render(request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        return self._render(request, self._form(request))

    def post(self, request, *args, **kwargs):
        form = self._form(request)
        token = request.POST.get("token")
        if token:
            return self._confirm(request, form, token)
        if not form.is_valid():
            return self._render(request, form)
        upload = next(v for v in form.cleaned_data.values() if hasattr(v, "chunks"))
        token, path = stage_upload(request, upload, prefix=self.prefix)
        result = None
        try:
            result = self.check(request, path, form.cleaned_data)
        finally:
            if result is None or not result.ok:
                path.unlink(missing_ok=True)  # refused: not kept
        return self._render(
            request,
            form,
            result=result,
            token=token if result.ok else "",
            file_name=upload.name,
            carried=self.carried(request, form.cleaned_data, upload.name),
        )

    def _confirm(self, request, form, token) -> HttpResponse:
        if request.POST.get("cancel"):
            discard_staged(request, token, prefix=self.prefix)
            messages.info(request, CANCELLED)
            return redirect(self.url_name)
        path = staged_path(request, token, prefix=self.prefix)
        if path is None or not self.confirmable(request):
            messages.error(request, EXPIRED)
            return redirect(self.url_name)
        try:
            result = self.apply(request, path)
        finally:
            path.unlink(missing_ok=True)  # imported, or refused: either way it is not needed again
        if result.ok:
            messages.success(request, result.summary())
            return redirect(self.done_url(request))
        return self._render(request, form, result=result)
