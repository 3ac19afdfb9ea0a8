"""The store stage: postings and their source links written a chunk at a time (new ones
through COPY, changed ones in bulk), and the postings a feed no longer lists expired."""

from __future__ import annotations

import dataclasses
import re
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, UUIDField, Value, When

from jobs.caching import invalidate
from jobs.imports.identity import Identifier, Item
from jobs.imports.lease import lock_key
from jobs.imports.models import ImportRun, PostingSource, ProblemKind
from jobs.imports.normalise import Normalised
from jobs.imports.reasons import reason_text
from jobs.imports.skips import skips_remember
from jobs.imports.tally import Pending, Tally
from jobs.imports.versions import link_key
from jobs.models import EventAction, JobPosting, Status
from jobs.services.postings import (
    posting_derive,
    posting_language_changed,
    posting_language_hold,
    postings_bulk_move,
    postings_created_record,
)

# Fields an import writes on a posting; a moderator's status and dates are left alone.
CONTENT_FIELDS = [
    "title", "slug", "description", "description_format", "description_html", "language",
    "countries", "location", "region", "workplace", "employment_type", "seniority",
    "experience_years_min", "language_requirements", "salary_min", "salary_max",
    "salary_currency", "salary_period", "visa_sponsorship", "relocation_support",
    "remote_utc_min", "remote_utc_max", "apply_url", "apply_email", "source_url",
    "company", "duplicate_key", "needs_review", "review_reason", "review_reasons", "updated_at",
]  # fmt: skip
# (Not ``translation_group``: a stored posting's group is written apart, and only where no
# person set it: ``Importer.regroup``.)
LINK_FIELDS = [
    "content_hash",
    "record_hash",
    "source_url",
    "last_seen_run",
    "missed_runs",
    "present",
]


