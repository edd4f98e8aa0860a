"""Logs hold no tokens: the e-mail confirmation, password reset and e-mail change links carry
their token in the path, which access logs print (and the Referer of the next page repeats)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.security import REDACTED, RedactSecrets, _token_patterns
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]
TOKENS = {
    "/account/confirm/": "eyJ1aWQiOjQyLCJlbWFpbCI6ImFAYi5jIn0.aB3xQw.Secret-Confirm_Token1",
    "/account/reset/": "eyJ1aWQiOjQyLCJwdyI6Inh4In0.aB3xQw.Secret-Reset_Token2",
    "/account/email/": "eyJ1aWQiOjQyLCJuZXciOiJ4QHkueiJ9.aB3xQw.Secret-Email_Token3",
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, referer: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Referer": referer} if referer else {})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _visit_every_token_link(base: str) -> list[int]:
    statuses = []
    for path, token in TOKENS.items():
        # The Referer of a page opened from the reset form carries that form's token too.
        statuses.append(_get(base + path + token, referer=f"{base}/account/reset/{token}"))
    statuses.append(_get(f"{base}/account/login?token={TOKENS['/account/reset/']}"))
    return statuses


def _assert_redacted(text: str) -> None:
    for path, token in TOKENS.items():
        assert token not in text
        assert path + REDACTED in text
    assert "?token=" + REDACTED in text


def test_the_development_servers_access_log_hides_tokens(tmp_path, caplog):
    config = make_config(f"sqlite:///{tmp_path / 'logs.sqlite'}", str(tmp_path / "outbox"))
    application = create_app(config)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            statuses = _visit_every_token_link(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with application.app_context():
            db.engine.dispose()
    assert all(status < 500 for status in statuses), statuses
    access = "\n".join(r.getMessage() for r in caplog.records if r.name == "werkzeug")
    _assert_redacted(access)


def test_gunicorns_access_log_hides_tokens(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "LC_DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite'}",
        "LC_MAIL_OUTBOX": str(tmp_path / "outbox.jsonl"),
        "LC_ENV": "development",
    }
    access_format = '%(h)s "%(r)s" %(s)s "%(f)s"'
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(tmp_path / "access.log"),
            "--access-logformat",
            access_format,
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        statuses = _visit_every_token_link(base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert all(status < 500 for status in statuses), statuses
    access = (tmp_path / "access.log").read_text(encoding="utf-8")
    assert "/account/confirm/" in access
    _assert_redacted(access)


def test_the_application_log_is_redacted_in_production(make_app, monkeypatch, caplog):
    monkeypatch.setenv("LC_ENV", "production")
    production = make_app()
    token = TOKENS["/account/reset/"]
    with caplog.at_level(logging.INFO, logger=production.logger.name):
        production.logger.error("something failed on %s", f"/account/reset/{token}")
        try:
            raise ValueError(f"while reading /account/confirm/{token}")
        except ValueError:
            production.logger.exception("unexpected error")
    assert token not in caplog.text
    assert f"/account/reset/{REDACTED}" in caplog.text


def test_the_patterns_come_from_every_route_with_a_token(app):
    redactor = RedactSecrets(_token_patterns(app))
    assert len(redactor.patterns) == len(
        [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    )
    line = '127.0.0.1 - - "GET /account/reset/abc.DEF-1_2?x=1 HTTP/1.1" 200 "/account/email/q.w"'
    assert redactor.redact(line) == (
        f'127.0.0.1 - - "GET /account/reset/{REDACTED}?x=1 HTTP/1.1" 200 '
        f'"/account/email/{REDACTED}"'
    )
    # Pages that merely look alike keep their address.
    assert redactor.redact("GET /account/reset HTTP/1.1") == "GET /account/reset HTTP/1.1"
    assert redactor.redact("GET /account/confirm HTTP/1.1") == "GET /account/confirm HTTP/1.1"
