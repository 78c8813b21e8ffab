"""Endpoints of the dossiers app in the scoping contract, asserted by
tests/scoping/test_endpoints.py over 张三's (A1002) and 王五's (B1002) files
(tests/dossiers/conftest.py), an open proposal and a grant for 张三."""

from tests.scoping.endpoints import COLLEGE_B, STUDENTS_A, Endpoint, Exempt, personas

D = "dossiers"
SEE_A = personas("counselor", "class_teacher", "leader", "office")  # 张三's sensitive data
NOT_A = STUDENTS_A | COLLEGE_B  # everyone else is answered 404
LEADERS = personas("leader", "office")
NOT_LEADERS = personas("counselor", "monitor", "student", "class_teacher")


def a1002(world, records):
    return ["A1002"]


def talk_a(world, records):
    return [records["files"].talk_a.pk]


def screening_a(world, records):
    return [records["files"].screening_a.pk]


def proposal(world, records):
    return [records["proposal"].pk]


def grant(world, records):
    return [records["grant"].pk]


ENDPOINTS = [
    Exempt("dossiers:screening-template", "no personal data (headers and an invented example row)"),
    Endpoint("dossiers:list", sees=SEE_A | personas("leader_b"), hidden=STUDENTS_A, records=D),
    Endpoint("dossiers:list", query={"format": "xlsx"}, sees=SEE_A | personas("leader_b"), records=D),
    Endpoint("dossiers:dossier", a1002, sees=SEE_A, hidden=NOT_A, records=D),
    *[
        Endpoint(name, a1002, method="POST", refused=NOT_A, records=D)
        for name in ("dossiers:edit", "dossiers:remove", "dossiers:review", "dossiers:talk-new")
    ],
    Endpoint("dossiers:pdf", a1002, sees=SEE_A, hidden=NOT_A, records=D),
    Endpoint("dossiers:warnings", sees=SEE_A, hidden=STUDENTS_A, records=D),
    *[
        Endpoint(
            "dossiers:warning-decide",
            lambda w, r, d=d: [r["proposal"].pk, d],
            method="POST",
            refused=NOT_A,
            records=D,
        )
        for d in ("accept", "dismiss")
    ],
    Endpoint("dossiers:screening", sees=SEE_A, hidden=STUDENTS_A, records=D),
    Endpoint("dossiers:screening-follow-up", screening_a, method="POST", refused=NOT_A, records=D),
    Endpoint("dossiers:screening-import", sees=SEE_A, hidden=STUDENTS_A),
    Endpoint("dossiers:grants", sees=LEADERS, hidden=NOT_LEADERS, records=D),
    Endpoint("dossiers:grant-revoke", grant, method="POST", refused=NOT_LEADERS | COLLEGE_B, records=D),
    Endpoint("dossiers:access-log", sees=LEADERS | personas("leader_b"), hidden=NOT_LEADERS, records=D),
    # API
    Endpoint("key-student-list", sees=SEE_A | personas("leader_b"), records=D),
    Endpoint("key-student-detail", a1002, sees=SEE_A, hidden=NOT_A, records=D),
    *[
        Endpoint(f"key-student-{a}", a1002, method="POST", refused=NOT_A, records=D)
        for a in ("remove", "review")
    ],
    Endpoint("talk-record-list", sees=SEE_A | personas("leader_b"), records=D),
    Endpoint("talk-record-detail", talk_a, sees=SEE_A, hidden=NOT_A, records=D),
    Endpoint("screening-result-list", sees=SEE_A | personas("leader_b"), records=D),
    Endpoint("screening-result-detail", screening_a, sees=SEE_A, hidden=NOT_A, records=D),
    Endpoint("screening-result-follow-up", screening_a, method="POST", refused=NOT_A, records=D),
    Endpoint("screening-result-import", method="POST", refused=STUDENTS_A),
    Endpoint("warning-list", sees=SEE_A | personas("leader_b"), records=D),
    Endpoint("warning-detail", proposal, sees=SEE_A, hidden=NOT_A, records=D),
    *[
        Endpoint(f"warning-{a}", proposal, method="POST", refused=NOT_A, records=D)
        for a in ("accept", "dismiss")
    ],
    Endpoint("access-grant-list", sees=LEADERS, records=D),
    Endpoint("access-grant-revoke", grant, method="POST", refused=NOT_LEADERS | COLLEGE_B, records=D),
    Endpoint("access-log-list", sees=LEADERS | personas("leader_b"), records=D),
]
