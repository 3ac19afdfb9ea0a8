from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from companies.auth import ThrottledAdminAuthenticationForm
from config.views import favicon, healthz, robots_txt, sitemap_index
from jobs.sitemaps import shared_sitemap, sitemaps

admin.site.site_header = _("Job board administration")
admin.site.site_title = _("Job board admin")
admin.site.index_title = _("Postings, companies and reports")
# Password guessing against admin is slowed down per IP and per username.
admin.site.login_form = ThrottledAdminAuthenticationForm

SITEMAPS = sitemaps()

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        shared_sitemap(sitemap_index),
        {"sitemaps": SITEMAPS},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        shared_sitemap(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(path("", include("jobs.urls")))

# Error pages in the site's style and the request's language (config/views.py).
handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
