"""Stored and reflected XSS, tried for real: a corpus of payloads in every text field of a
posting and its company, then the pages and feeds opened in Chromium with the content
security policy switched off, so that only escaping and sanitising stand in the way. A trap
records any alert, confirm, prompt or console call, and a scan of the DOM looks for what
would run on a click or hover (event handlers, javascript: links, foreign scripts)."""

import pytest
from django.utils.http import urlencode

from jobs.models import DescriptionFormat
from jobs.rendering import render_description
from tests.factories import CompanyFactory, PublishedPostingFactory

pytestmark = pytest.mark.browser

PAYLOADS = [
    '<script>alert("X{n}")</script>',
    '"><script>alert("X{n}")</script>',
    "'><img src=x onerror=alert('X{n}')>",
    "<img src=x onerror=\"alert('X{n}')\">",
    '<svg onload=alert("X{n}")>',
    '<svg><script>alert("X{n}")</script></svg>',
    '</script><script>alert("X{n}")</script>',
    '</title><script>alert("X{n}")</script>',
    '</textarea><script>alert("X{n}")</script>',
    '</style><script>alert("X{n}")</script>',
    'javascript:alert("X{n}")',
    ' JaVaScRiPt:alert("X{n}")',
    "java\tscript:alert('X{n}')",
    'data:text/html,<script>alert("X{n}")</script>',
    '" onmouseover="alert(\'X{n}\')" x="',
    "' onfocus='alert(\"X{n}\")' autofocus x='",
    "<a href=\"javascript:alert('X{n}')\">click</a>",
    "<iframe src=\"javascript:alert('X{n}')\"></iframe>",
    '<details open ontoggle=alert("X{n}")>',
    '<body onload=alert("X{n}")>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("X{n}")>',
    '[click](javascript:alert("X{n}"))',
    "![x](x\" onerror=\"alert('X{n}'))",
    "<a href=\"&#106;avascript:alert('X{n}')\">entity</a>",
    '&lt;script&gt;alert("X{n}")&lt;/script&gt;',
    '&lt;img src=x onerror=alert("X{n}")&gt;',
    '<![CDATA[<script>alert("X{n}")</script>]]>',
    ']]><script xmlns="http://www.w3.org/1999/xhtml">alert("X{n}")</script>',
    "<object data=\"javascript:alert('X{n}')\"></object>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'X{n}\')">',
    "<base href=\"javascript:alert('X{n}')//\">",
    '<form action="javascript:alert(1)"><button>X{n}</button></form>',
    '\u2028</script><script>alert("X{n}")</script>',
    '{{{{ 7*7 }}}}<x onclick=alert("X{n}")>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert('X{n}')>\">",
    '<a href="https://ok.example" style="position:fixed;inset:0" onclick="alert(\'X{n}\')">',
]

