"""谈话: the REST operations of the ``talks`` app."""

from ninja import Router

router = Router(tags=["谈话"])
