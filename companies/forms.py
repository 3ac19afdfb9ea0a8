from django import forms
from django.core.files.uploadedfile import UploadedFile

from companies.logos import logo_clean
from companies.models import Company
from config.versions import VersionedFormMixin

# What a company's page shows about it: the fields whose concurrent edits must not be lost.
COMPANY_CONTENT_FIELDS = ("name", "slug", "website", "logo", "description", "country", "verified")


def company_content(company: Company) -> dict:
    return {
        name: str(Company._meta.get_field(name).value_from_object(company) or "")
        for name in COMPANY_CONTENT_FIELDS
    }


class CompanyAdminForm(VersionedFormMixin, forms.ModelForm):
    """The company form: a save over a version someone else saved meanwhile is refused."""

    class Meta:
        model = Company
        fields = [*COMPANY_CONTENT_FIELDS]

    def version_content(self, instance) -> dict:
        return company_content(instance)

    def current_content(self) -> dict:
        return company_content(Company.objects.select_for_update().get(pk=self.instance.pk))

    def clean_logo(self):
        """A new upload is checked here, so that the form says what is wrong; the service
        checks it again for every door (companies.services.company_store)."""
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return logo_clean(logo)
        return logo
