from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.health import health

# Not translated: machines and the admin (which has its own language preference).
urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# French at unprefixed URLs, English under /en/.
urlpatterns += i18n_patterns(
    path("compte/", include("accounts.urls")),
    path("", include("coaching.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
