"""Two (or more) real clients against the live server: each logs into admin with its own
session and CSRF token, opens pages, and submits their forms as a browser would (every field
the page rendered, hidden ones included). `race` sends requests at the same instant from
threads, so the server, not the test, decides who comes first."""

import threading
from collections.abc import Callable
from typing import Any

import httpx
import lxml.html
import pytest

from tests.factories import PASSWORD


@pytest.fixture
def plain_http_cookies(settings):
    """The live server speaks plain HTTP: let the session, CSRF and message cookies travel
    over it (production marks them Secure)."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


class AdminSession:
    def __init__(self, base_url: str, user) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=60, follow_redirects=False)
        self.user = user
        self.log_in()

    def log_in(self) -> None:
        page = self.open("/admin/login/")
        data = dict(self.form_values(page, "login-form"))
        data |= {"username": self.user.username, "password": PASSWORD}
        response = self.client.post("/admin/login/?next=/admin/", data=data)
        assert response.status_code == 302, response.text[:2000]

    def open(self, url: str) -> lxml.html.HtmlElement:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return lxml.html.fromstring(response.text)

    @staticmethod
    def form_values(page, form_id: str | None = None) -> list[tuple[str, str]]:
        forms = page.forms if form_id is None else [page.get_element_by_id(form_id)]
        form = forms[-1] if form_id is None else forms[0]
        return list(form.form_values())

    def submit(self, url: str, values: list[tuple[str, str]], **overrides: Any) -> httpx.Response:
        """POST the form's values, with `overrides` replacing (or adding) fields."""
        data: dict[str, list[str]] = {}
        for name, value in [*values, *overrides.items()]:
            if name not in overrides or (name, value) in overrides.items():
                data.setdefault(name, []).append(value)
        return self.client.post(url, data=data)

    def follow(self, response: httpx.Response) -> str:
        """The page a POST leads to: its redirect followed once, or itself re-rendered."""
        if response.status_code in (301, 302, 303):
            return self.client.get(response.headers["Location"]).text
        return response.text

    def close(self) -> None:
        self.client.close()


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test asserts on what it got
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
