"""Telling two spellings of one company's name apart from two companies.

``company_key("Andino Datos S.A.S.") == company_key("andino datos") == "andino datos"``:
accents, case and punctuation do not count, nor a legal form at the end ("S.A. de C.V.",
"GmbH & Co. KG", "sp. z o.o.", "Ltd.", 株式会社...). Imports find a feed's companies by it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal forms, as words once dots are dropped and other punctuation is a space; longest
# first, so "sa de cv" goes before "sa".
LEGAL_FORMS = sorted(
    {
        # Spanish and Latin American
        "sa", "sas", "sa de cv", "sapi de cv", "s de rl de cv", "s de rl", "sl", "slu", "sll",
        "srl", "sac", "saa", "eirl", "ltda", "cia ltda", "sc", "spa",
        # Portuguese (Brazil)
        "me", "epp", "eireli", "s/a",
        # French, Belgian, Swiss
        "sarl", "eurl", "sasu", "sca", "sprl", "scop",
        # German, Austrian
        "gmbh", "ag", "kg", "ug", "ug haftungsbeschrankt", "gmbh co kg", "co kg", "ohg",
        "ev", "se", "kgaa", "gbr",
        # Polish
        "sp z oo", "spolka z oo", "sp j", "sp k",
        # English-speaking
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited",
        "llc", "plc", "llp", "lp", "pty ltd", "pty", "pvt ltd", "pte ltd",
        # Dutch, Nordic, Italian, Japanese
        "bv", "nv", "oy", "oyj", "ab", "as", "asa", "aps", "kk",
        "kabushiki kaisha", "gk",
    },
    key=lambda form: -len(form),
)  # fmt: skip
_FORMS = re.compile(r"(?:\s|^)(?:" + "|".join(re.escape(form) for form in LEGAL_FORMS) + r")$")
# Japanese company forms, written before or after the name.
_JAPANESE = re.compile(r"^(?:株式会社|有限会社|合同会社)|(?:株式会社|有限会社|合同会社)$")
_DOTS = re.compile(r"\.")
_PUNCTUATION = re.compile(r"[^\w/]+|_")


@lru_cache(maxsize=4096)
def company_key(name: str) -> str:
    """The name with what does not tell companies apart removed (see the module)."""
    folded = unicodedata.normalize("NFKD", name or "")
    folded = "".join(char for char in folded if not unicodedata.combining(char)).casefold()
    folded = _JAPANESE.sub("", folded.strip()).replace("&", " ")
    words = " ".join(_PUNCTUATION.sub(" ", _DOTS.sub("", folded)).split())
    key = words
    while True:
        shorter = _FORMS.sub("", key).strip(" ,/")
        if shorter == key or not shorter:
            break
        key = shorter
    return key.replace("/", " ").strip() or words
