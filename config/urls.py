"""Top-level URL map: the web UI at /, the REST API at /api/v1/, the read-only admin at /admin/.

The admin is the project's own site (``ganbu.accounts.admin``): login security records only, no
personal records, for the system administrator role.
"""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from ganbu.accounts.admin import admin_site
from ganbu.api.urls import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
    path("", include("ganbu.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "ganbu.web.views.errors.not_found"
handler500 = "ganbu.web.views.errors.server_error"
handler403 = "ganbu.web.views.errors.forbidden"
