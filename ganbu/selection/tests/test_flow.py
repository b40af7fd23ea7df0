"""One record from 动议 to 试用期满 through the services; every step in order in the trail and the audit."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.models import Tenure
from ganbu.selection import services
from ganbu.selection.choices import ProbationStatus
from ganbu.selection.models import Probation, StepEvent

D = dt.date


def test_a_record_runs_from_proposal_to_confirmed_appointment(scene):
    from ganbu.selection.tests.fixtures import drive

    record = drive(scene, "feedback")
    record.refresh_from_db()
    assert record.step == "feedback"
    appointee = scene.people[0]
    tenure = Tenure.objects.get(cadre=appointee, post=scene.post)
    assert tenure.start_date == D(2024, 9, 23) and tenure.end_date is None
    probation = Probation.objects.get(record=record)
    assert (probation.start_date, probation.end_date) == (D(2024, 9, 23), D(2025, 9, 23))
    with pytest.raises(ServiceError, match="期满后方可正式任职"):
        services.probation_conclude(
            actor=scene.officer,
            probation=probation,
            confirmed=True,
            conclusion="试用期满考核称职",
            concluded_on=D(2025, 9, 22),
        )
    services.probation_conclude(
        actor=scene.officer,
        probation=probation,
        confirmed=True,
        conclusion="试用期满考核称职",
        concluded_on=D(2025, 9, 23),
    )
    record.refresh_from_db()
    assert record.step == "probation_end"
    probation.refresh_from_db()
    assert probation.status == ProbationStatus.CONFIRMED
    steps = list(StepEvent.objects.filter(record=record).values_list("step", flat=True))
    assert steps == [
        "proposal",
        "recommendation",
        "candidates",
        "preannouncement",
        "inspection",
        "opinions",
        "department_meeting",
        "committee_vote",
        "public_notice",
        "appointment",
        "feedback",
        "probation_end",
    ]
    audited = [
        e.after["step"]
        for e in AuditEvent.objects.filter(
            target_type="selection.SelectionRecord", target_id=str(record.pk)
        ).order_by("seq")
        if e.event_type in ("selection.proposed", "selection.step")
    ]
    assert audited == steps
