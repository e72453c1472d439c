"""The personal-data registry forgets no app, no library and no table: every model that
points at a user, or holds an address, is either deleted with the user row or covered by a
registered holder (or declared kept, with the reason)."""

from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from core import privacy


def test_every_model_holding_personal_data_is_covered():
    assert privacy.uncovered_models() == []


def test_the_libraries_tables_have_holders():
    covered = {model._meta.label for holder in privacy.holders() for model in holder.models}
    assert {
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "sessions.Session",
        "core.OutgoingEmail",
    } <= covered


@isolate_apps("core")
def test_a_forgotten_model_stops_the_start_up(monkeypatch):
    class Newsletter(models.Model):
        address = models.EmailField()

        class Meta:
            app_label = "core"

        def __str__(self):
            return self.address

    monkeypatch.setattr(privacy, "_candidate_models", lambda: [Newsletter])
    assert privacy.uncovered_models() == [Newsletter]
    errors = privacy.check_registry(app_configs=None)
    assert [error.id for error in errors] == ["core.E001"]
    assert errors[0].level == checks.ERROR
