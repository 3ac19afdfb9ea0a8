"""ListedCountry rows follow every write to the postings (PostgreSQL's triggers), and the
list's country filter, which reads them, finds exactly what the posting's own countries say."""

import itertools
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.facets import facets_invalidate
from jobs.models import JobPosting, ListedCountry, Status
from locales.models import Region
from tests.factories import (
    ExpiredPostingFactory,
    PendingPostingFactory,
    PublishedPostingFactory,
)

pytestmark = pytest.mark.django_db


def listed(posting) -> set[str]:
    return set(
        ListedCountry.objects.filter(posting_id=posting.pk).values_list("country", flat=True)
    )


def test_a_published_posting_is_listed_in_each_of_its_countries():
    posting = PublishedPostingFactory(countries=["BE", "FR"], workplace="hybrid")

    row = ListedCountry.objects.get(posting_id=posting.pk, country="BE")
    assert listed(posting) == {"BE", "FR"}
    assert (row.language, row.published_at, row.workplace, row.employment_type) == (
        posting.language,
        posting.published_at,
        "hybrid",
        posting.employment_type,
    )


def test_a_country_named_twice_is_listed_once():
    posting = PublishedPostingFactory(countries=["BE", "BE", "FR"])
    JobPosting.objects.filter(pk=posting.pk).update(countries=["NL", "NL"])

    assert ListedCountry.objects.filter(posting_id=posting.pk).count() == 1
    assert listed(posting) == {"NL"}


def test_only_published_postings_are_listed():
    draft = PendingPostingFactory(countries=["BE"])
    assert listed(draft) == set()

    JobPosting.objects.filter(pk=draft.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )
    assert listed(draft) == {"BE"}

    JobPosting.objects.filter(pk=draft.pk).update(status=Status.EXPIRED)
    assert listed(draft) == set()


def test_the_rows_follow_a_change_of_countries_and_of_what_they_repeat():
    posting = PublishedPostingFactory(countries=["BE"], seniority="")
    posting.countries = ["NL", "LU"]
    posting.seniority = "senior"
    posting.save()

    assert listed(posting) == {"NL", "LU"}
    assert set(
        ListedCountry.objects.filter(posting_id=posting.pk).values_list("seniority", flat=True)
    ) == {"senior"}


def test_bulk_writes_and_deletes_are_followed_too():
    postings = PublishedPostingFactory.create_batch(3, countries=["IE"])
    JobPosting.objects.filter(pk__in=[p.pk for p in postings]).update(countries=["PT", "ES"])
    assert all(listed(posting) == {"PT", "ES"} for posting in postings)

    JobPosting.objects.filter(pk=postings[0].pk).delete()
    assert listed(postings[0]) == set()
    assert ListedCountry.objects.count() == 4


def test_an_update_that_changes_nothing_listed_leaves_the_rows_alone():
    posting = PublishedPostingFactory(countries=["BE"])
    JobPosting.objects.filter(pk=posting.pk).update(review_reason="checked")

    assert listed(posting) == {"BE"}


def result_ids(client, url: str) -> set[int]:
    response = client.get(url)
    return {posting.pk for posting in response.context["postings"]}


def test_the_country_filter_finds_what_each_postings_countries_say(client):
    """Every combination of filters over a varied set of postings: the list shows exactly
    the open postings of the language that carry the country and pass the other filters."""
    rng = random.Random(3)
    region = Region.objects.get(code="dach")
    now = timezone.now()
    for index in range(60):
        language = rng.choice(["en", "en", "de"])
        kind = rng.choice(
            [PublishedPostingFactory, PublishedPostingFactory, ExpiredPostingFactory]
        )
        regional = index % 7 == 0
        kind(
            title=rng.choice(["Python developer", "Data engineer", "Nurse"]),
            language=language,
            countries=region.countries if regional else rng.sample(["DE", "AT", "BE", "US"], 2),
            region=region if regional else None,
            workplace=rng.choice(["onsite", "hybrid", "remote"]),
            employment_type=rng.choice(["full_time", "part_time"]),
            seniority=rng.choice(["", "junior", "senior"]),
            published_at=now - timedelta(days=rng.choice([0.2, 3, 20, 45]))
            if kind is PublishedPostingFactory
            else now - timedelta(days=70),
            hidden_at=now if index % 11 == 5 else None,
        )
    open_postings = list(JobPosting.objects.open())
    choices = itertools.product(
        ["DE", "AT", "US"],
        ["", "remote"],
        ["", "part_time"],
        ["", "senior"],
        ["", "7"],
        ["", "python"],
    )
    for country, workplace, kind, seniority, posted, q in choices:
        url = f"/en/?country={country}&workplace={workplace}&type={kind}&seniority={seniority}"
        url += f"&posted={posted}&q={q}&sort=newest"
        expected = {
            p.pk
            for p in open_postings
            if p.language == "en"
            and country in p.countries
            and workplace in ("", p.workplace)
            and kind in ("", p.employment_type)
            and seniority in ("", p.seniority)
            and (not posted or p.published_at >= now - timedelta(days=int(posted)))
            and (not q or "python" in p.title.lower())
        }
        assert result_ids(client, url) == expected, url


def test_the_rows_say_whether_the_posting_is_open():
    posting = PublishedPostingFactory(countries=["BE"])
    later = timezone.now() + timedelta(days=90)

    JobPosting.objects.filter(pk=posting.pk).update(hidden_at=timezone.now(), expires_at=later)

    row = ListedCountry.objects.get(posting_id=posting.pk)
    assert row.hidden_at is not None
    assert row.expires_at == later


def test_a_deep_page_of_a_country_list_reads_its_ids_from_the_rows(client, monkeypatch):
    """Past DEFERRED_FROM a country list skips to its page through the rows' index alone:
    the pages hold the same postings, in the same order, as the list's own query."""
    from jobs import pagination

    monkeypatch.setattr(pagination, "DEFERRED_FROM", 20)
    now = timezone.now()
    for index in range(70):
        PublishedPostingFactory(
            language="en",
            countries=["IE"] if index % 2 else ["IE", "GB"],
            workplace="remote" if index % 3 else "hybrid",
            published_at=now - timedelta(hours=index, minutes=index % 7),
            hidden_at=now if index % 9 == 4 else None,
        )
    ExpiredPostingFactory.create_batch(5, language="en", countries=["IE"])
    facets_invalidate()

    for query in ["country=IE", "country=IE&workplace=remote", "country=GB&posted=7"]:
        expected = [
            posting.pk
            for posting in JobPosting.objects.open()
            .filter(language="en", countries__contains=[query.split("&")[0][-2:]])
            .filter(**({"workplace": "remote"} if "remote" in query else {}))
            .order_by("-published_at", "-id")
        ]
        pages = [
            [p.pk for p in client.get(f"/en/?{query}&page={n}").context["postings"]]
            for n in range(1, (len(expected) + 19) // 20 + 1)
        ]
        assert [pk for page in pages for pk in page] == expected, query
        assert len(pages) > 1  # deep enough to read ids from the rows
