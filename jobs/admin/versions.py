"""A posting's language versions in admin: "this is the French version of …"."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobs import selectors
from jobs.models import JobPosting, Status
from jobs.services.translations import posting_version_link, posting_version_unlink

# Postings a version may join: not ones turned down or put away for good.
LINKABLE = [Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.EXPIRED]


class VersionLinkForm(forms.Form):
    version_of = forms.ModelChoiceField(
        label=_("This posting is a version of"),
        queryset=JobPosting.objects.none(),
        help_text=_("A posting of the same company, written in another language."),
    )

    def __init__(self, *args, posting: JobPosting, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = (
            JobPosting.objects.filter(company_id=posting.company_id, status__in=LINKABLE)
            .exclude(language=posting.language)
            .order_by("-created_at")
        )
        if posting.translation_group is not None:
            candidates = candidates.exclude(translation_group=posting.translation_group)
        self.fields["version_of"].queryset = candidates
        self.fields["version_of"].label_from_instance = lambda other: (
            f"{other.title} ({other.get_language_display()}, #{other.pk})"
        )


class LanguageVersionsMixin:
    """Adds the versions page to the postings' admin (``<id>/versions/``)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/versions/",
                self.admin_site.admin_view(self.versions_view),
                name="{}_{}_versions".format(*info),
            ),
            *super().get_urls(),
        ]

    def versions_view(self, request, object_id):
        posting = self._get_permitted(request, object_id, self.has_change_permission)
        here = reverse("admin:jobs_jobposting_versions", args=[posting.pk])
        form = VersionLinkForm(posting=posting)
        if request.method == "POST":
            if "_unlink" in request.POST:
                posting_version_unlink(posting=posting, actor=request.user)
                self.message_user(
                    request,
                    gettext("“%(title)s” no longer links to other language versions.")
                    % {"title": posting.title},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(here)
            form = VersionLinkForm(request.POST, posting=posting)
            if form.is_valid():
                other = form.cleaned_data["version_of"]
                try:
                    posting_version_link(posting=posting, version_of=other, actor=request.user)
                except ValidationError as error:
                    form.add_error("version_of", error)
                else:
                    self.message_user(
                        request,
                        gettext("“%(title)s” is now the %(language)s version of “%(other)s”.")
                        % {
                            "title": posting.title,
                            "language": posting.get_language_display(),
                            "other": other.title,
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(here)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Language versions of “%(title)s”") % {"title": posting.title},
            "opts": self.opts,
            "original": posting,
            "change_url": reverse("admin:jobs_jobposting_change", args=[posting.pk]),
            "versions": selectors.posting_versions(posting),
            "form": form,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/jobs/versions.html", context, status=status)
