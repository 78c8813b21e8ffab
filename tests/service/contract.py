"""Endpoints of the service app in the scoping contract (tests/scoping/test_endpoints.py).
Records for them: RECORDS = {"service": build} with build(world) -> dict."""

ENDPOINTS: list = []
RECORDS: dict = {}
