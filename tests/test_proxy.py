"""The front proxy as deployed (deploy/nginx/), Debian's nginx in front of gunicorn started as
the Dockerfile starts it, attacked the way issue 20 found (findings 2, 5 and 6).

- Slow headers: connections sending a header line now and then held every gunicorn thread;
  nginx reads requests whole first, so gunicorn never sees them.
- SCRIPT_NAME: a header that would set where links point; nginx drops it (underscores).
- X-Forwarded-For: clients chose their own address; nginx replaces the header with the
  address it saw, and web trusts it only from the proxy.
- /media/ and /static/: files, served with nosniff and a sandboxing CSP.
"""

import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port
from tests.factories import PublishedPostingFactory

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="needs nginx (apt-get install nginx-light)"),
    pytest.mark.django_db(transaction=True),
]
CONF = ROOT / "deploy" / "nginx"


class Nginx:
    """nginx with the project's configuration, rendered for loopback ports, in front of
    `upstream` ("127.0.0.1:PORT")."""

    def __init__(self, directory: Path, upstream: str, media_root: Path) -> None:
        self.http_port, self.https_port = free_port(), free_port()
        certificate, key = directory / "cert.pem", directory / "key.pem"
        subprocess.run(  # noqa: S603 - a throwaway self-signed certificate
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S607
             "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
            check=True, capture_output=True,
        )  # fmt: skip
        for name in ["jobboard-proxy.inc", "jobboard-files.inc"]:
            shutil.copy(CONF / name, directory / name)
        values = {
            "WEB_UPSTREAM": upstream,
            "NGINX_HTTP_PORT": f"127.0.0.1:{self.http_port}",
            "NGINX_HTTPS_PORT": f"127.0.0.1:{self.https_port}",
            "NGINX_CONF_DIR": str(directory),
            "TLS_CERTIFICATE": str(certificate),
            "TLS_CERTIFICATE_KEY": str(key),
            "MEDIA_ROOT": str(media_root),
        }
        site = (CONF / "jobboard.conf.template").read_text()
        for name, value in values.items():
            site = site.replace("${" + name + "}", value)
        assert "${" not in site, "a name the template uses is not rendered"
        (directory / "jobboard.conf").write_text(site)
        temp = directory / "temp"
        temp.mkdir()
        (directory / "nginx.conf").write_text(
            f"""daemon off;
user root root;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log info;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {directory}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {directory}/jobboard.conf;
}}
"""
        )
        self.directory = directory
        self.process = subprocess.Popen(  # noqa: S603 - Debian's nginx, our configuration
            [NGINX, "-c", str(directory / "nginx.conf"), "-p", str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.client = httpx.Client(base_url=self.url, verify=False, timeout=20)  # noqa: S501
        for _ in range(100):
            try:
                self.client.get("/healthz")
                return
            except httpx.TransportError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def media_root(tmp_path):
    root = tmp_path / "media"
    (root / "logos").mkdir(parents=True)
    return root


@pytest.fixture
def stack(web_servers, tmp_path, media_root):
    """gunicorn as the image runs it, one process of two threads, behind nginx."""
    web = web_servers(
        replicas=False,
        image=True,
        env={
            "GUNICORN_THREADS": "2",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
            "DJANGO_SECURE_SSL_REDIRECT": "1",
            "DJANGO_MEDIA_ROOT": str(media_root),
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "JOBS_SEARCH_RATE_LIMIT": "3",
        },
    )
    directory = tmp_path / "nginx"
    directory.mkdir()
    proxy = Nginx(directory, web.url.removeprefix("http://"), media_root)
    yield web, proxy
    proxy.stop()


def _slow_clients(port: int, count: int, seconds: float, *, tls: bool) -> threading.Event:
    """`count` connections that each send a request's headers one line per half second for
    `seconds`, never finishing them."""
    stop = threading.Event()

    def trickle():
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            sock = context.wrap_socket(sock)
        try:
            sock.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not stop.is_set():
                sock.sendall(b"X-Slow: 1\r\n")
                time.sleep(0.5)
        except OSError:
            pass  # the server gave up on us: what it should do
        finally:
            sock.close()

    for _ in range(count):
        threading.Thread(target=trickle, daemon=True).start()
    return stop


def test_slow_headers_through_the_proxy_hold_no_gunicorn_thread(stack):
    web, proxy = stack
    PublishedPostingFactory(language="en")

    # Without the proxy, eight slow clients hold both of gunicorn's threads.
    stop = _slow_clients(web.port, 8, seconds=8, tls=False)
    time.sleep(1)
    with pytest.raises(httpx.TimeoutException):
        httpx.get(f"{web.url}/healthz", timeout=3)
    stop.set()

    # Through the proxy they would hold the threads for a minute if it passed them on: a page
    # served within 20 s (room for a loaded machine) shows it does not.
    stop = _slow_clients(proxy.https_port, 8, seconds=60, tls=True)
    time.sleep(1)
    try:
        for _ in range(5):
            assert proxy.client.get("/en/", timeout=20).status_code == 200
    finally:
        stop.set()


def test_no_header_through_the_proxy_sets_script_name(stack):
    _web, proxy = stack
    posting = PublishedPostingFactory(language="en")
    pages = ["/en/", posting.get_absolute_url()]

    for _ in range(10):
        for page in pages:
            proxy.client.get("/evil" + page, headers={"SCRIPT_NAME": "/evil"})
            proxy.client.get(page, headers={"SCRIPT_NAME": "/evil", "Script-Name": "/evil"})

    assert proxy.client.get("/evil/en/", headers={"SCRIPT_NAME": "/evil"}).status_code == 404
    for page in pages:
        response = proxy.client.get(page)
        assert response.status_code == 200
        assert "/evil" not in response.text


def test_clients_cannot_choose_their_address_through_the_proxy(stack):
    _web, proxy = stack

    statuses = [
        proxy.client.get(
            f"/en/?q=engineer{number}",
            headers={"X-Forwarded-For": f"203.0.113.{number}", "X_Forwarded_For": "198.51.100.1"},
        ).status_code
        for number in range(5)
    ]

    # One client, whatever it wrote: three searches (JOBS_SEARCH_RATE_LIMIT), then 429s.
    assert statuses == [200, 200, 200, 429, 429]


def test_media_and_static_files_are_never_run_as_pages(stack, media_root):
    _web, proxy = stack
    (media_root / "logos" / "acme.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (media_root / "logos" / "evil.html").write_text("<script>alert(1)</script>")

    logo = proxy.client.get("/media/logos/acme.png")
    evil = proxy.client.get("/media/logos/evil.html")
    css = proxy.client.get("/static/css/site.css")

    assert logo.status_code == evil.status_code == css.status_code == 200
    assert logo.headers["content-type"] == "image/png"
    assert evil.headers["content-type"] == "application/octet-stream"
    for response in (logo, evil, css):
        assert response.headers.get_list("x-content-type-options") == ["nosniff"]
        assert "sandbox" in response.headers["content-security-policy"]
        assert "default-src 'none'" in response.headers["content-security-policy"]


def test_plain_http_moves_to_https_but_health_checks_answer(stack):
    _web, proxy = stack
    plain = f"http://127.0.0.1:{proxy.http_port}"

    assert httpx.get(f"{plain}/healthz").status_code == 200
    redirect = httpx.get(f"{plain}/en/")
    assert redirect.status_code == 301
    assert redirect.headers["location"].startswith("https://")