class Importer(Identifier):
    """Normalises and stores records: all of a run's, or one chunk's."""

    def __init__(self, run: ImportRun, tally: Tally, *, settling: bool = False) -> None:
        super().__init__(run, tally)
        # Records that may be a stored posting whose language changed: left for the end of
        # the run (``language_changes``), when ``settling`` decides them.
        self.deferred: list[Pending] = []
        self.settling = settling

    def store(self, pending: list[Pending]) -> None:
        prepared = self.prepare_all(pending)
        with transaction.atomic():
            self.write_all(*prepared)

    def write_all(self, items: list[Item], present_keys: list[str]) -> None:
        self.lock(items)
        self.write(items, present_keys)
        skips_remember(run=self.run, skips=self.skips)
        self.skips = []
        # New, changed or reopened postings change the lists' counts.
        transaction.on_commit(invalidate)

    def lock(self, items: list[Item]) -> None:
        """Transaction locks on the keys and duplicate keys about to be written, taken in one
        order by every writer: a worker writing the same posting waits for this one to commit,
        then finds it, instead of creating it again."""
        names = {f"import-key:{self.run.source_name}:{item.normalised.key[:500]}"
                 for item in items}  # fmt: skip
        names |= {f"posting-duplicate:{item.duplicate_key}" for item in items}
        if not names:
            return
        keys = sorted(lock_key(name) for name in names)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_advisory_xact_lock(key)) FROM "
                "(SELECT key FROM unnest(%s::bigint[]) AS key ORDER BY key) AS ordered",
                [keys],
            )

    # The database side: a few queries per chunk, whatever its size.
    def write(self, items: list[Item], present_keys: list[str]) -> None:
        run = self.run
        keys = [item.normalised.key[:500] for item in items]
        # One link per key and language: each language version of a job is a posting.
        links = {
            (link.external_key, link.language): link
            for link in PostingSource.objects.filter(
                source_name=run.source_name, external_key__in=keys + present_keys
            ).select_related("posting")
        }
        fresh = [item for item in items if _link_key(item) not in links]
        fresh, flips = self.language_changes(fresh, links, items, present_keys)
        targets = self.merge_targets(fresh)
        present = set(present_keys)
        seen_ids = [link.pk for (key, _language), link in links.items() if key in present]
        changed: list[tuple[Item, PostingSource]] = []
        rehashed: list[PostingSource] = []
        for item in items:
            link = links.get(_link_key(item))
            if link is None:
                continue
            if link.content_hash == item.content_hash and link.present:
                seen_ids.append(link.pk)
                self.tally.unchanged += 1
                if link.record_hash != item.record_hash:  # the same posting, worded anew
                    link.record_hash = item.record_hash
                    rehashed.append(link)
            else:
                changed.append((item, link))
        if rehashed:
            PostingSource.objects.bulk_update(rehashed, ["record_hash"])
        self.create(fresh, targets)
        self.update(changed)
        for item, link in flips:
            self.relanguage(item, link)
        if seen_ids:
            PostingSource.objects.filter(pk__in=seen_ids).update(last_seen_run=run, missed_runs=0)

    def language_changes(
        self,
        fresh: list[Item],
        links: dict[tuple[str, str], PostingSource],
        items: list[Item],
        present_keys: list[str],
    ) -> tuple[list[Item], list[tuple[Item, PostingSource]]]:
        """Split the new items whose key the source has stored in another language.

        A per-language feed publishes one id in several languages: each is a posting of its
        own, linked as versions (a version key, or the old language in this run too). An id
        that comes back in another language alone is the posting the source rewrote (or
        whose borderline text now reads otherwise): moved, not doubled, so a candidate's
        saved link and its history survive. Whether its old language is in the run shows
        only once the run is read whole, so until then (``settling``) such items wait
        (``deferred``); then they are returned with the link they change."""
        others: dict[str, list[PostingSource]] = {}
        for (key, _language), link in links.items():
            others.setdefault(key, []).append(link)
        here = {_link_key(item) for item in items}
        languages: dict[str, set[str]] = {}
        for item in fresh:
            languages.setdefault(_link_key(item)[0], set()).add(_link_key(item)[1])
        present = set(present_keys)
        kept: list[Item] = []
        flips: list[tuple[Item, PostingSource]] = []
        for item in fresh:
            key, language = _link_key(item)
            stored = [link for link in others.get(key, ()) if link.language != language]
            versions = (
                item.translation_group is not None
                or len(languages[key]) > 1
                or key in present
                or any(
                    link.last_seen_run_id == self.run.pk or (key, link.language) in here
                    for link in stored
                )
            )
            if not stored or versions:
                kept.append(item)
            elif not self.settling:
                self.deferred.append(item.entry)
            else:
                latest = max(stored, key=lambda link: (link.present, link.last_seen_run_id or 0))
                flips.append((item, latest))
        return kept, flips

    def relanguage(self, item: Item, link: PostingSource) -> None:
        """The stored posting of ``link`` is now written in ``item``'s language: moved there
        with its content, or, if this looks like the detector changing its mind on a
        borderline text rather than a rewrite, held in its language for a moderator."""
        posting = link.posting
        language = item.normalised.fields["language"]
        previous = posting.language
        params = {"language": previous, "detected": language}
        own = posting.source_name == self.run.source_name
        # A moderator moved it already, or it is another source's posting this one merged
        # into: only the link follows.
        move = not own or previous == language or not flip_unsure(item, posting)
        if not move:
            # Its content as the feed has it now, in the language it is listed in.
            fields = {**item.normalised.fields, "language": previous}
            item = dataclasses.replace(
                item, normalised=dataclasses.replace(item.normalised, fields=fields)
            )
        try:
            with transaction.atomic():
                if move:
                    PostingSource.objects.filter(pk=link.pk).update(language=language)
                    link.language = language
                self.update([(item, link)])
                if move and own and previous != language:
                    posting_language_changed(
                        posting=posting, previous=previous, message=self.event_message
                    )
                elif not move:
                    posting_language_hold(
                        posting=posting,
                        code="language_flip",
                        params=params,
                        text=reason_text("language_flip", params),
                        message=self.event_message,
                    )
        except DatabaseError as error:  # another posting holds that language's id
            self.refused(item, error)
            return
        if move and own and previous != language:
            self.problem(ProblemKind.CLEANED, item.label, "language_changed", params)
        elif not move:
            self.problem(ProblemKind.FLAGGED, item.label, "language_flip", params)

    def regroup(self, pairs: list[tuple[Item, JobPosting]]) -> None:
        """Stored postings join the group their feed gives, unless a person set theirs: one
        statement, whose condition is read on each row as committed, so that a recruiter's
        link made while this chunk ran wins over the feed's."""
        moves = {
            posting.pk: item.translation_group
            for item, posting in pairs
            if item.translation_group is not None
            and posting.translation_group != item.translation_group
            and not posting.translation_group_manual
        }
        if not moves:
            return
        JobPosting.objects.filter(pk__in=moves, translation_group_manual=False).update(
            translation_group=Case(
                *[When(pk=pk, then=Value(group)) for pk, group in moves.items()],
                output_field=UUIDField(),
            )
        )
        for _item, posting in pairs:
            posting.translation_group = moves.get(posting.pk, posting.translation_group)

    def create(self, fresh: list[Item], targets: dict[str, JobPosting]) -> None:
        run = self.run
        new: list[tuple[Item, JobPosting]] = []
        links: list[tuple[Item, PostingSource]] = []
        in_chunk: dict[str, JobPosting] = {}
        for item in fresh:
            target = targets.get(item.normalised.key) or in_chunk.get(item.duplicate_key)
            link = PostingSource(
                source_name=run.source_name,
                external_key=item.normalised.key[:500],
                language=item.normalised.fields["language"],
                source_url=item.normalised.fields["source_url"],
                content_hash=item.content_hash,
                record_hash=item.record_hash,
                last_seen_run=run,
            )
            if target is not None:
                link.posting = target
                links.append((item, link))
                if target.source_name == run.source_name and target.pk:
                    # Our own earlier posting that lost its link: bring it up to date.
                    self.apply(item, target)
                    target.save(update_fields=CONTENT_FIELDS)
                    self.regroup([(item, target)])
                    self.tally.updated += 1
                else:
                    self.tally.merged += 1
                    self.problem(ProblemKind.CLEANED, item.label, "merged", {"posting": target.pk})
                continue
            posting = self.build(item)
            in_chunk[item.duplicate_key] = posting
            link.posting = posting
            new.append((item, posting))
            links.append((item, link))
        self.save_new(new)
        # A posting the database refused takes its links (and copies) with it.
        copy_links([link for _item, link in links if link.posting.pk is not None], self.now)

    def build(self, item: Item) -> JobPosting:
        posting = JobPosting(company=item.company)
        self.apply(item, posting)
        flagged = bool(item.normalised.review_reason)
        if item.holds:
            posting.needs_review = True
            reasons = [posting.review_reason] if posting.review_reason else []
            reasons += [reason_text(code, params) for code, params in item.holds]
            posting.review_reason = " ".join(reasons)[:300]
            posting.review_reasons = [
                *posting.review_reasons,
                *([code, params or {}] for code, params in item.holds),
            ]
        if self.run.publish and not flagged and not item.holds:
            posting.status = Status.PUBLISHED
            posting.published_at, posting.expires_at = self.dates(item.normalised)
        else:
            posting.status = Status.PENDING
        # Not validated field by field (a tenth of a new posting's time): normalise produces
        # each value within its field's rules, and what it might still let through, the
        # table's types and constraints refuse; save_new then finds the posting and fails it
        # alone with the database's reason.
        return posting

    def apply(self, item: Item, posting: JobPosting) -> None:
        fields = dict(item.normalised.fields)
        html = fields.pop("description_html")
        for name, value in fields.items():
            setattr(posting, name, value)
        posting.region = item.region
        posting.company = item.company
        posting.duplicate_key = item.duplicate_key
        if item.translation_group is not None and posting.pk is None:
            posting.translation_group = item.translation_group
        if item.normalised.review_reason:
            posting.needs_review = True
            posting.review_reason = _review_text(item.normalised)
            posting.review_reasons = [
                [item.normalised.review_reason, item.normalised.review_params or {}]
            ]
        posting_derive(posting=posting, description_html=html)

    def dates(self, normalised: Normalised):
        validity = timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
        posted = normalised.date_posted
        published = posted if posted and self.now - validity < posted <= self.now else self.now
        until = normalised.valid_through
        expires = until if until and until > self.now else published + validity
        return published, expires

    def save_new(self, new: list[tuple[Item, JobPosting]]) -> None:
        if not new:
            return
        postings = [posting for _item, posting in new]
        try:
            with transaction.atomic():
                copy_postings(postings, self.now)
        except DatabaseError:
            for posting in postings:
                posting.pk = None
        else:
            self.tally.created += len(postings)
            postings_created_record(postings, message=self.event_message)
            return
        # One of them breaks a constraint: find which, store the others.
        for item, posting in new:
            posting.pk = None
            try:
                with transaction.atomic():
                    posting.save()
            except DatabaseError as error:
                posting.pk = None
                self.refused(item, error)
                continue
            self.tally.created += 1
        postings_created_record(postings, message=self.event_message)

    def refused(self, item: Item, error: DatabaseError) -> None:
        """The database refused the item's posting: it fails alone, with the reason."""
        self.problem(
            ProblemKind.FAILED,
            item.label,
            "invalid_posting",
            {"error": str(error).splitlines()[0][:200]},
        )

    def update(self, changed: list[tuple[Item, PostingSource]]) -> None:
        if not changed:
            return
        postings = []
        reopened = []
        for item, link in changed:
            posting = link.posting
            came_back = not link.present
            own = posting.source_name == self.run.source_name
            if own and link.content_hash != item.content_hash:
                self.apply(item, posting)
                try:
                    posting.clean_fields(exclude=VALIDATED)
                except ValidationError as error:
                    self.problem(
                        ProblemKind.FAILED,
                        item.label,
                        "invalid_posting",
                        {"error": _messages(error)},
                    )
                    posting.refresh_from_db()
                    link.last_seen_run, link.missed_runs, link.present = self.run, 0, True
                    continue
                posting.updated_at = self.now
                postings.append(posting)
            if came_back and posting.status == Status.EXPIRED:
                reopened.append(posting)
            if (own and link.content_hash != item.content_hash) or came_back:
                self.tally.updated += 1
            else:
                self.tally.unchanged += 1
            link.content_hash = item.content_hash
            link.record_hash = item.record_hash
            link.source_url = item.normalised.fields["source_url"]
            link.last_seen_run, link.missed_runs, link.present = self.run, 0, True
        if postings:
            JobPosting.objects.bulk_update(postings, CONTENT_FIELDS)
            self.regroup([(item, link.posting) for item, link in changed])
        if reopened:
            self.reopen(reopened)
        PostingSource.objects.bulk_update([link for _item, link in changed], LINK_FIELDS)

    def reopen(self, postings: list[JobPosting]) -> None:
        """Expired postings back in their feed are published again, through the life cycle
        (an event each): until their own expiry if it is still ahead, else for the default
        validity from now."""
        ids = [posting.pk for posting in postings]
        expired = JobPosting.objects.filter(pk__in=ids, status=Status.EXPIRED)
        until = self.now + timedelta(days=settings.JOBS_DEFAULT_VALIDITY_DAYS)
        lapsed = Q(expires_at__isnull=True) | Q(expires_at__lte=self.now)
        message = self.event_message
        action = EventAction.PUBLISHED
        postings_bulk_move(
            expired.filter(lapsed), target=Status.PUBLISHED, action=action,
            message=message, expires_at=until,
        )  # fmt: skip
        postings_bulk_move(
            expired.exclude(lapsed), target=Status.PUBLISHED, action=action, message=message
        )
        for posting in postings:  # as stored now (the objects are the chunk's)
            posting.status = Status.PUBLISHED

    @property
    def event_message(self) -> str:
        return f"import: {self.run.source_name}"[:200]


