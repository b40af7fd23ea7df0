"""The scale test: the cadre list costs the same number of SQL queries at 3,000 and at 6,000 cadres.

A list whose query count grows with the data (an N+1 in a template, a per-row permission check)
is what makes systems slow at a province's 100,000 cadres; this catches it at county size.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.demo.services import demo_load
from ganbu.registry.models import Cadre

# The first page, a filtered page and a search (pinyin initials) of the cadre list.
PAGES = {
    "first page": {},
    "filtered": {"gender": "F", "rank": "deputy_section", "leadership": "1"},
    "search": {"q": "wang"},
}


def _query_counts() -> dict[str, int]:
    client = Client()
    client.force_login(User.objects.get(username="zzb"))
    url = reverse("web:cadre-list")
    counts: dict[str, int] = {}
    totals: dict[str, int] = {}
    for name, params in PAGES.items():
        client.get(url, params)  # warm-up: template loading and per-process caches are not the subject
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
        counts[name] = len(queries)
        totals[name] = response.context["page"].paginator.count
        assert len(response.context["page"].object_list) > 0, f"{name}: empty page"
    # The filtered and searched pages really are narrower than the whole list, and still full pages
    # or more, so the equal counts below compare real work, not an ignored parameter.
    assert totals["filtered"] < totals["first page"] and totals["search"] < totals["first page"]
    return counts


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_cadre_list_query_count_does_not_grow_with_the_county():
    counts = {}
    sizes = {}
    for scale in (1.0, 2.0):
        demo_load(actor=None, scale=scale)
        sizes[scale] = Cadre.objects.count()
        counts[scale] = _query_counts()
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()  # flush recreated the content types with new ids
    assert sizes[2.0] >= 1.9 * sizes[1.0] >= 1.9 * 2850
    assert counts[1.0] == counts[2.0]
