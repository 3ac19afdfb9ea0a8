"""The email outbox (jobs.outbox): written in the event's own transaction, so that no email
is lost to a process that dies after the commit, or to a broker that is down; delivered once
however often it is handed over (issue 20, finding 10)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jobs.models import OutboxMessage
from jobs.services.alerts import alert_subscribe
from jobs.services.outbox import outbox_deliver, outbox_drain
from jobs.services.postings import posting_submit
from tests.factories import CompanyFactory, ModeratorFactory, PostingFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit():
    company = CompanyFactory()
    recruiter = RecruiterFactory(company=company)
    ModeratorFactory(email="moderator@example.com")

    def run():
        return posting_submit(posting=PostingFactory(company=company), actor=recruiter)

    return run


def test_the_email_is_written_in_the_events_transaction(submit, mailoutbox):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        submit()
        assert OutboxMessage.objects.count() == 1
        raise Abort

    assert not OutboxMessage.objects.exists()  # rolled back with the event
    assert mailoutbox == []


def test_an_email_whose_hand_over_was_lost_is_sent_by_the_drain(
    submit, mailoutbox, django_capture_on_commit_callbacks
):
    """The process died between the commit and the hand-over: the after-commit callbacks
    never ran. The row is there, and the periodic drain sends it."""
    with django_capture_on_commit_callbacks(execute=False):
        submit()
    [message] = OutboxMessage.objects.all()
    assert mailoutbox == []

    assert outbox_drain() == 0  # too recent: its hand-over may still be on its way
    assert outbox_drain(now=timezone.now() + timedelta(minutes=2)) == 1

    assert [email.to for email in mailoutbox] == [["moderator@example.com"]]
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert outbox_drain(now=timezone.now() + timedelta(minutes=2)) == 0


def test_a_message_handed_over_twice_is_sent_once(
    submit, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    [message] = OutboxMessage.objects.all()

    assert outbox_deliver(message_id=message.pk) is False

    assert len(mailoutbox) == 1


def test_a_broker_that_is_down_loses_no_confirmation(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from jobs import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.deliver_outbox, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        alert_subscribe(email="ana@example.org", language="en", parameters={}, frequency="daily")
    assert mailoutbox == []
    monkeypatch.undo()

    assert outbox_drain(now=timezone.now() + timedelta(minutes=2)) == 1
    assert [email.to for email in mailoutbox] == [["ana@example.org"]]
