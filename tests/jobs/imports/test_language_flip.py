"""A feed's record whose language changes between runs: the same posting, moved (or held for
a moderator when the detector, not the source, changed its mind), never a second posting
beside an expired first; a feed publishing one id per language keeps its two versions."""

import json
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.choices import EventAction
from jobs.imports.models import ImportRun, PostingSource, RunStatus
from jobs.imports.normalise.language import Detection
from jobs.imports.services import chunk_process, import_run_create, import_run_execute
from jobs.models import JobPosting, PostingEvent, Status
from tests.jobs.imports.helpers import ENGLISH_BODY, fixture, jsonld_posting
from tests.jobs.imports.test_command import import_jobs

pytestmark = pytest.mark.django_db

SOURCE = "Flips"
FRENCH_BODY = (
    "<p>Nous cherchons une ingénieure ou un ingénieur pour concevoir et faire tourner les "
    "services de notre produit. Vous dessinerez des interfaces, rendrez les systèmes plus "
    "fiables et accompagnerez vos collègues au quotidien.</p>"
)
GERMAN_BODY = (
    "<p>Wir suchen eine Ingenieurin oder einen Ingenieur, die oder der die Dienste hinter "
    "unserem Produkt entwirft und betreibt. Du gestaltest Schnittstellen, machst die Systeme "
    "zuverlässiger und begleitest deine Kolleginnen und Kollegen.</p>"
)
# Names and tools only: no detector tells its language, the feed's declaration decides.
NEUTRAL_BODY = (
    "<p>Python, Django, PostgreSQL, Redis, Celery, Kubernetes, Terraform, Grafana, "
    "Prometheus, OpenTelemetry, GitLab.</p>"
)
BODIES = {"en": ENGLISH_BODY, "fr": FRENCH_BODY, "de": GERMAN_BODY}


def record(index: int, language: str, body: str | None = None, **overrides) -> dict:
    return jsonld_posting(
        index, inLanguage=language, description=body or BODIES[language], **overrides
    )


def run_feed(tmp_path, postings, dispatch=None, name="feed.json") -> ImportRun:
    path = tmp_path / name
    path.write_text(json.dumps(postings))
    run = import_run_create(location=str(path), source_name=SOURCE, publish=True)
    return import_run_execute(run_id=run.pk, dispatch=dispatch)


def links(posting) -> list[str]:
    return sorted(PostingSource.objects.filter(posting=posting).values_list("language", flat=True))


def language_problems(run) -> list[str]:
    return [problem["code"] for problem in run.problems if problem["code"].startswith("lang")]


def events(posting, action) -> int:
    return PostingEvent.objects.filter(posting=posting, action=action).count()


def test_a_posting_rewritten_in_another_language_moves_both_ways(tmp_path):
    run_feed(tmp_path, [record(1, "en"), record(2, "en")])
    posting = JobPosting.objects.get(external_id="gen-1")
    assert (posting.language, posting.status) == ("en", Status.PUBLISHED)
    address = posting.get_absolute_url()

    moved = run_feed(tmp_path, [record(1, "fr"), record(2, "en")])

    assert moved.status == RunStatus.SUCCEEDED
    assert (moved.created, moved.updated, moved.unchanged, moved.expired) == (0, 1, 1, 0)
    assert JobPosting.objects.filter(source_name=SOURCE).count() == 2
    posting.refresh_from_db()
    assert (posting.language, posting.status) == ("fr", Status.PUBLISHED)
    assert "ingénieure" in posting.description and not posting.needs_review
    assert links(posting) == ["fr"]
    assert events(posting, EventAction.LANGUAGE_CHANGED) == 1
    event = PostingEvent.objects.get(posting=posting, action=EventAction.LANGUAGE_CHANGED)
    assert "en → fr" in event.message
    assert language_problems(moved) == ["language_changed"]
    # The same id, so a candidate's saved posting is this one: only its language moved.
    assert posting.get_absolute_url() != address

    back = run_feed(tmp_path, [record(1, "en"), record(2, "en")])

    assert (back.created, back.updated, back.expired) == (0, 1, 0)
    posting.refresh_from_db()
    assert (posting.language, posting.status) == ("en", Status.PUBLISHED)
    assert posting.get_absolute_url() == address
    assert links(posting) == ["en"]
    assert events(posting, EventAction.LANGUAGE_CHANGED) == 2
    assert JobPosting.objects.filter(source_name=SOURCE).count() == 2


def test_the_same_run_sent_twice_moves_once(tmp_path):
    run_feed(tmp_path, [record(1, "en")])
    run_feed(tmp_path, [record(1, "de")])

    again = run_feed(tmp_path, [record(1, "de")])

    assert (again.created, again.updated, again.unchanged, again.expired) == (0, 0, 1, 0)
    posting = JobPosting.objects.get(source_name=SOURCE)
    assert (posting.language, links(posting)) == ("de", ["de"])
    assert events(posting, EventAction.LANGUAGE_CHANGED) == 1


def approve(posting) -> None:
    """A moderator publishes the posting an import held."""
    now = timezone.now()
    JobPosting.objects.filter(pk=posting.pk).update(
        status=Status.PUBLISHED, published_at=now, expires_at=now + timedelta(days=30),
        needs_review=False, review_reason="", review_reasons=[],
    )  # fmt: skip


