"""The Digital Services Act's notice and action: the Art. 16 notice form, what the notifier
hears, the Art. 17 statement of reasons, the Art. 20 complaint and the transparency report."""

from datetime import timedelta
from http import HTTPStatus

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from jobs.models import (
    Complaint,
    ComplaintState,
    EventAction,
    JobPosting,
    PostingEvent,
    Report,
    StatementOfReasons,
    Status,
)
from jobs.services.complaints import AlreadyDecided, complaint_decide, complaint_file
from jobs.services.moderation import posting_reject, posting_take_down
from jobs.services.reports import report_dismiss
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PendingPostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "de", "es", "pt-br"]


def report_url(posting):
    with translation.override(posting.language):
        return reverse("jobs:job_report", kwargs={"pk": posting.pk, "slug": posting.slug})


def notice(client, posting, **data):
    return client.post(
        report_url(posting),
        {
            "reason": "scam",
            "message": "They ask for a training fee before the interview.",
            "url": f"https://jobs.example{posting.get_absolute_url()}",
            "notifier_name": "Ana Example",
            "notifier_email": "ana@example.org",
            "good_faith": "on",
            "website": "",
            **data,
        },
        REMOTE_ADDR="203.0.113.9",
    )


# --- The notice form --------------------------------------------------------------------------


