"""Saved postings without an account: a list of ids in a signed cookie, newest first, each
perhaps marked "applied".

The cookie is the reader's own and the only copy: nothing is stored on the server, so saving
needs no account and no consent beyond the cookie itself (a functional one, listed in the
privacy notice). It is signed, so a hand-edited value is dropped rather than trusted, and it
is readable by the page's script (not HttpOnly), which marks the saved postings' buttons on
pages the shared cache serves alike to everyone (static/js/saved.js): the ids say nothing
secret. Its value is "41a.17.9:<timestamp>:<signature>": ids joined by dots, "a" after
those marked applied.
"""

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import models
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from jobs.models import JobPosting, Status
from jobs.querysets import CARD_VALUES
from locales.paths import page_path

COOKIE_NAME = "jobboard_saved"
SALT = "jobs.saved"
# Enough for any search, and a cookie far under the 4 KB browsers keep.
MAX_SAVED = 200
MAX_AGE = 365 * 24 * 60 * 60
APPLIED = "a"


@dataclass
class SavedList:
    """The saved postings' ids, newest first, and which of them the reader applied to."""

    ids: list[int] = field(default_factory=list)
    applied: set[int] = field(default_factory=set)

    def __contains__(self, pk: int) -> bool:
        return pk in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def save(self, pk: int) -> None:
        """Saving a saved posting again leaves it where it is: the same request twice is
        one save."""
        if pk not in self.ids:
            self.ids.insert(0, pk)
            del self.ids[MAX_SAVED:]
            self.applied &= set(self.ids)

    def remove(self, pk: int) -> None:
        if pk in self.ids:
            self.ids.remove(pk)
        self.applied.discard(pk)

    def mark_applied(self, pk: int, applied: bool = True) -> None:
        """Applying to a posting keeps it among the saved ones."""
        if applied:
            self.save(pk)
            self.applied.add(pk)
        else:
            self.applied.discard(pk)

    def encode(self) -> str:
        return ".".join(f"{pk}{APPLIED if pk in self.applied else ''}" for pk in self.ids)

    @classmethod
    def decode(cls, value: str) -> "SavedList":
        """The list a cookie value names; what is not an id is left out."""
        saved = cls()
        for item in value.split(".")[: MAX_SAVED * 2]:
            applied = item.endswith(APPLIED)
            digits = item.removesuffix(APPLIED)
            if not digits.isascii() or not digits.isdigit() or len(digits) > 18:
                continue
            pk = int(digits)
            if pk > 0 and pk not in saved.ids and len(saved.ids) < MAX_SAVED:
                saved.ids.append(pk)
                if applied:
                    saved.applied.add(pk)
        return saved


