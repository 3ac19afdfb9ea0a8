from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone


class JobPostingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def open(self):
        """Published, not past its expiry date and not hidden after reports: what candidates
        may see."""
        return self.published().filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
            hidden_at__isnull=True,
        )

    def in_language(self, code: str):
        return self.filter(language=code)

    def in_country(self, code: str):
        # A region's postings carry all the region's countries, so one containment test
        # (served by the GIN index) finds "Latin America (Remote)" under Brazil.
        return self.filter(countries__contains=[code])

    def of_company(self, company):
        return self.filter(company=company)

    def with_pending_edit(self):
        from jobs.models import PostingRevision, RevisionState

        return self.annotate(
            has_pending_edit=Exists(
                PostingRevision.objects.filter(posting=OuterRef("pk"), state=RevisionState.PENDING)
            )
        )

    def awaiting_review(self):
        """Submitted or imported postings, and published ones with an edit to review; the
        longest waiting first."""
        return (
            self.with_pending_edit()
            .filter(Q(status="pending") | Q(has_pending_edit=True))
            .order_by(Coalesce("submitted_at", "created_at").asc(), "id")
        )
