"""The database holds what the models declare: a migration that loses a constraint (one
authorised plan per case, say) fails here, not in a clinic."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

OURS = {"accounts", "api", "assessments", "audit", "careplans", "cases", "notifications",
        "privacy", "referrals", "reports"}


def _our_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models()
            if model._meta.app_label in OURS and model._meta.managed
            and not model._meta.auto_created]


@pytest.mark.django_db
def test_every_index_and_constraint_a_model_declares_is_in_the_database():
    with connection.cursor() as cursor:
        for model in _our_models():
            found = set(connection.introspection.get_constraints(cursor, model._meta.db_table))
            declared = {item.name for item in [*model._meta.indexes, *model._meta.constraints]}
            assert declared <= found, (model._meta.label, declared - found)
