"""Per-language feeds: the same job in German and English is two postings, linked."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jobs.imports.models import PostingSource
from jobs.models import JobPosting
from tests.factories import PublishedPostingFactory, RecruiterFactory
from tests.jobs.imports.helpers import fixture
from tests.jobs.imports.test_command import import_jobs, summary
from tests.racing import AdminSession, plain_http_cookies, race  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

GERMAN = fixture("versions/personio_de.xml")
ENGLISH = fixture("versions/personio_en.xml")


def test_one_position_id_in_two_language_feeds_is_two_linked_postings(client):
    german_run = import_jobs(GERMAN, "--source-name", "Kranich", "--publish")
    english_run = import_jobs(ENGLISH, "--source-name", "Kranich", "--publish")

    assert summary(german_run)["created"] == 1
    assert summary(english_run)["created"] == 1
    german = JobPosting.objects.get(language="de")
    english = JobPosting.objects.get(language="en")
    assert german.external_id == english.external_id == "2207001"
    assert german.translation_group == english.translation_group is not None
    assert set(PostingSource.objects.values_list("language", flat=True)) == {"de", "en"}
    # Personio's structured salary, in both
    for posting in (german, english):
        assert (posting.salary_min, posting.salary_max) == (Decimal(42000), Decimal(48000))
        assert (posting.salary_currency, posting.salary_period) == ("EUR", "year")

    # Personio's XML has no apply link: both wait for a moderator, who publishes them
    assert {german.status, english.status} == {"pending"}
    JobPosting.objects.update(status="published", published_at=timezone.now())
    page = client.get(english.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert f'href="{german.get_absolute_url()}" hreflang="de"' in page.content.decode()

    # each feed again: nothing changes, neither version overwrites the other
    assert summary(import_jobs(GERMAN, "--source-name", "Kranich", "--publish"))["unchanged"] == 1
    assert summary(import_jobs(ENGLISH, "--source-name", "Kranich", "--publish"))["unchanged"] == 1
    assert JobPosting.objects.count() == 2
    german.refresh_from_db()
    assert german.title.startswith("Disponent")


def test_versions_from_two_sources_of_one_company_meet(client):
    import_jobs(GERMAN, "--source-name", "Kranich DE", "--publish")
    import_jobs(ENGLISH, "--source-name", "Kranich EN", "--publish")

    groups = set(JobPosting.objects.values_list("translation_group", flat=True))
    assert len(groups) == 1 and None not in groups


# --- What a person linked wins over the feed ------------------------------------------------


def versions_url(posting) -> str:
    return reverse("admin:jobs_jobposting_versions", args=[posting.pk])


def changed_feeds(tmp_path, salary: int) -> list:
    """Both feeds with a new top salary: normalised and written again, not just seen."""
    paths = []
    for original in (GERMAN, ENGLISH):
        path = tmp_path / f"{salary}-{original.name}"
        path.write_text(original.read_text().replace("<max>48000</max>", f"<max>{salary}</max>"))
        paths.append(path)
    return paths


def import_both(paths) -> None:
    for path in paths:
        assert summary(import_jobs(path, "--source-name", "Kranich"))["updated"] == 1


def test_a_recruiter_s_links_survive_the_feed_s_key(client, tmp_path):
    import_jobs(GERMAN, "--source-name", "Kranich")
    import_jobs(ENGLISH, "--source-name", "Kranich")
    german = JobPosting.objects.get(language="de")
    english = JobPosting.objects.get(language="en")
    feed_group = german.translation_group
    french = PublishedPostingFactory(company=german.company, language="fr")
    client.force_login(RecruiterFactory(company=german.company, language="en"))

    # The recruiter takes the English version out, and links it with a French one instead.
    assert client.post(versions_url(english), {"_unlink": "1"}).status_code == HTTPStatus.FOUND
    linked = client.post(versions_url(french), {"version_of": english.pk})
    assert linked.status_code == HTTPStatus.FOUND
    english.refresh_from_db()
    assert english.translation_group_manual and english.translation_group != feed_group
    by_hand = english.translation_group

    import_both(changed_feeds(tmp_path, 49000))

    english.refresh_from_db()
    german.refresh_from_db()
    assert english.salary_max == 49000  # the feed's content, still
    assert english.translation_group == by_hand  # the recruiter's links
    assert german.translation_group == feed_group and not german.translation_group_manual
    french.refresh_from_db()
    assert french.translation_group == by_hand


def test_versions_nobody_linked_are_grouped_by_the_feed_on_reimport(tmp_path):
    import_jobs(GERMAN, "--source-name", "Kranich")
    import_jobs(ENGLISH, "--source-name", "Kranich")
    # As imported before versions existed: no group, set by no one.
    JobPosting.objects.update(translation_group=None)

    import_both(changed_feeds(tmp_path, 49000))

    groups = set(JobPosting.objects.values_list("translation_group", flat=True))
    assert len(groups) == 1 and None not in groups


def test_an_unlink_sent_twice_is_one_unlink_that_the_feed_keeps(client, tmp_path):
    import_jobs(GERMAN, "--source-name", "Kranich")
    import_jobs(ENGLISH, "--source-name", "Kranich")
    english = JobPosting.objects.get(language="en")
    client.force_login(RecruiterFactory(company=english.company, language="en"))

    first = client.post(versions_url(english), {"_unlink": "1"})
    second = client.post(versions_url(english), {"_unlink": "1"})

    assert first.status_code == second.status_code == HTTPStatus.FOUND
    import_both(changed_feeds(tmp_path, 49000))
    english.refresh_from_db()
    assert (english.translation_group, english.translation_group_manual) == (None, True)
    assert JobPosting.objects.get(language="de").translation_group is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_http_cookies")
def test_a_recruiter_unlinking_while_an_import_runs_wins(live_server, tmp_path):
    import_jobs(GERMAN, "--source-name", "Kranich")
    import_jobs(ENGLISH, "--source-name", "Kranich")
    english = JobPosting.objects.get(language="en")
    session = AdminSession(live_server.url, RecruiterFactory(company=english.company))
    url = versions_url(english)
    values = session.form_values(session.open(url), "versions-unlink-form")
    feed = changed_feeds(tmp_path, 49000)[1]

    def run_import() -> str:
        try:
            return summary(import_jobs(feed, "--source-name", "Kranich"))
        finally:
            connection.close()

    unlinked, imported = race(lambda: session.submit(url, values, _unlink="1"), run_import)

    assert unlinked.status_code == HTTPStatus.FOUND, unlinked
    assert imported["updated"] == 1, imported
    english.refresh_from_db()
    assert english.salary_max == 49000
    assert (english.translation_group, english.translation_group_manual) == (None, True)
    # and the next change of the feed does not link it again
    assert (
        summary(import_jobs(changed_feeds(tmp_path, 50000)[1], "--source-name", "Kranich"))[
            "updated"
        ]
        == 1
    )
    english.refresh_from_db()
    assert english.translation_group is None
    session.close()
