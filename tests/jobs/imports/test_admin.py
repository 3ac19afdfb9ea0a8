"""Staff manage sources, run one now and watch the run in admin."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from config.celery import app
from jobs.imports.models import ImportRun, ImportSource, RunStatus
from jobs.imports.services import import_source_save
from tests.jobs.imports.helpers import jsonld_posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    # "Run now" queues a task; here it runs in the test's process whatever REDIS_URL says.
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw")
    client.force_login(user)
    return client


def test_a_scheduled_source_gets_a_beat_task_that_follows_it():
    crontab = CrontabSchedule.objects.create(minute="15", hour="*/2")
    source = import_source_save(
        source=ImportSource(name="Greenhouse Acme", url="https://example.com/f", schedule=crontab)
    )

    task = PeriodicTask.objects.get()
    assert task.task == "jobs.tasks.run_import_source"
    assert task.args == f"[{source.pk}]"
    assert task.crontab == crontab
    assert task.enabled

    source.active = False
    import_source_save(source=source)
    assert not PeriodicTask.objects.exists()


def test_staff_run_a_source_now_and_watch_its_run(
    staff, feed_server, eager_celery, django_capture_on_commit_callbacks
):
    postings = [jsonld_posting(index) for index in range(3)] + [{"@type": "JobPosting"}]
    feed_server.routes["/feed.json"] = json.dumps(postings).encode()
    source = import_source_save(
        source=ImportSource(name="Local board", url=feed_server.url("/feed.json"))
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("admin:jobs_importsource_run", args=[source.pk]))

    run = ImportRun.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("admin:jobs_importrun_change", args=[run.pk])
    assert run.status == RunStatus.SUCCEEDED
    assert run.created == 3
    page = staff.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert "The posting has no title." in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()


def test_a_running_run_page_refreshes_itself(staff):
    run = ImportRun.objects.create(
        source_name="x", location="feed.json", format="auto", status=RunStatus.RUNNING
    )

    page = staff.get(reverse("admin:jobs_importrun_change", args=[run.pk]))

    assert 'http-equiv="refresh"' in page.content.decode()


def test_source_list_shows_the_last_run_without_a_query_per_source(
    staff, django_assert_max_num_queries
):
    for index in range(5):
        source = ImportSource.objects.create(name=f"S{index}", url="https://example.com/f")
        ImportRun.objects.create(
            source=source, source_name=source.name, location=source.url, format="auto"
        )

    with django_assert_max_num_queries(8):
        response = staff.get(reverse("admin:jobs_importsource_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("Queued") >= 5


def test_run_now_refuses_get(staff):
    source = ImportSource.objects.create(name="S", url="https://example.com/f")
    response = staff.get(reverse("admin:jobs_importsource_run", args=[source.pk]))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not ImportRun.objects.exists()


def test_a_runs_problems_are_grouped_by_reason_most_frequent_first(staff):
    problems = [
        {"item": f"#{n}", "kind": "flagged", "code": "no_apply", "params": {}} for n in (2, 5, 9)
    ] + [{"item": "#4", "kind": "skipped", "code": "missing_title", "params": {}}]
    run = ImportRun.objects.create(
        source_name="x", location="feed.json", format="auto", status=RunStatus.SUCCEEDED,
        problems=problems,
    )  # fmt: skip

    page = staff.get(reverse("admin:jobs_importrun_change", args=[run.pk])).content.decode()

    grouped = page[page.index("first item") :]
    assert grouped.index("no way to apply") < grouped.index("no title")
    assert "<td>3</td>" in grouped
    assert "<td>#2</td>" in grouped  # the first of its group, as the example
