"""The lists of the semester report's service figures in the scoping contract
(tests/scoping/test_endpoints.py): 志愿者名单 and 服务学生名单, page and .xlsx, over the
service records of contract_sessions.py with students served by 学号 added."""

from tests.scoping.endpoints import Endpoint

from .contract_sessions import NOT_ORGANISERS, ORGANISERS
from .contract_sessions import build as build_sessions

R = "service_report"


def build(world) -> dict:
    records = build_sessions(world)
    # The volunteer activity of college A served 张三 and 李四 (both in the counselor's
    # classes) by 学号, and three people not on the register.
    records["a"].served_students.set([world.student, world.mixed_a2])
    records["a"].served_count = 3
    records["a"].save(update_fields=["served_count"])
    return records


RECORDS = {R: build}

ENDPOINTS = [
    Endpoint("service:volunteer-list", sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R),
    Endpoint(
        "service:volunteer-list", query={"format": "xlsx"}, sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R
    ),
    Endpoint("service:served-list", sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R),
    Endpoint(
        "service:served-list", query={"format": "xlsx"}, sees=ORGANISERS, hidden=NOT_ORGANISERS, records=R
    ),
]
