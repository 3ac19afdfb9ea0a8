import uuid
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.versions import VersionedFormMixin
from jobs.choices import ANONYMOUS_REPORT_REASONS
from jobs.content import CONTENT_FIELDS, posting_content
from jobs.form_fields import (
    CountriesField,
    CurrencyField,
    LanguageRequirementsField,
    language_mismatch,
)
from jobs.models import (
    AlertFrequency,
    JobPosting,
    ModerationReason,
    ReportReason,
    Status,
)
from jobs.services.postings import default_expiry
from jobs.services.versions import posting_editable_content


class PostingAdminForm(VersionedFormMixin, forms.ModelForm):
    """The posting form recruiters and moderators use in admin.

    Database constraints would refuse the same input, but with a message no recruiter can act
    on; these checks say what is wrong, next to the field that is wrong. A save over a version
    someone else saved meanwhile is refused (`VersionedFormMixin`).
    """

    # Set by the admin: the form edits the live posting's pending edit, not the posting.
    edits_revision = False
    # The add form's one-time token (jobs.services.postings.posting_create_from).
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    countries = CountriesField(
        label=_("countries"),
        required=False,
        help_text=_("Every country candidates may work from. Type to find one by name or code."),
    )
    language_requirements = LanguageRequirementsField(
        label=_("language requirements"),
        help_text=_("The languages candidates need, each with its level; leave a row empty."),
    )
    salary_currency = CurrencyField(label=_("salary currency"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            self.initial["form_token"] = uuid.uuid4()
        if "language_requirements" in self.fields:
            saved = self.initial.get("language_requirements") or []
            self.fields["language_requirements"].set_rows(saved if isinstance(saved, list) else [])

    class Meta:
        model = JobPosting
        fields = [
            "company",
            *CONTENT_FIELDS,
            "expires_at",
            "source_name",
            "source_url",
            "external_id",
        ]

    def version_content(self, instance) -> dict:
        return posting_content(instance)

    def current_content(self) -> dict:
        return posting_editable_content(self.instance.pk, via_revision=self.edits_revision)

    def describe(self, before: dict, after: dict) -> list:
        from jobs.selectors import content_changes

        return content_changes(before, after)

    # A warning shown with the form and after the save, never a refusal (language_mismatch).
    language_warning: str | None = None

    def clean(self):
        cleaned = super().clean()
        if self.conflict is not None:
            return cleaned
        if "description" in self.fields and "language" in self.fields:
            self.language_warning = language_mismatch(
                f"{cleaned.get('title') or ''}\n{cleaned.get('description') or ''}",
                cleaned.get("language") or "",
            )
        minimum, maximum = cleaned.get("salary_min"), cleaned.get("salary_max")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error(
                "salary_max", _("The maximum salary must not be below the minimum salary.")
            )
        if minimum is not None and minimum < 0:
            self.add_error("salary_min", _("A salary cannot be negative."))
        has_salary = minimum is not None or maximum is not None
        if has_salary and not cleaned.get("salary_currency") and "salary_currency" in self.fields:
            self.add_error("salary_currency", _("Give the currency of the salary."))
        if has_salary and not cleaned.get("salary_period") and "salary_period" in self.fields:
            self.add_error("salary_period", _("Say whether the salary is per hour, month, …"))
        earliest, latest = cleaned.get("remote_utc_min"), cleaned.get("remote_utc_max")
        if earliest is not None and latest is not None and earliest > latest:
            self.add_error(
                "remote_utc_max",
                _("The latest time zone must not be west of the earliest (UTC−3 to UTC+2)."),
            )

        expires_at = cleaned.get("expires_at")
        if (
            expires_at is None
            and "expires_at" in self.fields
            and self.instance.status == Status.PUBLISHED
        ):
            self.add_error("expires_at", _("A published posting needs an expiry date."))
        if expires_at is not None:
            published_at = self.instance.published_at
            if published_at is not None and expires_at <= published_at:
                self.add_error(
                    "expires_at", _("The expiry date must be after the publication date.")
                )
            elif expires_at <= timezone.now():
                self.add_error("expires_at", _("The expiry date must be in the future."))
            elif expires_at > default_expiry(published_at or timezone.now()):
                self.add_error(
                    "expires_at",
                    ngettext(
                        "A posting stays online at most %(days)d day after publication.",
                        "A posting stays online at most %(days)d days after publication.",
                        settings.JOBS_DEFAULT_VALIDITY_DAYS,
                    )
                    % {"days": settings.JOBS_DEFAULT_VALIDITY_DAYS},
                )
        return cleaned


class DecisionForm(forms.Form):
    """A moderator's reason and message for rejecting, taking down or sending back."""

    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "---------"), *ModerationReason.choices]
    )
    message = forms.CharField(
        label=_("Message to the recruiters"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, reason_required=True, message_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        self.fields["message"].required = message_required


class ReportForm(forms.Form):
    """A notice about a posting (DSA Art. 16): what is wrong and why, the exact address, who
    sends it (optional for child sexual abuse material) and their good-faith statement.
    `website` is a honeypot: people leave it empty."""

    fields_template = "jobs/includes/report_form_fields.html"
    # Every posting page has its own address in `url`: the fields are rendered once and it is
    # put in (jobs.fragments.form_fields).
    per_page_initial = ("url",)

    reason = forms.ChoiceField(
        label=_("What is wrong with this posting?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with this posting.")},
    )
    message = forms.CharField(
        label=_("Explain why"),
        help_text=_(
            "Say precisely what is illegal or against our rules, and why: what the posting "
            "says, what you know. A moderator reads it."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        min_length=10,
        max_length=2000,
        error_messages={
            "required": _("Explain why this posting is illegal or breaks our rules."),
            "min_length": _("Explain a little more (at least %(limit_value)d characters)."),
        },
    )
    url = forms.CharField(
        label=_("Exact address (URL) of the posting"),
        max_length=500,
        error_messages={"required": _("Give the address of the posting.")},
    )
    notifier_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    notifier_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_(
            "We send you a confirmation and our decision. Your name and address are needed, "
            "except for a report of child sexual abuse material, which you may send "
            "anonymously. The posting's advertiser never sees them."
        ),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    good_faith = forms.BooleanField(
        label=_(
            "I confirm in good faith that the information and allegations in this notice are "
            "accurate and complete."
        ),
        error_messages={"required": _("Confirm that you send this notice in good faith.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        parts = urlsplit(url)
        if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in url:
            raise forms.ValidationError(
                _("Give the full address of the posting, starting with https://."), code="url"
            )
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") not in ANONYMOUS_REPORT_REASONS:
            if not cleaned.get("notifier_name", "").strip() and "notifier_name" not in self.errors:
                self.add_error("notifier_name", _("Give your name."))
            if not cleaned.get("notifier_email") and "notifier_email" not in self.errors:
                self.add_error("notifier_email", _("Give your email address."))
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website")) if hasattr(self, "cleaned_data") else False


class AlertForm(forms.Form):
    """The address and rhythm of a job alert; the search itself comes from the list's own
    parameters, through JobFilter."""

    fields_template = "jobs/includes/alert_form_fields.html"

    email = forms.EmailField(label=_("Email address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=AlertFrequency,
        initial=AlertFrequency.DAILY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "alert_%s")
        super().__init__(*args, **kwargs)


class MyDataForm(forms.Form):
    """The address whose stored data someone wants to see, export or erase."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
