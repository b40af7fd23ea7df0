"""Response schemas of the rotation API (任期与交流): the due list and the terms ending soon.

Rule codes (ROT-07 …) and the full citation (with the catalogue's codes) are in the payload; the
pages show only the regulation in words.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class DueReasonOut(Schema):
    """One reason to rotate."""

    rule: str = Field(description="规则编号（ROT-07 等）")
    urgency: str = Field(description="must 必须交流 / should 应当交流")
    urgency_label: str
    since: dt.date = Field(description="达到年限（应交流）之日")
    message: str = Field(description="事实：任职起始、达到年限之日等")
    citation: str = Field(description="依据：法规和条款（含规则编号）")


class DueRowOut(Schema):
    """A cadre due to rotate."""

    cadre_id: int
    name: str
    unit_name: str
    posts: str = Field(description="现任职务")
    rank: str = Field(description="现任领导职务的职级")
    urgency: str
    urgency_label: str
    since: dt.date = Field(description="最早的应交流之日")
    reasons: list[DueReasonOut]


class DueListOut(Schema):
    """A slice of the due list (``offset``, ``limit``) with the total ``count``."""

    on: dt.date
    count: int
    items: list[DueRowOut]


class TermOut(Schema):
    """A leadership term ending soon."""

    cadre_id: int
    name: str
    unit_name: str
    post: str
    term_number: int = Field(description="第几个任期")
    term_start: dt.date
    full_on: dt.date = Field(description="届满日期（满5年之日）")


class TermListOut(Schema):
    """The terms full within ``months`` months, with the total ``count``."""

    on: dt.date
    months: int
    count: int
    items: list[TermOut]
