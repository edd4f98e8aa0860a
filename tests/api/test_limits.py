"""The API's rate limit, on an application built with limits on (the suite runs without):
past it, a 429 problem with Retry-After, in the asked language; per address."""

from __future__ import annotations

from app import create_app
from app.extensions import db
from tests.conftest import make_config


def _boom():
    raise RuntimeError("secret detail of the server")


def test_past_the_limit_a_429_problem_with_retry_after_and_a_500_tells_no_secret(app, world):
    config = make_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["MAIL_OUTBOX"])
    # As in production: not testing (so errors are answered, not raised), limits on.
    limited = create_app(
        {**config, "TESTING": False, "RATELIMIT_ENABLED": True, "RATELIMIT_API": "3/minute"}
    )
    limited.add_url_rule("/api/v1/boom", "boom", _boom)
    try:
        failing = limited.test_client()
        failing.environ_base["REMOTE_ADDR"] = "192.0.2.1"
        broken = failing.get("/api/v1/boom")
        assert broken.status_code == 500
        assert broken.mimetype == "application/problem+json"
        assert broken.json["status"] == 500
        assert "secret" not in broken.get_data(as_text=True)
        assert "Traceback" not in broken.get_data(as_text=True)
        client = limited.test_client()
        client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
        for _n in range(3):
            assert client.get("/api/v1/cities").status_code == 200
        refused = client.get("/api/v1/cities?lang=de")
        assert refused.status_code == 429
        assert refused.mimetype == "application/problem+json"
        assert refused.json["status"] == 429
        assert refused.headers["Content-Language"] == "de"
        assert 1 <= int(refused.headers["Retry-After"]) <= 61
        other = limited.test_client()
        other.environ_base["REMOTE_ADDR"] = "198.51.100.4"
        assert other.get("/api/v1/cities").status_code == 200
    finally:
        with limited.app_context():
            db.engine.dispose()
