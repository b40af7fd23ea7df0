"""The REST API (django-ninja) mounted at /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(title="Ganbu API", version="1", urls_namespace="api")
