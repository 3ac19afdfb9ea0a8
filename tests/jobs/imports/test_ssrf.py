"""Server-side request forgery through the importer, tried for real against a local server:
names that resolve to private addresses, DNS answers that change between the check and the
connection, redirects, address spellings, and compression bombs."""

import gzip
import socket

import pytest

from jobs.imports.fetch import FetchRefused, check_url, fetch

REAL_GETADDRINFO = socket.getaddrinfo
attempts = {"tried": 0, "refused": 0}


def refused(function, *args) -> str:
    attempts["tried"] += 1
    with pytest.raises(FetchRefused) as error:
        function(*args)
    attempts["refused"] += 1
    return error.value.code


@pytest.fixture
def dns(monkeypatch):
    """Names the test maps to addresses, as a hostile DNS server would answer."""
    names: dict[str, list[str]] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            answers = names[host]
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.mark.parametrize(
    "url",
    [
        "http://127.1/feed",
        "http://2130706433/feed",  # 127.0.0.1 as one number
        "http://0x7f000001/feed",
        "http://0177.0.0.1/feed",
        "http://[::ffff:127.0.0.1]/feed",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",  # 169.254.169.254, IPv6-mapped
        "http://[fd00::1]/feed",
        "http://100.64.0.1/feed",  # shared address space (carrier-grade NAT)
        "http://198.18.0.1/feed",  # benchmarking
        "http://192.0.0.170/feed",  # IETF protocol assignments
        "http://LOCALHOST/feed",
        "https://user:pass@127.0.0.1:8443/feed",
    ],
)
def test_other_spellings_of_private_addresses_are_refused(url):
    assert refused(check_url, url) == "private_address"


def test_a_name_that_resolves_to_loopback_is_refused(dns):
    dns["jobs.attacker.test"] = ["127.0.0.1"]
    dns["metadata.attacker.test"] = ["169.254.169.254"]

    assert refused(check_url, "http://jobs.attacker.test/feed") == "private_address"
    assert refused(fetch, "http://metadata.attacker.test/latest/") == "private_address"


def test_a_redirect_to_a_name_that_resolves_to_loopback_is_refused(feed_server, dns):
    dns["internal.attacker.test"] = ["127.0.0.1"]
    port = feed_server.server.server_port
    feed_server.routes["/secret"] = b'{"secret": true}'
    feed_server.routes["/feed"] = (
        302,
        {"Location": f"http://internal.attacker.test:{port}/secret"},
        b"",
    )
    feed_server.routes["/localhost"] = (302, {"Location": f"http://localhost:{port}/secret"}, b"")

    assert refused(fetch, feed_server.url("/feed")) == "private_address"
    assert refused(fetch, feed_server.url("/localhost")) == "private_address"


def test_dns_rebinding_between_check_and_connect_is_refused(feed_server, dns):
    """The first answer is public (the check passes), the next one is the local server: the
    connection re-resolves and refuses instead of reaching it."""
    port = feed_server.server.server_port
    feed_server.routes["/secret"] = b'{"secret": true}'
    dns["rebind.attacker.test"] = ["93.184.215.14", "127.0.0.1"]

    assert refused(fetch, f"http://rebind.attacker.test:{port}/secret") == "private_address"


def test_a_gzip_bomb_is_refused_by_its_inflated_size(feed_server, settings):
    settings.IMPORT_MAX_FEED_BYTES = 1024 * 1024
    bomb = gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]", compresslevel=9)
    feed_server.routes["/bomb"] = (200, {"Content-Encoding": "gzip"}, bomb)

    assert refused(fetch, feed_server.url("/bomb")) == "too_large"
    print(f"\ngzip bomb: {len(bomb)} bytes on the wire, 64 MiB inflated, refused at 1 MiB")


def test_report_the_attempts():
    print(f"\nSSRF and size attempts: {attempts['tried']} tried, {attempts['refused']} refused")
    assert attempts["tried"] == attempts["refused"]
