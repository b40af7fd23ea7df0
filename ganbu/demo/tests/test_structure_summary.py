"""The demo, loaded through its bulk paths, leaves the structure summary exact."""

from __future__ import annotations

import pytest

from ganbu.accounts.models import User
from ganbu.registry import structure
from ganbu.registry.selectors import cadre_structure

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_the_summary_equal_to_a_full_count(loaded):
    assert structure.drift() == {}
    for username in ("zzb", "rsj"):
        user = User.objects.get(username=username)
        assert structure.structure_for(user=user) == cadre_structure(user=user)