# Fields normalise has validated already (places from our country tables, URLs and the
# email address checked, HTML rendered by our own cleaner): validating them again per posting
# was most of the time spent in ``clean_fields``. (Changed postings only: a bulk update has
# no posting-by-posting fallback when the database refuses one.)
VALIDATED = [
    "company", "region", "countries", "apply_url", "source_url", "apply_email",
    "description", "description_html", "language_requirements",
]  # fmt: skip


def copy_postings(postings: list[JobPosting], now) -> None:
    """INSERT through COPY, with ids taken from the sequence first: no per-row SQL to build,
    and the ids are known for the links."""
    table = JobPosting._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(postings)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    for posting, pk in zip(postings, ids, strict=True):
        posting.pk = pk
        posting.created_at = posting.updated_at = now
    _copy(JobPosting, postings)
    for posting in postings:
        posting._state.adding = False


def copy_links(links: list[PostingSource], now) -> None:
    for link in links:
        link.posting_id = link.posting.pk
        link.created_at = now
    _copy(PostingSource, links, skip_pk=True)


def _copy(model, objects: list, *, skip_pk: bool = False) -> None:
    if not objects:
        return
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (skip_pk and field.primary_key)
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    # Text, numbers, booleans, dates and keys go to psycopg as they are; the others (JSON,
    # arrays, decimals) through their field's own conversion.
    names = [field.attname for field in fields]
    converted = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() not in _PLAIN_TYPES
    ]
    with connection.cursor() as cursor:
        # Recorded like any other statement when queries are being captured (tests, debug).
        recording = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        # psycopg's own cursor, so its errors are raised as Django's (DatabaseError and its
        # kinds), as the callers expect, only through the connection's wrapper.
        with recording, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for obj in objects:
                row = [getattr(obj, name) for name in names]
                for index, field in converted:
                    value = row[index]
                    if isinstance(field, ArrayField) and _plain_codes(value):
                        # Country codes: written as PostgreSQL's array text, not converted
                        # and quoted one element at a time (most of a posting's COPY time
                        # when a region brings twenty countries).
                        row[index] = "{" + ",".join(value) + "}"
                    else:
                        row[index] = field.get_db_prep_save(value, connection)
                copy.write_row(row)


