"""Admin's own strings in the languages whose Django catalogs lack them: the change list and
the add form, rendered in German, Spanish and Brazilian Portuguese, show no English."""

import re

import pytest
from django.urls import reverse

from tests.factories import ModeratorFactory, PublishedPostingFactory, RecruiterFactory

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"- Select an option -|Filter by |>\s*Search [a-z]|Pagination |Select all \d")


@pytest.mark.parametrize("language", ["de", "es", "pt-br"])
def test_the_change_list_and_add_form_show_no_english_admin_string(client, language):
    posting = PublishedPostingFactory()
    recruiter = RecruiterFactory(company=posting.company, language=language)
    client.force_login(recruiter)

    pages = {
        "change list": client.get(reverse("admin:jobs_jobposting_changelist")),
        "add form": client.get(reverse("admin:jobs_jobposting_add")),
    }
    client.force_login(ModeratorFactory(language=language))
    pages["review queue"] = client.get(reverse("admin:jobs_pendingposting_changelist"))

    for name, response in pages.items():
        assert response.status_code == 200, name
        found = ENGLISH.findall(response.content.decode())
        assert found == [], f"{language} {name}: {found}"


def test_staff_read_every_posting_event_filtered_by_actor_action_and_date(client):
    from jobs.models import EventAction, PostingEvent
    from jobs.services.moderation import posting_approve
    from tests.factories import PendingPostingFactory

    moderator = ModeratorFactory(language="en")
    approved = PendingPostingFactory(title="Approved One")
    posting_approve(posting=approved, actor=moderator)
    PendingPostingFactory(title="Still Waiting")
    PostingEvent.objects.create(
        posting=approved, action=EventAction.CREATED, to_status="draft", actor=None
    )
    client.force_login(moderator)
    url = reverse("admin:jobs_postingevent_changelist")

    by_actor = client.get(url, {"actor__id__exact": moderator.pk})
    by_action = client.get(url, {"action__exact": "approved"})
    today = client.get(
        url,
        {
            "created_at__day": approved.published_at.day,
            "created_at__month": approved.published_at.month,
            "created_at__year": approved.published_at.year,
        },
    )

    assert [e.action for e in by_actor.context["cl"].result_list] == [EventAction.APPROVED]
    assert [e.posting for e in by_action.context["cl"].result_list] == [approved]
    assert today.context["cl"].result_count == PostingEvent.objects.count()
    client.force_login(RecruiterFactory(company=approved.company, language="en"))
    assert client.get(url).status_code == 403
