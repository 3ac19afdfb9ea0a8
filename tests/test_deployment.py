"""The shipped deployment's shape (compose.yaml, Dockerfile, deploy/): what issue 20 found
missing is there and consistent. The proxy configuration itself is attacked in
tests/test_proxy.py."""

import ipaddress
import json
import runpy

import yaml

from tests.conftest import ROOT, dockerfile_command

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


def _command(service: str) -> list[str]:
    return [str(part) for part in SERVICES[service]["command"]]


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_only_the_proxy_publishes_a_port():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}


def test_web_trusts_exactly_the_proxy():
    proxy_address = SERVICES["proxy"]["networks"]["front"]["ipv4_address"]
    web_environment = {**SERVICES["web"]["environment"]}
    assert web_environment["FORWARDED_ALLOW_IPS"] == proxy_address
    subnet = COMPOSE["networks"]["front"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet)


def test_the_image_runs_gthread_gunicorn_that_takes_no_proxy_header_from_anyone():
    command = dockerfile_command()
    assert command[:2] == ["gunicorn", "config.wsgi:application"]
    assert "*" not in json.dumps(command)
    config = runpy.run_path(str(ROOT / _option(command, "--config")))
    assert config["worker_class"] == "gthread"
    assert config["forwarder_headers"] == ""
    assert config["header_map"] == "drop"
    assert "*" not in config["forwarded_allow_ips"]


def test_the_broker_never_evicts_and_the_cache_is_capped():
    environment = SERVICES["web"]["environment"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert environment["REDIS_URL"].startswith("redis://redis-cache:")
    broker, cache = _command("redis"), _command("redis-cache")
    assert _option(broker, "--maxmemory-policy") == "noeviction"
    assert _option(broker, "--appendonly") == "yes"
    assert _option(cache, "--maxmemory-policy") == "allkeys-lru"
    assert _option(cache, "--maxmemory")


def test_the_proxy_serves_media_from_the_volume_web_writes():
    web_media = next(v for v in SERVICES["web"]["volumes"] if v.startswith("media:"))
    proxy_media = next(v for v in SERVICES["proxy"]["volumes"] if v.startswith("media:"))
    assert proxy_media.endswith(":ro")
    assert proxy_media.split(":")[1] == SERVICES["proxy"]["environment"]["MEDIA_ROOT"]
    assert web_media == "media:/app/media"
