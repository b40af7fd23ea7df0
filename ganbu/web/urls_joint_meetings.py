"""Routes for 联席会议 (the ``joint_meetings`` app): the list, planning, a meeting's page and its forms."""

from django.urls import path

from .views import joint_meetings as views

urlpatterns = [
    path("joint-meetings/", views.meeting_list, name="joint-meeting-list"),
    path("joint-meetings/new/", views.meeting_create, name="joint-meeting-create"),
    path("joint-meetings/<int:pk>/", views.meeting_detail, name="joint-meeting-detail"),
    path("joint-meetings/<int:pk>/members/", views.member_add, name="joint-meeting-member-add"),
    path(
        "joint-meetings/<int:pk>/members/<int:member_id>/remove/",
        views.member_remove,
        name="joint-meeting-member-remove",
    ),
    path("joint-meetings/<int:pk>/agenda/", views.agenda_add, name="joint-meeting-agenda-add"),
    path(
        "joint-meetings/<int:pk>/agenda/<int:item_id>/remove/",
        views.agenda_remove,
        name="joint-meeting-agenda-remove",
    ),
    path("joint-meetings/<int:pk>/findings/", views.finding_add, name="joint-meeting-finding-add"),
    path(
        "joint-meetings/<int:pk>/findings/<int:finding_id>/remove/",
        views.finding_remove,
        name="joint-meeting-finding-remove",
    ),
    path("joint-meetings/<int:pk>/held/", views.meeting_held, name="joint-meeting-held"),
    path("joint-meetings/<int:pk>/minutes/", views.minutes_settle, name="joint-meeting-minutes"),
    path("joint-meetings/<int:pk>/follow-ups/", views.follow_up_add, name="joint-meeting-follow-up-add"),
    path(
        "joint-meetings/<int:pk>/follow-ups/<int:follow_up_id>/done/",
        views.follow_up_done,
        name="joint-meeting-follow-up-done",
    ),
]
