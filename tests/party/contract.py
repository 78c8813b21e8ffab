"""Endpoints of the party app in the scoping contract (tests/scoping/test_endpoints.py).
Records for them: RECORDS = {"party": build} with build(world) -> dict."""

ENDPOINTS: list = []
RECORDS: dict = {}
