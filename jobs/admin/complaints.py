"""The Digital Services Act in admin: statements of reasons (read only, each with its way to
contest it) and recruiters' complaints, filed by the company's recruiters and decided by a
moderator. Both forms hand their work to jobs.services.complaints, whose refusals (a
complaint already open or already decided, too late, one's own decision) are the form's
errors."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from companies.admin import CompanyScopedAdminMixin
from jobs.admin.common import PostingRecordMixin, is_moderator, posting_link
from jobs.models import Complaint, ComplaintState, StatementOfReasons
from jobs.services.complaints import complaint_decide, complaint_file
from jobs.services.statements import COMPLAINT_WINDOW


class ServiceFormMixin:
    """A ModelForm whose save is a service call made while validating: the service's refusal
    becomes the form's error, and the admin's save finds the object already written."""

    request = None

    def call(self):
        raise NotImplementedError

    def _post_clean(self):
        if self.errors:
            return
        try:
            self.instance = self.call()
        except ValidationError as error:
            self.add_error(None, error.messages)
        except PermissionDenied as error:
            self.add_error(None, str(error))


class ComplaintFileForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["statement", "text"]

    def call(self):
        return complaint_file(
            statement=self.cleaned_data["statement"],
            actor=self.request.user,
            text=self.cleaned_data["text"],
            language=translation.get_language(),
        )


class ComplaintDecideForm(ServiceFormMixin, forms.ModelForm):
    outcome = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("upheld", _("Uphold: reverse the decision")),
            ("rejected", _("Reject: the decision stands")),
        ],
        coerce=lambda value: value == "upheld",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Complaint
        fields = ["reply"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].required = True

    def call(self):
        return complaint_decide(
            complaint=self.instance,
            actor=self.request.user,
            upheld=self.cleaned_data["outcome"],
            reply=self.cleaned_data["reply"],
        )


@admin.register(StatementOfReasons)
class StatementOfReasonsAdmin(PostingRecordMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    company_lookup = "posting__company_id"
    list_display = [
        "created_at",
        "posting_link",
        "decision",
        "ground",
        "reason",
        "detection",
        "automated_detection",
    ]
    list_filter = ["decision", "ground", "reason", "detection", "created_at"]
    list_select_related = ["posting__company"]
    search_fields = ["posting__title", "posting__company__name"]
    date_hierarchy = "created_at"
    fields = [
        "posting_link",
        "decision",
        "ground",
        "reason",
        "facts",
        "detection",
        "notices",
        "automated_detection",
        "automated_decision",
        "created_at",
        "contest",
    ]
    readonly_fields = fields

    @admin.display(description=_("contest"))
    def contest(self, statement):
        open_complaint = statement.complaints.filter(state=ComplaintState.OPEN).first()
        if open_complaint is not None:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:jobs_complaint_change", args=[open_complaint.pk]),
                _("A complaint awaits a decision"),
            )
        if timezone.now() > statement.created_at + COMPLAINT_WINDOW:
            return _("The time to contest this decision has passed.")
        return format_html(
            '<a class="button" href="{}?statement={}">{}</a>',
            reverse("admin:jobs_complaint_add"),
            statement.pk,
            _("Contest this decision"),
        )


@admin.register(Complaint)
class ComplaintAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    company_lookup = "statement__posting__company_id"
    list_display = ["created_at", "posting_link", "contested", "state", "decided_at"]
    list_filter = ["state", "created_at"]
    list_select_related = ["statement__posting__company"]
    search_fields = ["statement__posting__title", "statement__posting__company__name"]
    date_hierarchy = "created_at"

    def _outcome(self, request) -> list[str]:
        if is_moderator(request):
            return ["state", "decided_by", "decided_at", "reply"]
        return ["state", "decided_at", "reply"]

    def _summary(self, request) -> list[str]:
        # Recruiters do not learn which moderator decided.
        moderator = is_moderator(request)
        return [
            "posting_link",
            "contested",
            *(["first_decision"] if moderator else []),
            "text",
            "filed_by",
            "created_at",
        ]

    def has_delete_permission(self, request, obj=None):
        return False

    def _decidable(self, obj) -> bool:
        return obj is not None and obj.state == ComplaintState.OPEN

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["statement", "text"]
        if self._decidable(obj) and self.has_change_permission(request, obj):
            return [*self._summary(request), "outcome", "reply"]
        return [*self._summary(request), *self._outcome(request)]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if self._decidable(obj) and self.has_change_permission(request, obj):
            return self._summary(request)
        return [*self._summary(request), *self._outcome(request)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ComplaintFileForm
        elif self._decidable(obj) and self.has_change_permission(request, obj):
            kwargs["form"] = ComplaintDecideForm
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            statements = StatementOfReasons.objects.select_related("posting")
            if not request.user.is_superuser:
                scope = StatementOfReasonsAdmin(StatementOfReasons, self.admin_site)
                statements = scope.get_queryset(request).select_related("posting")
            kwargs["queryset"] = statements
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """The form's service call wrote it already."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            complaint = self.get_object(request, object_id)
            if complaint is not None and not self._decidable(complaint):
                # The same decision sent twice: the first one stands.
                self.message_user(
                    request,
                    _("This complaint was decided already: %(state)s.")
                    % {"state": complaint.get_state_display()},
                    messages.WARNING,
                )
                return redirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("posting"))
    def posting_link(self, complaint):
        return posting_link(complaint.statement.posting)

    @admin.display(description=_("decision contested"))
    def contested(self, complaint):
        statement = complaint.statement
        return format_html(
            '<a href="{}">{} – {}</a>',
            reverse("admin:jobs_statementofreasons_change", args=[statement.pk]),
            statement.get_decision_display(),
            statement.get_reason_display(),
        )

    @admin.display(description=_("first decision"))
    def first_decision(self, complaint):
        event = complaint.statement.event
        return format_html(
            "{} ({})",
            event.actor or "—",
            event.message or "—",
        )
