"""The production recipe of deploy/: systemd units and timers that systemd accepts, an nginx site
that nginx accepts, and a timer for every periodic command the README asks cron to run."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def _installed(tmp_path: Path, source: Path) -> Path:
    """`source` as it would be installed on a server, with the server's paths pointing at this
    checkout (its virtualenv holds gunicorn and flask) and the example environment file."""
    env = tmp_path / "env"
    env.write_text((DEPLOY / "learning-cities.env.example").read_text())
    text = source.read_text().replace("/srv/learning-cities", str(ROOT))
    target = tmp_path / source.name
    target.write_text(text.replace("/etc/learning-cities/env", str(env)))
    return target


def test_systemd_accepts_every_unit_and_timer(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze (Debian's systemd) is installed by `make test`"
    units = sorted((DEPLOY / "systemd").iterdir())
    names = {unit.name for unit in units}
    # The web servers, the two workers, and a service of its own behind every timer.
    assert {
        "learning-cities.service",
        "learning-cities-translations.service",
        "learning-cities-observatory.service",
    } <= names
    for timer in (u for u in units if u.suffix == ".timer"):
        assert timer.with_suffix(".service").name in names
    installed = [_installed(tmp_path, unit) for unit in units]
    run = subprocess.run(
        [analyze, "verify", "--man=no", *map(str, installed)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    # Unknown keys and bad values are only warnings with exit status 0: any output fails too.
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == "", run.stderr


def test_every_periodic_command_has_a_timer():
    readme = (ROOT / "README.md").read_text()
    blocks = [block.split("```")[0] for block in readme.split("```cron")[1:]]
    schedule = next(block for block in blocks if "consultations advance" in block)
    cron = re.findall(r"flask --app wsgi ([a-z-]+ [a-z-]+)\n", schedule)
    started = {
        re.search(r"flask --app wsgi ([a-z-]+ [a-z-]+)", unit.read_text()).group(1)
        for unit in (DEPLOY / "systemd").glob("*.service")
        if "flask --app wsgi" in unit.read_text()
    }
    assert cron
    assert set(cron) <= started


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return cert, key


def test_nginx_accepts_the_site(tmp_path, certificate):
    nginx = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )
    assert nginx, "nginx (Debian's package) is installed by `make test`"
    cert, key = certificate
    site = _installed(tmp_path, DEPLOY / "nginx" / "learning-cities.conf")
    text = site.read_text()
    assert "/etc/ssl/certs/ssl-cert-snakeoil.pem" in text
    text = text.replace("/etc/ssl/certs/ssl-cert-snakeoil.pem", str(cert))
    site.write_text(text.replace("/etc/ssl/private/ssl-cert-snakeoil.key", str(key)))
    # The headers the application reads behind LC_TRUSTED_PROXIES, and the static files.
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "Host"):
        assert f"proxy_set_header {header}" in text
    assert f"alias {ROOT}/app/static/;" in text
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {site};\n}}\n"
    )
    run = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "test is successful" in run.stderr