def test_a_borderline_text_whose_declared_language_flips_is_held_not_moved(tmp_path):
    run_feed(tmp_path, [record(1, "en", NEUTRAL_BODY)])
    posting = JobPosting.objects.get(source_name=SOURCE)
    assert posting.needs_review  # no detector can tell: the feed's "en" stood
    approve(posting)

    held = run_feed(tmp_path, [record(1, "fr", NEUTRAL_BODY)])

    posting.refresh_from_db()
    # Listed as it was, in its language, until a moderator decides.
    assert (posting.language, posting.status) == ("en", Status.PUBLISHED)
    assert posting.needs_review
    assert ["language_flip", {"language": "en", "detected": "fr"}] in posting.review_reasons
    assert "kept in en until a moderator decides" in posting.review_reason
    assert links(posting) == ["en"]
    assert JobPosting.objects.filter(source_name=SOURCE).count() == 1
    assert (held.created, held.expired) == (0, 0)
    assert "language_flip" in language_problems(held)
    assert events(posting, EventAction.LANGUAGE_HELD) == 1
    assert events(posting, EventAction.LANGUAGE_CHANGED) == 0

    again = run_feed(tmp_path, [record(1, "fr", NEUTRAL_BODY)])

    assert (again.created, again.unchanged, again.expired) == (0, 1, 0)
    assert events(posting, EventAction.LANGUAGE_HELD) == 1


def test_the_same_text_read_anew_as_another_language_is_held(tmp_path, monkeypatch):
    undeclared = {**record(1, "en"), "inLanguage": None}
    run_feed(tmp_path, [undeclared])
    posting = JobPosting.objects.get(source_name=SOURCE)
    assert (posting.language, posting.needs_review) == ("en", False)

    # A new detector (a rules change, so the record is normalised again) reads it as French,
    # surely: the words are the same, so the text was not rewritten.
    monkeypatch.setattr("jobs.imports.identity.RULES_VERSION", "detector-upgrade")
    monkeypatch.setattr(
        "jobs.imports.normalise.language.detect", lambda text: Detection("fr", 1.0, 1.0)
    )
    run_feed(tmp_path, [undeclared])

    posting.refresh_from_db()
    assert (posting.language, posting.status, posting.needs_review) == (
        "en", Status.PUBLISHED, True
    )  # fmt: skip
    assert posting.review_reasons == [["language_flip", {"language": "en", "detected": "fr"}]]
    assert JobPosting.objects.filter(source_name=SOURCE).count() == 1


def test_a_text_whose_feed_contradicts_it_is_held(tmp_path):
    run_feed(tmp_path, [record(1, "en")])

    # Rewritten in French, yet still declared English: which one is wrong is a person's call.
    run_feed(tmp_path, [record(1, "en", FRENCH_BODY)])

    posting = JobPosting.objects.get(source_name=SOURCE)
    assert (posting.language, posting.needs_review) == ("en", True)
    assert ["language_flip", {"language": "en", "detected": "fr"}] in posting.review_reasons
    assert JobPosting.objects.filter(source_name=SOURCE).count() == 1


@pytest.mark.parametrize("new_first", [True, False])
def test_a_per_language_feed_keeps_two_postings(tmp_path, settings, new_first):
    settings.IMPORT_CHUNK_SIZE = 1  # each version in a chunk of its own
    run_feed(tmp_path, [record(1, "en")])
    english = JobPosting.objects.get(source_name=SOURCE)
    # The English one retitled, so normalised in a chunk too, before or after the French.
    versions = [record(1, "fr"), record(1, "en", title="Platform Engineer (Berlin)")]

    run = run_feed(tmp_path, versions if new_first else versions[::-1], dispatch=lambda pk: None)

    assert (run.created, run.updated, run.expired) == (1, 1, 0)
    french = JobPosting.objects.get(source_name=SOURCE, language="fr")
    english.refresh_from_db()
    assert (english.language, english.status) == ("en", Status.PUBLISHED)
    assert french.external_id == english.external_id == "gen-1"
    assert not PostingEvent.objects.filter(
        action__in=[EventAction.LANGUAGE_CHANGED, EventAction.LANGUAGE_HELD]
    ).exists()


def test_per_language_feeds_a_run_each_keep_their_versions():
    # Personio's feeds, one language a run, the position id in both: the version key says
    # the English one is a version of the German, not the German rewritten.
    import_jobs(fixture("versions/personio_de.xml"), "--source-name", SOURCE)
    import_jobs(fixture("versions/personio_en.xml"), "--source-name", SOURCE)

    assert sorted(JobPosting.objects.values_list("language", flat=True)) == ["de", "en"]
    assert not PostingEvent.objects.filter(
        action__in=[EventAction.LANGUAGE_CHANGED, EventAction.LANGUAGE_HELD]
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_move_one_and_keep_the_versions(tmp_path, settings):
    settings.IMPORT_CHUNK_SIZE = 2
    run_feed(tmp_path, [record(index, "en") for index in range(8)])
    # Four moved to German, the others published in French too: chunks of two, each done by
    # whichever of two workers (threads with their own connections) gets it first.
    postings = [record(index, "de") for index in range(4)]
    postings += [record(index, "fr") for index in range(4, 8)]
    postings += [record(index, "en") for index in range(4, 8)]
    threads: list[threading.Thread] = []

    def dispatch(chunk_id: int) -> None:
        def work() -> None:
            from django.db import connection

            try:
                chunk_process(chunk_id=chunk_id)
            finally:
                connection.close()

        threads.append(threading.Thread(target=work))
        threads[-1].start()

    run = run_feed(tmp_path, postings, dispatch=dispatch)
    for thread in threads:
        thread.join(timeout=60)

    assert run.status == RunStatus.SUCCEEDED
    assert (run.created, run.expired, run.failed) == (4, 0, 0)
    languages = JobPosting.objects.filter(source_name=SOURCE).values_list("language", flat=True)
    assert sorted(languages) == ["de"] * 4 + ["en"] * 4 + ["fr"] * 4
    assert PostingEvent.objects.filter(action=EventAction.LANGUAGE_CHANGED).count() == 4
    assert PostingSource.objects.filter(source_name=SOURCE).count() == 12
