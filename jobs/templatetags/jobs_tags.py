from functools import cache
from urllib.parse import urlsplit

from django import template
from django.template.base import token_kwargs
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from jobs import chips, fragments, structured_data
from jobs.models import JobPosting, Provision, SalaryPeriod, Workplace
from locales.countries import country_name
from locales.formatting import (
    active_locale,
    age_in_hours,
    format_age,
    format_count,
    format_duration,
    format_share,
    language_name,
)
from locales.languages import Language
from locales.money import format_money, has_cents
from locales.paths import page_path

register = template.Library()


@register.filter
def http_url(url: str) -> str:
    """The URL when it is an absolute http(s) address, else nothing: a `javascript:` or
    `data:` URL stored by any path (the ORM, an old import) never becomes a link."""
    parts = urlsplit((url or "").strip())
    return url if parts.scheme.lower() in {"http", "https"} and parts.netloc else ""


@register.filter
def salary(posting: JobPosting) -> str:
    """The salary range in the page's locale: "$8,000 per month", "55 000 € – 65 000 € par an"."""
    if not posting.has_salary:
        return ""
    minimum, maximum = posting.salary_min, posting.salary_max
    # Both ends alike: "€12.50 – €15.00", not "€12.50 – €15".
    cents = has_cents(minimum) or has_cents(maximum)

    def money(amount):
        return format_money(amount, posting.salary_currency, active_locale(), cents=cents)

    if minimum is None:
        text = _("up to %(amount)s") % {"amount": money(maximum)}
    elif maximum is None:
        text = _("from %(amount)s") % {"amount": money(minimum)}
    elif minimum == maximum:
        text = money(minimum)
    else:
        text = _("%(minimum)s – %(maximum)s") % {
            "minimum": money(minimum),
            "maximum": money(maximum),
        }
    return f"{text} {SalaryPeriod(posting.salary_period).label}"


@register.filter
def utc_window(posting: JobPosting) -> str:
    """ "UTC−3 to UTC+2", "from UTC+1", "up to UTC+5:30": where a remote candidate's working
    day must fall."""
    earliest, latest = posting.remote_utc_min, posting.remote_utc_max
    if earliest is not None and latest is not None:
        if earliest == latest:
            return utc_offset(earliest)
        return _("%(earliest)s to %(latest)s") % {
            "earliest": utc_offset(earliest),
            "latest": utc_offset(latest),
        }
    if earliest is not None:
        return _("from %(offset)s") % {"offset": utc_offset(earliest)}
    if latest is not None:
        return _("up to %(offset)s") % {"offset": utc_offset(latest)}
    return ""


def utc_offset(hours) -> str:
    """ "UTC", "UTC+2", "UTC−3", "UTC+5:30" (a true minus sign, as typeset)."""
    if not hours:
        return "UTC"
    sign = "+" if hours > 0 else "\u2212"
    whole, minutes = divmod(int(abs(hours) * 60), 60)
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")


@register.filter
def place(posting: JobPosting) -> str:
    """Where the job is: its region, its location as written, or its countries."""
    if posting.region_id:
        return str(posting.region)
    if posting.location:
        return posting.location
    return ", ".join(country_name(code) for code in posting.countries)


# How long a posting is "new" on its card.
NEW_HOURS = 48


@register.filter
def card_facts(posting: JobPosting) -> list[str]:
    """The card's facts, each once: "Medellín, Colombia (remoto)" and "Remoto" are one
    place and one workplace, and a location that only says "Remote" is no place at all."""
    where = place(posting)
    workplace = posting.get_workplace_display()
    words = _workplace_words(posting.workplace)
    where = _strip_workplace(where, words)
    if where.casefold() in words:
        where = ""
    facts = [where] if where else []
    if not any(word in where.casefold() for word in words):
        facts.append(workplace)
    if posting.employment_type:  # blank when the source stated none the site has a name for
        facts.append(posting.get_employment_type_display())
    if posting.has_salary:
        facts.append(salary(posting))
    if window := utc_window(posting):
        facts.append(window)
    if posting.visa_sponsorship == Provision.YES:
        facts.append(_("Visa sponsorship"))
    elif posting.visa_sponsorship == Provision.NO:
        facts.append(_("No visa sponsorship"))
    if posting.relocation_support == Provision.YES:
        facts.append(_("Relocation support"))
    return facts


def _strip_workplace(where: str, words: frozenset[str]) -> str:
    """ "Medellín, Colombia (remoto)" -> "Medellín, Colombia" when remoto is the workplace."""
    head, bracket, tail = where.rpartition("(")
    if bracket and tail.endswith(")") and tail[:-1].strip().casefold() in words:
        return head.strip().rstrip(",-–·").strip()
    return where


@cache
def _workplace_words(workplace: str) -> frozenset[str]:
    """The workplace's name in every language of the site, casefolded, and the words
    postings use for it."""
    if workplace not in Workplace.values:
        return frozenset()
    names = set(WORKPLACE_SYNONYMS.get(workplace, ()))
    for code in Language.values:
        with translation.override(code):
            names.add(str(Workplace(workplace).label).casefold())
    return frozenset(names)


WORKPLACE_SYNONYMS = {
    Workplace.REMOTE: ("remote", "remoto", "remota", "télétravail", "teletrabajo",
                       "home office", "homeoffice", "à distance", "100% remote",
                       "fully remote", "anywhere"),
    Workplace.HYBRID: ("hybrid", "hybride", "híbrido", "hibrido", "híbrida"),
    Workplace.ONSITE: ("on-site", "onsite", "on site", "presencial", "sur site", "vor ort"),
}  # fmt: skip


