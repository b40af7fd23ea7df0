"""联席会议: the REST operations of the ``joint_meetings`` app."""

from ninja import Router

router = Router(tags=["联席会议"])
