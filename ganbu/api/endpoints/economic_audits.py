"""经济责任审计: the REST operations of the ``economic_audits`` app."""

from ninja import Router

router = Router(tags=["经济责任审计"])
