"""Form fields a recruiter understands: countries, languages and currencies by their names in
the recruiter's language, never as codes or JSON. Each accepts the codes too, so a script (or
an older form) that posts "DE,AT" or "eur" is read the same way."""

from functools import cache

from babel import Locale
from babel.core import UnknownLocaleError
from babel.numbers import get_currency_name
from django import forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from jobs.imports.normalise.language import DETECTED_LANGUAGES, detect
from jobs.validators import CEFR_LEVELS, LANGUAGE_CODE, MAX_LANGUAGE_REQUIREMENTS
from locales.countries import validate_country_code
from locales.languages import BABEL_LOCALE, Language
from locales.money import CURRENCY_CODES, validate_currency_code

# Codes people write that ISO 3166-1 spells otherwise.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


def _babel_locale() -> str:
    return BABEL_LOCALE.get(translation.get_language() or "en", "en")


def country_code(text: str) -> str:
    """A country as typed: its code, a common alias ("UK") or its name in the active
    language or in English ("Deutschland", "Germany"); anything else as typed, for the
    validation to name."""
    code = COUNTRY_ALIASES.get(text.upper(), text.upper())
    if len(text) > 2:
        language = (translation.get_language() or "en").split("-")[0]
        code = countries.by_name(text, language=language) or countries.by_name(text) or text
    return code


# --- Countries ------------------------------------------------------------------------------


class CountryCheckboxes(forms.CheckboxSelectMultiple):
    """Every country as a checkbox, named in the reader's language, in a scrolling box with
    a search field above it (static/js/admin-choice-filter.js filters as one types, by name,
    code or alias; without JavaScript the whole list scrolls). The chosen countries come
    first, so a saved posting's choice is seen without scrolling."""

    template_name = "admin/widgets/searchable_checkboxes.html"

    class Media:
        js = ["js/admin-choice-filter.js"]

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        return sorted(groups, key=lambda group: not group[1][0]["selected"])

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        aliases = [alias for alias, code in COUNTRY_ALIASES.items() if code == value]
        # What a search may match beside the shown name: the code, aliases, the English name.
        with translation.override("en"):
            english = countries.name(value)
        option["attrs"]["data-search"] = " ".join([value, *aliases, english]).lower()
        return option


def country_choices() -> list[tuple[str, str]]:
    # django-countries sorts by the name in the active language.
    return [(code, name) for code, name in countries]


class CountriesField(forms.MultipleChoiceField):
    """Countries chosen by name; codes, aliases or names separated by commas are read too,
    and each bad one is named in the error."""

    widget = CountryCheckboxes

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", country_choices)
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        codes = []
        for item in value:
            for part in str(item).split(","):
                if part.strip():
                    code = country_code(part.strip())
                    if code not in codes:
                        codes.append(code)
        return codes

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        errors = []
        for code in value:
            try:
                validate_country_code(code)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)


# --- Currency -------------------------------------------------------------------------------


@cache
def _currency_choices(locale: str) -> list[tuple[str, str]]:
    named = [
        (code, f"{get_currency_name(code, locale=locale)} ({code})") for code in CURRENCY_CODES
    ]
    return sorted(named, key=lambda choice: choice[1].casefold())


def currency_choices() -> list[tuple[str, str]]:
    return [("", "---------"), *_currency_choices(_babel_locale())]


class CurrencyField(forms.ChoiceField):
    """A currency by its name in the reader's language ("Euro (EUR)"); a code in any case
    is read as that currency."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", currency_choices)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        validate_currency_code(value)


# --- Language requirements ------------------------------------------------------------------


@cache
def _language_names(locale: str) -> list[tuple[str, str]]:
    try:
        names = Locale.parse(locale).languages
    except (UnknownLocaleError, ValueError):
        names = Locale.parse("en").languages
    named = [(code, names.get(code, code).capitalize()) for code in DETECTED_LANGUAGES]
    return sorted(named, key=lambda choice: choice[1].casefold())


def language_choices(extra: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The languages feeds carry, named in the reader's language, and any other code a
    saved posting holds (an import may have stored one), so that saving keeps it."""
    named = _language_names(_babel_locale())
    known = {code for code, _name in named}
    return [("", "---------"), *named, *((code, code) for code in extra if code not in known)]


def level_choices() -> list[tuple[str, str]]:
    return [("", _("Any level")), *((level, level) for level in sorted(CEFR_LEVELS))]


