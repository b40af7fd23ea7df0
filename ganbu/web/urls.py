"""Web UI routes: people (login, dashboard, cadres, self-service) and organisation (units,
documents, corrections, audit trail) live in two modules."""

from .urls_org import urlpatterns as org_urlpatterns
from .urls_people import urlpatterns as people_urlpatterns

app_name = "web"
urlpatterns = [*people_urlpatterns, *org_urlpatterns]
