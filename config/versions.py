"""Optimistic concurrency for forms that edit a row two people may have open at once.

A form is rendered with a signed copy of what it shows (`base_sign`); when it comes back,
the row is locked and its content compared with that copy. Any difference means someone
else saved in between: the save is refused with a clear message and the other person's
change (`VersionedFormMixin.conflict`), and the form's copy is brought up to date so that
saving again, after reading it, goes through. A version is a hash of content, never a
counter: every write changes it, bulk imports included, with nothing to remember to bump.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

_SALT = "config.versions.base"


def version_of(data: Any) -> str:
    """A short, stable hash of JSON-able data."""
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def base_sign(data: dict[str, Any]) -> str:
    """The content a form was rendered with, signed: it travels with the form unaltered."""
    return signing.dumps(data, salt=_SALT, compress=True, serializer=_JSONSerializer)


def base_read(token: str) -> dict[str, Any] | None:
    """The content a form was rendered with, or None for a missing or forged token."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_SALT, serializer=_JSONSerializer)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


class _JSONSerializer(signing.JSONSerializer):
    def dumps(self, obj):
        return json.dumps(obj, cls=DjangoJSONEncoder, separators=(",", ":")).encode("latin-1")


class StaleVersion(ValidationError):
    """The row changed after the person opened it. `before` is what they saw, `after` what
    is there now: the other person's change is the difference."""

    def __init__(self, message, *, before: dict | None, after: dict, code="stale"):
        super().__init__(message, code=code)
        self.before = before or {}
        self.after = after


@dataclass(frozen=True)
class Change:
    name: str
    label: str
    before: str
    after: str


def model_changes(model, before: dict, after: dict) -> list[Change]:
    """The fields of `model` whose values differ, labelled as the form labels them."""
    return [
        Change(
            name=name,
            label=str(model._meta.get_field(name).verbose_name),
            before=str(before.get(name) or "—"),
            after=str(after.get(name) or "—"),
        )
        for name in after
        if before.get(name) != after.get(name)
    ]


STALE_FORM_MESSAGE = _(
    "Someone else saved this after you opened it, so your changes were not saved yet. Their "
    "change is shown below and is now in the form, with yours on top: check it and save again."
)


class VersionedFormMixin(forms.Form):
    """For a ModelForm: the hidden `base` field and the check. Subclasses say what the form
    shows (`version_content`) and read the row as it is now under a lock (`current_content`)
    and how to show a difference (`describe`)."""

    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk is not None and not self.is_bound:
            self.initial["base"] = base_sign(self.version_content(self.instance))

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name not in ("base", "form_token")]

    def version_content(self, instance) -> dict:
        raise NotImplementedError

    def current_content(self) -> dict:
        raise NotImplementedError

    def describe(self, before: dict, after: dict) -> list:
        return model_changes(self._meta.model, before, after)

    def clean(self):
        cleaned = super().clean()
        seen = base_read(self.data.get(self.add_prefix("base"), ""))
        if self.instance.pk is None or seen is None:
            return cleaned
        now = self.current_content()
        if now != seen:
            self.conflict = self.describe(seen, now)
            self._merge_theirs(seen, now)
            raise ValidationError(STALE_FORM_MESSAGE, code="stale")
        return cleaned

    def _merge_theirs(self, seen: dict, now: dict) -> None:
        """Bring the refused form up to the version now saved, keeping the person's own
        changes: a field they left alone takes the other person's value, a field both changed
        keeps theirs. Saving again then loses neither."""
        self.data = self.data.copy()
        self.data[self.add_prefix("base")] = base_sign(now)
        for name, value in now.items():
            field = self.fields.get(name)
            if field is None or isinstance(field, forms.FileField) or seen.get(name) == value:
                continue
            key = self.add_prefix(name)
            mine = field.widget.value_from_datadict(self.data, self.files, key)
            if not field.has_changed(self._initial_of(name, seen.get(name)), mine):
                self.data.setlist(key, [field.prepare_value(self._initial_of(name, value))])

    def _initial_of(self, name: str, value):
        """A stored content value as the form field's initial value."""
        try:
            return self._meta.model._meta.get_field(name).to_python(value)
        except (LookupError, ValidationError):
            return value
