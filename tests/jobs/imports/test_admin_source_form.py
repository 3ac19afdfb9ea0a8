"""Moderators read import sources and runs; a source's feed URL is checked when it is saved."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from jobs.imports.models import ImportRun, ImportSource
from jobs.imports.services import import_source_save
from tests.factories import ModeratorFactory, RecruiterFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


def source_form(url: str) -> dict:
    return {
        "name": "Local board",
        "url": url,
        "format": "auto",
        "active": "on",
        "default_language": "",
        "expire_after_missed_runs": "3",
    }


@pytest.fixture
def source():
    source = import_source_save(
        source=ImportSource(name="Acme feed", url="https://127.0.0.1/feed.json")
    )
    ImportRun.objects.create(source=source, source_name=source.name, location=source.url)
    return source


def test_moderators_read_sources_and_runs_but_change_nothing(client, source):
    client.force_login(ModeratorFactory(language="en"))
    run = ImportRun.objects.get()

    index = client.get(reverse("admin:index"))
    sources = client.get(reverse("admin:jobs_importsource_changelist"))
    page = client.get(reverse("admin:jobs_importsource_change", args=[source.pk]))
    run_page = client.get(reverse("admin:jobs_importrun_change", args=[run.pk]))
    edit = client.post(
        reverse("admin:jobs_importsource_change", args=[source.pk]),
        source_form("https://127.0.0.1/other.json"),
    )
    run_now = client.post(reverse("admin:jobs_importsource_run", args=[source.pk]))

    assert reverse("admin:jobs_importsource_changelist") in index.content.decode()
    assert sources.status_code == HTTPStatus.OK
    assert "Acme feed" in sources.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert 'name="url"' not in page.content.decode()  # read only
    assert run_page.status_code == HTTPStatus.OK
    assert edit.status_code == HTTPStatus.FORBIDDEN
    assert run_now.status_code == HTTPStatus.FOUND
    source.refresh_from_db()
    assert source.url == "https://127.0.0.1/feed.json"
    assert ImportRun.objects.count() == 1


def test_recruiters_see_no_import_sources(client, source):
    client.force_login(RecruiterFactory(language="en"))

    response = client.get(reverse("admin:jobs_importsource_changelist"))

    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (
            "ftp://127.0.0.1/feed.xml",
            "Only http and https URLs may be fetched: ftp://127.0.0.1/feed.xml.",
        ),
        ("http://10.0.0.7/feed.xml", "10.0.0.7 resolves to a private or local address."),
        ("https://feed.example.invalid/jobs.xml", "feed.example.invalid cannot be resolved."),
    ],
)
def test_a_feed_url_that_cannot_be_fetched_is_refused_when_the_source_is_saved(client, url, error):
    client.force_login(SuperuserFactory())

    response = client.post(reverse("admin:jobs_importsource_add"), source_form(url))

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["url"] == [error]
    assert not ImportSource.objects.exists()


def test_a_fetchable_feed_url_is_saved(client, feed_server):
    client.force_login(SuperuserFactory())

    response = client.post(
        reverse("admin:jobs_importsource_add"), source_form(feed_server.url("/feed.json"))
    )

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    assert ImportSource.objects.get().url == feed_server.url("/feed.json")
