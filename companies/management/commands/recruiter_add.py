from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies.models import Company
from companies.services import recruiter_add
from locales.languages import Language


class Command(BaseCommand):
    help = "Make EMAIL a recruiter of a company: create the user, or link an existing one."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--company", required=True, help="The company's slug.")
        parser.add_argument("--password", help="Set this password (optional).")
        parser.add_argument(
            "--language",
            choices=Language.values,
            help="The recruiter's language in admin and emails (default: English).",
        )

    def handle(self, *args, email, company, password=None, language=None, **options):
        found = Company.objects.filter(slug=company).first()
        if found is None:
            raise CommandError(f"Unknown company: {company!r} (no company has this slug).")
        try:
            added = recruiter_add(email=email, company=found, password=password, language=language)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        what = "Created" if added.user_created else "Linked existing user"
        self.stdout.write(f"{what} {added.user.get_username()} as a recruiter of {found.slug}.")
