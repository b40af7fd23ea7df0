"""Routes for user management (the system administrator) and changing one's own password."""

from django.urls import path

from .views import users

urlpatterns = [
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/<int:pk>/", users.user_detail, name="user-detail"),
    path("users/<int:pk>/password/", users.user_password, name="user-password"),
    path("users/<int:pk>/active/", users.user_active, name="user-active"),
    path("users/<int:pk>/unlock/", users.user_unlock, name="user-unlock"),
    path("users/<int:pk>/2fa-reset/", users.user_otp_reset, name="user-otp-reset"),
    path("users/pickers/units/", users.picker_units, name="user-picker-units"),
    path("me/password/", users.my_password, name="my-password"),
]
