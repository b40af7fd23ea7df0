"""考核: the REST operations of the ``assessment`` app."""

from ninja import Router

router = Router(tags=["考核"])
