"""Saved postings without an account: a signed cookie, the "Saved" page, the save buttons."""

from http import HTTPStatus

import httpx
import lxml.html
import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from jobs import saved
from jobs.models import JobPosting, Status
from tests.factories import ExpiredPostingFactory, PublishedPostingFactory
from tests.racing import plain_http_cookies, race  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SAVED_URL = "/en/saved/"


def save(client, posting, action="save"):
    return client.post(SAVED_URL, {"posting": posting.pk, "action": action})


def cookie_ids(client) -> list[str]:
    """The ids the client's cookie holds, as the site reads them back."""
    morsel = client.cookies.get(saved.COOKIE_NAME)
    if morsel is None or not morsel.value:
        return []
    request = RequestFactory().get("/")
    request.COOKIES[saved.COOKIE_NAME] = morsel.value
    value = saved.saved_read(request).encode()
    return value.split(".") if value else []


def saved_page(client, language="en"):
    response = client.get(f"/{language}/saved/")
    assert response.status_code == HTTPStatus.OK
    return response, lxml.html.fromstring(response.content)


def test_a_posting_saved_without_javascript_is_listed_on_the_saved_page(client):
    posting = PublishedPostingFactory(language="en", title="Data Engineer")

    response = client.post(
        SAVED_URL, {"posting": posting.pk, "action": "save", "next": "/en/?q=data"}
    )

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == "/en/saved/?next=%2Fen%2F%3Fq%3Ddata"
    assert cookie_ids(client) == [str(posting.pk)]
    response = client.get(response["Location"])
    page = lxml.html.fromstring(response.content)
    html = response.content.decode()
    assert "The posting is saved on this device." in html
    assert page.xpath("//a[text()='Back to where you were']/@href") == ["/en/?q=data"]
    assert [a.text_content() for a in page.xpath("//article//h2/a")] == ["Data Engineer"]
    assert response["Cache-Control"].startswith("max-age=0")
    assert "private" in response["Cache-Control"]


def test_the_same_save_twice_is_one_save_and_the_newest_comes_first(client):
    first = PublishedPostingFactory(language="en")
    second = PublishedPostingFactory(language="fr")

    for posting in (first, second, first):
        assert save(client, posting).status_code == HTTPStatus.SEE_OTHER

    assert cookie_ids(client) == [str(second.pk), str(first.pk)]
    # every language's postings, in one list, each with its own language
    _response, page = saved_page(client, "de")
    assert page.xpath("//article/@lang") == ["fr", "en"]


def test_removing_twice_and_marking_applied(client):
    posting = PublishedPostingFactory(language="en", title="Nurse")
    other = PublishedPostingFactory(language="en")
    save(client, posting)
    save(client, other)

    save(client, posting, "applied")
    assert cookie_ids(client) == [str(other.pk), f"{posting.pk}a"]
    _response, page = saved_page(client)
    assert page.xpath("//strong[text()='Applied']")
    assert page.xpath("//button[@value='not_applied']")

    save(client, posting, "not_applied")
    assert cookie_ids(client) == [str(other.pk), str(posting.pk)]
    for _ in range(2):
        assert save(client, posting, "remove").status_code == HTTPStatus.SEE_OTHER
        assert cookie_ids(client) == [str(other.pk)]
    save(client, other, "remove")
    assert client.cookies[saved.COOKIE_NAME].value == ""  # deleted
    response, _page = saved_page(client)
    assert "You have not saved any postings yet." in response.content.decode()


def test_closed_and_taken_down_postings_are_marked(client):
    open_posting = PublishedPostingFactory(language="en")
    closing = PublishedPostingFactory(language="en", title="Welder")
    taken_down = PublishedPostingFactory(language="en", title="Secret")
    for posting in (open_posting, closing, taken_down):
        save(client, posting)
    JobPosting.objects.filter(pk=closing.pk).update(status=Status.EXPIRED)
    JobPosting.objects.filter(pk=taken_down.pk).update(hidden_at=timezone.now())

    response, page = saved_page(client)

    states = page.xpath("//li[contains(@class, 'saved-item')]/@class")
    assert states == [
        "saved-item saved-item--gone",
        "saved-item saved-item--closed",
        "saved-item saved-item--open",
    ]
    html = response.content.decode()
    assert "No longer open" in html
    assert "A posting you saved has been taken off the site." in html
    assert "Secret" not in html


