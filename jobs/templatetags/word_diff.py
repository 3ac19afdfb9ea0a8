"""Word-level diffs for the review pages: `{{ change|diff_before }}` marks the words a version
removed, `{{ change|diff_after }}` the words it added, each cell keeping its line breaks."""

import difflib
import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_TOKENS = re.compile(r"\s+|[^\s]+")


def _marked(tokens: list[str], spans: list[tuple[int, int]], tag: str) -> str:
    html, changed = [], set()
    for start, end in spans:
        changed.update(range(start, end))
    for index, token in enumerate(tokens):
        text = str(conditional_escape(token)).replace("\n", "<br>")
        if index in changed and token.strip():
            text = f"<{tag}>{text}</{tag}>"
        html.append(text)
    return "".join(html)


def _diff(before: str, after: str) -> tuple[str, str]:
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    removed, added = [], []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation in ("replace", "delete"):
            removed.append((old_start, old_end))
        if operation in ("replace", "insert"):
            added.append((new_start, new_end))
    return _marked(old, removed, "del"), _marked(new, added, "ins")


@register.filter
def diff_before(change) -> str:
    return mark_safe(_diff(change.before, change.after)[0])  # noqa: S308 - escaped above


@register.filter
def diff_after(change) -> str:
    return mark_safe(_diff(change.before, change.after)[1])  # noqa: S308 - escaped above
