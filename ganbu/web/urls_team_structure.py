"""Routes for 班子结构 (``ganbu.team_structure``): the county overview, one team, the what-if."""

from django.urls import path

from .views import team_structure

urlpatterns = [
    path("team-structure/", team_structure.team_list, name="team-structure-list"),
    path("team-structure/what-if/", team_structure.what_if, name="team-structure-what-if"),
    path("team-structure/<int:unit_id>/", team_structure.team_detail, name="team-structure-detail"),
]
