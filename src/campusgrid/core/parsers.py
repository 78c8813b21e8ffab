"""DRF parser and throttles named in settings.REST_FRAMEWORK. Kept apart from core/api.py:
DRF imports them while defining APIView, which core/api.py itself imports."""

from django.conf import settings
from rest_framework import exceptions, parsers, throttling


class UserThrottle(throttling.UserRateThrottle):
    """Per signed-in user (token or session), whatever the address: a building behind one
    NAT address is many users. Anonymous requests are counted by address."""

    def get_rate(self):
        return settings.CAMPUSGRID_THROTTLE_USER


class AnonThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        return settings.CAMPUSGRID_THROTTLE_ANON


class ObjectJSONParser(parsers.JSONParser):
    """JSON bodies must be objects: every write in this API takes named fields, so
    `true`, `null`, a number or a list is refused (400) before any view reads it."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as exc:
            raise exceptions.ParseError("请求体不是有效的 JSON。") from exc
        if not isinstance(data, dict):
            raise exceptions.ParseError(f"请求体须为 JSON 对象（{{…}}），收到的是{_json_kind(data)}。")
        return data


def _json_kind(value) -> str:
    if value is None:
        return " null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "数组"
    return "其他类型"
