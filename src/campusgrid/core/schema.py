"""OpenAPI: every operation documents the errors it can answer, with their body.

A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) so that
no view has to repeat them and none is forgotten; `.ci/schemathesis.sh` checks that the
schema and the server agree (status codes and bodies).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, knowing one more way a field is null: `default=None` (the related
    object of a dotted source may be missing, e.g. a post's `student.student_no`)."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if isinstance(field, serializers.Field) and field.default is None and direction == "response":
            meta["nullable"] = True
        return meta


ERROR = {
    "type": "object",
    "description": "错误（中文说明）",
    "properties": {
        "detail": {"type": "string", "description": "中文说明"},
        "field": {"type": "string", "description": "出错的字段（如有）"},
    },
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "输入有误：`detail`（中文说明），或按字段名给出的中文错误信息列表",
    "additionalProperties": True,
}

DESCRIPTIONS = {
    "400": "输入有误（请求体、查询参数或分页参数）",
    "401": "未登录，或令牌无效、已过期",
    "403": "无权执行此操作",
    "404": "未找到，或不在您的管理范围内",
    "409": "状态冲突，或他人已修改（version 过期）",
    "429": "请求过于频繁",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in WRITE_METHODS | {"get"}:
                continue
            codes = {"401", "403", "429"}
            parameters = operation.get("parameters", [])
            if method in WRITE_METHODS or any(p.get("in") == "query" for p in parameters):
                codes.add("400")
            if "{" in path or any(p.get("name") == "page" for p in parameters) or method in WRITE_METHODS:
                codes.add("404")  # outside one's scope, or a page past the last
            if method in WRITE_METHODS:
                codes.add("409")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                schema = _ref("ValidationError" if code == "400" else "Error")
                existing = responses.get(code)
                if existing is None:
                    responses[code] = {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": schema}},
                    }
    return result
