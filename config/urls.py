"""Top-level URL map: the web UI at /, the REST API at /api/v1/, the read-only admin at /admin/."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from ganbu.api.urls import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("ganbu.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "ganbu.web.views.errors.not_found"
handler500 = "ganbu.web.views.errors.server_error"
handler403 = "ganbu.web.views.errors.forbidden"
