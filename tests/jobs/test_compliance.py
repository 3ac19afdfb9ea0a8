"""The pay-transparency linter and the gender-neutral title helper (issue 23): each rule where
it applies and only there, explained in the reader's language with the wording to fix it, in
the recruiter's form and on the review page, never refusing a save."""

from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from jobs.compliance.pay import RULES, RULES_VERSION, Facts, jurisdictions, lint
from jobs.compliance.titles import check_title
from jobs.models import JobPosting
from tests.factories import (
    ModeratorFactory,
    PendingPostingFactory,
    PostingFactory,
    RecruiterFactory,
)
from tests.jobs.test_admin_workflows import ADD_URL, posting_form


def facts(**values) -> Facts:
    values.setdefault("title", "Data Engineer (m/w/d)")
    values.setdefault("language", "de")
    if "salary_min" in values or "salary_max" in values:
        values.setdefault("salary_currency", "EUR")
        values.setdefault("salary_period", "year")
    return Facts(**values)


def rules(found) -> set[str]:
    return {finding.rule for finding in found}


# --- where the rules apply ------------------------------------------------------------------


def test_a_posting_for_vienna_without_minimum_pay_is_flagged_in_german():
    with translation.override("de"):
        found = lint(facts(countries=("AT",), location="Wien"))

    by_rule = {finding.rule: finding for finding in found}
    assert {"at_minimum_pay", "eu_pay_stated"} <= set(by_rule)
    austria = by_rule["at_minimum_pay"]
    assert "Mindestentgelt" in austria.problem
    assert "GlBG" in austria.law
    # The sentence for the ad is in the posting's language, German here.
    assert "Überzahlung" in austria.wording


def test_vienna_with_only_a_minimum_is_asked_about_paying_more():
    only_minimum = facts(countries=("AT",), salary_min=Decimal(3200), salary_period="month")
    said_so = facts(
        countries=("AT",),
        salary_min=Decimal(3200),
        salary_period="month",
        text="Bereitschaft zur Überzahlung je nach Erfahrung.",
    )
    a_range = facts(countries=("AT",), salary_min=Decimal(3200), salary_max=Decimal(4000))

    assert rules(lint(only_minimum)) == {"at_overpay"}
    assert rules(lint(said_so)) == set()
    assert rules(lint(a_range)) == set()


def test_a_californian_posting_without_a_range_is_flagged_and_a_texan_one_is_not():
    california = facts(title="Engineer", language="en", countries=("US",), location="Oakland, CA")
    texas = facts(title="Engineer", language="en", countries=("US",), location="Austin, TX")
    with translation.override("en"):
        found = lint(california)

    assert rules(found) == {"us_pay_range"}
    assert "CA" in found[0].problem
    assert rules(lint(texas)) == set()
    # A fixed salary is a range of one amount.
    fixed = Facts(
        title="Engineer",
        language="en",
        countries=("US",),
        location="Oakland, CA",
        salary_min=Decimal(90000),
        salary_max=Decimal(90000),
        salary_currency="USD",
        salary_period="year",
    )
    assert rules(lint(fixed)) == set()


def test_a_minimum_alone_is_not_a_good_faith_range():
    posting = Facts(
        title="Engineer",
        language="en",
        countries=("US",),
        location="Denver, Colorado",
        salary_min=Decimal(90000),
        salary_currency="USD",
        salary_period="year",
    )
    assert rules(lint(posting)) == {"us_pay_range"}


def test_a_us_posting_naming_no_state_may_be_filled_in_every_listed_state():
    places = jurisdictions(Facts(title="Engineer", language="en", countries=("US",)))

    assert {"US-CA", "US-NY", "US-DC", "US-HI"} <= places


def test_an_ontario_range_wider_than_fifty_thousand_dollars_is_flagged():
    def ontario(low, high, period="year"):
        return Facts(
            title="Developer",
            language="en",
            countries=("CA",),
            location="Toronto, ON",
            salary_min=Decimal(low),
            salary_max=Decimal(high),
            salary_currency="CAD",
            salary_period=period,
        )

    with translation.override("en"):
        wide = lint(ontario(80_000, 140_000))
    assert rules(wide) == {"ca_on_range_width"}
    assert "CA$60,000" in wide[0].problem
    assert rules(lint(ontario(80_000, 130_000))) == set()
    # The cap does not apply above CA$200,000 a year.
    assert rules(lint(ontario(190_000, 260_000))) == set()
    # An hourly range counts over a year: 30 dollars wide is 62,400 a year.
    assert rules(lint(ontario(20, 50, period="hour"))) == {"ca_on_range_width"}
    # Vancouver is not Ontario.
    vancouver = Facts(
        title="Developer", language="en", countries=("CA",), location="Vancouver, BC"
    )
    assert rules(lint(vancouver)) == set()


def test_asking_for_pay_history_is_flagged_in_the_eu_in_every_language():
    for language, text in [
        ("en", "Please send your CV and current salary."),
        ("fr", "Indiquez votre salaire actuel."),
        ("de", "Bitte nennen Sie Ihr aktuelles Gehalt."),
        ("es", "Indica tu salario actual."),
        ("pt-br", "Informe seu salário atual."),
    ]:
        posting = facts(
            language=language,
            title="Data Engineer (m/w/d)",
            countries=("FR",),
            salary_min=Decimal(50000),
            salary_max=Decimal(60000),
            text=text,
        )
        assert rules(lint(posting)) == {"eu_pay_history"}, language