TRAP = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (message) => { window.__xss.push(`${name}(${message})`); };
}
for (const level of ["log", "info", "warn", "error"]) {
  const original = console[level];
  console[level] = (...args) => {
    if (args.some((arg) => /X\\d+/.test(String(arg)))) window.__xss.push(`console.${level}`);
    original.apply(console, args);
  };
}
"""

# What would run on a click, a hover or a focus, and was not put there by our templates.
DANGEROUS_DOM = """
() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "poster"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${tag}[${name}]`);
      if (urlAttributes.includes(name)
          && (value.startsWith("javascript:") || value.startsWith("data:text/html")
              || value.startsWith("vbscript:"))) {
        found.push(`${tag}[${name}=${value.slice(0, 40)}]`);
      }
    }
    if (tag === "script" && element.type !== "application/ld+json"
        && !(element.src || "").startsWith(`${location.origin}/static/`)) {
      found.push(`script ${element.outerHTML.slice(0, 60)}`);
    }
    if (["iframe", "object", "embed", "base", "frame", "applet"].includes(tag)) found.push(tag);
    if (tag === "meta" && element.hasAttribute("http-equiv")) found.push("meta[http-equiv]");
  }
  return found;
}
"""


def payloads() -> list[str]:
    return [payload.format(n=n) for n, payload in enumerate(PAYLOADS)]


def seed() -> list:
    postings = []
    for n, payload in enumerate(payloads()):
        company = CompanyFactory(
            name=f"{payload} Co", slug=f"xss-{n}", description=payload, website=payload
        )
        for fmt in DescriptionFormat.values:
            postings.append(
                PublishedPostingFactory(
                    language="en",
                    company=company,
                    title=payload,
                    slug=f"xss-{n}-{fmt}",
                    description=f"{payload}\n\nRequirements:\n- {payload}",
                    description_format=fmt,
                    description_html=render_description(
                        f"{payload}\n\nRequirements:\n- {payload}", fmt
                    ),
                    location=payload,
                    source_name=payload[:100],
                    source_url=payload[:500],
                    apply_url=payload[:500],
                )
            )
    return postings


@pytest.mark.django_db(transaction=True)
def test_no_payload_ever_runs(browser, site):
    postings = seed()
    companies = {posting.company for posting in postings}
    urls = [f"/en/?page={page}" for page in range(1, len(postings) // 20 + 2)]
    urls += [posting.get_absolute_url() for posting in postings]
    urls += [f"/en/companies/{company.slug}/" for company in companies]
    urls += ["/en/feed/rss/", "/en/feed/atom/", "/en/companies/xss-0/feed/rss/"]
    # Reflected: the payload in the query of every page that echoes its search.
    for payload in payloads():
        query = urlencode({"q": payload, "company": payload, "country": payload})
        urls += [f"/en/?{query}", f"/en/alerts/?{query}", f"/fr/feed/atom/?{query}"]

    context = browser.new_context(locale="en-GB", bypass_csp=True)
    context.add_init_script(TRAP)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # The control: the trap and the scan do see a payload that runs.
    page.set_content('<img src="data:," onerror="alert(\'X99\')"><a href="javascript:x">x</a>')
    page.wait_for_function("window.__xss.length > 0")
    assert page.evaluate("window.__xss") == ["alert(X99)"]
    assert page.evaluate(DANGEROUS_DOM) == ["img[onerror]", "a[href=javascript:x]"]
    executed: dict[str, list[str]] = {}
    dangerous: dict[str, list[str]] = {}
    for url in urls:
        response = page.goto(f"{site.url}{url}", wait_until="load")
        assert response.status < 500, url
        hits = page.evaluate("window.__xss || []")
        if hits:
            executed[url] = hits
        if "html" in response.headers.get("content-type", ""):
            found = page.evaluate(DANGEROUS_DOM)
            if found:
                dangerous[url] = found
    context.close()

    fields = 9  # title, description, location, source name and URL, apply URL, company x3
    print(
        f"\nXSS: {len(PAYLOADS)} payloads x {fields} fields x {len(DescriptionFormat.values)} "
        f"description formats = {len(postings)} postings; {len(urls)} pages and feeds opened; "
        f"executed: {sum(map(len, executed.values())) + len(dialogs)}; "
        f"dangerous DOM nodes: {sum(map(len, dangerous.values()))}"
    )
    assert executed == {}
    assert dialogs == []
    assert dangerous == {}


@pytest.mark.django_db(transaction=True)
def test_with_the_policy_on_nothing_even_tries(browser, site):
    """Defence in depth: had escaping failed, CSP would report the blocked inline code."""
    postings = seed()[:9]
    context = browser.new_context(locale="en-GB")
    context.add_init_script(
        TRAP + "document.addEventListener('securitypolicyviolation', (e) => "
        "window.__xss.push(`csp ${e.violatedDirective}`));"
    )
    page = context.new_page()
    hits = {}
    for url in ["/en/", *(posting.get_absolute_url() for posting in postings)]:
        page.goto(f"{site.url}{url}", wait_until="load")
        if found := page.evaluate("window.__xss"):
            hits[url] = found
    context.close()
    assert hits == {}
