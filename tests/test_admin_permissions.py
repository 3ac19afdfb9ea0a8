"""Every admin URL of every model, for every role: anonymous, the recruiter of company A
(whose objects these are), the recruiter of company B, a moderator and a superuser.

OK is 200; LOGIN a redirect to the login page; REFUSED a 403 or a 404 whose body never
shows the object. A recruiter of company B must never learn anything about company A.
"""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import reverse

from companies.models import Membership, UserProfile
from jobs.models import PostingEvent
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PendingPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RecruiterFactory,
    ReportFactory,
    SuperuserFactory,
)

OK, LOGIN, REFUSED = "ok", "login", "refused"
ROLES = ["anonymous", "recruiter_b", "recruiter_a", "moderator", "superuser"]
VIEWS = ["changelist", "add", "change", "delete", "history"]
MODELS = [
    "auth.user",
    "auth.group",
    "companies.company",
    "companies.membership",
    "companies.userprofile",
    "jobs.jobposting",
    "jobs.pendingposting",
    "jobs.report",
    "jobs.postingevent",
    "jobs.statementofreasons",
    "jobs.complaint",
    "locales.region",
    "locales.exchangerate",
    "jobs.importsource",
    "jobs.importrun",
    "django_celery_beat.periodictask",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.solarschedule",
    "django_celery_beat.clockedschedule",
]
AUTOCOMPLETES = [
    ("jobs", "jobposting", "company"),
    ("companies", "membership", "company"),
    ("companies", "membership", "user"),
]

ALL_REFUSED = dict.fromkeys(VIEWS, REFUSED)
ALL_OK = dict.fromkeys(VIEWS, OK)
VIEW_ONLY = {"changelist": OK, "add": REFUSED, "change": OK, "delete": REFUSED, "history": OK}
# The other company's recruiter: their own (empty of A) list, nothing of A's.
LIST_ONLY = {**ALL_REFUSED, "changelist": OK}

EXPECTED = {
    "recruiter_a": {
        "companies.company": VIEW_ONLY,
        "companies.membership": VIEW_ONLY,
        "companies.userprofile": VIEW_ONLY,
        "jobs.jobposting": ALL_OK,
        "jobs.report": VIEW_ONLY,
        # The statements of reasons they received, and their complaints against them.
        "jobs.statementofreasons": VIEW_ONLY,
        "jobs.complaint": {**VIEW_ONLY, "add": OK},
    },
    "recruiter_b": {
        "companies.company": LIST_ONLY,
        "companies.membership": LIST_ONLY,
        "companies.userprofile": LIST_ONLY,
        "jobs.jobposting": {**LIST_ONLY, "add": OK},
        "jobs.report": LIST_ONLY,
        "jobs.statementofreasons": LIST_ONLY,
        "jobs.complaint": {**LIST_ONLY, "add": OK},
    },
    "moderator": {
        "companies.company": VIEW_ONLY,
        "companies.membership": ALL_OK,
        # Each staff user sets their own language; nobody else's but a superuser.
        "companies.userprofile": LIST_ONLY,
        "jobs.jobposting": VIEW_ONLY,
        "jobs.pendingposting": VIEW_ONLY,
        "jobs.report": VIEW_ONLY,
        # The audit log: read only, for staff.
        "jobs.postingevent": VIEW_ONLY,
        # What imports hold comes from sources and runs moderators read, not change.
        "jobs.importsource": VIEW_ONLY,
        "jobs.importrun": VIEW_ONLY,
        "jobs.statementofreasons": VIEW_ONLY,
        # Moderators decide complaints (the change form); recruiters file them.
        "jobs.complaint": VIEW_ONLY,
    },
    "superuser": {
        **dict.fromkeys(MODELS, ALL_OK),
        # The queue is a view of postings: nothing is added to or deleted from it.
        "jobs.pendingposting": VIEW_ONLY,
        "jobs.report": {**ALL_OK, "add": REFUSED},
        # A run is what an import did: started from its source, never added or edited.
        "jobs.importrun": {**ALL_OK, "add": REFUSED},
        "jobs.postingevent": VIEW_ONLY,
        # A statement is the record of a decision; a complaint is kept once filed.
        "jobs.statementofreasons": VIEW_ONLY,
        "jobs.complaint": {**ALL_OK, "delete": REFUSED},
    },
}
AUTOCOMPLETE_EXPECTED = {
    "recruiter_a": {"company": OK, "user": REFUSED},
    "recruiter_b": {"company": OK, "user": REFUSED},
    "moderator": {"company": OK, "user": REFUSED},
    "superuser": {"company": OK, "user": OK},
}


def expected(role: str, model: str, view: str) -> str:
    if role == "anonymous":
        return LOGIN
    return EXPECTED[role].get(model, ALL_REFUSED)[view]


