"""The shipped deployment files agree with the app: nginx's body limit with the app's largest,
its unbuffered location with the routes that date a save by its arrival, the units with
nginx's upstreams, the environment template with every variable the app reads, and the
test's rendering of the site with the shipped file except for ports and paths."""

from __future__ import annotations

import configparser
import re
import runpy
from pathlib import Path

import pytest

from crunchtime.config import load_config
from crunchtime.security.http import BODY_LIMITS, FORM_BODY_BYTES, body_limit
from tests.deploy.site import RENDERED_DIRECTIVES, ROOT, SITE, Layout, render, shape

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def directive_values(text: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, re.MULTILINE)


def nginx_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value.strip()).groups()
    return int(number) * SIZE_UNITS[unit.lower()]


def locations(text: str) -> dict[str, str]:
    """Each `location` of the site: its prefix → its block's text."""
    return {match.group(1): match.group(2) for match in
            re.finditer(r"^\s*location\s+(?:=\s+)?(\S+)\s*\{(.*?)^\s*\}", text,
                        re.MULTILINE | re.DOTALL)}


def upstream_ports(text: str, name: str) -> list[int]:
    block = re.search(rf"upstream\s+{name}\s*\{{(.*?)\}}", text, re.DOTALL).group(1)
    return [int(port) for port in re.findall(r"server\s+127\.0\.0\.1:(\d+);", block)]


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


def test_nginx_accepts_exactly_the_largest_body_the_app_reads(tmp_path):
    config = load_config(tmp_path, environ={})
    largest = max([FORM_BODY_BYTES, *(body_limit(endpoint, config) for endpoint in BODY_LIMITS)])
    limits = directive_values(SITE.read_text(), "client_max_body_size")
    assert limits == ["120m"]
    assert nginx_bytes(limits[0]) == largest == config["MAX_CONTENT_LENGTH"]


def test_every_route_that_dates_a_save_by_its_arrival_is_streamed_to_the_app(app):
    """The team blueprint dates each request when its body has finished arriving: nginx must
    pass those bodies on as they come (not buffer them first); other bodies are buffered."""
    site = locations(SITE.read_text())
    streamed = [prefix for prefix, block in site.items() if "proxy_request_buffering off" in block]
    assert streamed == ["/team/"]
    team_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("team.")]
    assert {"team.submission", "team.complete_stage"} <= {rule.endpoint for rule in team_rules}
    assert all(rule.rule.startswith("/team/") for rule in team_rules)


def test_live_connections_go_to_the_fan_out_tier_and_upgrade(tmp_path):
    text = SITE.read_text()
    site = locations(text)
    assert "proxy_pass http://crunchtime_live;" in site["/socket.io/"]
    assert all("crunchtime_live" not in block for prefix, block in site.items()
               if prefix != "/socket.io/")
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $crunchtime_connection;" in text
    assert "proxy_set_header X-Request-ID $request_id;" in text
    assert "deny all;" in site["/metrics"]


def test_the_units_start_the_ports_nginx_sends_to():
    text = SITE.read_text()
    target = unit(UNITS / "crunchtime.target")
    wanted = target["Unit"]["Wants"].split()
    http = sorted(int(re.fullmatch(r"crunchtime-http@(\d+)\.service", name).group(1))
                  for name in wanted if name.startswith("crunchtime-http@"))
    assert http == upstream_ports(text, "crunchtime_http")
    live = unit(UNITS / "crunchtime-live.service")["Service"]["Environment"]
    assert live == f"GUNICORN_BIND=127.0.0.1:{upstream_ports(text, 'crunchtime_live')[0]}"
    assert "crunchtime-live.service" in wanted


@pytest.mark.parametrize("name", ["crunchtime-http@.service", "crunchtime-live.service"])
def test_each_process_unit_restarts_runs_unprivileged_with_the_shipped_settings(name):
    service = unit(UNITS / name)["Service"]
    assert service["Restart"] == "always"
    assert service["User"] == "crunchtime"
    assert service["EnvironmentFile"] == "/etc/crunchtime/crunchtime.env"
    assert service["ExecStart"].endswith("gunicorn -c /srv/crunchtime/gunicorn.conf.py")
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert int(service["LimitNOFILE"]) > 3000


