"""The demo portfolio: the demo counsellor follows a dozen seekers in every situation
the portfolio shows."""

import pytest

from accounts.models import User
from coaching import overview
from coaching.models import Assignment
from coaching.permissions import visible_seekers


@pytest.mark.django_db
def test_the_demo_counsellor_has_a_portfolio_with_alerts_and_assignments(demo):  # seeded twice: idempotent
    counsellor = User.objects.get(email="conseillere@tremplin.test")
    rows = overview.build(visible_seekers(counsellor))
    assert len(rows) == 13
    alerts = {alert for row in rows for alert in row.alerts}
    assert {
        overview.Alert.INACTIVE,
        overview.Alert.OVERDUE,
        overview.Alert.NO_CONTACT,
        overview.Alert.REQUEST,
    } <= alerts
    karim = next(row for row in rows if row.user.email == "demandeur@tremplin.test")
    assert len(karim.assignments) == 2
    assert karim.assignments[0].status == "in_progress"
    assert Assignment.objects.count() == 14
