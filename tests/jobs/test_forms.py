"""The forms behind admin's posting page, moderators' decisions, reports and job alerts
(jobs.forms): what they accept, and the message next to the field for what they refuse."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.form_fields import CountriesField
from jobs.forms import AlertForm, DecisionForm, PostingAdminForm, ReportForm
from tests.factories import PostingFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


def test_country_codes_are_read_as_a_list_and_each_bad_one_is_named():
    field = CountriesField(required=False)

    assert field.clean(" de, at ,,CH ") == ["DE", "AT", "CH"]
    with pytest.raises(Exception) as refused:
        field.clean("DE, XX, QQ")
    messages = " ".join(refused.value.messages)
    assert "XX" in messages and "QQ" in messages and "DE" not in messages
    assert field.clean(["DE", "UK", "DE"]) == ["DE", "GB"]


def posting_data(company, **overrides) -> dict:
    data = {
        "company": company.pk,
        "title": "Data Engineer",
        "language": "en",
        "description": "Build pipelines.",
        "description_format": "markdown",
        "countries": "DE",
        "workplace": "remote",
        "employment_type": "full_time",
        "language_requirements": "[]",
    }
    return {**data, **overrides}


def test_a_salary_range_must_make_sense(company):
    form = PostingAdminForm(
        posting_data(company, salary_min="70000", salary_max="60000", salary_currency="eur")
    )

    assert not form.is_valid()
    assert form.errors["salary_max"] == [
        "The maximum salary must not be below the minimum salary."
    ]
    assert form.errors["salary_period"] == ["Say whether the salary is per hour, month, …"]
    assert form.cleaned_data["salary_currency"] == "EUR"


def test_a_salary_needs_its_currency(company):
    form = PostingAdminForm(posting_data(company, salary_min="50000", salary_period="year"))

    assert form.errors["salary_currency"] == ["Give the currency of the salary."]


def test_a_published_posting_keeps_a_future_expiry_after_its_publication(company):
    posting = PublishedPostingFactory(company=company)
    past = timezone.now() - timedelta(days=2)

    missing = PostingAdminForm(posting_data(company), instance=posting)
    before = PostingAdminForm(
        posting_data(company, expires_at=past.strftime("%Y-%m-%d %H:%M")), instance=posting
    )

    assert missing.errors["expires_at"] == ["A published posting needs an expiry date."]
    assert before.errors["expires_at"] == ["The expiry date must be after the publication date."]


def test_a_draft_with_a_sound_salary_is_accepted(company):
    form = PostingAdminForm(
        posting_data(
            company,
            salary_min="50000",
            salary_max="60000",
            salary_currency="eur",
            salary_period="year",
        ),
        instance=PostingFactory.build(company=company),
    )

    assert form.is_valid(), form.errors


def test_a_decision_requires_what_the_moderator_must_give():
    assert not DecisionForm({"reason": "", "message": ""}).is_valid()
    assert DecisionForm({"reason": "", "message": ""}, reason_required=False).is_valid()
    asking = DecisionForm({"reason": "other", "message": ""}, message_required=True)
    assert list(asking.errors) == ["message"]


def test_a_report_with_the_honeypot_filled_in_is_a_bot():
    notice = {
        "reason": "scam",
        "message": "It asks for a fee before the interview.",
        "url": "https://jobs.example/en/jobs/1/",
        "notifier_name": "Ana Reporter",
        "notifier_email": "ana@example.com",
        "good_faith": "on",
    }
    person = ReportForm({**notice, "website": ""})
    bot = ReportForm({**notice, "website": "https://spam.example"})

    assert person.is_valid() and bot.is_valid()
    assert not person.is_bot
    assert bot.is_bot
    assert not ReportForm().is_bot  # nothing submitted yet
    assert ReportForm({"message": "x"}).errors["reason"] == [
        "Choose what is wrong with this posting."
    ]


def test_the_alert_form_ids_stay_apart_from_the_filter_forms():
    form = AlertForm()

    assert form["email"].id_for_label == "alert_email"
    assert form["frequency"].initial == "daily"
    assert not AlertForm({"email": "not an address", "frequency": "daily"}).is_valid()
