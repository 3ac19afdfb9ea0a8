"""Admin's "view on site" shortcut, confined to what the user may see in admin.

Django's own (`/admin/r/<content type>/<id>/`) looks the object up with the model's default
manager and redirects any staff user to its public URL: another company's confidential draft,
slug and all. This one asks the model's ModelAdmin: its (company-scoped) queryset and its view
permission. An object the user may not see there does not exist here either.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from companies.services import profile_set_language


def view_on_site(request, content_type_id, object_id):
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ContentType.DoesNotExist, ValueError):
        raise Http404 from None
    model = content_type.model_class()
    model_admin = admin.site._registry.get(model) if model is not None else None
    if model_admin is None:
        raise Http404
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)


@require_POST
def admin_language(request):
    """The language switch in admin's user tools: the staff user's profile language, which
    admin and their emails use from the next page on (companies.middleware). Sending the same
    choice twice, or two tabs choosing at once, leaves one language: the last one chosen."""
    try:
        profile_set_language(user=request.user, language=request.POST.get("language", ""))
    except ValidationError:
        return HttpResponseBadRequest()
    following = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        following = reverse("admin:index")
    return HttpResponseRedirect(following)
