"""The demo's joint meetings (issue 14, item 5): January's held with its minutes, July's planned."""

from __future__ import annotations

import pytest

from ganbu.accounts.models import User
from ganbu.core.models import AuditEvent
from ganbu.doctemplates import selectors as documents
from ganbu.doctemplates.tests.helpers import word_text
from ganbu.joint_meetings.models import JointMeeting

pytestmark = pytest.mark.django_db


def test_january_held_with_minutes_and_july_planned(loaded):
    january, july = JointMeeting.objects.order_by("held_on")
    assert (january.held_on.month, january.held_on.day, january.status) == (1, 15, "minuted")
    assert (july.held_on.month, july.status) == (7, "planned")
    assert january.members.count() == 8 and january.findings.count() == 2
    assert sorted(january.follow_ups.values_list("status", flat=True)) == ["done", "open"]
    assert set(
        AuditEvent.objects.filter(event_type__startswith="joint_meetings.").values_list(
            "actor__username", flat=True
        )
    ) == {"jiwei"}
    minutes = documents.render_document(
        user=User.objects.get(username="jiwei"),
        kind="joint_meeting_minutes",
        source_id=january.pk,
        fmt="docx",
    )
    text = word_text(minutes.body)
    assert january.title in text and "纪要已定稿" in text and "县审计局局长" in text
