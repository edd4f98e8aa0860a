import pytest

from app import create_app


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("LC_ENV", "production")
    monkeypatch.delenv("LC_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="LC_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_refuses_a_short_secret_key(monkeypatch):
    monkeypatch.setenv("LC_ENV", "production")
    monkeypatch.setenv("LC_SECRET_KEY", "short")
    with pytest.raises(RuntimeError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_real_key_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("LC_ENV", "production")
    monkeypatch.setenv("LC_SECRET_KEY", "k" * 48)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("LC_DATABASE_URL", "sqlite:////tmp/elsewhere.sqlite")
    monkeypatch.setenv("LC_DEFAULT_LOCALE", "fr")
    monkeypatch.setenv("LC_MAIL_SERVER", "smtp.example.org")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/elsewhere.sqlite"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"
    assert app.config["MAIL_SERVER"] == "smtp.example.org"


def test_defaults_need_no_setup(monkeypatch):
    for name in ("LC_ENV", "LC_DATABASE_URL", "LC_SECRET_KEY", "LC_DEFAULT_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/learning-cities.sqlite")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "it"
