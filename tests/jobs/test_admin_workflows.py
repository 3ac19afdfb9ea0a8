"""What recruiters and moderators do in admin, through admin's own pages."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import EventAction, JobPosting, PostingRevision, RevisionState, Status
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)

pytestmark = pytest.mark.django_db


def posting_form(company, **overrides):
    data = {
        "title": "Data Engineer",
        "company": company.pk,
        "language": "en",
        "description": "Build pipelines.\n\n- Python\n- PostgreSQL",
        "description_format": "markdown",
        "countries": "DE,AT",
        "location": "Berlin",
        "region": "",
        "workplace": "hybrid",
        "employment_type": "full_time",
        "seniority": "mid",
        "experience_years_min": "3",
        "language_requirements": "[]",
        "salary_min": "60000",
        "salary_max": "75000",
        "salary_currency": "EUR",
        "salary_period": "year",
        "apply_url": "https://acme.example/jobs/1",
        "apply_email": "",
        "expires_at_0": "",
        "expires_at_1": "",
    }
    for prefix in ("reports", "events"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    data.update(overrides)
    return data


def form_of(posting, **overrides):
    current = {
        "title": posting.title,
        "countries": ",".join(posting.countries),
        "workplace": posting.workplace,
        "description": posting.description,
        "seniority": posting.seniority,
        "experience_years_min": "",
        "salary_min": "",
        "salary_max": "",
        "salary_currency": "",
        "salary_period": "",
        "location": posting.location,
        "apply_url": posting.apply_url,
    }
    return posting_form(posting.company, **{**current, **overrides})


ADD_URL = reverse("admin:jobs_jobposting_add")


def change_url(posting):
    return reverse("admin:jobs_jobposting_change", args=[posting.pk])


def review_url(posting):
    return reverse("admin:jobs_pendingposting_change", args=[posting.pk])


# --- Recruiters -----------------------------------------------------------------------------


def test_a_recruiter_creates_a_draft(client, recruiter, company):
    client.force_login(recruiter)

    response = client.post(ADD_URL, posting_form(company))

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    posting = JobPosting.objects.get()
    assert (posting.status, posting.company, posting.slug) == (
        Status.DRAFT,
        company,
        "data-engineer",
    )
    assert "<li>Python</li>" in posting.description_html
    assert posting.events.get().action == EventAction.CREATED


def test_a_recruiter_saves_and_submits_for_review(
    client, recruiter, company, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, posting_form(company, _submit="1"))

    assert response.status_code == HTTPStatus.FOUND
    posting = JobPosting.objects.get()
    assert posting.status == Status.PENDING
    assert [email.to for email in mailoutbox] == [[moderator.email]]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"salary_min": "90000"}, "salary_max", "must not be below the minimum"),
        ({"salary_currency": "XYZ"}, "salary_currency", "not an ISO 4217 currency code"),
        ({"countries": "DE,ZZ"}, "countries", "ZZ is not an ISO 3166-1 country code"),
    ],
)
def test_bad_input_is_a_clear_form_error_and_nothing_is_saved(
    client, recruiter, company, overrides, field, message
):
    client.force_login(recruiter)

    response = client.post(ADD_URL, posting_form(company, **overrides))

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field]), errors
    assert not JobPosting.objects.exists()


def test_another_company_s_id_is_refused(client, recruiter):
    other = CompanyFactory(name="Other")
    client.force_login(recruiter)

    response = client.post(ADD_URL, posting_form(other))

    assert response.status_code == HTTPStatus.OK
    assert "company" in response.context["adminform"].form.errors
    assert not JobPosting.objects.exists()


def test_an_expiry_before_publication_is_refused(client, recruiter, company, moderator):
    posting = PublishedPostingFactory(company=company)
    client.force_login(moderator)
    before = posting.published_at - timedelta(days=1)

    response = client.post(
        change_url(posting),
        form_of(
            posting,
            expires_at_0=before.date().isoformat(),
            expires_at_1=before.time().strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == HTTPStatus.OK
    assert "after the publication date" in " ".join(
        response.context["adminform"].form.errors["expires_at"]
    )


def test_editing_a_live_posting_keeps_it_online_until_approved(
    client, recruiter, company, moderator, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(company=company, title="Backend Engineer")
    client.force_login(recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(posting), form_of(posting, title="Senior Engineer"))

    assert response.status_code == HTTPStatus.FOUND
    posting.refresh_from_db()
    assert (posting.title, posting.status) == ("Backend Engineer", Status.PUBLISHED)
    revision = PostingRevision.objects.get(posting=posting)
    assert (revision.state, revision.data["title"]) == (RevisionState.PENDING, "Senior Engineer")
    # The recruiter goes on working on their edit, not on the live text.
    page = client.get(change_url(posting))
    assert page.context["adminform"].form.initial["title"] == "Senior Engineer"
    # A candidate still sees the live version.
    assert "Backend Engineer" in client.get(posting.get_absolute_url()).content.decode()

    client.force_login(moderator)
    review = client.get(review_url(posting))
    changes = {change.name: change for change in review.context["changes"]}
    assert set(changes) == {"title"}
    assert (changes["title"].before, changes["title"].after) == (
        "Backend Engineer",
        "Senior Engineer",
    )
    client.post(review_url(posting), {"decision": "approve"})
    posting.refresh_from_db()
    assert posting.title == "Senior Engineer"


def test_recruiters_have_no_moderation_actions(client, recruiter, company):
    PendingPostingFactory(company=company)
    client.force_login(recruiter)

    response = client.get(reverse("admin:jobs_jobposting_changelist"))

    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "submit_selected" in actions
    assert "take_down_selected" not in actions
    assert client.get(reverse("admin:jobs_pendingposting_changelist")).status_code == 403


def test_the_posting_page_shows_the_audit_trail(client, recruiter, company, moderator):
    from jobs.services.moderation import posting_reject
    from jobs.services.postings import posting_submit

    posting = PostingFactory(company=company)
    posting_submit(posting=posting, actor=recruiter)
    posting_reject(posting=posting, actor=moderator, reason="incomplete", message="No salary.")
    client.force_login(recruiter)

    html = client.get(change_url(posting)).content.decode()

    assert "Incomplete or unclear – No salary." in html
    assert "Submitted for review" in html


def test_preview_shows_the_posting_as_candidates_will_see_it(client, recruiter, company):
    posting = PostingFactory(company=company, language="fr", title="Ingénieure données")
    client.force_login(recruiter)

    response = client.get(reverse("admin:jobs_jobposting_preview", args=[posting.pk]))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="fr">' in html
    assert "Ingénieure données" in html
    assert 'class="preview-banner"' in html


def test_preview_of_another_company_s_posting_is_not_found(client, recruiter):
    client.force_login(recruiter)

    response = client.get(reverse("admin:jobs_jobposting_preview", args=[PostingFactory().pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_recruiter_renews_from_the_admin(client, recruiter, company):
    posting = PublishedPostingFactory(company=company, expires_at=timezone.now() + timedelta(1))
    client.force_login(recruiter)
    url = reverse("admin:jobs_jobposting_renew", args=[posting.pk])

    assert client.get(url).status_code == HTTPStatus.OK
    assert client.post(url).status_code == HTTPStatus.FOUND

    posting.refresh_from_db()
    assert posting.expires_at > timezone.now() + timedelta(days=59)


def test_export_contains_only_the_recruiter_s_postings(client, recruiter, company):
    own = PublishedPostingFactory(company=company, title="Own posting")
    other = PublishedPostingFactory(title="Other company posting")
    client.force_login(recruiter)

    response = client.post(
        reverse("admin:jobs_jobposting_changelist"),
        {"action": "export_csv", "_selected_action": [own.pk, other.pk]},
    )

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Own posting" in body
    assert "Other company posting" not in body


def test_filters_list_only_what_the_recruiter_may_see(client, recruiter, company):
    PublishedPostingFactory(company=company, countries=["DE"])
    PublishedPostingFactory(countries=["JP"])
    client.force_login(recruiter)

    response = client.get(reverse("admin:jobs_jobposting_changelist"))

    html = response.content.decode()
    assert "?country=DE" in html
    assert "?country=JP" not in html


def test_the_changelist_runs_a_fixed_number_of_queries(
    client, recruiter, company, django_assert_max_num_queries
):
    PublishedPostingFactory.create_batch(3, company=company)
    client.force_login(recruiter)
    client.get(reverse("admin:jobs_jobposting_changelist"))
    PublishedPostingFactory.create_batch(20, company=company)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("admin:jobs_jobposting_changelist"))

    assert response.context["cl"].result_count == 23


# --- Moderators -----------------------------------------------------------------------------


def test_the_queue_lists_what_waits_oldest_first(client, moderator, company, recruiter):
    newer = PendingPostingFactory(submitted_at=timezone.now() - timedelta(hours=1))
    older = PendingPostingFactory(submitted_at=timezone.now() - timedelta(days=2))
    imported = PendingPostingFactory(source_name="Feed", submitted_at=None)
    edited = PublishedPostingFactory(company=company)
    edited.title = "Changed"
    from jobs.services.postings import posting_edit_submit

    posting_edit_submit(posting=edited, actor=recruiter)
    PostingFactory()  # a draft waits for nobody
    client.force_login(moderator)

    response = client.get(reverse("admin:jobs_pendingposting_changelist"))

    listed = list(response.context["cl"].result_list)
    assert listed == [older, newer, imported, edited]


def test_a_first_submission_shows_every_field_as_new(client, moderator):
    posting = PendingPostingFactory(title="Data Engineer")
    client.force_login(moderator)

    response = client.get(review_url(posting))

    assert response.status_code == HTTPStatus.OK
    assert response.context["is_first"]
    assert "title" in {change.name for change in response.context["changes"]}


def test_a_moderator_approves_from_the_review_page(client, moderator):
    posting = PendingPostingFactory()
    client.force_login(moderator)

    response = client.post(review_url(posting), {"decision": "approve"})

    assert response.status_code == HTTPStatus.FOUND
    posting.refresh_from_db()
    assert posting.status == Status.PUBLISHED


def test_a_rejection_without_a_reason_re_renders_with_an_error(client, moderator):
    posting = PendingPostingFactory()
    client.force_login(moderator)

    response = client.post(review_url(posting), {"decision": "reject", "reason": ""})

    assert response.status_code == HTTPStatus.OK
    assert "reason" in response.context["form"].errors
    posting.refresh_from_db()
    assert posting.status == Status.PENDING


def test_a_moderator_rejects_with_a_reason(client, moderator):
    posting = PendingPostingFactory()
    client.force_login(moderator)

    client.post(review_url(posting), {"decision": "reject", "reason": "scam", "message": "Fee."})

    posting.refresh_from_db()
    assert posting.status == Status.REJECTED
    assert posting.events.get(action=EventAction.REJECTED).actor == moderator


def test_a_moderator_sends_back_for_changes(client, moderator):
    posting = PendingPostingFactory()
    client.force_login(moderator)

    client.post(
        review_url(posting),
        {"decision": "request_changes", "reason": "", "message": "Add the salary."},
    )

    posting.refresh_from_db()
    assert posting.status == Status.DRAFT


def test_the_review_queue_offers_no_bulk_approval(client, moderator):
    """Nobody saw the content from the list: approval is on the review page, bound to the
    version shown there."""
    postings = PendingPostingFactory.create_batch(2)
    client.force_login(moderator)
    url = reverse("admin:jobs_pendingposting_changelist")

    page = client.get(url)
    sent = client.post(
        url, {"action": "approve_selected", "_selected_action": [p.pk for p in postings]}
    )

    assert 'value="approve_selected"' not in page.content.decode()
    assert 'value="reject_selected"' in page.content.decode()
    assert sent.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    assert set(JobPosting.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_bulk_rejection_asks_for_the_reason_first(client, moderator):
    postings = PendingPostingFactory.create_batch(2)
    client.force_login(moderator)
    url = reverse("admin:jobs_pendingposting_changelist")
    selected = [p.pk for p in postings]

    ask = client.post(url, {"action": "reject_selected", "_selected_action": selected})
    assert ask.status_code == HTTPStatus.OK
    assert "admin/jobs/decision.html" in [t.name for t in ask.templates]
    assert set(JobPosting.objects.values_list("status", flat=True)) == {Status.PENDING}

    client.post(
        url,
        {
            "action": "reject_selected",
            "_selected_action": selected,
            "decision": "1",
            "reason": "duplicate",
            "message": "",
        },
    )
    assert set(JobPosting.objects.values_list("status", flat=True)) == {Status.REJECTED}


def test_bulk_request_changes_needs_a_message(client, moderator):
    posting = PendingPostingFactory()
    client.force_login(moderator)
    url = reverse("admin:jobs_pendingposting_changelist")
    data = {
        "action": "request_changes_selected",
        "_selected_action": [posting.pk],
        "decision": "1",
        "reason": "",
        "message": "",
    }

    response = client.post(url, data)
    assert "message" in response.context["form"].errors
    client.post(url, {**data, "message": "Say where."})

    posting.refresh_from_db()
    assert posting.status == Status.DRAFT


def test_admin_speaks_the_recruiter_s_language(client, company):
    recruiter = RecruiterFactory(company=company, language="de")
    client.force_login(recruiter)

    response = client.get(reverse("admin:jobs_jobposting_changelist"))

    assert response["Content-Language"] == "de"
    assert "Stellenanzeige" in response.content.decode()


def test_a_published_posting_keeps_an_expiry_date(client, company, moderator):
    posting = PublishedPostingFactory(company=company)
    client.force_login(moderator)

    response = client.post(change_url(posting), form_of(posting, title="Renamed"))

    assert response.status_code == HTTPStatus.OK
    assert "needs an expiry date" in " ".join(
        response.context["adminform"].form.errors["expires_at"]
    )
    posting.refresh_from_db()
    assert posting.title != "Renamed"


def test_a_recruiter_cannot_move_a_live_posting_to_another_company(client, company):
    other = CompanyFactory()
    recruiter = RecruiterFactory(company=company)
    recruiter.companies.add(other)
    posting = PublishedPostingFactory(company=company)
    client.force_login(recruiter)

    client.post(change_url(posting), {**form_of(posting, title="Moved"), "company": other.pk})

    posting.refresh_from_db()
    assert posting.company == company
    assert "company" not in PostingRevision.objects.get(posting=posting).data


@pytest.mark.parametrize("language", ["fr", "de", "es", "pt-br"])
def test_moderation_pages_render_in_every_language(client, language):
    moderator = ModeratorFactory(language=language)
    posting = PendingPostingFactory()
    client.force_login(moderator)

    pages = [
        reverse("admin:jobs_pendingposting_changelist"),
        review_url(posting),
        change_url(posting),
        reverse("admin:jobs_report_changelist"),
        reverse("admin:jobs_jobposting_preview", args=[posting.pk]),
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
    assert response_language(client, review_url(posting)) == language


def response_language(client, url):
    return client.get(url)["Content-Language"]
