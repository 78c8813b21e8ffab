"""What every dossiers endpoint shares: the access-log row for each student revealed."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from campusgrid.core.api import ClassFieldMixin
from campusgrid.people import sensitive
from campusgrid.people.models import AccessLog

API_READ = AccessLog.Action.API_READ


def _log(request, item: str, students) -> None:
    unique = list({s.pk: s for s in students}.values())
    if unique:
        sensitive.log_access(request=request, item=item, students=unique, action=API_READ)


class LoggedReadMixin:
    """List and retrieve that log the students they reveal (one row each)."""

    log_item = ""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        _log(request, self.log_item, [row.student for row in rows])
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        _log(request, self.log_item, [obj.student])
        return Response(
            self.get_serializer(obj, context={**self.get_serializer_context(), "detail": True}).data
        )


class StudentFields(ClassFieldMixin, serializers.Serializer):
    student_no = serializers.CharField(source="student.student_no", read_only=True)
    name = serializers.CharField(source="student.name", read_only=True)
    class_name = serializers.CharField(source="student.school_class.name", default=None, read_only=True)
    college = serializers.CharField(source="student.college.name", read_only=True)
