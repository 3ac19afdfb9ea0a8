from urllib.parse import urlsplit

from django import template
from django.template.base import token_kwargs
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from jobs import fragments, structured_data
from jobs.models import JobPosting, SalaryPeriod
from locales.countries import country_name
from locales.formatting import active_locale, format_count, language_name
from locales.money import format_money
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
    locale = active_locale()
    minimum, maximum = posting.salary_min, posting.salary_max
    if minimum is None:
        text = _("up to %(amount)s") % {
            "amount": format_money(maximum, posting.salary_currency, locale)
        }
    elif maximum is None:
        text = _("from %(amount)s") % {
            "amount": format_money(minimum, posting.salary_currency, locale)
        }
    elif minimum == maximum:
        text = format_money(minimum, posting.salary_currency, locale)
    else:
        text = _("%(minimum)s – %(maximum)s") % {
            "minimum": format_money(minimum, posting.salary_currency, locale),
            "maximum": format_money(maximum, posting.salary_currency, locale),
        }
    return f"{text} {SalaryPeriod(posting.salary_period).label}"


@register.filter
def place(posting: JobPosting) -> str:
    """Where the job is: its region, its location as written, or its countries."""
    if posting.region_id:
        return str(posting.region)
    if posting.location:
        return posting.location
    return ", ".join(country_name(code) for code in posting.countries)


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
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) == current else "", label)
            for value, label in field.field.choices
        ),
    )
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        field.html_name,
        field.id_for_label,
        invalid,
        options,
    )


@register.simple_tag
def path(name: str) -> str:
    """`{% url name %}` for a page without arguments, reversed once per process and language
    (locales.paths)."""
    return page_path(name, translation.get_language())


@register.simple_tag
def job_card(row):
    """A posting's card in a list (jobs/includes/job_card.html), from its `cards()` row:
    rendered once per process for what it shows (jobs.fragments)."""
    return fragments.card(row)


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
