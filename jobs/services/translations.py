"""Language versions: the same job written in several of our languages.

Each version is a posting of its own, listed in its own language version of the site; all of a
job's versions carry one ``translation_group``, so that each page links to the others ("Also
in: Deutsch") and says so to search engines (hreflang). A group holds at most one posting per
language. Feeds that publish a job per language give the group through the id they share
(``group_for``, jobs.imports.versions); recruiters link versions in admin
(``posting_version_link``). What a person linked or unlinked wins: such postings are marked
``translation_group_manual`` and an import no longer regroups them (store.Importer).
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from jobs.caching import invalidate
from jobs.models import JobPosting
from jobs.services.postings import require_company_access

# Import groups are named by the company and the id the feed gives every version of a job:
# the same id in the German and the English feed yields the same group, with no lookup.
IMPORT_NAMESPACE = uuid.UUID("6f1d4c1e-3a52-4d6c-9a57-58f1b1c6e0a1")


def group_for(*, company_id: int, key: str) -> uuid.UUID:
    """The group of a company's job that a feed identifies by ``key`` in every language."""
    return uuid.uuid5(IMPORT_NAMESPACE, f"{company_id}\n{key}")


def _group_lock(group: uuid.UUID) -> None:
    # Two links into one group at once must not both add a version in the same language.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"translations:{group}"])


@transaction.atomic
def posting_version_link(*, posting: JobPosting, version_of: JobPosting, actor) -> JobPosting:
    """Make ``posting`` a language version of ``version_of`` (and of its other versions).

    Refused when the two are one posting, of different companies, in one language, or when
    the group has a version in ``posting``'s language already. Linking what is linked already
    changes nothing (the same form sent twice)."""
    require_company_access(actor, posting)
    require_company_access(actor, version_of)
    if posting.pk == version_of.pk:
        raise ValidationError(_("A posting cannot be a version of itself."), code="self")
    first, second = sorted([posting.pk, version_of.pk])
    locked = JobPosting.objects.select_for_update(of=("self",)).in_bulk([first, second])
    mine, theirs = locked[posting.pk], locked[version_of.pk]
    if mine.company_id != theirs.company_id:
        raise ValidationError(_("Language versions belong to one company."), code="other_company")
    if mine.language == theirs.language:
        raise ValidationError(
            _("A language version must be written in another language."), code="same_language"
        )
    group = theirs.translation_group or mine.translation_group or uuid.uuid4()
    _group_lock(group)
    if mine.translation_group == group and theirs.translation_group == group:
        # The same form sent twice, or a link the feed made already: the person confirms it.
        JobPosting.objects.filter(pk__in=[first, second], translation_group_manual=False).update(
            translation_group_manual=True
        )
        posting.translation_group = group
        return posting
    # Either may be the one joining the other's group: neither language may be there yet.
    for joining in (mine, theirs):
        taken = (
            JobPosting.objects.filter(translation_group=group, language=joining.language)
            .exclude(pk=joining.pk)
            .exists()
        )
        if taken:
            raise ValidationError(
                _("This job already has a version in %(language)s.")
                % {"language": joining.get_language_display()},
                code="language_taken",
            )
    JobPosting.objects.filter(pk__in=[first, second]).update(
        translation_group=group, translation_group_manual=True
    )
    posting.translation_group = version_of.translation_group = group
    posting.translation_group_manual = version_of.translation_group_manual = True
    transaction.on_commit(invalidate)
    return posting


@transaction.atomic
def posting_version_unlink(*, posting: JobPosting, actor) -> JobPosting:
    """Take ``posting`` out of its group: it no longer links to the other versions, nor they
    to it, and an import does not link it again (a posting with no versions is marked so
    too: the person said it has none). Unlinking it again changes nothing."""
    require_company_access(actor, posting)
    JobPosting.objects.filter(pk=posting.pk).exclude(
        translation_group=None, translation_group_manual=True
    ).update(translation_group=None, translation_group_manual=True)
    posting.translation_group = None
    posting.translation_group_manual = True
    transaction.on_commit(invalidate)
    return posting
