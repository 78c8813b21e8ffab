"""Endpoints of the dashboards app in the scoping contract (tests/scoping/test_endpoints.py).
Records for them: RECORDS = {"dashboards": build} with build(world) -> dict."""

ENDPOINTS: list = []
RECORDS: dict = {}