@pytest.fixture
def world(db):
    """Company A's objects, one per model, and the five people."""
    company_a = CompanyFactory(name="Acme Secret Labs", slug="acme")
    company_b = CompanyFactory(name="Bravo Corp", slug="bravo")
    recruiter_a = RecruiterFactory(company=company_a, language="en")
    recruiter_b = RecruiterFactory(company=company_b, language="en")
    draft = PostingFactory(company=company_a, title="Acme confidential draft")
    pending = PendingPostingFactory(company=company_a, title="Acme confidential pending")
    report = ReportFactory(posting__company=company_a, posting__title="Acme reported")
    people = {
        "anonymous": None,
        "recruiter_a": recruiter_a,
        "recruiter_b": recruiter_b,
        "moderator": ModeratorFactory(),
        "superuser": SuperuserFactory(),
    }
    objects = {
        "auth.user": recruiter_a,
        "auth.group": recruiter_a.groups.get(),
        "companies.company": company_a,
        "companies.membership": Membership.objects.get(user=recruiter_a),
        "companies.userprofile": UserProfile.objects.get(user=recruiter_a),
        "jobs.jobposting": draft,
        "jobs.pendingposting": pending,
        "jobs.report": report,
        "jobs.postingevent": PostingEvent.objects.create(
            posting=draft, action="created", to_status="draft"
        ),
        "locales.region": __import__("locales.models").models.Region.objects.first(),
        "locales.exchangerate": __import__("locales.models").models.ExchangeRate.objects.first(),
        **import_objects(company_a),
        **dsa_objects(company_a, people),
    }
    return people, objects


def dsa_objects(company, people) -> dict:
    """A statement of reasons for a posting of company A taken down, and A's complaint."""
    from jobs.services.complaints import complaint_file
    from jobs.services.moderation import posting_take_down

    posting = PublishedPostingFactory(company=company, title="Acme taken down")
    posting_take_down(posting=posting, actor=people["moderator"], reason="scam")
    statement = posting.statements.get()
    complaint = complaint_file(
        statement=statement, actor=people["recruiter_a"], text="Acme: it is a real job."
    )
    return {"jobs.statementofreasons": statement, "jobs.complaint": complaint}


def import_objects(company) -> dict:
    """An import source of company A, one of its runs, and a schedule of each kind."""
    from django.utils import timezone
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    from jobs.imports.models import ImportRun, ImportSource

    source = ImportSource.objects.create(
        name="Acme careers feed",
        format="jsonld",
        url="https://acme.example/jobs.json",
        default_company=company,
        default_language="en",
    )
    interval = IntervalSchedule.objects.create(every=6, period=IntervalSchedule.HOURS)
    return {
        "jobs.importsource": source,
        "jobs.importrun": ImportRun.objects.create(
            source=source, source_name=source.name, location=source.url, format=source.format
        ),
        "django_celery_beat.periodictask": PeriodicTask.objects.create(
            name="Acme import", task="jobs.tasks.run_import_source", interval=interval
        ),
        "django_celery_beat.intervalschedule": interval,
        "django_celery_beat.crontabschedule": CrontabSchedule.objects.create(minute="5"),
        "django_celery_beat.solarschedule": SolarSchedule.objects.create(
            event="sunrise", latitude=52.5, longitude=13.4
        ),
        "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(
            clocked_time=timezone.now()
        ),
    }


def url_for(model: str, view: str, obj) -> str:
    app_label, model_name = model.split(".")
    name = f"admin:{app_label}_{model_name}_{view}"
    return reverse(name) if view in ("changelist", "add") else reverse(name, args=[obj.pk])


def assert_outcome(response, outcome: str, secret: str, context: str):
    if outcome == OK:
        assert response.status_code == HTTPStatus.OK, context
    elif outcome == LOGIN:
        assert response.status_code == HTTPStatus.FOUND, context
        assert response["Location"].startswith(reverse("admin:login")), context
    else:
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND), (
            f"{context}: {response.status_code}"
        )
        assert secret not in response.content.decode(errors="replace"), context


def test_every_registered_model_is_in_the_matrix():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered == set(MODELS)


@pytest.mark.parametrize("role", ROLES)
def test_admin_url_matrix(role, world, client):
    people, objects = world
    if people[role] is not None:
        client.force_login(people[role])
    checked = 0
    for model in MODELS:
        obj = objects[model]
        for view in VIEWS:
            url = url_for(model, view, obj)
            outcome = expected(role, model, view)
            response = client.get(url)
            assert_outcome(response, outcome, "Acme", f"{role} GET {url}")
            checked += 1
    assert checked == len(MODELS) * len(VIEWS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("app_label", "model_name", "field_name"), AUTOCOMPLETES)
def test_autocomplete_matrix(role, app_label, model_name, field_name, world, client):
    people, _objects = world
    if people[role] is not None:
        client.force_login(people[role])

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name},
    )

    outcome = LOGIN if role == "anonymous" else AUTOCOMPLETE_EXPECTED[role][field_name]
    secret = "Acme" if role == "recruiter_b" else "\x00"
    assert_outcome(response, outcome, secret, f"{role} autocomplete {model_name}.{field_name}")
    if outcome == OK and field_name == "company":
        names = {result["text"] for result in response.json()["results"]}
        if role == "recruiter_a":
            assert names == {"Acme Secret Labs"}
        elif role == "recruiter_b":
            assert names == {"Bravo Corp"}
        else:
            assert {"Acme Secret Labs", "Bravo Corp"} <= names


def test_forged_posts_to_another_company_s_objects_change_nothing(world, client):
    people, objects = world
    client.force_login(people["recruiter_b"])
    draft = objects["jobs.jobposting"]

    change = client.post(url_for("jobs.jobposting", "change", draft), {"title": "Hacked"})
    delete = client.post(url_for("jobs.jobposting", "delete", draft), {"post": "yes"})

    assert change.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    assert delete.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    draft.refresh_from_db()
    assert draft.title == "Acme confidential draft"


def test_matrix_size():
    # Documented in the report: URLs x roles.
    assert (len(MODELS) * len(VIEWS) + len(AUTOCOMPLETES)) * len(ROLES) == 515
