"""Request and response schemas of the public notice endpoints and the staff objection desk.

The public outputs carry only what the notice pages show; the tracking output never echoes the
content or the sender. The staff output carries the sender's name and contact (empty when anonymous)
but not the tracking code, which is the sender's own key.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, StringConstraints

from ganbu.selection.choices import ObjectionKind, ObjectionStatus

from .schemas import InputSchema, Text50, Text100, _no_nul

Text5000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), AfterValidator(_no_nul)]
Content = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), AfterValidator(_no_nul)
]

if TYPE_CHECKING:
    ObjectionKindCode = str
    StatusFilter = str
else:
    ObjectionKindCode = Literal[tuple(ObjectionKind.values)]
    StatusFilter = Literal[("all", *ObjectionStatus.values)]


class NoticeOut(Schema):
    """A current notice in the public list."""

    id: int
    kind: str
    kind_label: str
    title: str
    unit_name: str
    start_date: dt.date
    end_date: dt.date

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The kind in Chinese."""
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        """The unit the selection is for (selected with the notice)."""
        return str(obj.record.unit.name)


class NoticeDetailOut(NoticeOut):
    """One current notice as published: the text, the contact and, for a 考察预告, the team."""

    body: str
    contact: str
    team: list[str]
    published_on: dt.date

    @staticmethod
    def resolve_published_on(obj: Any) -> dt.date:
        """The day of publication, in the county's time zone."""
        return timezone.localdate(obj.published_at)


class ObjectionIn(InputSchema):
    """What a member of the public sends; ``anonymous`` drops the name and contact before saving."""

    kind: ObjectionKindCode = ObjectionKind.OBJECTION.value
    about: Text100 = ""
    content: Content
    name: Text50 = ""
    contact: Text100 = ""
    anonymous: bool = False


class ObjectionReceiptOut(Schema):
    """The tracking code, returned once: the system cannot show it again."""

    tracking_code: str
    status: str
    status_label: str


class TrackOut(Schema):
    """Where an objection stands, for whoever holds its code (no content, no sender)."""

    notice_title: str
    kind: str
    kind_label: str
    received_on: dt.date
    status: str
    status_label: str
    resolution: str
    resolved_on: dt.date | None


class ObjectionOut(Schema):
    """An objection as the staff desk sees it, with the notice and record it belongs to."""

    id: int
    notice_id: int
    notice_kind: str
    notice_title: str
    record_id: int
    record_title: str
    unit_name: str
    kind: str
    kind_label: str
    about: str
    content: str
    name: str
    contact: str
    received_at: dt.datetime
    status: str
    status_label: str
    resolution: str
    resolved_by: str | None
    resolved_at: dt.datetime | None

    @staticmethod
    def resolve_notice_kind(obj: Any) -> str:
        """The notice's kind code."""
        return str(obj.notice.kind)

    @staticmethod
    def resolve_notice_title(obj: Any) -> str:
        """The notice's title."""
        return str(obj.notice.title)

    @staticmethod
    def resolve_record_id(obj: Any) -> int:
        """The selection record the notice belongs to."""
        return int(obj.notice.record_id)

    @staticmethod
    def resolve_record_title(obj: Any) -> str:
        """The record's title."""
        return str(obj.notice.record.title)

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        """The record's unit."""
        return str(obj.notice.record.unit.name)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The objection's kind in Chinese."""
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(obj.get_status_display())

    @staticmethod
    def resolve_resolved_by(obj: Any) -> str | None:
        """Who resolved it (display name), once resolved."""
        user = obj.resolved_by
        return None if user is None else str(user.display_name or user.username)


class ObjectionQuery(Schema):
    """Filter of the staff list."""

    status: StatusFilter = "all"


class ResolveIn(InputSchema):
    """How the objection was checked and concluded (the sender reads it with their code)."""

    resolution: Text5000
