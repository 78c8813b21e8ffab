"""REST API of the dossiers app: key students (by 学号), talk records, screening,
early-warning proposals, access grants and the access log.

Scoped by the same selectors as the pages: an out-of-scope dossier is a 404.
Every response that reveals a student's sensitive data writes one access-log row
per student (action "接口读取"); writes go through the services.

One module a sub-domain; `register` puts them all on the router."""

from .access import (  # noqa: F401
    AccessGrantViewSet,
    AccessLogSerializer,
    AccessLogViewSet,
    GrantSerializer,
    GrantWriteSerializer,
)
from .common import API_READ, LoggedReadMixin, StudentFields, _log  # noqa: F401
from .key_students import (  # noqa: F401
    ChangeSerializer,
    KeyStudentSerializer,
    KeyStudentViewSet,
    KeyStudentWriteSerializer,
    RemoveSerializer,
    ReviewSerializer,
)
from .screening import (  # noqa: F401
    FollowUpSerializer,
    ScreeningImportSerializer,
    ScreeningResultSerializer,
    ScreeningResultViewSet,
)
from .talks import TalkRecordSerializer, TalkRecordViewSet, TalkRecordWriteSerializer  # noqa: F401
from .warnings import DecisionSerializer, ProposalSerializer, WarningViewSet  # noqa: F401


def register(router):
    router.register("key-students", KeyStudentViewSet, basename="key-student")
    router.register("talk-records", TalkRecordViewSet, basename="talk-record")
    router.register("screening-results", ScreeningResultViewSet, basename="screening-result")
    router.register("warnings", WarningViewSet, basename="warning")
    router.register("access-grants", AccessGrantViewSet, basename="access-grant")
    router.register("access-log", AccessLogViewSet, basename="access-log")
