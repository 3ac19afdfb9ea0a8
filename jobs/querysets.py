from django.db import models
from django.db.models import Q
from django.utils import timezone


class JobPostingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def open(self):
        """Published and not past its expiry date: what candidates may see."""
        return self.published().filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )

    def in_language(self, code: str):
        return self.filter(language=code)

    def in_country(self, code: str):
        # A region's postings carry all the region's countries, so one containment test
        # (served by the GIN index) finds "Latin America (Remote)" under Brazil.
        return self.filter(countries__contains=[code])

    def of_company(self, company):
        return self.filter(company=company)
