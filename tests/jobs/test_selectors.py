"""Reads composed for the candidate pages and moderators (jobs.selectors)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.content import posting_content
from jobs.models import JobPosting, PostingRevision, RevisionState
from jobs.selectors import (
    company_languages,
    job_cards,
    job_detail,
    job_list,
    other_language_counts,
    posting_review_diff,
    similar_postings,
)
from tests.factories import (
    ExpiredPostingFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
)

pytestmark = pytest.mark.django_db


def test_the_list_query_built_once_judges_expiry_each_time_it_runs():
    posting = PublishedPostingFactory(language="en", expires_at=timezone.now() + timedelta(days=1))
    assert list(job_list(language="en")) == [posting]
    assert list(job_list(language="en").filter(pk=0)) == []  # a copy: the next starts afresh
    assert [row.pk for row in job_cards(language="en")] == [posting.pk]

    JobPosting.objects.filter(pk=posting.pk).update(
        published_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert list(job_list(language="en")) == []
    assert list(job_cards(language="en")) == []


def test_similar_postings_share_words_with_the_title_best_matches_first():
    viewed = PublishedPostingFactory(title="Senior data engineer")
    best = PublishedPostingFactory(title="Data engineer, senior")
    some = PublishedPostingFactory(title="Platform engineer")
    PublishedPostingFactory(title="Gardener")
    PublishedPostingFactory(title="Data engineer", language="de")
    ExpiredPostingFactory(title="Senior data engineer")

    similar = similar_postings(posting=viewed)

    assert [row.pk for row in similar] == [best.pk, some.pk]
    assert similar[0].company_name == best.company.name


def test_a_posting_page_reads_neither_the_source_nor_the_search_vector():
    posting = PublishedPostingFactory()

    shown = job_detail(posting.pk)

    assert shown.get_deferred_fields() == {"description", "search_vector"}
    assert shown.company.name == posting.company.name
    assert shown.region == posting.region
    assert job_detail(posting.pk + 1000) is None


def test_other_language_counts_count_each_language_s_matches():
    PublishedPostingFactory.create_batch(2, language="fr")
    PublishedPostingFactory(language="de")
    PostingFactory(language="es")  # a draft

    counts = other_language_counts(postings=JobPosting.objects.open())

    assert counts == {"fr": 2, "de": 1}


def test_a_company_s_languages_are_those_of_its_open_postings(company):
    PublishedPostingFactory(company=company, language="fr")
    PublishedPostingFactory(company=company, language="fr")
    PublishedPostingFactory(company=company, language="en")
    ExpiredPostingFactory(company=company, language="de")

    assert list(company_languages(company=company).items()) == [("en", 1), ("fr", 2)]


def test_a_first_submission_shows_every_filled_in_field():
    posting = PendingPostingFactory(title="Data engineer", location="")

    changes, is_first = posting_review_diff(posting)

    assert is_first
    names = {change.name for change in changes}
    assert "title" in names and "location" not in names
    title = next(change for change in changes if change.name == "title")
    assert (title.before, title.after) == ("—", "Data engineer")


def test_a_pending_edit_shows_what_changed_against_the_live_posting():
    posting = PublishedPostingFactory(title="Data engineer", workplace="remote")
    edit = {**posting_content(posting), "title": "Senior data engineer", "workplace": "hybrid"}
    PostingRevision.objects.create(posting=posting, data=edit, state=RevisionState.PENDING)

    changes, is_first = posting_review_diff(posting)

    assert not is_first
    assert [(change.name, change.before, change.after) for change in changes] == [
        ("title", "Data engineer", "Senior data engineer"),
        ("workplace", "Remote", "Hybrid"),
    ]