class RequirementRow(forms.MultiWidget):
    """One requirement: a language and its CEFR level."""

    template_name = "admin/widgets/requirement_row.html"

    def __init__(self, extra: tuple[str, ...] = (), attrs=None):
        super().__init__(
            [
                forms.Select(
                    attrs={"aria-label": _("Language")},
                    choices=lambda: language_choices(extra),
                ),
                forms.Select(attrs={"aria-label": _("Level (CEFR)")}, choices=level_choices),
            ],
            attrs,
        )

    def decompress(self, value):
        if not value:
            return ["", ""]
        return [value.get("language", ""), value.get("level", "")]


class LanguageRequirementsWidget(forms.MultiWidget):
    """Rows of language + level: the saved ones and a few empty ones to fill."""

    template_name = "admin/widgets/language_requirements.html"

    def __init__(self, rows: int = 3, extra: tuple[str, ...] = (), attrs=None):
        super().__init__([RequirementRow(extra) for _row in range(rows)], attrs)

    def decompress(self, value):
        rows = list(value or [])
        return rows + [None] * (len(self.widgets) - len(rows))

    def value_from_datadict(self, data, files, name):
        return [
            widget.value_from_datadict(data, files, f"{name}_{index}")
            for index, widget in enumerate(self.widgets)
        ]

    def value_omitted_from_data(self, data, files, name):
        return all(
            widget.value_omitted_from_data(data, files, f"{name}_{index}")
            for index, widget in enumerate(self.widgets)
        )


class LanguageRequirementsField(forms.Field):
    """The languages a job asks of its candidates, as [{"language": "en", "level": "C1"}]:
    a row without a language is left out, a language named twice is an error."""

    default_error_messages = {
        "twice": _("%(language)s is listed twice."),
        "choice": _("Choose a language from the list."),
        "too_many": _("At most %(count)d languages."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", LanguageRequirementsWidget)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def set_rows(self, saved: list) -> None:
        """Room for the saved rows and two more, within the maximum."""
        rows = min(max(len(saved) + 2, 3), MAX_LANGUAGE_REQUIREMENTS)
        codes = tuple(row.get("language", "") for row in saved if isinstance(row, dict))
        self.widget = LanguageRequirementsWidget(rows=rows, extra=codes)

    def to_python(self, value):
        if not isinstance(value, list | tuple):
            return []
        rows = []
        for row in value:
            if not isinstance(row, list | tuple) or len(row) != 2 or not row[0]:
                continue
            language, level = (str(part or "").strip() for part in row)
            rows.append({"language": language.lower(), "level": level.upper()})
        return rows

    def validate(self, value):
        if len(value) > MAX_LANGUAGE_REQUIREMENTS:
            raise forms.ValidationError(
                self.error_messages["too_many"], params={"count": MAX_LANGUAGE_REQUIREMENTS}
            )
        seen = set()
        for row in value:
            if not LANGUAGE_CODE.fullmatch(row["language"]) or row["level"] not in CEFR_LEVELS | {
                ""
            }:
                raise forms.ValidationError(self.error_messages["choice"], code="choice")
            if row["language"] in seen:
                names = dict(language_choices())
                raise forms.ValidationError(
                    self.error_messages["twice"],
                    code="twice",
                    params={"language": names.get(row["language"], row["language"])},
                )
            seen.add(row["language"])

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


# --- The text's language --------------------------------------------------------------------


def language_mismatch(text: str, chosen: str) -> str | None:
    """A warning when the text reads, with confidence, as another language than the one the
    posting is filed under (jobs.imports.normalise.language, as imports decide): the posting
    would be listed to candidates who cannot read it. None when they agree or the text is
    too thin to tell. A warning, not a refusal: a German job may well be described in
    English for an English-speaking team, and the recruiter knows."""
    detection = detect(text)
    if not detection.sure or not chosen:
        return None
    found = detection.site_language or detection.language
    if found == chosen or found.split("-")[0] == chosen.split("-")[0]:
        return None
    names = dict(_language_names(_babel_locale()))
    return gettext(
        "The description reads as %(found)s, but the posting is filed under %(chosen)s: "
        "candidates of the %(chosen)s version will see it. Change the language if that is "
        "not what you mean."
    ) % {
        "found": names.get(detection.language, detection.language),
        "chosen": Language(chosen).label if chosen in Language.values else chosen,
    }
