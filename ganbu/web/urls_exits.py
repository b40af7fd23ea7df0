"""Routes for 能上能下: exits and due lists, the form per exit kind, incompetence cases, proceedings."""

from django.urls import path

from .views import exits

urlpatterns = [
    path("exits/", exits.exit_home, name="exit-home"),
    path("exits/<int:pk>/", exits.exit_detail, name="exit-detail"),
    path("exits/new/<str:kind>/", exits.exit_create, name="exit-create"),
    path("exits/cases/", exits.case_list, name="exit-case-list"),
    path("exits/cases/<int:pk>/", exits.case_detail, name="exit-case-detail"),
    path("exits/proceedings/", exits.proceeding_list, name="exit-proceedings"),
    path("exits/proceedings/<int:pk>/close/", exits.proceeding_close, name="exit-proceeding-close"),
]
