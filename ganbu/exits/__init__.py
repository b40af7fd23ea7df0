"""能上能下: the ways down and out of leadership (issue #4)."""
