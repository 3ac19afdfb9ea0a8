from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from companies.accounts import EmailLoginForm, StaffPasswordResetForm
from config import admin_views
from config.views import favicon, healthz, robots_txt, sitemap_index
from jobs.indexing.views import indexnow_key
from jobs.sitemaps import shared_sitemap, sitemaps

admin.site.site_header = _("Job board administration")
admin.site.site_title = _("Job board admin")
admin.site.index_title = _("Postings, companies and reports")
# Password guessing against admin is slowed down per IP and per username.
admin.site.login_form = EmailLoginForm

SITEMAPS = sitemaps()
# What admin's own templates of the password reset pages expect of the admin site.
ADMIN_CONTEXT = {
    "site_header": admin.site.site_header,
    "site_title": admin.site.site_title,
    "has_permission": False,
}

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
    # Before admin's own: its "view on site" shortcut, through each model's scoped admin.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_views.view_on_site),
        name="admin_view_on_site",
    ),
    # The language switch of admin's user tools.
    path(
        "admin/language/",
        admin.site.admin_view(admin_views.admin_language),
        name="admin_language",
    ),
    # A forgotten (or never set) password, linked from admin's login page by its name.
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=StaffPasswordResetForm, extra_context=ADMIN_CONTEXT
        ),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=ADMIN_CONTEXT),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_CONTEXT),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_CONTEXT),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    re_path(r"^(?P<key>[A-Za-z0-9-]{8,128})\.txt$", indexnow_key, name="indexnow_key"),
]
urlpatterns += i18n_patterns(path("", include("jobs.urls")))

# Error pages in the site's style and the request's language (config/views.py).
handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
