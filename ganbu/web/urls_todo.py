"""Routes for the to-do page and the user's notifications."""

from django.urls import path

from .views import notifications

urlpatterns = [
    path("todo/", notifications.todo_list, name="todo-list"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification-read-all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
]
