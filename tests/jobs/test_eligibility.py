"""Work eligibility facts: visa sponsorship and relocation support, entered by a recruiter in
admin, shown on the posting's page in its language, and stated in its JSON-LD."""

from http import HTTPStatus

import pytest
from django.db import IntegrityError

from jobs.models import JobPosting
from locales.models import Region
from tests.factories import PublishedPostingFactory, RecruiterFactory
from tests.jobs.test_admin_workflows import ADD_URL, posting_form
from tests.jobs.test_structured_data import posting_data, visible_facts

pytestmark = pytest.mark.django_db


def test_a_recruiter_states_visa_sponsorship_and_relocation_in_the_form(client):
    recruiter = RecruiterFactory()
    company = recruiter.memberships.get().company
    client.force_login(recruiter)

    form = client.get(ADD_URL).content.decode()
    assert 'name="visa_sponsorship"' in form and 'name="relocation_support"' in form

    response = client.post(
        ADD_URL, posting_form(company, visa_sponsorship="yes", relocation_support="no")
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    posting = JobPosting.objects.get()
    assert (posting.visa_sponsorship, posting.relocation_support) == ("yes", "no")


def test_an_unknown_answer_is_a_form_error_not_a_crash(client):
    recruiter = RecruiterFactory()
    client.force_login(recruiter)

    response = client.post(
        ADD_URL, posting_form(recruiter.memberships.get().company, visa_sponsorship="maybe")
    )

    assert response.status_code == HTTPStatus.OK
    assert "visa_sponsorship" in response.context["adminform"].form.errors
    assert not JobPosting.objects.exists()


def test_the_database_refuses_an_unknown_answer():
    with pytest.raises(IntegrityError):
        PublishedPostingFactory(relocation_support="may")


@pytest.mark.parametrize(
    ("language", "visa", "offered", "relocation", "not_offered"),
    [
        ("en", "Visa sponsorship", "Offered", "Relocation support", "Not offered"),
        ("de", "Visa-Sponsoring", "Angeboten", "Umzugsunterstützung", "Nicht angeboten"),
        ("pt-br", "Patrocínio de visto", "Oferecido", "Apoio à mudança", "Não oferecido"),
    ],
)
def test_the_posting_page_shows_what_is_stated(
    client, language, visa, offered, relocation, not_offered
):
    posting = PublishedPostingFactory(
        language=language, visa_sponsorship="yes", relocation_support="no"
    )

    _data, html = posting_data(client, posting)

    facts = visible_facts(html)
    assert facts[visa] == offered
    assert facts[relocation] == not_offered


def test_nothing_is_shown_when_nothing_is_stated(client):
    posting = PublishedPostingFactory()

    data, html = posting_data(client, posting)

    assert "Visa sponsorship" not in visible_facts(html)
    assert "eligibilityToWorkRequirement" not in data
    assert "jobBenefits" not in data


def test_json_ld_states_eligibility_in_the_posting_s_language(client):
    posting = PublishedPostingFactory(
        language="fr", visa_sponsorship="no", relocation_support="yes"
    )

    data, _html = posting_data(client, posting)

    assert data["eligibilityToWorkRequirement"].startswith("Pas de parrainage de visa")
    assert data["jobBenefits"] == "Aide à la relocalisation"
    # Applying happens on the company's site or by email, never on our page.
    assert data["directApply"] is False


def test_a_remote_posting_always_says_where_candidates_may_live(client):
    anywhere = PublishedPostingFactory(workplace="remote", countries=[])
    region = Region.objects.get(code="latin-america")
    latam = PublishedPostingFactory(workplace="remote", countries=[], region=region)
    countries = PublishedPostingFactory(workplace="remote", countries=["PT", "ES"])

    locations = {
        name: posting_data(client, posting)[0]["applicantLocationRequirements"]
        for name, posting in [("anywhere", anywhere), ("latam", latam), ("countries", countries)]
    }

    assert locations["anywhere"] == [{"@type": "AdministrativeArea", "name": "Worldwide"}]
    assert locations["latam"] == [{"@type": "AdministrativeArea", "name": "Latin America"}]
    assert locations["countries"] == [
        {"@type": "Country", "name": "PT"},
        {"@type": "Country", "name": "ES"},
    ]
