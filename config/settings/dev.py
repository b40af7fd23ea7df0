"""Local settings for `make run`: the embedded SQLite database under ./var."""

from .base import *  # noqa: F403
