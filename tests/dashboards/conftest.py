import pytest

from campusgrid.core import registry

# The figures and metrics that the service and party apps (and the honours) register into the
# report and the appraisal. Tests of the 未启用 rule and of hand-built ledger/report records
# take them out for their duration, as on a campus that runs without those apps.
ABOVE = ("service.", "party.", "dashboards.class_honours")


@pytest.fixture
def apps_above_unregistered():
    saved = {name: list(getattr(registry, name)) for name in ("REPORT_FIGURES", "SEMESTER_METRICS")}
    for name, items in saved.items():
        getattr(registry, name)[:] = [i for i in items if not i.key.startswith(ABOVE)]
    yield
    for name, items in saved.items():
        getattr(registry, name)[:] = items
