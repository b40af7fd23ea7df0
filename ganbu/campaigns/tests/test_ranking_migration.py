"""Rankings stored before migration 0003 get their order and place text from their places."""

from __future__ import annotations

import importlib

from django.apps import apps as registry

from ganbu.campaigns.models import Application

from .excel_support import applications, scoring_campaign

migration = importlib.import_module("ganbu.campaigns.migrations.0003_ranking_stored")


def test_earlier_rankings_are_ordered_by_place_then_id_per_campaign(officer, tree):
    first = applications(scoring_campaign(officer, tree.root, 4, title="甲"))
    second = applications(scoring_campaign(officer, tree.root, 2, title="乙"))
    for a, place in zip([*first, *second], [2, 1, 2, None, 1, 1], strict=True):
        Application.objects.filter(pk=a.pk).update(place=place, position=None, place_note="")

    migration.order_earlier_rankings(registry, None)

    by_pk = {a.pk: (a.position, a.place_note) for a in Application.objects.all()}
    assert [by_pk[a.pk] for a in first] == [(2, "第 2 名"), (1, "第 1 名"), (3, "第 2 名"), (None, "")]
    assert [by_pk[a.pk] for a in second] == [(1, "第 1 名"), (2, "第 1 名")]
