"""Fixtures for team-structure tests: the two teams of ``scene``."""

from .scene import teams

__all__ = ["teams"]
