"""Routes for login, dashboard, the cadre list and pages, self-service and the person picker."""

from django.urls import path

from .views import errors

urlpatterns = [
    path("", errors.not_found, name="dashboard"),
    path("login/", errors.not_found, name="login"),
    path("logout/", errors.not_found, name="logout"),
    path("cadres/", errors.not_found, name="cadre-list"),
    path("me/", errors.not_found, name="my-record"),
]
