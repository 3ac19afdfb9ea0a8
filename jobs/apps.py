from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from companies.models import Company
        from jobs.caching import invalidate_on_commit
        from locales.models import ExchangeRate, Region

        # Postings' own writes retire the cached pages in the services that make them; these
        # rows show on the same pages (a company's name, a region's, the salary filter's
        # rates) and change in admin.
        def retire_cached_pages(**kwargs):
            invalidate_on_commit()

        for model in (Company, ExchangeRate, Region):
            for signal in (post_save, post_delete):
                signal.connect(
                    retire_cached_pages,
                    sender=model,
                    weak=False,  # a local function: nothing else keeps it
                    dispatch_uid=f"pages-{model.__name__}",
                )
