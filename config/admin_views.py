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
from django.http import Http404


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
