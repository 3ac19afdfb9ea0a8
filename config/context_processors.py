from django.conf import settings


def site(request):
    """The site's name (DJANGO_SITE_NAME), the same in every language."""
    return {"site_name": settings.SITE_NAME}


def canonical(request):
    """The page's own address, absolute and without its query: the canonical URL of every
    page that does not name a better one (views set `canonical_url` to do so)."""
    return {"page_url": request.build_absolute_uri(request.path)}