def saved_read(request) -> SavedList:
    """The reader's saved postings; none when the cookie is missing, altered or expired."""
    try:
        value = request.get_signed_cookie(COOKIE_NAME, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return SavedList()
    return SavedList.decode(value)


def saved_write(response, saved: SavedList) -> None:
    """Keep `saved` in the reader's cookie, or remove the cookie when nothing is saved."""
    if not saved.ids:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
        return
    response.set_signed_cookie(
        COOKIE_NAME,
        saved.encode(),
        salt=SALT,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
        samesite="Lax",
    )


# --- The "Saved" page and its form ----------------------------------------------------------


class SaveAction(models.TextChoices):
    SAVE = "save", gettext_lazy("Save")
    REMOVE = "remove", gettext_lazy("Remove")
    APPLIED = "applied", gettext_lazy("Mark as applied")
    NOT_APPLIED = "not_applied", gettext_lazy("Not applied yet")


class SaveForm(forms.Form):
    """What a save button sends: the posting, what to do, and the page it was pressed on."""

    posting = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    action = forms.ChoiceField(choices=SaveAction.choices)
    next = forms.CharField(required=False, max_length=2000)

    def clean_next(self) -> str:
        return page_to_return_to(self.cleaned_data["next"])


def page_to_return_to(url: str) -> str:
    """A page of this site (a path) to go back to, or nothing."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""


class PostingState(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    CLOSED = "closed", gettext_lazy("No longer open")
    GONE = "gone", gettext_lazy("No longer on the site")


@dataclass(frozen=True)
class SavedItem:
    pk: int
    state: str
    applied: bool
    row: Any = None  # the card's row, for a posting still on the site

    @property
    def state_label(self) -> str:
        return PostingState(self.state).label


def saved_items(saved: SavedList) -> list[SavedItem]:
    """The saved postings in the order they were saved, each with its state: still open,
    closed (its page says so), or no longer on the site at all. One query."""
    if not saved.ids:
        return []
    rows = {
        row.pk: row
        for row in JobPosting.objects.filter(pk__in=saved.ids)
        .cards()
        .values_list(*CARD_VALUES, "status", "hidden_at", "expires_at", named=True)
    }
    now = timezone.now()
    items = []
    for pk in saved.ids:
        row = rows.get(pk)
        if row is None or row.hidden_at is not None or row.status not in LINKED_STATUSES:
            state, row = PostingState.GONE, None
        elif row.status == Status.PUBLISHED and (row.expires_at is None or row.expires_at > now):
            state = PostingState.OPEN
        else:
            state = PostingState.CLOSED
        items.append(SavedItem(pk=pk, state=state, applied=pk in saved.applied, row=row))
    return items


# The statuses whose posting page a candidate may still open (jobs.views.JobDetailView).
LINKED_STATUSES = (Status.PUBLISHED, Status.EXPIRED, Status.ARCHIVED)


@method_decorator(never_cache, name="dispatch")
class SavedView(TemplateView):
    """The reader's saved postings (GET), and what every save button sends (POST): it works
    as a plain form, answering with this page, and answers the page's script with JSON."""

    template_name = "jobs/saved.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = saved_items(saved_read(self.request))
        context["items"] = items
        context["robots"] = "noindex"
        context["back"] = page_to_return_to(self.request.GET.get("next", ""))
        return context

    def post(self, request, *args, **kwargs):
        form = SaveForm(request.POST)
        wants_json = "application/json" in request.headers.get("Accept", "")
        if not form.is_valid():
            if wants_json:
                return JsonResponse({"saved": False}, status=HTTPStatus.BAD_REQUEST)
            return self.render_to_response(
                {**self.get_context_data(), "form_errors": True}, status=HTTPStatus.BAD_REQUEST
            )
        pk, action = form.cleaned_data["posting"], form.cleaned_data["action"]
        saved = saved_read(request)
        if action in (SaveAction.SAVE, SaveAction.APPLIED) and pk not in saved:
            # Only a posting a candidate may open is saved: never an id made up or taken down.
            posting = JobPosting.objects.filter(
                pk=pk, status__in=LINKED_STATUSES, hidden_at__isnull=True
            ).first()
            if posting is None:
                if wants_json:
                    return JsonResponse({"saved": False}, status=HTTPStatus.NOT_FOUND)
                raise Http404
        if action == SaveAction.SAVE:
            saved.save(pk)
        elif action == SaveAction.REMOVE:
            saved.remove(pk)
        else:
            saved.mark_applied(pk, applied=action == SaveAction.APPLIED)
        if wants_json:
            response = JsonResponse(
                {"saved": pk in saved, "applied": pk in saved.applied, "count": len(saved)}
            )
        else:
            messages.success(request, _notice(action), extra_tags="saved")
            url = page_path("jobs:saved", translation.get_language())
            back = form.cleaned_data["next"]
            response = redirect(f"{url}?{urlencode({'next': back})}" if back else url)
            response.status_code = HTTPStatus.SEE_OTHER
        saved_write(response, saved)
        return response


def _notice(action: str) -> str:
    return {
        SaveAction.SAVE: _("The posting is saved on this device."),
        SaveAction.REMOVE: _("The posting is no longer saved."),
        SaveAction.APPLIED: _("The posting is marked as applied."),
        SaveAction.NOT_APPLIED: _("The posting is no longer marked as applied."),
    }[action]
