from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jobs import facets
from jobs.facets import facets_invalidate
from tests.factories import (
    CompanyFactory,
    ExpiredPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
)

pytestmark = pytest.mark.django_db


def list_url(language: str) -> str:
    with translation.override(language):
        return reverse("jobs:job_list")


def test_root_redirects_to_the_language_the_browser_prefers(client):
    response = client.get("/", headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/de/"


def test_root_falls_back_to_english(client):
    response = client.get("/", headers={"accept-language": "ja"})

    assert response["Location"] == "/en/"


def test_list_shows_only_open_postings_in_its_language(client):
    english = PublishedPostingFactory(language="en", title="Data Engineer")
    PublishedPostingFactory(language="fr", title="Ingénieure données")
    PostingFactory(language="en", title="Draft Engineer")
    ExpiredPostingFactory(language="en", title="Expired Engineer")

    response = client.get(list_url("en"))

    assert response.status_code == HTTPStatus.OK
    assert [posting.pk for posting in response.context["postings"]] == [english.pk]
    html = response.content.decode()
    assert f'<article class="job-card" lang="en" data-job-id="{english.pk}">' in html
    assert f'href="{english.get_absolute_url()}"' in html
    assert '<html lang="en">' in html


def test_brazilian_version_declares_its_html_language(client):
    response = client.get(list_url("pt-br"))

    assert '<html lang="pt-BR">' in response.content.decode()


def test_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    PublishedPostingFactory.create_batch(3, language="en")
    client.get(list_url("en"))  # warm the session and any lazy setup

    PublishedPostingFactory.create_batch(15, language="en")
    facets_invalidate()
    client.get(list_url("en"))  # the facets, cached again
    # only the page of postings with their companies and regions: the total comes from the
    # facet counts (jobs.pagination)
    with django_assert_num_queries(1):
        response = client.get(list_url("en"))
    assert len(response.context["postings"]) == 18
    assert response.context["paginator"].count == 18


def test_posting_page_shows_the_posting(client):
    posting = PublishedPostingFactory(
        language="en",
        title="Senior Backend Engineer",
        source_name="LinkedIn",
        salary_min=8000,
        salary_max=8000,
        salary_currency="USD",
        salary_period="month",
        apply_url="https://jobs.example/apply/1",
    )

    response = client.get(posting.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h1>Senior Backend Engineer</h1>" in html
    assert "Originally published on LinkedIn" in html
    assert "$8,000 per month" in html
    assert 'rel="noopener noreferrer"' in html
    assert '<link rel="canonical" href="http://testserver' in html


def test_posting_page_runs_two_queries(client, django_assert_num_queries):
    posting = PublishedPostingFactory(language="en")
    PublishedPostingFactory.create_batch(5, language="en")
    facets.facets(language="en")  # as a server that has served a while has them

    # the posting with its company and region, then the similar postings
    with django_assert_num_queries(2):
        response = client.get(posting.get_absolute_url())
    assert len(response.context["similar"]) == 4


def test_posting_source_is_named_in_the_page_s_language(client):
    posting = PublishedPostingFactory(language="pt-br", source_name="LinkedIn")

    response = client.get(posting.get_absolute_url())

    assert "Vaga originalmente publicada em LinkedIn" in response.content.decode()


def test_posting_under_another_language_redirects_to_its_own(client):
    posting = PublishedPostingFactory(language="fr")
    with translation.override("de"):
        foreign = reverse("jobs:job_detail", kwargs={"pk": posting.pk, "slug": posting.slug})

    response = client.get(foreign)

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == posting.get_absolute_url()
    assert response["Location"].startswith("/fr/")


def test_posting_with_an_old_slug_redirects_to_the_current_one(client):
    posting = PublishedPostingFactory(language="en")

    response = client.get(f"/en/jobs/{posting.pk}/an-old-title/")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == posting.get_absolute_url()


def test_unpublished_posting_is_not_found(client):
    draft = PostingFactory(language="en")

    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_unknown_language_prefix_is_not_found(client):
    assert client.get("/it/").status_code == HTTPStatus.NOT_FOUND


def test_page_past_the_end_is_not_found(client):
    PublishedPostingFactory(language="en")

    assert client.get(list_url("en") + "?page=9").status_code == HTTPStatus.NOT_FOUND
    assert client.get(list_url("en") + "?page=abc").status_code == HTTPStatus.NOT_FOUND


def test_similar_postings_are_looked_for_among_the_newest(client, monkeypatch):
    monkeypatch.setattr(facets, "SIMILAR_SCAN", 3)
    now = timezone.now()
    old = PublishedPostingFactory(
        language="de", title="Backend Engineer", published_at=now - timedelta(days=9)
    )
    PublishedPostingFactory.create_batch(
        3, language="de", title="Buchhalter", published_at=now - timedelta(days=1)
    )
    viewed = PublishedPostingFactory(language="de", title="Backend Engineer")
    facets.facets_invalidate()

    # The older match is not among the three newest postings: not looked for.
    assert client.get(viewed.get_absolute_url()).context["similar"] == []

    monkeypatch.setattr(facets, "SIMILAR_SCAN", 10)
    facets.facets_invalidate()
    similar = client.get(viewed.get_absolute_url()).context["similar"]
    assert [posting.pk for posting in similar] == [old.pk]


def test_similar_postings_put_the_best_match_first_then_the_newest(client):
    now = timezone.now()
    viewed = PublishedPostingFactory(language="en", title="Senior Python Engineer")

    def posting(title, days_ago):
        published_at = now - timedelta(days=days_ago)
        return PublishedPostingFactory(language="en", title=title, published_at=published_at)

    one_word_old = posting("Python Tutor", 5)
    three_words = posting("Senior Python Engineer", 4)
    one_word_new = posting("Python Tutor", 2)
    two_words = posting("Python Engineer", 3)
    posting("Office Manager", 1)

    similar = client.get(viewed.get_absolute_url()).context["similar"]

    assert [row.pk for row in similar] == [
        three_words.pk, two_words.pk, one_word_new.pk, one_word_old.pk
    ]  # fmt: skip


def test_expired_posting_is_gone_with_a_notice_and_similar_open_postings(client):
    expired = ExpiredPostingFactory(language="en", title="Backend Engineer")
    similar = PublishedPostingFactory(language="en", title="Senior Backend Engineer")
    PublishedPostingFactory(language="en", title="Office Manager")

    response = client.get(expired.get_absolute_url())

    assert response.status_code == HTTPStatus.GONE
    html = response.content.decode()
    assert "This position is no longer open" in html
    assert '<meta name="robots" content="noindex">' in html
    assert [posting.pk for posting in response.context["similar"]] == [similar.pk]
    assert similar.get_absolute_url() in html
    assert "Apply" not in html


def test_posting_marked_expired_is_gone_too(client):
    posting = PublishedPostingFactory(language="en", status="expired")

    assert client.get(posting.get_absolute_url()).status_code == HTTPStatus.GONE


def test_company_page_lists_its_open_postings_in_the_page_s_language(client):
    company = CompanyFactory(slug="acme", name="Acme", description="We make anvils.")
    english = PublishedPostingFactory(language="en", company=company)
    PublishedPostingFactory(language="fr", company=company)
    ExpiredPostingFactory(language="en", company=company)
    PublishedPostingFactory(language="en")

    response = client.get("/en/companies/acme/")

    assert response.status_code == HTTPStatus.OK
    assert [posting.pk for posting in response.context["postings"]] == [english.pk]
    html = response.content.decode()
    assert "<h1>Acme</h1>" in html
    assert "We make anvils." in html
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links["fr"] == "/fr/companies/acme/"


def test_unknown_company_is_not_found(client):
    assert client.get("/en/companies/nobody/").status_code == HTTPStatus.NOT_FOUND


def test_posting_page_names_its_facts_in_the_page_s_language(client):
    posting = PublishedPostingFactory(
        language="fr",
        workplace="hybrid",
        seniority="senior",
        experience_years_min=5,
        language_requirements=[{"language": "en", "level": "B2"}],
        salary_min=55000,
        salary_max=65000,
        salary_currency="EUR",
        salary_period="year",
    )

    html = client.get(posting.get_absolute_url()).content.decode()

    assert "Hybride" in html
    assert "5 ans ou plus" in html
    assert "anglais B2" in html
    assert "55\u202f000\u00a0€ – 65\u202f000\u00a0€ par an" in html


def test_page_titles_are_one_line_and_escaped_once(client):
    html = client.get("/en/?q=tom+%26+jerry").content.decode()

    assert "<title>“tom &amp; jerry” jobs · Polyjob</title>" in html


def test_a_posting_is_described_by_its_own_text_even_once_gone(client):
    posting = PublishedPostingFactory(
        language="en", description_html="<h2>About</h2><p>We ship <b>robots</b> &amp; boats.</p>"
    )
    gone = ExpiredPostingFactory(language="en", description_html="<p>Closed role.</p>")

    open_page = client.get(posting.get_absolute_url()).content.decode()
    gone_page = client.get(gone.get_absolute_url()).content.decode()

    assert '<meta name="description" content="About We ship robots &amp; boats.">' in open_page
    assert '<meta name="description" content="Closed role.">' in gone_page
