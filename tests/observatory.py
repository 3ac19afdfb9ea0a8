"""Mozilla's HTTP Observatory (the MDN version of 2024), its ten tests and grading, applied
to one response: a re-implementation of its published scoring, so a test can ask for A+.

Every test starts from 100 and adds its modifier. Bonuses (positive modifiers) count only
when the penalties leave at least 90. The grade is read from the score: 100 and above is A+.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import Morsel
from urllib.parse import urlsplit

GRADES = [
    (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
    (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F"),
]  # fmt: skip
SIX_MONTHS = 15_552_000
PRIVATE_REFERRERS = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRERS = {"origin", "origin-when-cross-origin", "unsafe-url"}
VALID_REFERRERS = PRIVATE_REFERRERS | UNSAFE_REFERRERS | {"no-referrer-when-downgrade"}
CSP_DIRECTIVE = re.compile(r"^[a-z][a-z-]*$")


@dataclass
class Grade:
    results: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, test: str, result: str, modifier: int) -> None:
        self.results[test] = (result, modifier)

    @property
    def score(self) -> int:
        modifiers = [modifier for _result, modifier in self.results.values()]
        score = 100 + sum(modifier for modifier in modifiers if modifier < 0)
        if score >= 90:
            score += sum(modifier for modifier in modifiers if modifier > 0)
        return max(score, 0)

    @property
    def grade(self) -> str:
        return next(grade for floor, grade in GRADES if self.score >= floor)

    def __str__(self) -> str:
        lines = [
            f"{test:<28} {modifier:+4d}  {result}"
            for test, (result, modifier) in self.results.items()
        ]
        return "\n".join([*lines, f"{'score':<28} {self.score:4d}  grade {self.grade}"])


def parse_csp(header: str) -> dict[str, list[str]] | None:
    """Directives and their sources; None when the header is not a valid policy (unknown
    syntax or a directive given twice, which browsers resolve by ignoring the second)."""
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if not CSP_DIRECTIVE.match(name) or name in policy:
            return None
        policy[name] = tokens[1:]
    return policy or None


def _sources(policy, name: str) -> list[str]:
    if name in policy:
        return policy[name]
    return policy.get("default-src", ["*"])


def _broad(sources: list[str]) -> bool:
    """A source list that lets anyone's script in: wildcards, whole schemes, data:."""
    return any(source in {"*", "http:", "https:", "data:", "blob:", "ftp:"} for source in sources)


def _insecure(sources: list[str]) -> bool:
    return (
        any(source.lower().startswith(("http:", "ftp:")) for source in sources) or "*" in sources
    )


def grade_csp(grade: Grade, headers) -> dict[str, list[str]] | None:
    header = headers.get("Content-Security-Policy")
    if not header:
        grade.add("content-security-policy", "csp-not-implemented", -25)
        return None
    policy = parse_csp(header)
    if policy is None:
        grade.add("content-security-policy", "csp-header-invalid", -25)
        return None
    scripts = _sources(policy, "script-src")
    # A nonce, a hash or 'strict-dynamic' makes browsers ignore 'unsafe-inline'.
    keyed = any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in scripts)
    unsafe_inline = "'unsafe-inline'" in scripts and not (keyed or "'strict-dynamic'" in scripts)
    if unsafe_inline or _broad(scripts) or _broad(_sources(policy, "object-src")):
        grade.add("content-security-policy", "csp-implemented-with-unsafe-inline", -20)
    elif _insecure(scripts) or _insecure(_sources(policy, "object-src")):
        grade.add("content-security-policy", "csp-implemented-with-insecure-scheme", -20)
    elif "'unsafe-eval'" in scripts:
        grade.add("content-security-policy", "csp-implemented-with-unsafe-eval", -10)
    elif any(_insecure(_sources(policy, name)) for name in ("img-src", "media-src")):
        grade.add(
            "content-security-policy",
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
        )
    elif "'unsafe-inline'" in _sources(policy, "style-src"):
        grade.add(
            "content-security-policy", "csp-implemented-with-unsafe-inline-in-style-src-only", 0
        )
    elif policy.get("default-src") == ["'none'"]:
        grade.add("content-security-policy", "csp-implemented-with-no-unsafe-default-src-none", 10)
    else:
        grade.add("content-security-policy", "csp-implemented-with-no-unsafe", 5)
    return policy


