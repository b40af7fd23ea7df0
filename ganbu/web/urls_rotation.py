"""Routes for 任期与交流 (``ganbu.rotation``): the rotation due list and the terms ending soon."""

from django.urls import path

from .views import rotation

urlpatterns = [
    path("rotation/due/", rotation.due_list, name="rotation-due"),
    path("rotation/terms/", rotation.term_list, name="rotation-terms"),
]
