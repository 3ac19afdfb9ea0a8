"""Decisions bound to the version reviewed, through the services and the review page."""

from http import HTTPStatus

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from jobs.models import EventAction, RevisionState, Status
from jobs.services.edits import posting_moderator_edit
from jobs.services.moderation import posting_approve, posting_reject, posting_request_changes
from jobs.services.postings import IllegalTransition, posting_edit_submit, posting_save
from jobs.services.versions import (
    AlreadyDecided,
    StaleVersion,
    base_read,
    base_sign,
    review_version,
)
from tests.factories import (
    ModeratorFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return ModeratorFactory(language="en")


def test_a_decision_on_the_version_seen_goes_through(moderator):
    posting = PendingPostingFactory()
    posting_approve(posting=posting, actor=moderator, version=review_version(posting))
    posting.refresh_from_db()
    assert posting.status == Status.PUBLISHED


@pytest.mark.parametrize(
    "decide",
    [
        lambda posting, actor, version: posting_approve(
            posting=posting, actor=actor, version=version
        ),
        lambda posting, actor, version: posting_reject(
            posting=posting, actor=actor, reason="scam", version=version
        ),
        lambda posting, actor, version: posting_request_changes(
            posting=posting, actor=actor, message="Say more.", version=version
        ),
    ],
)
def test_every_decision_on_a_changed_posting_is_refused(decide, moderator):
    posting = PendingPostingFactory(apply_url="https://acme.example/apply")
    seen = review_version(posting)
    posting.apply_url = "https://phish.example/"
    posting_save(posting=posting)
    stale = type(posting).objects.get(pk=posting.pk)
    stale.apply_url = "https://acme.example/apply"  # what the moderator's request read

    with pytest.raises(StaleVersion) as refused:
        decide(stale, moderator, seen)

    assert refused.value.code == "stale"
    assert refused.value.after["live"]["apply_url"] == "https://phish.example/"
    posting.refresh_from_db()
    assert posting.status == Status.PENDING
    assert not posting.events.exclude(action=EventAction.CREATED).exists()


def test_a_new_edit_of_a_live_posting_changes_the_version(moderator):
    posting = PublishedPostingFactory()
    recruiter = RecruiterFactory(company=posting.company)
    posting.title = "First edit"
    posting_edit_submit(posting=posting, actor=recruiter)
    seen = review_version(posting)
    posting.title = "Second edit"
    posting_edit_submit(posting=posting, actor=recruiter)

    with pytest.raises(StaleVersion):
        posting_approve(posting=posting, actor=moderator, version=seen)
    assert posting.revisions.get(state=RevisionState.PENDING).data["title"] == "Second edit"


def test_the_second_decision_says_who_decided_first(moderator):
    posting = PendingPostingFactory()
    seen = review_version(posting)
    posting_reject(posting=posting, actor=moderator, reason="scam", message="Fee up front.")

    with pytest.raises(AlreadyDecided) as refused, translation.override("en"):
        posting_approve(posting=posting, actor=ModeratorFactory(), version=seen)

    message = refused.value.messages[0]
    assert f"Rejected by {moderator.username}" in message
    assert "Fee up front." in message
    assert posting.events.filter(action=EventAction.APPROVED).count() == 0


def test_a_draft_never_submitted_has_nothing_to_decide(moderator):
    with pytest.raises(IllegalTransition) as refused:
        posting_approve(posting=PostingFactory(), actor=moderator)
    assert refused.value.code == "nothing_to_review"


def test_a_forged_base_is_ignored():
    token = base_sign({"title": "A"})
    assert base_read(token) == {"title": "A"}
    assert base_read(token[:-2] + "xx") is None
    assert base_read("") is None


def test_the_review_page_shows_its_version_and_carries_it(client, moderator):
    posting = PendingPostingFactory()
    client.force_login(moderator)

    response = client.get(reverse("admin:jobs_pendingposting_change", args=[posting.pk]))

    assert response.status_code == HTTPStatus.OK
    version = review_version(posting)
    assert response.context["version"] == version
    page = response.content.decode()
    assert f'name="version" value="{version}"' in page
    assert f'<code data-version="{version}">{version}</code>' in page


def test_a_stale_rejection_keeps_the_typed_message(client, moderator):
    posting = PendingPostingFactory()
    url = reverse("admin:jobs_pendingposting_change", args=[posting.pk])
    client.force_login(moderator)
    seen = client.get(url).context
    posting.title = "Changed meanwhile"
    posting_save(posting=posting)

    response = client.post(
        url,
        {
            "decision": "reject",
            "reason": "misleading",
            "message": "The salary is not credible.",
            "version": seen["version"],
            "base": seen["base"],
        },
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "The salary is not credible." in page
    assert [change.name for change in response.context["conflict"]] == ["title"]
    posting.refresh_from_db()
    assert posting.status == Status.PENDING


def test_a_moderator_edit_rebases_the_pending_edit_on_untouched_fields(moderator):
    posting = PublishedPostingFactory(title="Data Engineer", location="Berlin")
    recruiter = RecruiterFactory(company=posting.company)
    edit = type(posting).objects.get(pk=posting.pk)
    edit.title = "Senior Data Engineer"
    posting_edit_submit(posting=edit, actor=recruiter)

    posting.location = "Hamburg"
    revision = posting_moderator_edit(posting=posting, actor=moderator)

    assert revision.state == RevisionState.PENDING
    assert (revision.data["title"], revision.data["location"]) == (
        "Senior Data Engineer",
        "Hamburg",
    )
    event = posting.events.get(action=EventAction.EDITED)
    assert (event.actor, event.message) == (moderator, "Changed: location.")


def test_a_moderator_edit_of_a_field_the_recruiter_changed_sends_the_edit_back(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    posting = PublishedPostingFactory(title="Data Engineer")
    recruiter = RecruiterFactory(company=posting.company, language="en")
    edit = type(posting).objects.get(pk=posting.pk)
    edit.title = "Senior Data Engineer"
    posting_edit_submit(posting=edit, actor=recruiter)
    mailoutbox.clear()

    posting.title = "Data Engineer (m/f/d)"
    with django_capture_on_commit_callbacks(execute=True):
        revision = posting_moderator_edit(posting=posting, actor=moderator)

    assert revision.state == RevisionState.CHANGES_REQUESTED
    assert revision.data["title"] == "Senior Data Engineer"  # the recruiter's, kept
    sent_back = posting.events.get(action=EventAction.CHANGES_REQUESTED)
    assert "title" in sent_back.message
    assert [message.to for message in mailoutbox] == [[recruiter.email]]


def test_an_unchanged_moderator_save_records_nothing(moderator):
    posting = PublishedPostingFactory()
    assert posting_moderator_edit(posting=posting, actor=moderator) is None
    assert not posting.events.filter(action=EventAction.EDITED).exists()


def test_a_recruiter_s_edit_of_a_pending_posting_withdraws_it(client):
    posting = PendingPostingFactory(title="Data Engineer")
    recruiter = RecruiterFactory(company=posting.company, language="en")
    url = reverse("admin:jobs_jobposting_change", args=[posting.pk])
    client.force_login(recruiter)
    data = {
        **form_data(client.get(url).content, "jobposting_form"),
        "title": "Data Engineer II",
        "_save": "Save",
    }

    response = client.post(url, data, follow=True)

    posting.refresh_from_db()
    assert (posting.status, posting.title) == (Status.DRAFT, "Data Engineer II")
    withdrawn = posting.events.get(action=EventAction.WITHDRAWN)
    assert withdrawn.actor == recruiter
    assert "out of review" in response.content.decode()


def form_data(page: bytes, form_id: str) -> dict[str, list[str]]:
    """The form's fields as a browser would post them."""
    data: dict[str, list[str]] = {}
    for name, value in lxml.html.fromstring(page).get_element_by_id(form_id).form_values():
        data.setdefault(name, []).append(value)
    return data


def test_a_resubmission_is_reviewed_against_the_version_sent_back(client, moderator):
    from jobs.services.moderation import posting_request_changes
    from jobs.services.postings import posting_submit

    posting = PendingPostingFactory(title="Data Engineer", location="Berlin")
    recruiter = RecruiterFactory(company=posting.company)
    posting_request_changes(posting=posting, actor=moderator, message="Say where exactly.")
    posting.location = "Berlin-Mitte, Germany"
    posting_save(posting=posting)
    posting_submit(posting=posting, actor=recruiter)
    client.force_login(moderator)

    response = client.get(reverse("admin:jobs_pendingposting_change", args=[posting.pk]))

    changes = response.context["changes"]
    assert [(c.name, c.before, c.after) for c in changes] == [
        ("location", "Berlin", "Berlin-Mitte, Germany")
    ]
    assert response.context["since_sent_back"]
    posting_approve(posting=posting, actor=moderator)
    assert not posting.revisions.filter(state=RevisionState.CHANGES_REQUESTED).exists()


def test_the_diff_marks_the_words_that_changed_and_escapes_the_rest():
    from jobs.selectors import FieldChange
    from jobs.templatetags.word_diff import diff_after, diff_before

    change = FieldChange(
        name="description",
        label="description",
        before="Apply at <b>our</b> site.\nThanks",
        after="Apply at <b>their</b> site.\nThanks",
    )

    assert diff_before(change) == ("Apply at <del>&lt;b&gt;our&lt;/b&gt;</del> site.<br>Thanks")
    assert diff_after(change) == ("Apply at <ins>&lt;b&gt;their&lt;/b&gt;</ins> site.<br>Thanks")


def test_the_review_page_shows_the_changed_word_of_a_long_text(client, moderator):
    posting = PublishedPostingFactory(description="word " * 500 + "Berlin")
    recruiter = RecruiterFactory(company=posting.company)
    edit = type(posting).objects.get(pk=posting.pk)
    edit.description = "word " * 500 + "Hamburg"
    posting_edit_submit(posting=edit, actor=recruiter)
    client.force_login(moderator)

    page = client.get(reverse("admin:jobs_pendingposting_change", args=[posting.pk]))

    html = page.content.decode()
    assert "<del>Berlin</del>" in html
    assert "<ins>Hamburg</ins>" in html
    assert "<ins>word" not in html
