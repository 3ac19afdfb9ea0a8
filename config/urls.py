from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from companies.auth import ThrottledAdminAuthenticationForm
from config.views import favicon, healthz

admin.site.site_header = _("Job board administration")
admin.site.site_title = _("Job board admin")
admin.site.index_title = _("Postings, companies and reports")
# Password guessing against admin is slowed down per IP and per username.
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(path("", include("jobs.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
