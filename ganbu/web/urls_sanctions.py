"""Routes for 处分: the county register of sanctions and 诫勉, and one sanction with its follow-up."""

from django.urls import path

from .views import sanctions

urlpatterns = [
    path("sanctions/", sanctions.sanction_list, name="sanction-list"),
    path("sanctions/<int:pk>/", sanctions.sanction_detail, name="sanction-detail"),
]
