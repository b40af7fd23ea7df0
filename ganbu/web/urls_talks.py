"""Routes for 谈话 (the ``talks`` app): the list, a form per kind, a talk's detail (answer, held)."""

from django.urls import path

from .views import talks

urlpatterns = [
    path("talks/", talks.talk_list, name="talk-list"),
    path("talks/new/<str:kind>/", talks.talk_create, name="talk-create"),
    path("talks/<int:pk>/", talks.talk_detail, name="talk-detail"),
]