def test_only_postings_a_candidate_may_open_are_saved(client):
    hidden = PublishedPostingFactory(language="en", hidden_at=timezone.now())
    expired = ExpiredPostingFactory(language="en")

    assert save(client, hidden).status_code == HTTPStatus.NOT_FOUND
    assert client.post(SAVED_URL, {"posting": 99999999, "action": "save"}).status_code == 404
    assert save(client, expired).status_code == HTTPStatus.SEE_OTHER  # its page says closed
    assert cookie_ids(client) == [str(expired.pk)]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"posting": "abc", "action": "save"},
        {"posting": "-4", "action": "save"},
        {"posting": str(2**70), "action": "save"},
        {"posting": "1", "action": "delete-everything"},
    ],
)
def test_bad_input_is_refused_with_the_page_never_a_500(client, data):
    response = client.post(SAVED_URL, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "could not be saved" in response.content.decode()
    json = client.post(SAVED_URL, data, headers={"accept": "application/json"})
    assert json.status_code == HTTPStatus.BAD_REQUEST


def test_a_page_elsewhere_is_never_where_the_reader_is_sent_back(client):
    posting = PublishedPostingFactory(language="en")

    for next_url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(
            SAVED_URL, {"posting": posting.pk, "action": "save", "next": next_url}
        )
        assert response["Location"] == SAVED_URL


def test_an_altered_cookie_is_dropped_not_trusted(client):
    posting = PublishedPostingFactory(language="en")
    client.cookies[saved.COOKIE_NAME] = f"{posting.pk}.1.2.3:forged:signature"

    _response, page = saved_page(client)

    assert page.xpath("//article") == []
    assert save(client, posting).status_code == HTTPStatus.SEE_OTHER
    assert cookie_ids(client) == [str(posting.pk)]


def test_the_script_saves_in_place_with_json(client):
    posting = PublishedPostingFactory(language="en")
    headers = {"accept": "application/json"}

    answer = client.post(SAVED_URL, {"posting": posting.pk, "action": "save"}, headers=headers)

    assert answer.json() == {"saved": True, "applied": False, "count": 1}
    answer = client.post(SAVED_URL, {"posting": posting.pk, "action": "remove"}, headers=headers)
    assert answer.json() == {"saved": False, "applied": False, "count": 0}


def test_cards_and_the_posting_page_carry_a_save_button_and_stay_shared(client, settings):
    settings.JOBS_PAGE_CACHE_SECONDS = 60
    posting = PublishedPostingFactory(language="en")
    save(client, posting)

    for url in ("/en/", posting.get_absolute_url()):
        page = lxml.html.fromstring(client.get(url).content)
        buttons = page.xpath(f"//button[@class='save-button'][@value='{posting.pk}']")
        assert buttons and all(button.get("form") == "save-form" for button in buttons)
        # The same for every reader: the saved state is the script's to show.
        assert all(button.get("aria-pressed") is None for button in buttons)
        assert page.xpath("//form[@id='save-form']//input[@name='csrfmiddlewaretoken']")


def test_a_save_needs_the_csrf_token():
    posting = PublishedPostingFactory(language="en")
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(SAVED_URL, {"posting": posting.pk, "action": "save"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert saved.COOKIE_NAME not in response.cookies


def test_many_saves_keep_the_newest(client):
    listed = saved.SavedList()
    for pk in range(1, saved.MAX_SAVED + 20):
        listed.save(pk)

    assert len(listed) == saved.MAX_SAVED
    assert listed.ids[0] == saved.MAX_SAVED + 19
    assert saved.SavedList.decode(listed.encode()).ids == listed.ids
    assert saved.SavedList.decode("1.x.1.2a.0.-3.٣").ids == [1, 2]


class Reader:
    """A browser without JavaScript against the live server: its own cookies and token."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=60, follow_redirects=False)
        page = lxml.html.fromstring(self.client.get("/en/").text)
        self.token = page.xpath("//form[@id='save-form']//input[@name='csrfmiddlewaretoken']")[
            0
        ].get("value")

    def send(self, posting, action="save") -> httpx.Response:
        data = {"csrfmiddlewaretoken": self.token, "posting": posting.pk, "action": action}
        return self.client.post(SAVED_URL, data=data)

    def saved_titles(self) -> list[str]:
        page = lxml.html.fromstring(self.client.get(SAVED_URL).text)
        return [a.text_content() for a in page.xpath("//article//h2/a")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_http_cookies")
def test_two_readers_saving_at_once_each_keep_their_own(live_server):
    posting = PublishedPostingFactory(language="en", title="Baker")
    other = PublishedPostingFactory(language="en", title="Cook")
    first, second = Reader(live_server.url), Reader(live_server.url)

    answers = race(lambda: first.send(posting), lambda: second.send(other))

    assert [answer.status_code for answer in answers] == [303, 303]
    assert first.saved_titles() == ["Baker"]
    assert second.saved_titles() == ["Cook"]
    # and the same posting saved by both at once: each has it once
    race(lambda: first.send(other), lambda: second.send(other))
    assert first.saved_titles() == ["Cook", "Baker"]
    assert second.saved_titles() == ["Cook"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_http_cookies")
def test_the_same_request_sent_twice_at_once_saves_once(live_server):
    posting = PublishedPostingFactory(language="en", title="Baker")
    reader = Reader(live_server.url)
    reader.send(PublishedPostingFactory(language="en", title="Cook"))

    # A double click: both requests carry the cookie as it was, both answers set the same list.
    answers = race(lambda: reader.send(posting), lambda: reader.send(posting))

    assert [answer.status_code for answer in answers] == [303, 303]
    assert (
        answers[0].cookies[saved.COOKIE_NAME].split(":")[0]
        == (answers[1].cookies[saved.COOKIE_NAME].split(":")[0])
    )
    assert reader.saved_titles() == ["Baker", "Cook"]
    race(lambda: reader.send(posting, "remove"), lambda: reader.send(posting, "remove"))
    assert reader.saved_titles() == ["Cook"]
