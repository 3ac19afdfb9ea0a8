"""No request decides where the site's links point (issue 20, finding 2).

A server that takes SCRIPT_NAME from a client's header (gunicorn with `--forwarded-allow-ips
'*'` did) let about thirty requests fill each process's caches of reversed paths and rendered
fragments with links below the attacker's prefix, and through them the shared page cache:
every visitor then got links that lead to 404s. The image's gunicorn takes SCRIPT_NAME from
no header (deploy/gunicorn.conf.py), Django takes it from configuration only
(FORCE_SCRIPT_NAME), and the caches are keyed by the script prefix or hold only the part
after it, so that even a deployment below a path cannot leak one request's prefix into
another's page.
"""

import pytest
from django.urls import set_script_prefix

from jobs import fragments
from locales.paths import page_path
from tests.factories import CompanyFactory, PublishedPostingFactory

EVIL = "/evil"


@pytest.mark.django_db(transaction=True)
def test_script_name_headers_sent_to_the_image_server_poison_no_link(web_servers):
    company = CompanyFactory(slug="acme")
    posting = PublishedPostingFactory(language="en", company=company)
    server = web_servers(replicas=False, image=True)
    pages = ["/en/", posting.get_absolute_url(), "/en/companies/acme/", "/en/?page=1"]

    for _ in range(10):
        for page in pages:
            server.get(EVIL + page, headers={"SCRIPT_NAME": EVIL})
            server.get(page, headers={"SCRIPT_NAME": EVIL})

    for page in pages:
        response = server.get(page)
        assert response.status_code == 200, page
        assert f'"{EVIL}/' not in response.text, page
        assert f"{server.url}{EVIL}" not in response.text, page


@pytest.mark.django_db
def test_a_prefix_seen_by_one_request_never_reaches_another_page(client):
    """Below a prefix, links carry it; the caches then serve a request at the root its own.
    (Django's test client sets no script prefix: the test sets it as a server would.)"""
    fragments.cards.clear()
    fragments.blocks.clear()
    fragments.forms.clear()
    PublishedPostingFactory.create_batch(3, language="en")

    try:
        set_script_prefix("/sub/")
        below = client.get("/en/")
    finally:
        set_script_prefix("/")
    root = client.get("/en/")

    assert below.status_code == root.status_code == 200
    assert 'href="/sub/en/' in below.text
    assert "/sub/" not in root.text


def test_page_path_keeps_only_the_tail_after_the_prefix():
    try:
        set_script_prefix("/sub/")
        assert page_path("jobs:job_list", "fr") == "/sub/fr/"
        set_script_prefix("/")
        assert page_path("jobs:job_list", "fr") == "/fr/"
    finally:
        set_script_prefix("/")
