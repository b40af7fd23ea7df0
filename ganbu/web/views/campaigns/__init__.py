"""The staff pages of competitive selection campaigns (竞争性选拔: 公开选拔、竞争上岗、联合公选), by topic.

One campaign has one page per part of its work — the announcement and posts (``overview``), the
applications (``applications``), the qualification review (``review``), the scores, the stages and
the interview panels (``scoring``), the ranking and the statistics (``results``) — and each shows
only the forms the campaign's status allows to those who run it. Every form posts to a view that
parses it, calls one service and redirects; a refusal re-renders the page with the service's Chinese
messages on that form, status 400, and nothing written. A campaign outside the user's scope does not
exist for them (404). What the pages share (the tabs, the moves, the page frame) is ``common``.
"""

from .applications import (
    application_action,
    application_bulk,
    application_detail,
    application_list,
    application_new,
)
from .common import MOVES, NEXT_MOVE, TABS
from .overview import campaign_create, campaign_detail, campaign_list, campaign_move, campaign_post_add
from .results import decide, hand_over, ranking, reserve, statistics
from .review import identity_resolve, review_list
from .scoring import (
    panel_create,
    panel_lock,
    panels,
    score_set,
    scores,
    scores_from_ballot,
    stage_advance,
    stages,
)

__all__ = [
    "MOVES",
    "NEXT_MOVE",
    "TABS",
    "application_action",
    "application_bulk",
    "application_detail",
    "application_list",
    "application_new",
    "campaign_create",
    "campaign_detail",
    "campaign_list",
    "campaign_move",
    "campaign_post_add",
    "decide",
    "hand_over",
    "identity_resolve",
    "panel_create",
    "panel_lock",
    "panels",
    "ranking",
    "reserve",
    "review_list",
    "score_set",
    "scores",
    "scores_from_ballot",
    "stage_advance",
    "stages",
    "statistics",
]
