from django.utils import translation

from locales.languages import HTML_LANG


def language(request):
    """The BCP 47 tag for <html lang>: Django says "pt-br", HTML wants "pt-BR"."""
    code = translation.get_language()
    return {"html_lang": HTML_LANG.get(code, code)}