def test_the_hourly_backup_writes_into_its_own_state_directory_and_prunes_only_there():
    service = unit(UNITS / "crunchtime-backup.service")["Service"]
    directory = "/var/lib/crunchtime-backups"
    assert "crunchtime-backups" in service["StateDirectory"].split()
    assert re.search(rf'crunchtime backup "{directory}/crunchtime-.+\.tar"', service["ExecStart"])
    prune = f"/usr/bin/find {directory} -name 'crunchtime-*.tar' "
    assert service["ExecStartPost"].startswith(prune)
    assert unit(UNITS / "crunchtime-backup.timer")["Timer"]["OnCalendar"] == "hourly"


class RecordingEnviron(dict):
    """An empty environment that remembers every variable asked of it."""

    def __init__(self):
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)


def variables_read(tmp_path) -> set[str]:
    environ = RecordingEnviron()
    load_config(tmp_path, environ=environ)
    read_elsewhere = re.compile(r"os\.(?:environ\.get|getenv)\(\s*[\"']([A-Z_]+)[\"']")
    for source in [*(ROOT / "crunchtime").rglob("*.py"), ROOT / "gunicorn.conf.py"]:
        environ.asked.update(read_elsewhere.findall(source.read_text()))
    return environ.asked


def test_the_environment_template_lists_every_variable_the_app_reads(tmp_path):
    template = (DEPLOY / "crunchtime.env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", template, re.MULTILINE))
    read = variables_read(tmp_path)
    assert {"SECRET_KEY", "DATABASE_URL", "GUNICORN_BIND", "MAIL_SERVER"} <= read
    assert read - listed == set()
    assert listed - read == set()  # nothing stale either
    assert re.search(r"^SECRET_KEY=$", template, re.MULTILINE)  # no secret shipped


def test_gunicorn_settings_take_the_address_from_the_environment(monkeypatch):
    for name in ("GUNICORN_BIND", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["bind"] == ["127.0.0.1:5000"]
    assert (settings["worker_class"], settings["workers"]) == ("gevent", 1)
    assert settings["wsgi_app"] == "crunchtime.wsgi:app"
    monkeypatch.setenv("PORT", "5071")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == ["127.0.0.1:5071"]
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8001")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == ["127.0.0.1:8001"]


def test_gunicorn_access_log_masks_the_tokens_of_mailed_links():
    masked = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["masked_path"]
    token = "eyJ1c2VyIjo0Mn0.Z3x9Qw.abcdefghijklmnopqrstuvwx"
    assert masked(f"/password/reset/{token}") == "/password/reset/***"
    assert masked("/invitation/short") == "/invitation/***"
    assert masked(f"/somewhere/{'A1b2' * 10}/x") == "/somewhere/***/x"
    assert masked("/team/12/submission") == "/team/12/submission"


def test_the_rendered_site_differs_from_the_shipped_one_only_in_ports_and_paths(tmp_path):
    shipped = SITE.read_text()
    layout = Layout([5101, 5102], [5103], 5104, 5105, tmp_path / "static",
                    tmp_path / "c.pem", tmp_path / "k.pem", tmp_path / "logs", ipv6=False)
    rendered = render(shipped, layout)
    pairs = list(zip(shipped.splitlines(), rendered.splitlines(), strict=True))
    changed = [(old, new) for old, new in pairs if old != new]
    for old, new in changed:
        assert old.split()[0] in RENDERED_DIRECTIVES, (old, new)
        assert shape(old) == shape(new.replace("# ", "", 1)), (old, new)
    assert {old.split()[0] for old, _ in changed} >= {"server", "listen", "alias"}
    # every port the test asked for is in the rendering, none of the shipped ones remains
    for port in (5101, 5102, 5103, 5104, 5105):
        assert f":{port};" in rendered or f"listen {port}" in rendered
    directives = "\n".join(line for line in rendered.splitlines()
                           if not line.lstrip().startswith("#"))
    assert not re.search(r"\b(8001|8002|8010|443)\b", directives)
    assert "/srv/crunchtime" not in directives and "/var/log" not in directives
