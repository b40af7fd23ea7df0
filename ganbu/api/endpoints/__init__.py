"""Endpoint modules of the REST API, one router per area."""
