"""Language versions: one job in several languages, each a posting linked to the others."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobs import facets
from jobs.models import JobPosting
from jobs.services.translations import posting_version_link, posting_version_unlink
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PendingPostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)

pytestmark = pytest.mark.django_db


def versions(language: str = "de", **kwargs):
    company = CompanyFactory()
    english = PublishedPostingFactory(company=company, language="en", title="Data Engineer")
    other = PublishedPostingFactory(company=company, language=language, **kwargs)
    posting_version_link(posting=other, version_of=english, actor=None)
    return english, other


def test_the_posting_page_links_to_its_other_language_versions(client):
    english, german = versions(title="Dateningenieurin")
    french = PublishedPostingFactory(company=english.company, language="fr")
    posting_version_link(posting=french, version_of=german, actor=None)

    html = client.get(english.get_absolute_url()).content.decode()

    assert "Also in:" in html
    german_link = f'<a href="{german.get_absolute_url()}" hreflang="de" lang="de">Deutsch</a>'
    french_link = f'<a href="{french.get_absolute_url()}" hreflang="fr" lang="fr">Français</a>'
    # in the site's order of languages
    assert f"{french_link}, {german_link}" in html
    # hreflang names exactly the versions (and x-default, the English one)
    alternates = [line for line in html.splitlines() if 'rel="alternate" hreflang' in line]
    hreflangs = html.count('rel="alternate" hreflang=')
    assert hreflangs == 4, alternates
    for posting in (english, german, french):
        assert f'href="http://testserver{posting.get_absolute_url()}"' in html
    assert '<link rel="alternate" hreflang="es"' not in html


def test_the_language_switcher_leads_to_the_translation_else_the_list(client):
    english, german = versions()

    links = {link["code"]: link["url"] for link in client.get(
        english.get_absolute_url()).context["language_links"]}  # fmt: skip

    assert links["de"] == german.get_absolute_url()
    assert links["fr"] == "/fr/?from=en"
    assert links["en"] == "/en/"


def test_versions_are_listed_each_in_its_own_language(client):
    english, german = versions()

    english_ids = [p.pk for p in client.get("/en/").context["postings"]]
    assert english.pk in english_ids
    assert german.pk not in english_ids
    german_ids = [p.pk for p in client.get("/de/").context["postings"]]
    assert german.pk in german_ids
    assert english.pk not in german_ids


def test_a_version_not_open_is_not_offered(client):
    company = CompanyFactory()
    english = PublishedPostingFactory(company=company, language="en")
    pending = PendingPostingFactory(company=company, language="de")
    posting_version_link(posting=pending, version_of=english, actor=None)

    response = client.get(english.get_absolute_url())

    assert "Also in:" not in response.content.decode()
    assert response.context["versions"] == []


def test_a_posting_without_versions_has_no_alternates(client):
    posting = PublishedPostingFactory(language="en")

    response = client.get(posting.get_absolute_url())

    assert 'rel="alternate" hreflang' not in response.content.decode()


def test_the_posting_page_with_versions_runs_one_query_more(client, django_assert_num_queries):
    english, _german = versions()
    PublishedPostingFactory.create_batch(3, language="en")
    facets.facets(language="en")

    # the posting with its company and region, its open versions, then the similar postings
    # (a posting without versions runs two: test_views)
    with django_assert_num_queries(3):
        response = client.get(english.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert [version["code"] for version in response.context["versions"]] == ["de"]


def test_linking_refuses_one_language_twice_and_other_companies():
    english, german = versions()
    second_german = PublishedPostingFactory(company=english.company, language="de")
    stranger = PublishedPostingFactory(language="fr")

    with pytest.raises(ValidationError) as taken:
        posting_version_link(posting=second_german, version_of=english, actor=None)
    with pytest.raises(ValidationError) as other_company:
        posting_version_link(posting=stranger, version_of=english, actor=None)
    with pytest.raises(ValidationError) as same_language:
        posting_version_link(posting=german, version_of=second_german, actor=None)

    assert taken.value.code == "language_taken"
    assert other_company.value.code == "other_company"
    assert same_language.value.code == "same_language"
    second_german.refresh_from_db()
    assert second_german.translation_group is None


def test_a_posting_joining_from_either_side_may_not_double_a_language():
    english, _german = versions()
    second_german = PublishedPostingFactory(company=english.company, language="de")

    # The English version is the one linked, yet the German one would join its group.
    with pytest.raises(ValidationError) as taken:
        posting_version_link(posting=english, version_of=second_german, actor=None)

    assert taken.value.code == "language_taken"
    second_german.refresh_from_db()
    assert second_german.translation_group is None


def test_links_and_unlinks_are_marked_as_a_person_s():
    english, german = versions()
    assert english.translation_group_manual and german.translation_group_manual
    french = PublishedPostingFactory(company=english.company, language="fr")

    posting_version_unlink(posting=french, actor=None)  # not linked: still a decision kept

    french.refresh_from_db()
    assert (french.translation_group, french.translation_group_manual) == (None, True)


def test_linking_twice_changes_nothing_and_unlinking_parts_them():
    english, german = versions()
    group = german.translation_group

    posting_version_link(posting=german, version_of=english, actor=None)
    german.refresh_from_db()
    assert german.translation_group == group

    posting_version_unlink(posting=german, actor=None)
    german.refresh_from_db()
    assert german.translation_group is None
    english.refresh_from_db()
    assert english.translation_group == group


def test_recruiters_link_only_their_own_companies_postings():
    english = PublishedPostingFactory(language="en")
    german = PublishedPostingFactory(company=english.company, language="de")
    outsider = RecruiterFactory()
    insider = RecruiterFactory(company=english.company)

    with pytest.raises(PermissionDenied):
        posting_version_link(posting=german, version_of=english, actor=outsider)
    posting_version_link(posting=german, version_of=english, actor=insider)
    posting_version_link(posting=german, version_of=english, actor=ModeratorFactory())

    assert JobPosting.objects.get(pk=german.pk).translation_group is not None


def test_the_versions_line_is_in_the_page_s_language(client):
    company = CompanyFactory()
    german = PublishedPostingFactory(company=company, language="de")
    french = PublishedPostingFactory(company=company, language="fr")
    posting_version_link(posting=french, version_of=german, actor=None)

    html = client.get(german.get_absolute_url()).content.decode()

    assert "Auch auf:" in html
    assert 'lang="fr">Français</a>' in html