@register.filter
def ago(moment) -> str:
    """ "2 days ago" in the page's language."""
    return format_age(age_in_hours(moment))


@register.filter
def is_new(moment) -> bool:
    hours = age_in_hours(moment)
    return hours is not None and hours < NEW_HOURS


@register.filter
def source_link(posting: JobPosting) -> str:
    """Where the posting was first published, named for people and linked to the original
    when the posting has an http(s) address of it (`source_display_name`)."""
    url = http_url(posting.source_url)
    name = source_display_name(posting.source_name, url)
    if not url:
        return name
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, name)


def source_display_name(name: str, url: str) -> str:
    """A source's name as a person would write it: "LinkedIn" as it is; an import's
    identifier ("harbourline-greenhouse", "feed_3") gives way to the original's host
    ("boards.greenhouse.io"), or reads as words where there is none."""
    reads_as_a_name = bool(name) and (" " in name or name != name.lower()) and "_" not in name
    if reads_as_a_name:
        return name
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        return host.removeprefix("www.")
    return " ".join(name.replace("_", " ").replace("-", " ").split()).capitalize()


@register.filter
def count(number: int) -> str:
    return format_count(number)


@register.filter
def language_requirements(posting: JobPosting) -> str:
    """ "English C1, Spanish B2", each language named in the page's language."""
    return ", ".join(
        " ".join(
            part
            for part in (language_name(item.get("language", "")), item.get("level", ""))
            if part
        )
        for item in posting.language_requirements
        if isinstance(item, dict) and item.get("language")
    )


@register.filter
def field_label(form, name: str) -> str:
    return form.fields[name].label if name in form.fields else name


@register.filter
def machine_time(moment) -> str:
    """A <time datetime> value: ISO 8601 to the second, as HTML accepts it."""
    return moment.replace(microsecond=0).isoformat() if moment else ""


@register.filter
def json_ld(data: dict):
    """Structured data for a <script type="application/ld+json"> element."""
    return structured_data.to_json_ld(data)


@register.filter(is_safe=True)
def squash(text: str) -> str:
    """Runs of white space as one space: block content laid out over several lines."""
    return " ".join(str(text).split())


@register.simple_tag
def select(field) -> str:
    """A choice field as its <select>, written out here: Django's widgets render each option
    through a template of its own, which made the filter form dearer than the rest of the
    list page (60 countries in five selects). Errors mark it invalid and point at the note
    that explains them."""
    current = field.value()
    current = "" if current is None else str(current)
    invalid = (
        format_html(' aria-invalid="true" aria-describedby="{}_error"', field.id_for_label)
        if field.errors
        else ""
    )
    options = _options(field.field.choices, current)
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        field.html_name,
        field.id_for_label,
        invalid,
        options,
    )


def _options(choices, current: str) -> str:
    """Options, and groups of them (`<optgroup>`) where a choice's value is a list."""
    parts = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', value, _options(label, current))
            )
        else:
            selected = " selected" if str(value) == current else ""
            parts.append(format_html('<option value="{}"{}>{}</option>', value, selected, label))
    return mark_safe("".join(parts))  # noqa: S308 - each part is format_html's


@register.simple_tag
def path(name: str) -> str:
    """`{% url name %}` for a page without arguments, reversed once per process and language
    (locales.paths)."""
    return page_path(name, translation.get_language())


@register.simple_tag(takes_context=True)
def job_card(context, row):
    """A posting's card in a list (jobs/includes/job_card.html), from its `cards()` row:
    rendered once per process for what it shows (jobs.fragments), with its salary's
    approximate amount in the reader's currency when it is a foreign one (jobs.conversion)."""
    conversion = context.get("conversion")
    approx = (
        conversion.approximate(row.salary_min, row.salary_max, row.salary_currency)
        if conversion is not None
        else ""
    )
    return fragments.card(row, approx=approx)


@register.simple_tag(takes_context=True)
def approximate_salary(context, posting) -> dict:
    """The posting's salary in the reader's currency, approximately, and the day of the
    rates: nothing when it is paid in that currency already."""
    conversion = context.get("conversion")
    if conversion is None or not posting.has_salary:
        return {}
    text = conversion.range_text(posting.salary_min, posting.salary_max, posting.salary_currency)
    if not text:
        return {}
    period = SalaryPeriod(posting.salary_period).label
    return {"amount": f"{text} {period}", "date": conversion.rates_date}


@register.tag
def fragment(parser, token):
    """`{% fragment name=value ... %}...{% endfragment %}`: the enclosed block, rendered once
    per process and language for the values it is given, which are all it sees (an unlisted
    variable is simply empty there, never stale), or for the language alone when it is given
    none: the page shell's loops over links cost a list page more than its twenty cards, and
    its translated text as much again (jobs.fragments)."""
    bits = token.split_contents()[1:]
    values = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError("fragment takes name=value arguments only")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, values)


class FragmentNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.values.items()}
        return fragments.block(self, values, lambda: self.nodelist.render(context.new(values)))


@register.simple_tag
def filter_form(filterset):
    """The list's search and filter form (jobs/includes/filter_form.html), rendered once per
    process for what it shows (jobs.fragments)."""
    return fragments.filter_form(filterset)


@register.simple_tag
def form_fields(form):
    """A form's errors and fields, without its <form> element and CSRF token, which are
    the page's (jobs.fragments)."""
    return fragments.form_fields(form)


@register.simple_tag
def active_filters(filterset) -> dict:
    """The filters that took effect as removable chips, and the link that clears them all."""
    return {"chips": chips.chips(filterset), "clear_all": chips.clear_all_url(filterset)}


@register.filter
def duration(delta) -> str:
    return format_duration(delta)


@register.filter
def share(value) -> str:
    return format_share(value)
