"""The email leaves through Redis and a real Celery worker, once the transaction commits."""

import pytest

from jobs.services.postings import posting_submit
from tests.factories import CompanyFactory, ModeratorFactory, PostingFactory, RecruiterFactory


@pytest.mark.worker
def test_a_real_worker_sends_the_submission_email(celery_worker):
    company = CompanyFactory()
    recruiter = RecruiterFactory(company=company)
    moderator = ModeratorFactory(language="es", email="moderadora@example.com")
    posting = PostingFactory(company=company, title="Ingeniera de datos")

    posting_submit(posting=posting, actor=recruiter)

    assert celery_worker.wait_for(lambda: celery_worker.emails()), "no email was sent"
    (email,) = celery_worker.emails()
    assert f"To: {moderator.email}" in email
    assert "Ingeniera de datos" in email
    assert f"/admin/jobs/pendingposting/{posting.pk}/change/" in email
