"""What a candidate reads on the list and on a posting: active filters as chips, each fact
of a card once, relative dates in the page's language, the apply action under the title,
the closing date, the source linked, the share link and the search's feed."""

from datetime import timedelta
from http import HTTPStatus

import lxml.html
import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.factories import CompanyFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return lxml.html.fromstring(response.content.decode())


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


def card_facts(tree, posting) -> list[str]:
    return texts(
        tree, f'//article[@data-job-id="{posting.pk}"]//ul[@class="facts facts--dotted"]/li'
    )


# --- the list's chips -----------------------------------------------------------------------


def test_active_filters_are_chips_that_remove_themselves(client):
    PublishedPostingFactory(language="en", countries=["BR"], workplace="remote")

    tree = page(client, "/en/?q=engineer&country=BR&workplace=remote&currency=EUR&sort=relevance")

    chips = tree.xpath('//ul[@class="chips"]//a[@class="chip"]')
    assert [" ".join(chip.text_content().split()) for chip in chips] == [
        "Brazil × (remove this filter)",
        "Remote × (remove this filter)",
    ]
    # Each leads to the same search without it, back at the results; a currency without
    # an amount and the default order go with it.
    assert [chip.get("href") for chip in chips] == [
        "?q=engineer&workplace=remote#results",
        "?q=engineer&country=BR#results",
    ]
    clear = tree.xpath('//a[@class="chips__clear"]')[0]
    assert clear.get("href") == "?q=engineer#results"
    assert texts(tree, '//span[@class="filters__count"]') == ["(2)"]


def test_a_salary_chip_takes_its_currency_along(client):
    tree = page(client, "/fr/?salary_min=40000&currency=EUR&type=full_time")

    chips = {chip.text_content().split("×")[0].strip(): chip.get("href") for chip in
             tree.xpath('//a[@class="chip"]')}  # fmt: skip
    assert chips == {
        "Temps plein": "?salary_min=40000&currency=EUR#results",
        "À partir de 40\u202f000\xa0€ par an": "?type=full_time#results",
    }


def test_a_list_without_filters_has_no_chips_and_the_form_targets_the_results(client):
    tree = page(client, "/de/")

    assert tree.xpath('//ul[@class="chips"]') == []
    assert tree.xpath('//form[@role="search"]')[0].get("action") == "#results"
    assert tree.xpath('//details[@class="filters__more"]/@open') == []
    assert tree.xpath('//section[@id="results"]')


def test_refused_filters_open_the_disclosure(client):
    tree = page(client, "/en/?workplace=moon")

    assert tree.xpath('//details[@class="filters__more"]/@open') != []


def test_the_list_links_its_search_s_feed_visibly(client):
    tree = page(client, "/es/?workplace=remote")

    link = tree.xpath('//p[@class="feed-link"]/a')[0]
    assert link.get("href") == "/es/feed/rss/?workplace=remote"
    assert "RSS" in link.text_content()


# --- cards ------------------------------------------------------------------------------------


def test_a_card_says_each_fact_once(client):
    remote = PublishedPostingFactory(language="en", location="Remote", workplace="remote")
    medellin = PublishedPostingFactory(
        language="es", location="Medellín, Colombia (remoto)", workplace="remote"
    )
    hybrid = PublishedPostingFactory(language="es", location="Madrid", workplace="hybrid")

    assert card_facts(page(client, "/en/"), remote) == ["Remote", "Full-time"]
    spanish = page(client, "/es/")
    assert card_facts(spanish, medellin) == ["Medellín, Colombia", "Remoto", "Jornada completa"]
    assert card_facts(spanish, hybrid) == ["Madrid", "Híbrido", "Jornada completa"]


def test_cards_say_how_long_ago_in_the_page_s_language_and_mark_the_new(client):
    now = timezone.now()
    old = PublishedPostingFactory(language="fr", published_at=now - timedelta(days=3, hours=2))
    new = PublishedPostingFactory(language="fr", published_at=now - timedelta(hours=5))

    tree = page(client, "/fr/")

    def date(posting):
        return texts(tree, f'//article[@data-job-id="{posting.pk}"]//p[@class="job-card__date"]')

    assert date(old) == ["Il y a 3 jours"]
    assert date(new) == ["Nouvelle Il y a 5 heures"]


def test_a_cached_card_ages_with_its_posting(client, settings):
    posting = PublishedPostingFactory(
        language="de", published_at=timezone.now() - timedelta(hours=47)
    )
    assert "Neu" in texts(page(client, "/de/"), "//article")[0]

    type(posting).objects.filter(pk=posting.pk).update(
        published_at=timezone.now() - timedelta(hours=49)
    )
    from jobs.facets import facets_invalidate

    facets_invalidate()
    settings.JOBS_PAGE_CACHE_SECONDS = 0
    card = texts(page(client, "/de/"), "//article")[0]
    assert "Neu" not in card and "Vor 2 Tagen" in card