def test_the_form_asks_what_a_notice_needs_with_the_url_prefilled(client):
    posting = PublishedPostingFactory()

    html = client.get(posting.get_absolute_url()).content.decode()

    assert f'value="http://testserver{posting.get_absolute_url()}"' in html
    for name in ("message", "url", "notifier_name", "notifier_email", "good_faith"):
        assert f'name="{name}"' in html
    assert 'value="child_abuse"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_notice_is_re_rendered_with_a_message_per_field_and_nothing_stored(client, language):
    posting = PublishedPostingFactory(language=language, title="Data Engineer")

    response = notice(
        client,
        posting,
        message="Bad",
        url="not a url",
        notifier_name="",
        notifier_email="nope",
        good_faith="",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    form = response.context["report_form"]
    assert set(form.errors) == {"message", "url", "notifier_name", "notifier_email", "good_faith"}
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    # Nothing typed is lost: the explanation and the address come back as typed.
    assert "Bad</textarea>" in html
    assert 'value="not a url"' in html
    assert not Report.objects.exists()
    with translation.override(language):
        assert str(form.errors["good_faith"][0]) in html
    if language != "en":
        assert "Confirm that you send this notice in good faith." not in html


def test_a_child_abuse_notice_may_be_anonymous(client):
    posting = PublishedPostingFactory()

    response = notice(client, posting, reason="child_abuse", notifier_name="", notifier_email="")

    assert response.status_code == HTTPStatus.FOUND
    stored = Report.objects.get()
    assert (stored.reason, stored.notifier_email, stored.good_faith) == ("child_abuse", "", True)


def test_other_notices_need_a_name_and_an_address(client):
    posting = PublishedPostingFactory()

    response = notice(client, posting, notifier_name="", notifier_email="")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Give your name." in response.content.decode()
    assert "Give your email address." in response.content.decode()


def test_recruiters_never_see_who_sent_a_notice(client):
    posting = PublishedPostingFactory()
    notice(client, posting)
    recruiter = RecruiterFactory(company=posting.company)
    client.force_login(recruiter)

    page = client.get(
        reverse("admin:jobs_report_change", args=[Report.objects.get().pk])
    ).content.decode()

    assert "ana@example.org" not in page
    assert "Ana Example" not in page


# --- What the notifier hears ------------------------------------------------------------------


def test_the_notifier_gets_a_receipt_and_the_decision_in_their_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(language="fr", title="Chef de projet")
    with django_capture_on_commit_callbacks(execute=True):
        notice(client, posting)

    (receipt,) = mailoutbox
    assert receipt.to == ["ana@example.org"]
    assert receipt.subject == "Nous avons reçu votre signalement de « Chef de projet »"
    assert "Arnaque ou fraude" in receipt.body
    assert receipt.extra_headers["Content-Language"] == "fr"

    with django_capture_on_commit_callbacks(execute=True):
        posting_take_down(posting=posting, actor=ModeratorFactory(), reason="scam")

    decided = [m for m in mailoutbox if m.to == ["ana@example.org"]][-1]
    assert decided.subject == "Notre décision sur votre signalement de « Chef de projet »"
    assert "nous avons retiré l'offre" in decided.body


def test_a_dismissed_notice_says_the_posting_stays(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(language="de", title="Projektleitung")
    notice(client, posting)

    with django_capture_on_commit_callbacks(execute=True):
        report_dismiss(posting=posting, actor=ModeratorFactory())

    (decided,) = mailoutbox
    assert decided.subject == "Unsere Entscheidung zu Ihrer Meldung über „Projektleitung“"
    assert "bleibt die Anzeige online" in decided.body


# --- Statements of reasons --------------------------------------------------------------------


def test_a_take_down_after_notices_stores_and_sends_its_statement(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    company = CompanyFactory()
    recruiter = RecruiterFactory(company=company, language="de")
    posting = PublishedPostingFactory(company=company, title="Lagerhilfe")
    notice(client, posting, notifier_email="")  # anonymous notices are not possible for scam
    Report.objects.create(posting=posting, reason="scam", message="x", client_hash="h")

    with django_capture_on_commit_callbacks(execute=True):
        posting_take_down(
            posting=posting, actor=ModeratorFactory(), reason="scam", message="Gebühr verlangt."
        )

    statement = StatementOfReasons.objects.get()
    assert (statement.decision, statement.ground, statement.detection, statement.notices) == (
        "take_down",
        "illegal",
        "notice",
        1,
    )
    assert statement.automated_decision is False
    (email,) = [m for m in mailoutbox if m.to == [recruiter.email]]
    assert email.subject == "Begründung: Lagerhilfe"
    for words in (
        "Gebühr verlangt.",
        "Wir halten den Inhalt für rechtswidrig",
        "kein automatisiertes Verfahren",
        f"/admin/jobs/complaint/add/?statement={statement.pk}",
    ):
        assert words in email.body, words


def test_a_rejection_for_incompleteness_names_the_terms_of_use():
    posting = PendingPostingFactory(needs_review=True)

    posting_reject(posting=posting, actor=ModeratorFactory(), reason="incomplete")

    statement = StatementOfReasons.objects.get()
    assert (statement.decision, statement.ground, statement.detection) == (
        "removal",
        "terms",
        "automated",
    )
    assert statement.automated_detection is True


# --- Complaints -------------------------------------------------------------------------------


@pytest.fixture
def taken_down():
    company = CompanyFactory()
    recruiter = RecruiterFactory(company=company, language="es")
    first, second = ModeratorFactory(), ModeratorFactory()
    posting = PublishedPostingFactory(company=company, title="Camarero")
    posting_take_down(posting=posting, actor=first, reason="misleading", message="Sueldo falso.")
    return posting.statements.get(), recruiter, first, second


def test_a_recruiter_files_a_complaint_in_admin_and_the_same_request_twice_is_one(
    client, taken_down
):
    statement, recruiter, _first, _second = taken_down
    client.force_login(recruiter)
    add = reverse("admin:jobs_complaint_add")

    page = client.get(f"{add}?statement={statement.pk}")
    assert page.status_code == HTTPStatus.OK
    data = {"statement": statement.pk, "text": "The pay is in the contract.", "_save": "Save"}
    first = client.post(add, data)
    again = client.post(add, data)

    assert first.status_code == HTTPStatus.FOUND
    assert again.status_code == HTTPStatus.OK
    assert "Ya hay una reclamación contra esta decisión" in again.content.decode()
    complaint = Complaint.objects.get()
    assert (complaint.filed_by, complaint.state) == (recruiter, ComplaintState.OPEN)


def test_another_company_cannot_contest_a_decision(client, taken_down):
    statement, _recruiter, _first, _second = taken_down
    client.force_login(RecruiterFactory())

    response = client.post(
        reverse("admin:jobs_complaint_add"),
        {"statement": statement.pk, "text": "Not ours.", "_save": "Save"},
    )

    assert response.status_code == HTTPStatus.OK
    assert not Complaint.objects.exists()


def test_an_upheld_complaint_reinstates_the_posting_and_tells_both_sides(
    client, taken_down, mailoutbox, django_capture_on_commit_callbacks
):
    statement, recruiter, first, second = taken_down
    posting = statement.posting
    Report.objects.filter(posting=posting).delete()
    complaint = complaint_file(statement=statement, actor=recruiter, text="El sueldo es real.")

    with pytest.raises(PermissionDenied):
        complaint_decide(complaint=complaint, actor=first, upheld=True, reply="Mine.")
    client.force_login(second)
    change = reverse("admin:jobs_complaint_change", args=[complaint.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, {"outcome": "upheld", "reply": "Contrato visto."})
    again = client.post(change, {"outcome": "rejected", "reply": "Second thoughts."})

    assert response.status_code == HTTPStatus.FOUND
    assert again.status_code == HTTPStatus.FOUND
    complaint.refresh_from_db()
    assert (complaint.state, complaint.decided_by) == (ComplaintState.UPHELD, second)
    posting.refresh_from_db()
    assert posting.status == Status.PUBLISHED
    assert posting in JobPosting.objects.open()
    event = PostingEvent.objects.filter(posting=posting).latest("created_at")
    assert (event.action, event.actor, event.from_status) == (
        EventAction.REINSTATED,
        second,
        Status.REJECTED,
    )
    (email,) = [m for m in mailoutbox if m.to == [recruiter.email]]
    assert email.subject == "Decisión sobre tu reclamación: Camarero"
    assert "Hemos estimado tu reclamación" in email.body
    assert "Contrato visto." in email.body


def test_a_rejected_complaint_keeps_the_decision_with_its_reasons(taken_down):
    statement, recruiter, _first, second = taken_down
    complaint = complaint_file(statement=statement, actor=recruiter, text="Please.")

    complaint_decide(complaint=complaint, actor=second, upheld=False, reply="Pay was false.")

    statement.posting.refresh_from_db()
    assert statement.posting.status == Status.REJECTED
    with pytest.raises(AlreadyDecided):
        complaint_decide(complaint=complaint, actor=second, upheld=True, reply="Again.")


def test_a_complaint_needs_reasons_and_comes_in_time(taken_down):
    statement, recruiter, _first, _second = taken_down
    with pytest.raises(ValidationError):
        complaint_file(statement=statement, actor=recruiter, text="  ")
    StatementOfReasons.objects.filter(pk=statement.pk).update(
        created_at=timezone.now() - timedelta(days=200)
    )
    with pytest.raises(ValidationError, match="has passed"):
        complaint_file(statement=statement, actor=recruiter, text="Late.")


def test_the_only_moderator_may_decide_on_their_own_decision():
    company = CompanyFactory()
    recruiter = RecruiterFactory(company=company)
    alone = ModeratorFactory()
    posting = PublishedPostingFactory(company=company)
    posting_take_down(posting=posting, actor=alone, reason="other")
    complaint = complaint_file(
        statement=posting.statements.get(), actor=recruiter, text="Please look again."
    )

    complaint_decide(complaint=complaint, actor=alone, upheld=False, reply="Still other.")

    assert Complaint.objects.get().state == ComplaintState.REJECTED


# --- The transparency report ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_transparency_report_is_computed_and_linked_in_every_language(
    client, language, django_assert_max_num_queries
):
    posting = PublishedPostingFactory()
    for reason in ("scam", "scam", "spam"):
        Report.objects.create(posting=posting, reason=reason, message="m", client_hash=reason)
    posting_take_down(posting=posting, actor=ModeratorFactory(), reason="scam")
    url = f"/{language}/transparency/"

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    summary = response.context["summary"]
    assert (summary.notices, summary.notices_taken_down, summary.decisions) == (3, 3, 1)
    assert dict(summary.decisions_by_kind)[str(_label("take_down", language))] == 1
    assert summary.automated_decision_share == 0
    assert summary.notice_median is not None
    home = client.get(f"/{language}/").content.decode()
    assert f'href="{url}"' in home


def test_the_transparency_report_heads_its_notices_table_and_counts_complaints(client):
    company = CompanyFactory()
    posting = PublishedPostingFactory(company=company)
    for reason in ("scam", "scam", "spam"):
        Report.objects.create(posting=posting, reason=reason, message="m", client_hash=reason)
    posting_take_down(posting=posting, actor=ModeratorFactory(), reason="scam")
    complaint_file(
        statement=posting.statements.get(),
        actor=RecruiterFactory(company=company),
        text="Please look again.",
    )

    response = client.get("/en/transparency/")

    summary = response.context["summary"]
    assert (summary.complaints, summary.complaints_open, summary.complaints_upheld) == (1, 1, 0)
    assert summary.complaint_median is None  # none decided yet
    assert (summary.automated_detection, summary.automated_decision) == (0, 0)
    page = lxml.html.fromstring(response.content)
    tables = {table.findtext("caption"): table for table in page.iter("table")}
    notices = tables["Notices by reason"]
    assert [cell.text_content() for cell in notices.iter("th") if cell.get("scope") == "col"] == [
        "Reason",
        "Notices",
    ]
    rows = {row.findtext("th"): row.findtext("td") for row in notices.find("tbody").iter("tr")}
    assert rows["Scam or fraud"] == "2"
    assert rows["Spam"] == "1"
    assert tables["Decisions by kind"].find("thead") is None


def _label(value, language):
    from jobs.models import StatementDecision

    with translation.override(language):
        return str(StatementDecision(value).label)


def test_an_unknown_year_shows_the_latest_report_and_says_so(client):
    response = client.get("/en/transparency/?year=1999")

    assert response.status_code == HTTPStatus.OK
    assert response.context["summary"].year == timezone.localdate().year
    assert "There is no report for the year you asked for" in response.content.decode()
    assert client.get("/en/transparency/?year=abc").status_code == HTTPStatus.OK


# --- A notifier's personal data ---------------------------------------------------------------


def test_a_notifier_exports_and_erases_their_notices_and_retention_clears_them(client, settings):
    from jobs.services.alerts import email_hash
    from jobs.services.privacy import my_data_erase, my_data_export, reports_purge_personal_data

    posting = PublishedPostingFactory()
    notice(client, posting)
    digest = email_hash("ANA@example.org ")

    (exported,) = my_data_export(digest=digest)["notices"]
    assert (exported["email"], exported["name"]) == ("ana@example.org", "Ana Example")

    my_data_erase(digest=digest)
    stored = Report.objects.get()
    assert (stored.notifier_email, stored.notifier_name, stored.message) == ("", "", "")
    assert stored.reason == "scam"  # the count stays, with nothing that identifies anyone
    assert my_data_export(digest=digest)["notices"] == []

    notice(client, posting, notifier_email="bea@example.org")
    report_dismiss(posting=posting, actor=ModeratorFactory())
    later = timezone.now() + timedelta(days=settings.JOBS_REPORT_RETENTION_DAYS + 1)
    assert reports_purge_personal_data(now=later) == 2  # the erased one kept its client hash
    assert not Report.objects.exclude(notifier_email="").exists()
