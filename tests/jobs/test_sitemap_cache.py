"""Sitemaps come from the shared cache under the pages' generation (issue 20, finding 4).

A section of a large board took seconds and megabytes to build on every request, and three
crawlers slowed every page down. Now a section is built once, served from the cache to every
reader, and retired with the candidate pages by any change to the postings; it is built
again within the hour.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from config import deploy
from jobs.services.postings import posting_publish
from jobs.sitemaps import SITEMAP_FRESH_SECONDS
from tests.factories import PostingFactory, PublishedPostingFactory, UserFactory
from tests.jobs.test_caching import cache_keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.JOBS_PAGE_CACHE_SECONDS = 300


def test_a_cached_section_runs_no_query(client, django_assert_num_queries):
    PublishedPostingFactory.create_batch(3, language="fr")
    first = client.get("/sitemap-postings-fr.xml")
    index = client.get("/sitemap.xml")

    with django_assert_num_queries(0):
        again = client.get("/sitemap-postings-fr.xml")
        index_again = client.get("/sitemap.xml")

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert index_again.content == index.content
    assert again["Content-Type"].startswith("application/xml")


def test_a_published_posting_joins_the_cached_section_at_once(
    client, django_capture_on_commit_callbacks
):
    PublishedPostingFactory(language="fr")
    draft = PostingFactory(language="fr")
    assert draft.get_absolute_url().encode() not in client.get("/sitemap-postings-fr.xml").content

    with django_capture_on_commit_callbacks(execute=True):
        posting_publish(posting=draft, actor=UserFactory(is_superuser=True))

    assert draft.get_absolute_url().encode() in client.get("/sitemap-postings-fr.xml").content


def test_a_section_is_built_again_within_the_hour(client):
    """Not at every expiry (a posting expires every few seconds on a large board): within
    SITEMAP_FRESH_SECONDS, and at once after any change to the postings."""
    PublishedPostingFactory(language="de", expires_at=timezone.now() + timedelta(minutes=2))

    client.get("/sitemap-postings-de.xml")

    [(_generation, fresh_until, _page)] = list(_entries())
    assert time.time() + 50 * 60 < fresh_until <= time.time() + SITEMAP_FRESH_SECONDS


def test_unknown_parameters_share_the_sections_entry(client):
    PublishedPostingFactory(language="fr")
    for number in range(5):
        client.get(f"/sitemap-postings-fr.xml?x={number}")

    assert len(list(_entries())) == 1


def _entries():
    from django.core.cache import cache

    for key in cache_keys(f"jobs:{deploy.deploy_version()}:page:"):
        yield cache.get(key)
