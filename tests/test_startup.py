"""Start-up stays cheap: `flask --app wsgi --help` (and so every command, and a gunicorn worker)
imports no heavy module that only some commands or pages use. Timings are bench/startup.py's;
this checks what is imported, which does not depend on the machine's load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import COMMANDS
from app.cli import LazyCommand
from app.extensions import MIGRATIONS_HELP

ROOT = Path(__file__).resolve().parent.parent

# Imported where they are used: a command or page that needs one pays for it, no other does.
HEAVY = (
    "alembic",  # flask db and the tests' upgrade() (app/extensions.py: Migrations)
    "flask_migrate",
    "mako",
    "numpy",  # the equal shares computation (app/voting/rules.py)
    "pabutools",
    "icalendar",  # .ics files and feeds (app/meetings/calendar.py)
    "argon2",  # hashing and checking passwords (app/accounts/services.py)
    "smtplib",  # sending mail to a server (app/mail.py)
    "PIL",  # reading and drawing images (app/attachments/files.py)
    "boto3",
    "botocore",
    "moto",
    "argostranslate",
)

# The whole `flask --app wsgi --help` run in a fresh interpreter, then the heavy modules loaded.
SCRIPT = """
import contextlib, io, sys
from flask.cli import main
sys.argv = ["flask", "--app", "wsgi", "--help"]
with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):
    main()
assert "pabulib" in out.getvalue() and "db " in out.getvalue(), out.getvalue()
heavy = %r
print(" ".join(sorted(name for name in heavy if name in sys.modules)) or "none")
"""


def test_help_imports_no_heavy_module(tmp_path):
    # The default configuration (no LC_ variable of the shell), on a throw-away database.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "FLASK_"))}
    env["LC_DATABASE_URL"] = f"sqlite:///{tmp_path / 'startup.sqlite'}"
    env["LC_MAIL_OUTBOX"] = str(tmp_path / "outbox.jsonl")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT % (HEAVY,)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["none"], f"imported at start-up: {done.stdout}"


def test_each_lazy_command_shows_the_help_of_the_command_it_runs(app):
    lazy = {name: c for name, c in app.cli.commands.items() if isinstance(c, LazyCommand)}
    assert set(lazy) == {name for name, _, _ in COMMANDS} | {"db"}
    for name, command in lazy.items():
        real = command.command
        assert real.name == name
        assert command.get_short_help_str(45) == real.get_short_help_str(45), name
    assert lazy["db"].help == MIGRATIONS_HELP


def test_a_lazy_group_runs_its_subcommands_and_their_help(runner):
    result = runner.invoke(args=["pabulib", "--help"])
    assert result.exit_code == 0, result.output
    assert "winners" in result.output
    result = runner.invoke(args=["pabulib", "winners", "--help"])
    assert result.exit_code == 0, result.output
    assert "--rule" in result.output
    result = runner.invoke(args=["pabulib", "nothing"])
    assert result.exit_code == 2
    assert "No such command 'nothing'" in result.output
