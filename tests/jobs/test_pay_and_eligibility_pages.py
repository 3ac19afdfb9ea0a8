"""What a candidate sees of pay and eligibility (issue 23): the list's visa and relocation
filters, the facts on cards and on the posting's page in its language, the JSON-LD, and the
recruiter's time-zone window refused when it runs backwards."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jobs.models import JobPosting
from tests.factories import PublishedPostingFactory, RecruiterFactory
from tests.jobs.test_admin_workflows import ADD_URL, posting_form
from tests.jobs.test_structured_data import posting_data, visible_facts

pytestmark = pytest.mark.django_db


def listed(client, query: str = "", language: str = "en") -> list[int]:
    response = client.get(f"/{language}/{query}")
    assert response.status_code == HTTPStatus.OK
    return sorted(posting.pk for posting in response.context["postings"])


def test_the_list_filters_on_visa_sponsorship_and_relocation(client):
    visa = PublishedPostingFactory(visa_sponsorship="yes")
    both = PublishedPostingFactory(visa_sponsorship="yes", relocation_support="yes")
    refused = PublishedPostingFactory(visa_sponsorship="no", relocation_support="no")
    silent = PublishedPostingFactory()

    assert listed(client) == sorted([visa.pk, both.pk, refused.pk, silent.pk])
    assert listed(client, "?visa=yes") == sorted([visa.pk, both.pk])
    assert listed(client, "?relocation=yes") == [both.pk]
    assert listed(client, "?visa=yes&relocation=yes") == [both.pk]
    # An unknown value is ignored with the form saying why, never a 500.
    assert listed(client, "?visa=maybe") == sorted([visa.pk, both.pk, refused.pk, silent.pk])


def test_the_filter_form_and_its_chip_are_in_the_page_s_language(client):
    PublishedPostingFactory(language="de", visa_sponsorship="yes")

    html = client.get("/de/?visa=yes").content.decode()

    assert 'name="visa"' in html and 'name="relocation"' in html
    assert "Mit Visa-Sponsoring" in html
    assert 'class="chip"' in html


def test_cards_show_the_eligibility_facts(client):
    PublishedPostingFactory(
        language="es",
        visa_sponsorship="no",
        relocation_support="yes",
        workplace="remote",
        remote_utc_min=Decimal(-6),
        remote_utc_max=Decimal(-3),
    )

    html = client.get("/es/").content.decode()

    card = re.search(r'<article class="job-card".*?</article>', html, re.S).group(0)
    with translation.override("es"):
        relocation = gettext("Relocation support")
    assert "Sin patrocinio de visa" in card
    assert relocation in card
    assert "UTC−6 a UTC−3" in card


def test_the_posting_page_shows_pay_in_full_and_the_time_zones(client):
    posting = PublishedPostingFactory(
        language="fr",
        workplace="remote",
        countries=["FR"],
        salary_min=Decimal(45000),
        salary_max=Decimal(55000),
        salary_currency="EUR",
        salary_period="year",
        salary_basis="gross",
        salary_variable="Prime annuelle jusqu’à 10 %",
        collective_agreement="Syntec, position 2.2",
        remote_utc_min=Decimal(0),
        remote_utc_max=Decimal("5.5"),
    )

    data, html = posting_data(client, posting)

    facts = visible_facts(html)
    assert "(brut)" in facts["Salaire"]
    assert "Prime annuelle" in facts["Salaire"] and "Syntec" in facts["Salaire"]
    assert facts["Fuseaux horaires"] == "UTC à UTC+5:30"
    assert data["incentiveCompensation"] == "Prime annuelle jusqu’à 10 %"
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"]
    assert data["directApply"] is False


def test_a_time_zone_window_running_backwards_is_a_form_error(client):
    recruiter = RecruiterFactory()
    client.force_login(recruiter)
    company = recruiter.memberships.get().company

    response = client.post(ADD_URL, posting_form(company, remote_utc_min="3", remote_utc_max="-2"))
    assert response.status_code == HTTPStatus.OK
    assert "remote_utc_max" in response.context["adminform"].form.errors

    response = client.post(
        ADD_URL,
        posting_form(
            company,
            remote_utc_min="-3",
            remote_utc_max="2",
            salary_basis="gross",
            salary_variable="10% bonus",
            collective_agreement="",
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    posting = JobPosting.objects.get()
    assert (posting.remote_utc_min, posting.remote_utc_max) == (Decimal(-3), Decimal(2))
    assert (posting.salary_basis, posting.salary_variable) == ("gross", "10% bonus")


def test_an_unknown_basis_is_a_form_error_and_the_database_refuses_it(client):
    recruiter = RecruiterFactory()
    client.force_login(recruiter)

    response = client.post(
        ADD_URL, posting_form(recruiter.memberships.get().company, salary_basis="cash")
    )

    assert response.status_code == HTTPStatus.OK
    assert "salary_basis" in response.context["adminform"].form.errors
    change = reverse("admin:jobs_jobposting_changelist")
    assert client.get(change).status_code == HTTPStatus.OK


def test_an_alert_s_search_names_the_eligibility_filters_in_words():
    from jobs.filters import describe_search

    with translation.override("pt-br"):
        words = describe_search({"visa": "yes", "relocation": "yes"}, "pt-br")

    assert words == "Com patrocínio de visto · Com apoio à mudança"
