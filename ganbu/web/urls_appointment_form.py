"""Routes for downloading the printable 干部任免审批表 (.docx / .pdf), one cadre's or a batch."""

from django.urls import path

from .views import appointment_form

urlpatterns = [
    path(
        "cadres/<int:pk>/appointment-form/",
        appointment_form.appointment_form,
        name="appointment-form",
    ),
    path(
        "cadres/appointment-forms/",
        appointment_form.appointment_form_batch,
        name="appointment-form-batch",
    ),
]