def _is_session(name: str) -> bool:
    return any(word in name.lower() for word in ("sess", "login", "auth"))


def grade_cookies(grade: Grade, cookies: list[Morsel], hsts: bool) -> None:
    if not cookies:
        grade.add("cookies", "cookies-not-found", 0)
        return
    outcomes = []
    for cookie in cookies:
        name, samesite = cookie.key, str(cookie["samesite"]).lower()
        session = _is_session(name)
        if samesite and samesite not in {"strict", "lax", "none"}:
            outcomes.append(("cookies-samesite-flag-invalid", -20))
        if not cookie["secure"]:
            if session:
                outcomes.append(
                    ("cookies-session-without-secure-flag-but-protected-by-hsts", -10)
                    if hsts
                    else ("cookies-session-without-secure-flag", -40)
                )
            else:
                outcomes.append(
                    ("cookies-without-secure-flag-but-protected-by-hsts", -5)
                    if hsts
                    else ("cookies-without-secure-flag", -20)
                )
        if session and not cookie["httponly"]:
            outcomes.append(("cookies-session-without-httponly-flag", -30))
        if "csrf" in name.lower() and not samesite:
            outcomes.append(("cookies-anticsrf-without-samesite-flag", -20))
    if outcomes:
        result, modifier = min(outcomes, key=lambda outcome: outcome[1])
        grade.add("cookies", result, modifier)
    elif all(cookie["samesite"] for cookie in cookies):
        grade.add("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5)
    else:
        grade.add("cookies", "cookies-secure-with-httponly-sessions", 0)


def grade_hsts(grade: Grade, headers) -> bool:
    header = headers.get("Strict-Transport-Security")
    if not header:
        grade.add("strict-transport-security", "hsts-not-implemented", -20)
        return False
    match = re.search(r"(?:^|;)\s*max-age=\"?(\d+)\"?\s*(?:;|$)", header, re.IGNORECASE)
    if not match:
        grade.add("strict-transport-security", "hsts-header-invalid", -20)
        return False
    if int(match.group(1)) < SIX_MONTHS:
        grade.add(
            "strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10
        )
    else:
        # The +5 of hsts-preloaded needs the domain in browsers' preload list: not ours to claim.
        grade.add("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0)
    return True


def grade_redirection(grade: Grade, http_response, host: str) -> None:
    if http_response is None:
        grade.add("redirection", "redirection-not-needed-no-http", 0)
        return
    location = http_response.headers.get("Location", "")
    target = urlsplit(location)
    if http_response.status_code not in {301, 302, 307, 308} or not location:
        grade.add("redirection", "redirection-missing", -20)
    elif target.scheme != "https":
        grade.add("redirection", "redirection-not-to-https", -20)
    elif target.hostname != host:
        grade.add("redirection", "redirection-off-host-from-http", -5)
    else:
        grade.add("redirection", "redirection-to-https", 0)


def grade_referrer(grade: Grade, headers) -> None:
    header = headers.get("Referrer-Policy")
    if not header:
        grade.add("referrer-policy", "referrer-policy-not-implemented", 0)
        return
    values = [value.strip().lower() for value in header.split(",") if value.strip()]
    valid = [value for value in values if value in VALID_REFERRERS]
    if not valid:
        grade.add("referrer-policy", "referrer-policy-header-invalid", -5)
    elif valid[-1] in PRIVATE_REFERRERS:  # browsers apply the last one they understand
        grade.add("referrer-policy", "referrer-policy-private", 5)
    elif valid[-1] in UNSAFE_REFERRERS:
        grade.add("referrer-policy", "referrer-policy-unsafe", -5)
    else:
        grade.add("referrer-policy", "referrer-policy-no-referrer-when-downgrade", 0)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes)


def grade_sri(grade: Grade, headers, body: str, origin: str) -> None:
    if "html" not in headers.get("Content-Type", ""):
        grade.add("subresource-integrity", "sri-not-implemented-response-not-html", 0)
        return
    parser = _Scripts()
    parser.feed(body)
    if not parser.scripts:
        grade.add("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0)
        return
    external = []
    for script in parser.scripts:
        source = urlsplit(script["src"] if "//" in script["src"] else "")
        if source.netloc and f"{source.scheme or 'https'}://{source.netloc}" != origin:
            external.append((source.scheme != "http", bool(script.get("integrity"))))
    if not external:
        grade.add(
            "subresource-integrity",
            "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
            0,
        )
    elif not all(secure for secure, _integrity in external):
        grade.add(
            "subresource-integrity",
            "sri-not-implemented-and-external-scripts-not-loaded-securely",
            -50,
        )
    elif all(integrity for _secure, integrity in external):
        grade.add(
            "subresource-integrity", "sri-implemented-and-external-scripts-loaded-securely", 5
        )
    else:
        grade.add(
            "subresource-integrity", "sri-not-implemented-but-external-scripts-loaded-securely", -5
        )


def grade_simple_headers(grade: Grade, headers, policy) -> None:
    nosniff = headers.get("X-Content-Type-Options")
    if nosniff is None:
        grade.add("x-content-type-options", "x-content-type-options-not-implemented", -5)
    elif nosniff.strip().lower() != "nosniff":
        grade.add("x-content-type-options", "x-content-type-options-header-invalid", -5)
    else:
        grade.add("x-content-type-options", "x-content-type-options-nosniff", 0)

    ancestors = (policy or {}).get("frame-ancestors")
    frame = (headers.get("X-Frame-Options") or "").strip().lower()
    if ancestors and "*" not in ancestors:
        grade.add("x-frame-options", "x-frame-options-implemented-via-csp", 5)
    elif frame in {"deny", "sameorigin"}:
        grade.add("x-frame-options", "x-frame-options-sameorigin-or-deny", 0)
    elif frame.startswith("allow-from"):
        grade.add("x-frame-options", "x-frame-options-allow-from-origin", 0)
    elif frame:
        grade.add("x-frame-options", "x-frame-options-header-invalid", -20)
    else:
        grade.add("x-frame-options", "x-frame-options-not-implemented", -20)

    corp = headers.get("Cross-Origin-Resource-Policy")
    if corp is None:
        grade.add(
            "cross-origin-resource-policy", "cross-origin-resource-policy-not-implemented", 0
        )
    elif corp.strip().lower() in {"same-origin", "same-site", "cross-origin"}:
        value = corp.strip().lower().replace("cross-origin", "universal")
        grade.add(
            "cross-origin-resource-policy",
            f"cross-origin-resource-policy-implemented-with-{value}",
            0,
        )
    else:
        grade.add(
            "cross-origin-resource-policy", "cross-origin-resource-policy-header-invalid", -5
        )


def grade_cors(grade: Grade, headers, probe_origin: str) -> None:
    allowed = headers.get("Access-Control-Allow-Origin")
    credentials = (headers.get("Access-Control-Allow-Credentials") or "").lower() == "true"
    if allowed is None:
        grade.add(
            "cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", 0
        )
    elif allowed == probe_origin and credentials:
        grade.add(
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-implemented-with-universal-access",
            -50,
        )
    else:
        grade.add(
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-implemented-with-public-access",
            0,
        )


def observatory_grade(
    response, *, cookies: list[Morsel], http_response, origin: str, probe_origin: str
) -> Grade:
    """Grade a response (Django test client's or any object with `.headers`, `.content`).
    `http_response` is the answer to the same URL over plain HTTP; `probe_origin` the foreign
    Origin the request was sent with."""
    grade = Grade()
    headers = response.headers
    policy = grade_csp(grade, headers)
    hsts = grade_hsts(grade, headers)
    grade_cookies(grade, cookies, hsts)
    grade_cors(grade, headers, probe_origin)
    grade_redirection(grade, http_response, urlsplit(origin).hostname)
    grade_referrer(grade, headers)
    grade_sri(grade, headers, response.content.decode(errors="replace"), origin)
    grade_simple_headers(grade, headers, policy)
    return grade