def _plain_codes(value) -> bool:
    # Letters and digits need no quoting in an array's text, except the word NULL (or what
    # reads as it across two codes: then the slow way, to be safe). One test for the lot.
    if not isinstance(value, list) or not all(value):
        return False
    try:
        joined = "".join(value)
    except TypeError:
        return False
    return joined.isascii() and joined.isalnum() and "NULL" not in joined.upper()


_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
    "DateTimeField", "EmailField", "ForeignKey", "IntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField", "URLField",
}  # fmt: skip


def postings_expire_missing(*, run: ImportRun) -> int:
    """After a successful run: count a miss for each posting of the source it did not see,
    and expire the published postings missing for the grace runs from all their sources."""
    missing = PostingSource.objects.filter(source_name=run.source_name, present=True).exclude(
        last_seen_run=run
    )
    missing.update(missed_runs=F("missed_runs") + 1)
    gone = PostingSource.objects.filter(
        source_name=run.source_name,
        present=True,
        missed_runs__gte=run.expire_after_missed_runs,
    ).exclude(last_seen_run=run)
    posting_ids = list(gone.values_list("posting_id", flat=True))
    gone.update(present=False)
    if not posting_ids:
        return 0
    # Through the life cycle: one "expired" event each, saying which import expired it.
    return postings_bulk_move(
        JobPosting.objects.filter(pk__in=posting_ids, status=Status.PUBLISHED).exclude(
            Exists(PostingSource.objects.filter(posting=OuterRef("pk"), present=True))
        ),
        target=Status.EXPIRED,
        action=EventAction.EXPIRED,
        message=f"import: {run.source_name}"[:200],
    )


