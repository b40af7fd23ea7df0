"""Web UI routes: people (login, dashboard, cadres, self-service), organisation (units,
documents, corrections, audit trail) and voting (ballots, the voter page) live in three modules."""

from .urls_org import urlpatterns as org_urlpatterns
from .urls_people import urlpatterns as people_urlpatterns
from .urls_voting import urlpatterns as voting_urlpatterns

app_name = "web"
urlpatterns = [*people_urlpatterns, *org_urlpatterns, *voting_urlpatterns]