def test_a_rule_not_yet_in_force_is_not_applied():
    posting = facts(countries=("PL",), title="Analityk")
    assert "eu_pay_stated" in rules(lint(posting, today=date(2026, 12, 1)))
    assert "eu_pay_stated" not in rules(lint(posting, today=date(2026, 1, 1)))


def test_the_rules_are_data_with_a_version():
    assert RULES_VERSION
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert rule.where and rule.law and rule.problem and rule.fix


def test_no_rule_applies_outside_the_places_that_have_them():
    assert lint(Facts(title="Entwickler", language="de", countries=("CH",))) == []
    assert lint(Facts(title="Desarrollador", language="es", countries=("MX",))) == []


# --- the title helper -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "word", "suggested"),
    [
        ("de", "Entwickler", "Entwickler", {"Entwickler (m/w/d)", "Entwickler*in"}),
        ("de", "Kaufmann im Einzelhandel", "Kaufmann", {"Kaufmann/-frau im Einzelhandel"}),
        ("de", "Senior Software Engineer", "Engineer", {"Senior Software Engineer (m/w/d)"}),
        ("fr", "Développeur Python", "Développeur", {"Développeur·se Python"}),
        ("fr", "Directeur commercial", "Directeur", {"Directeur commercial (H/F)"}),
        ("es", "Desarrollador Backend", "Desarrollador", {"Desarrollador/a Backend"}),
        ("es", "Ingeniero de Datos", "Ingeniero", {"Ingeniero/a de Datos"}),
        ("pt-br", "Desenvolvedor Python", "Desenvolvedor", {"Desenvolvedor(a) Python"}),
        ("pt-br", "Engenheiro de Dados", "Engenheiro", {"Engenheiro(a) de Dados"}),
        ("en", "Salesman", "Salesman", {"Salesperson"}),
    ],
)
def test_a_gendered_title_is_found_with_its_neutral_forms(language, title, word, suggested):
    check = check_title(title, language)

    assert check is not None
    assert check.word == word
    assert suggested <= set(check.suggestions)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("de", "Entwickler (m/w/d)"),
        ("de", "Entwickler*in"),
        ("de", "Entwickler:in Backend"),
        ("de", "Projektleiter (all genders)"),
        ("fr", "Développeur·se Python"),
        ("fr", "Développeur Python (H/F)"),
        ("fr", "Analyste de données"),
        ("fr", "Chef de projet"),
        ("es", "Desarrollador/a Backend"),
        ("es", "Analista de Datos Senior"),
        ("es", "Gerente de Producto"),
        ("pt-br", "Desenvolvedor(a) Python"),
        ("pt-br", "Analista de Dados Pleno"),
        ("en", "Software Engineer"),
    ],
)
def test_a_neutral_title_is_left_alone(language, title):
    assert check_title(title, language) is None


# --- in admin -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_recruiter_s_form_warns_in_their_language_and_still_saves(client):
    recruiter = RecruiterFactory(language="de")
    company = recruiter.memberships.get().company
    client.force_login(recruiter)

    response = client.post(
        ADD_URL,
        posting_form(
            company,
            title="Entwickler",
            language="de",
            countries="AT",
            location="Wien",
            salary_min="",
            salary_max="",
            salary_currency="",
            salary_period="",
        ),
    )

    assert response.status_code == HTTPStatus.FOUND
    posting = JobPosting.objects.get()
    page = client.get(reverse("admin:jobs_jobposting_change", args=[posting.pk]))
    html = page.content.decode()
    assert 'data-rule="at_minimum_pay"' in html
    assert 'data-rule="neutral_title"' in html
    assert "Mindestentgelt" in html
    assert "Entwickler*in" in html
    assert f'data-rules-version="{RULES_VERSION}"' in html


@pytest.mark.django_db
def test_a_form_sent_with_a_problem_shows_it_before_saving(client):
    recruiter = RecruiterFactory(language="en")
    client.force_login(recruiter)

    response = client.post(
        ADD_URL,
        posting_form(
            recruiter.memberships.get().company,
            title="Engineer",
            countries="US",
            location="Oakland, CA",
            salary_max="",
            apply_url="not a url",
        ),
    )

    assert response.status_code == HTTPStatus.OK  # refused for the URL, not for the pay
    assert 'data-rule="us_pay_range"' in response.content.decode()


@pytest.mark.django_db
def test_a_lawful_posting_shows_no_warning(client):
    recruiter = RecruiterFactory(language="en")
    client.force_login(recruiter)
    posting = PostingFactory(
        company=recruiter.memberships.get().company,
        title="Data Engineer (m/w/d)",
        countries=["DE"],
        salary_min=Decimal(60000),
        salary_max=Decimal(70000),
        salary_currency="EUR",
        salary_period="year",
    )

    page = client.get(reverse("admin:jobs_jobposting_change", args=[posting.pk]))

    assert "pay-findings" not in page.content.decode()


@pytest.mark.django_db
def test_the_review_page_shows_the_findings_in_the_moderator_s_language(client):
    posting = PendingPostingFactory(
        title="Desarrollador Backend",
        language="es",
        countries=["ES"],
        salary_min=None,
        salary_max=None,
        salary_currency="",
        salary_period="",
    )
    client.force_login(ModeratorFactory(language="fr"))

    page = client.get(reverse("admin:jobs_pendingposting_change", args=[posting.pk]))

    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert 'data-rule="eu_pay_stated"' in html
    assert "Desarrollador/a Backend" in html
    assert "rémunération" in html  # the moderator reads French
