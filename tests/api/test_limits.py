"""The API's rate limit, on an application built with limits on (the suite runs without):
past it, a 429 problem with Retry-After, in the asked language; per address."""

from __future__ import annotations

from app import create_app
from app.extensions import db
from tests.conftest import make_config


def test_past_the_limit_a_429_problem_with_retry_after(app, world):
    config = make_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["MAIL_OUTBOX"])
    limited = create_app({**config, "RATELIMIT_ENABLED": True, "RATELIMIT_API": "3/minute"})
    try:
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