# What makes a text's language doubtful to the normaliser (normalise/language.py).
LANGUAGE_DOUBTS = frozenset({"language_uncertain", "language_mismatch"})
# Words two texts share, of the fewer either has, from which one is the other retouched.
SAME_TEXT_SHARE = 0.5
_WORD = re.compile(r"\w{3,}")


def flip_unsure(item: Item, posting: JobPosting) -> bool:
    """Whether a posting's new language looks like the detector changing its mind rather
    than the source rewriting it: the text is unsure of its language now or was before, or
    it is mostly the same words (a translation shares names, not sentences)."""
    if item.normalised.review_reason in LANGUAGE_DOUBTS:
        return True
    if any(reason and reason[0] in LANGUAGE_DOUBTS for reason in posting.review_reasons):
        return True
    before = set(_WORD.findall(posting.description.lower()))
    after = set(_WORD.findall(str(item.normalised.fields["description"]).lower()))
    shared = len(before & after) / max(1, min(len(before), len(after)))
    return shared >= SAME_TEXT_SHARE


def _link_key(item: Item) -> tuple[str, str]:
    return link_key(item.normalised.key, item.normalised.fields["language"])


def _review_text(normalised: Normalised) -> str:
    from jobs.imports.reasons import reason_text

    return reason_text(normalised.review_reason, normalised.review_params)[:300]


def _messages(error: ValidationError) -> str:
    return "; ".join(
        f"{name}: {' '.join(str(message) for message in messages)}"
        for name, messages in error.message_dict.items()
    )[:300]
