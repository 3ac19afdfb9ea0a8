from django.urls import reverse
from django.utils import translation


class AdminLanguageMiddleware:
    """Speak a staff user's preferred language in admin.

    Admin lives outside the language prefixes, so LocaleMiddleware picks the language from the
    cookie or the browser; a recruiter's profile says better. Must come after
    AuthenticationMiddleware and LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        if request.path.startswith(self._admin_prefix):
            language = self._preferred_language(request)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    @staticmethod
    def _preferred_language(request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from companies.models import UserProfile

        try:
            return user.profile.language
        except UserProfile.DoesNotExist:
            return None
