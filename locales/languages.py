"""The five language versions of the site and what each needs beyond its code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """A posting is written in one of these; each is one version of the site."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    PORTUGUESE_BR = "pt-br", _("Brazilian Portuguese")


# PostgreSQL's stemmer for each language. Searches use the accent-insensitive copies of these
# configurations that locales/migrations/0003_search_configurations.py creates, named below.
STEMMERS = {
    Language.ENGLISH: "english",
    Language.FRENCH: "french",
    Language.GERMAN: "german",
    Language.SPANISH: "spanish",
    Language.PORTUGUESE_BR: "portuguese",
}
SEARCH_CONFIGS = {language: f"jobboard_{stemmer}" for language, stemmer in STEMMERS.items()}

# The HTML `lang` attribute (BCP 47) of each version; Django's codes are lower case.
HTML_LANG = {
    Language.ENGLISH: "en",
    Language.FRENCH: "fr",
    Language.GERMAN: "de",
    Language.SPANISH: "es",
    Language.PORTUGUESE_BR: "pt-BR",
}

# The locale that formats dates, numbers and money for each version (Babel's names).
BABEL_LOCALE = {
    Language.ENGLISH: "en",
    Language.FRENCH: "fr_FR",
    Language.GERMAN: "de_DE",
    Language.SPANISH: "es_ES",
    Language.PORTUGUESE_BR: "pt_BR",
}

# The currency a candidate of each version most likely thinks in: the language's main
# market's. Spanish is read mostly in the Americas, across a dozen currencies, where pay
# for work beyond one's own country (what this board lists) is quoted in US dollars; the
# euro is Spain's alone, a tenth of the language's readers. The form offers every currency
# with a rate, and the chosen one stays in the URL.
DEFAULT_CURRENCY = {
    Language.ENGLISH: "USD",
    Language.FRENCH: "EUR",
    Language.GERMAN: "EUR",
    Language.SPANISH: "USD",
    Language.PORTUGUESE_BR: "BRL",
}
