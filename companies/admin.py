from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.forms import CompanyAdminForm
from companies.models import Company, Membership, UserProfile
from companies.roles import company_ids, may_access_company, sees_all_companies
from companies.services import company_save, recruiter_add, recruiter_add_check
from locales.languages import Language


class CompanyScopedAdminMixin:
    """Confine a ModelAdmin to the companies the user belongs to.

    `company_lookup` is the ORM path from the model to its company's id. Everything admin
    reads goes through get_queryset (change lists, change forms, history, delete, exports,
    and autocomplete, which asks the related model's admin), and every object-level
    permission check asks the object's company. Users who may access all companies
    (moderators, superusers) are not confined.
    """

    company_lookup = "company_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_companies(request.user):
            return queryset
        return queryset.filter(**{f"{self.company_lookup}__in": company_ids(request.user)})

    def object_company_id(self, obj) -> int | None:
        value = obj
        for part in self.company_lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def _in_scope(self, request, obj) -> bool:
        return obj is None or may_access_company(request.user, self.object_company_id(obj))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Company and not sees_all_companies(request.user):
            kwargs["queryset"] = Company.objects.filter(pk__in=company_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "doesn't exist" for an object outside the
        # queryset; an id of another company's object must simply not exist: 404.
        raise Http404


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return sees_all_companies(request.user) and super().has_view_permission(request, obj)


@admin.register(Company)
class CompanyAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    company_lookup = "id"
    form = CompanyAdminForm
    list_display = [
        "name",
        "slug",
        "country",
        "verified",
        "open_postings",
        "pending_postings",
        "open_reports",
    ]
    list_filter = ["verified", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.annotate(
                _open_postings=Count(
                    "postings", filter=Q(postings__status="published"), distinct=True
                ),
                _pending_postings=Count(
                    "postings", filter=Q(postings__status="pending"), distinct=True
                ),
                _open_reports=Count(
                    "postings__reports",
                    filter=Q(postings__reports__resolved_at__isnull=True),
                    distinct=True,
                ),
            )
        return queryset

    def save_model(self, request, obj, form, change):
        cleared = company_save(company=obj, actor=request.user, changed=form.changed_data)
        if cleared:
            self.message_user(
                request,
                gettext(
                    "A new name, website or logo must be checked again: %(company)s is no "
                    "longer marked verified until staff have done so."
                )
                % {"company": obj.name},
                messages.WARNING,
            )

    def get_readonly_fields(self, request, obj=None):
        if sees_all_companies(request.user):
            return []
        # Whether staff vouched for a company is not the company's own say.
        return ["slug", "verified"]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if "slug" in self.get_readonly_fields(request, obj) else {"slug": ["name"]}

    @admin.display(description=_("published postings"), ordering="_open_postings")
    def open_postings(self, company):
        return company._open_postings

    @admin.display(description=_("awaiting review"), ordering="_pending_postings")
    def pending_postings(self, company):
        return company._pending_postings

    @admin.display(description=_("open reports"), ordering="_open_reports")
    def open_reports(self, company):
        return company._open_reports


class RecruiterAddForm(forms.ModelForm):
    """Add a recruiter by email: the user is created, or an existing one is linked."""

    email = forms.EmailField(label=_("email address"))
    password = forms.CharField(
        label=_("password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Optional. Without one, the recruiter sets a password by resetting it."),
    )
    language = forms.ChoiceField(label=_("language"), choices=Language.choices)

    class Meta:
        model = Membership
        fields = ["company"]

    request_user = None  # set by MembershipAdmin.get_form: who is adding

    def clean(self):
        cleaned = super().clean()
        if "email" in cleaned:
            try:
                recruiter_add_check(
                    email=cleaned["email"],
                    password=cleaned.get("password") or None,
                    actor=self.request_user,
                )
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return cleaned

    def save(self, commit=True):
        try:
            added = recruiter_add(
                email=self.cleaned_data["email"],
                company=self.cleaned_data["company"],
                password=self.cleaned_data["password"] or None,
                language=self.cleaned_data["language"],
                actor=self.request_user,
            )
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        self.instance = added.membership
        self.user_created = added.user_created
        return added.membership

    def save_m2m(self):
        pass


@admin.register(Membership)
class MembershipAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "company", "created_at"]
    list_filter = [("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "company__name"]
    list_select_related = ["user", "company"]
    autocomplete_fields = ["company"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RecruiterAddForm
            kwargs["fields"] = ["email", "company", "password", "language"]
        else:
            kwargs["fields"] = ["company"]
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            form = type(form.__name__, (form,), {"request_user": request.user})
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["email", "company", "password", "language"]})]
        return [(None, {"fields": ["user", "company"]})]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "company"] if obj is not None else []

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields

    def save_model(self, request, obj, form, change):
        # The add form did its work through recruiter_add in save_form(); memberships are
        # never edited, only added and removed.
        if not change and form.user_created:
            self.message_user(
                request,
                gettext("A new staff account was created for %(email)s.")
                % {"email": form.cleaned_data["email"]},
                messages.INFO,
            )

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    """Each staff user may set their own language; superusers may set anyone's."""

    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    fields = ["user", "language"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None or not request.user.is_superuser else []

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404
