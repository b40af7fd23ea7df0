"""Login and logout (Chinese pages; django-axes locks a username after 5 wrong passwords)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ..forms_people import LoginForm


class LoginView(auth_views.LoginView):
    """The login page; a logged-in user is sent on to the dashboard (or ``next``)."""

    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logout by POST only (Django 5), so a link or an image cannot log a user out."""


login = LoginView.as_view()
logout = LogoutView.as_view()