# --- the posting page -------------------------------------------------------------------------


def test_apply_comes_right_under_the_title_and_again_at_the_end(client):
    posting = PublishedPostingFactory(language="en", apply_url="https://jobs.example/apply/7")

    tree = page(client, posting.get_absolute_url())

    article = tree.xpath("//article")[0]
    order = [node.get("class") for node in article if node.get("class")]
    assert order.index("posting__apply") < order.index("facts") < order.index("apply-bar")
    assert tree.xpath('//div[@class="posting__apply"]/a/@href') == ["https://jobs.example/apply/7"]
    assert tree.xpath('//div[@class="apply-bar"]/a/@href') == ["https://jobs.example/apply/7"]


def test_the_posting_page_shows_its_closing_date_and_age(client):
    published = timezone.now() - timedelta(days=2, hours=1)
    posting = PublishedPostingFactory(
        language="pt-br", published_at=published, expires_at=published + timedelta(days=30)
    )

    tree = page(client, posting.get_absolute_url())

    facts = dict(zip(texts(tree, "//dl/dt"), texts(tree, "//dl/dd"), strict=True))
    with translation.override("pt-br"):
        closes = date_format(timezone.localtime(posting.expires_at), "DATE_FORMAT")
    assert facts["Inscrições até"] == closes
    assert facts["Publicada em"].endswith("(há 2 dias)")


def test_the_source_is_linked_when_the_posting_has_its_address(client):
    linked = PublishedPostingFactory(
        language="en", source_name="Acme Careers", source_url="https://careers.acme.example/7"
    )
    unlinked = PublishedPostingFactory(language="en", source_name="LinkedIn", source_url="")
    hostile = PublishedPostingFactory(
        language="en", source_name="Evil", source_url="javascript:alert(1)"
    )

    source = page(client, linked.get_absolute_url()).xpath('//p[@class="posting__source"]')[0]
    assert source.xpath("a/@href") == ["https://careers.acme.example/7"]
    assert " ".join(source.text_content().split()) == "Originally published on Acme Careers"
    assert page(client, unlinked.get_absolute_url()).xpath('//p[@class="posting__source"]/a') == []
    assert page(client, hostile.get_absolute_url()).xpath('//p[@class="posting__source"]/a') == []


def test_the_posting_can_be_shared_by_its_address(client):
    posting = PublishedPostingFactory(language="fr", company=CompanyFactory(name="Acme"))

    tree = page(client, posting.get_absolute_url())

    field = tree.xpath('//input[@id="share-link"]')[0]
    assert field.get("value") == f"http://testserver{posting.get_absolute_url()}"
    assert field.get("readonly") is not None
    assert texts(tree, '//label[@for="share-link"]') == ["Lien vers cette offre"]
    # The share and copy buttons wait for the script that makes them work.
    assert tree.xpath('//button[contains(@class, "share-button")]/@hidden') == [""]
    assert tree.xpath('//script[contains(@src, "share")]')


# --- switching language on a posting page ---------------------------------------------------


def test_switching_language_on_a_posting_leads_to_that_list_with_a_note(client):
    posting = PublishedPostingFactory(language="en")

    tree = page(client, posting.get_absolute_url())
    links = {link.get("hreflang"): link.get("href") for link in tree.xpath("//nav//a")}
    assert links["en"] == "/en/"
    assert links["fr"] == "/fr/?from=en"

    french = page(client, links["fr"])
    assert texts(french, '//p[@class="notice"]') == [
        "L’offre que vous lisiez est rédigée en anglais. Cette version du site ne présente "
        "que les offres rédigées dans sa propre langue : les voici."
    ]
    # No note for a list reached otherwise, nor for nonsense.
    assert page(client, "/fr/").xpath('//p[@class="notice"]') == []
    assert page(client, "/fr/?from=fr").xpath('//p[@class="notice"]') == []
    assert page(client, "/fr/?from=%3Cscript%3E").xpath('//p[@class="notice"]') == []


def test_an_import_s_identifier_is_not_shown_as_the_source_s_name(client):
    linked = PublishedPostingFactory(
        language="en",
        source_name="harbourline-greenhouse",
        source_url="https://www.boards.example/harbourline/7",
    )
    unlinked = PublishedPostingFactory(language="en", source_name="nordic_feed", source_url="")

    source = page(client, linked.get_absolute_url()).xpath('//p[@class="posting__source"]')[0]
    assert " ".join(source.text_content().split()) == "Originally published on boards.example"
    assert source.xpath("a/@href") == ["https://www.boards.example/harbourline/7"]
    source = page(client, unlinked.get_absolute_url()).xpath('//p[@class="posting__source"]')[0]
    assert " ".join(source.text_content().split()) == "Originally published on Nordic feed"
