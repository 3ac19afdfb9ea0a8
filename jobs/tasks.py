from celery import shared_task

from jobs.services import postings_expire_due


@shared_task
def expire_postings() -> int:
    return postings_expire_due()
