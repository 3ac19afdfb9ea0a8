"""The posting form speaks the recruiter's language: countries, languages and currencies by
their names, language requirements as rows, never codes or JSON."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from jobs.form_fields import CurrencyField, LanguageRequirementsField
from tests.factories import PostingFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "country", "currency", "spoken"),
    [
        ("de", "Deutschland", "Euro (EUR)", "Englisch"),
        ("fr", "Allemagne", "euro (EUR)", "anglais"),
        ("es", "Alemania", "euro (EUR)", "inglés"),
    ],
)
def test_the_add_form_names_countries_currencies_and_languages(
    client, language, country, currency, spoken
):
    recruiter = RecruiterFactory(language=language)
    client.force_login(recruiter)

    page = client.get(reverse("admin:jobs_jobposting_add")).content.decode()

    assert 'value="DE"' in page and country in page
    assert currency in page
    assert spoken.lower() in page.lower()
    assert 'name="language_requirements_0_0"' in page
    assert "[{" not in page  # no raw JSON


def test_a_saved_posting_keeps_its_rows_and_its_choices(client):
    posting = PostingFactory(
        countries=["AT", "DE"],
        language_requirements=[{"language": "de", "level": "B2"}],
        salary_currency="EUR",
    )
    client.force_login(RecruiterFactory(company=posting.company, language="en"))

    response = client.get(reverse("admin:jobs_jobposting_change", args=[posting.pk]))
    page = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert 'value="AT"' in page and 'value="DE"' in page
    assert page.index('value="AT"') < page.index('value="FR"')  # the chosen ones first
    assert "language_requirements_2_0" in page and "language_requirements_3_0" not in page


def test_language_rows_become_the_stored_list_and_a_language_twice_is_refused():
    field = LanguageRequirementsField()

    assert field.clean([["en", "c1"], ["", ""], ["de", ""]]) == [
        {"language": "en", "level": "C1"},
        {"language": "de", "level": ""},
    ]
    with pytest.raises(Exception, match="listed twice"):
        field.clean([["en", "C1"], ["en", "B2"]])
    with pytest.raises(Exception, match="Choose a language"):
        field.clean([["<script>", "C1"]])


def test_a_currency_is_chosen_by_name_and_read_by_code():
    field = CurrencyField(required=False)

    assert field.clean("eur") == "EUR"
    assert field.clean("") == ""
    with pytest.raises(Exception, match="ISO 4217"):
        field.clean("XYZ")


GERMAN_TEXT = (
    "Wir suchen eine erfahrene Entwicklerin oder einen erfahrenen Entwickler für unser Team "
    "in Berlin. Du arbeitest mit Python und PostgreSQL und gestaltest unsere Plattform mit."
)


def test_a_description_in_another_language_is_saved_with_a_warning(client):
    from django.contrib.messages import get_messages

    from jobs.models import JobPosting
    from tests.jobs.test_admin_workflows import ADD_URL, posting_form

    recruiter = RecruiterFactory(language="en")
    company = recruiter.memberships.get().company
    client.force_login(recruiter)

    response = client.post(ADD_URL, posting_form(company, description=GERMAN_TEXT))

    assert response.status_code == HTTPStatus.FOUND
    assert JobPosting.objects.get().language == "en"  # warned, not refused
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("reads as German" in text and "English" in text for text in warnings)


def test_a_description_in_the_chosen_language_brings_no_warning(client):
    from tests.jobs.test_admin_workflows import ADD_URL, posting_form

    recruiter = RecruiterFactory(language="en")
    company = recruiter.memberships.get().company
    client.force_login(recruiter)

    response = client.post(
        ADD_URL, posting_form(company, language="de", description=GERMAN_TEXT), follow=True
    )

    assert "reads as" not in response.content.decode()
