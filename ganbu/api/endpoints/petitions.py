"""信访举报: the REST operations of the ``petitions`` app."""

from ninja import Router

router = Router(tags=["信访举报"])
