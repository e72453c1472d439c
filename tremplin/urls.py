from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.device_check import device_check, upload_speed
from core.health import health
from core.private_media import serve_private_file
from core.resumable import UploadView

# Tremplin's pages, in the visitor's language (the 403/404/500 templates suffice for the rest).
handler400 = "core.error_pages.bad_request"

# Not translated: machines and the admin (which has its own language preference).
urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Private files (recordings, CVs): permission-checked; embedded in <video> and links.
    path("fichiers/<path:name>", serve_private_file, name="private_file"),
    # Resumable uploads (tus 1.0), named by their random key, for their owner only; apps
    # create them (core.resumable).
    path("envois/<uuid:key>/", UploadView.as_view(), name="resumable_upload"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.urls import re_path

    from media.views import serve_rendition

    # Renditions and posters with the year-long cache headers nginx gives them in production.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>media/(?:renditions|posters)/.+)$", serve_rendition
        ),
    ]
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# French at unprefixed URLs, English under /en/.
urlpatterns += i18n_patterns(
    path("compte/", include("accounts.urls")),
    # Camera, microphone and connection, before a mock interview or a visio appointment.
    path("verifier-mon-materiel/", device_check, name="device_check"),
    path("verifier-mon-materiel/debit/", upload_speed, name="device_upload_speed"),
    # Django tries the patterns in order: contact's first, since its "anything new?"
    # requests come every ten seconds from every open conversation. No two apps share
    # a path, so the order changes nothing else.
    path("", include("contact.urls")),
    path("", include("coaching.urls")),
    path("", include("courses.urls")),
    path("", include("ateliers.urls")),
    path("", include("interviews.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
