"""The demo college has volunteer teams with a semester of activities and hours in seed 004's
proportions, an education session, dorm-head training with a make-up and some untrained."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from campusgrid.people.models import Staff
from campusgrid.service import selectors
from campusgrid.service.models import Attendance, HoursCredit, Session, TrainingRequirement

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2025, 11, 20, 10, 0))


@pytest.fixture
def demo(travel):
    travel(NOW)
    call_command("demo", "--students", "1700", "--seed", "3", stdout=io.StringIO())


def test_demo_teams_activities_hours_and_training(demo):
    leader = Staff.objects.filter(posts__kind="leader").first().user
    totals = selectors.team_totals(user=leader)
    assert totals["teams"] >= 1
    assert 9 <= totals["activities"] <= 12  # 10 held plus one ahead, for a college of 1,700
    assert 240 <= totals["participants"] <= 330  # seed 004: 284
    assert 1000 <= totals["served"] <= 1250  # seed 004: 1,136
    ahead = Session.objects.filter(kind="volunteer", starts_at__gt=NOW)
    assert ahead.count() == 1 and ahead.get().signup_required
    # Every credit is once per person and session, for someone who attended.
    credited = HoursCredit.objects.filter(correction=False)
    assert credited.count() == credited.values("session", "student").distinct().count()
    assert not credited.exclude(
        student__in=Attendance.objects.filter(status__in=["present", "late", "makeup"]).values("student")
    ).exists()
    assert TrainingRequirement.objects.filter(post_kind="dorm_head").exists()
    assert Attendance.objects.filter(status="makeup").exists()
    untrained = [r for r in selectors.untrained_list(user=leader) if r["post"].kind == "dorm_head"]
    trained = [r for r in selectors.training_status(user=leader) if r["post"].kind == "dorm_head" and r["trained"]]
    assert 0 < len(untrained) < len(trained)
    assert Session.objects.filter(kind="education", topic="反诈宣传").exists()
