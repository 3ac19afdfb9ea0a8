"""A whole job alert cycle with a real Celery worker over Redis, its emails written to files."""

import email
import email.policy
import re
import subprocess
import time
import uuid
from http import HTTPStatus
from pathlib import Path

import pytest

from jobs.models import JobAlert, JobPosting, Status
from jobs.services.postings import posting_create, posting_publish
from jobs.tasks import expire_postings, send_alert_digests
from tests.conftest import celery_routes
from tests.factories import CompanyFactory, ExpiredPostingFactory

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def sent_emails(directory: Path) -> list[email.message.EmailMessage]:
    """Every message the worker's file backend has written so far."""
    messages = []
    for path in sorted(directory.glob("*.log"), key=lambda path: path.stat().st_mtime_ns):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                messages.append(email.message_from_bytes(raw, policy=email.policy.default))
    return messages


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def wait_for(condition, what: str, worker: subprocess.Popen, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    worker.terminate()
    pytest.fail(f"timed out waiting for {what}:\n{worker.communicate(timeout=30)[0]}")


def publish(company, title: str, description: str) -> JobPosting:
    posting = posting_create(
        company=company,
        title=title,
        description=description,
        language="en",
        countries=["DE"],
        workplace="remote",
    )
    return posting_publish(posting=posting)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_subscribe_confirm_digest_once_and_unsubscribe_through_a_real_worker(
    client, celery_workers
):
    run = uuid.uuid4().hex
    queue = f"test-{run}"  # no other run's worker may take these tasks
    started = celery_workers(
        queue=queue,
        env={
            "DJANGO_SITE_URL": "http://testserver",
            # Its own cache keys: facet counts left by another run must not filter this one.
            "CACHE_KEY_PREFIX": f"test-{run}",
        },
    )
    mail, worker = started.mail_dir, started.process
    # Tasks the web side queues (the confirmation email) go to this run's queue too.
    with celery_routes({"*": {"queue": queue}}):
        company = CompanyFactory()
        address = f"{run}@example.org"

        # Subscribe from the list page's form: the worker sends the confirmation.
        response = client.post(
            "/en/alerts/", {"email": address, "frequency": "daily", "q": "python"}
        )
        assert response.status_code == HTTPStatus.FOUND
        [confirmation] = wait_for(lambda: sent_emails(mail), "the confirmation", worker)
        assert confirmation["To"] == address
        link = re.search(r"http://testserver(/en/alerts/confirm/\S+/)", text_of(confirmation))
        assert client.get(link.group(1)).status_code == HTTPStatus.OK  # shows the button
        assert client.post(link.group(1)).status_code == HTTPStatus.OK  # which confirms
        alert = JobAlert.objects.get()
        assert alert.confirmed_at is not None

        # A matching posting is published; beat's task sends the digest, once.
        match = publish(company, "Python Engineer", "Write **Python** with us.")
        publish(company, "Office Manager", "Keep the office running.")
        send_alert_digests.apply_async(args=["daily"], queue=queue)
        wait_for(lambda: len(sent_emails(mail)) == 2, "the digest", worker)
        send_alert_digests.apply_async(args=["daily"], queue=queue)
        # The queue is first in, first out and the worker takes one task at a time: once this
        # later task is done, the second digest run is too.
        sentinel = ExpiredPostingFactory()
        expire_postings.apply_async(queue=queue)
        wait_for(
            lambda: JobPosting.objects.get(pk=sentinel.pk).status == Status.EXPIRED,
            "the sentinel task",
            worker,
        )
        messages = sent_emails(mail)
        assert len(messages) == 2
        digest = messages[1]
        body = text_of(digest)
        assert digest["Subject"] == "1 new job for your search"
        assert f"http://testserver{match.get_absolute_url()}" in body
        assert "Office Manager" not in body
        assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        # The mail client's one-click unsubscribe.
        unsubscribe = re.fullmatch(
            r"<http://testserver(/en/alerts/unsubscribe/\S+/)>", digest["List-Unsubscribe"]
        )
        response = client.post(
            unsubscribe.group(1),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == HTTPStatus.OK
        assert not JobAlert.objects.exists()
