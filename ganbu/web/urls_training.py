"""Routes for 教育培训 (the ``training`` app): the plan, classes, coverage, hours, appointment training."""

from django.urls import path

from .views import training

urlpatterns = [
    path("training/", training.home, name="training-home"),
    path("training/programs/new/", training.program_create, name="training-program-create"),
    path("training/programs/<int:pk>/classes/new/", training.class_create, name="training-class-create"),
    path("training/classes/<int:pk>/", training.class_detail, name="training-class"),
    path("training/classes/<int:pk>/enroll/", training.class_enroll, name="training-enroll"),
    path("training/classes/<int:pk>/close/", training.class_close, name="training-close"),
    path("training/classes/<int:pk>/import/", training.attendance_upload, name="training-import"),
    path("training/enrollments/<int:pk>/attendance/", training.attendance, name="training-attendance"),
    path("training/coverage/", training.coverage, name="training-coverage"),
    path("training/hours/", training.hours, name="training-hours"),
    path("training/appointment/", training.appointment, name="training-appointment"),
]
