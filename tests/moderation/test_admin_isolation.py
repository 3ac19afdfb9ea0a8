"""Every URL Django admin exposes, for every registered model, walked as the recruiter of
another company: nothing of company A's may show, not even through "view on site"."""

import re
from http import HTTPStatus

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, reverse

from jobs.imports.models import ImportRun
from tests.test_admin_permissions import world  # noqa: F401 (the fixture)

SECRET = re.compile(r"acme", re.IGNORECASE)
# Parameters of admin's routes, and how to fill them from the object of a model.
OBJECT_PARAMETERS = re.compile(r"<(?:path:|int:)?(object_id|id)>")
SKIPPED = {"logout/"}  # logs the walker out (and is POST only)


def model_key(route: str) -> str:
    app_label, model_name = route.strip("/").split("/")
    return f"{app_label}.{model_name}"


def admin_urls(objects) -> list[tuple[str, bool]]:
    """(url, whether it names one of company A's objects) for every admin route."""
    urls: list[tuple[str, bool]] = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            route = str(pattern.pattern)
            obj = objects[model_key(route)]
            for sub in pattern.url_patterns:
                sub_route = str(sub.pattern)
                if sub_route.startswith("^"):
                    continue
                filled, count = OBJECT_PARAMETERS.subn(str(obj.pk), sub_route)
                assert "<" not in filled, f"unknown parameter in {route}{sub_route}"
                urls.append((f"/admin/{route}{filled}", bool(count)))
            continue
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if route in SKIPPED or "(?P<url>" in route:
            continue
        if route.startswith("^(?P<app_label>"):
            labels = route.removeprefix("^(?P<app_label>").split(")")[0]
            urls += [(f"/admin/{label}/", False) for label in labels.split("|")]
        elif route.startswith("r/"):
            for model, obj in objects.items():
                content_type = ContentType.objects.get_for_model(
                    admin.site._registry[obj_model(model)].model, for_concrete_model=False
                )
                urls.append((f"/admin/r/{content_type.pk}/{obj.pk}/", True))
        else:
            assert "<" not in route, route
            urls.append((f"/admin/{route}", False))
    return urls


def obj_model(key: str):
    return next(
        model
        for model in admin.site._registry
        if f"{model._meta.app_label}.{model._meta.model_name}" == key
    )


def test_another_company_s_recruiter_reaches_nothing_of_company_a(world, client):  # noqa: F811
    people, objects = world
    client.force_login(people["recruiter_b"])
    urls = admin_urls(objects)
    assert len(urls) > 100  # every model's every view, the shortcut for each
    runs = ImportRun.objects.count()

    for url, names_object in urls:
        # Admin's "<id>/" leads to "<id>/change/": followed, every hop checked. The shortcut
        # is not: its redirect to the object's page is the leak (the slug, the existence).
        response = client.get(url, follow=names_object and not url.startswith("/admin/r/"))
        if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:  # a POST-only door
            response = client.post(url)
        context = f"recruiter_b GET {url}: {response.status_code}"
        assert response.status_code < 500, context
        if names_object:
            # Refused: 403, 404, or (the import source's POST-only "run") sent to the index.
            refused = response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND) or (
                response.status_code == HTTPStatus.FOUND and response["Location"] == "/admin/"
            )
            assert refused, context
        hops = [location for location, _status in getattr(response, "redirect_chain", [])]
        for location in [*hops, response.get("Location", "")]:
            assert not SECRET.search(location), context
        assert not SECRET.search(response.content.decode(errors="replace")), context
    assert ImportRun.objects.count() == runs  # no POST-only door did anything


def test_the_shortcut_still_leads_a_company_s_recruiter_to_its_own_posting(world, client):  # noqa: F811
    people, objects = world
    draft = objects["jobs.jobposting"]
    client.force_login(people["recruiter_a"])
    content_type = ContentType.objects.get_for_model(draft)

    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, draft.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith(draft.get_absolute_url())


def test_the_shortcut_refuses_a_model_without_an_admin(world, client):  # noqa: F811
    from django.contrib.auth.models import Permission

    people, _objects = world
    permission = Permission.objects.first()
    client.force_login(people["superuser"])
    content_type = ContentType.objects.get_for_model(Permission)

    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, permission.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
