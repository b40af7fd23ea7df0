"""Routes of the appointment procedure: records, one record and its step actions, opinion answers."""

from django.urls import path

from .views import selection

urlpatterns = [
    path("selection/", selection.record_list, name="selection-list"),
    path("selection/new/", selection.record_create, name="selection-create"),
    path("selection/<int:pk>/", selection.record_detail, name="selection-detail"),
    path("selection/<int:pk>/do/<str:action>/", selection.record_action, name="selection-action"),
    path("opinions/", selection.opinion_inbox, name="opinion-inbox"),
    path("opinions/<int:pk>/", selection.opinion_answer, name="opinion-answer"),
]
