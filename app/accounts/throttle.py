"""The log-in throttle: guessing a password is slowed and refused, the owner is never locked out.

| counted per                 | after                  | what happens                                    |
|-----------------------------|------------------------|-------------------------------------------------|
| account and address         | 5 wrong in 15 minutes  | that address is refused for that account until  |
|                             |                        | the 15 minutes are over (429, "try again in…")  |
| account, any address        | 5 wrong in an hour     | each attempt waits 0.25 s, doubling with each   |
|                             |                        | further wrong password, at most 2 s             |
| account, any address        | the 5th wrong in an    | one e-mail to the owner (once per hour)         |
|                             | hour                   |                                                 |
| address (app/security.py)   | 10 attempts a minute   | 429 for that address, whatever the account      |

The owner, from their own address, is never refused because of someone else's guesses: at worst
each attempt waits two seconds. A successful log-in clears its own address's count; a new
password by the reset link clears the account's. The "account" is the e-mail address as typed,
so an address with no account is counted and answered exactly like one that has it.

Counts live in the database (LoginFailure), not in a process's memory, so every app server sees
the same ones; each is changed by one UPDATE (two requests cannot both miss an increment), and
rows whose window is over are deleted as new failures come.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.accounts.models import LoginFailure
from app.db_types import UTCDateTime, utcnow
from app.extensions import db

PAIR_LIMIT = 5
PAIR_WINDOW = timedelta(minutes=15)
ACCOUNT_WINDOW = timedelta(hours=1)
DELAY_FROM = 5
DELAY_FIRST = 0.25
DELAY_CAP = 2.0
NOTICE_AT = 5
ANY_ADDRESS = "*"


def _key(kind: str, value: str) -> str:
    """A keyed hash: the table holds no e-mail nor network address."""
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def account_key(email: str) -> str:
    return _key("login-account", email.strip().lower())


def delay_for(failures: int) -> float:
    """Seconds an attempt waits after `failures` wrong passwords for its account in the hour."""
    if failures < DELAY_FROM:
        return 0.0
    return min(DELAY_CAP, DELAY_FIRST * 2 ** (failures - DELAY_FROM))


@dataclass(frozen=True)
class Attempt:
    account_key: str
    address_key: str
    # Set when this address may not try this account again yet: how long to wait.
    refused_for: timedelta | None
    # Seconds to wait before the password is checked.
    delay: float


def _current(row: LoginFailure | None, window: timedelta, now: datetime) -> int:
    if row is None or row.window_start <= now - window:
        return 0
    return row.failures


def before_attempt(email: str, address: str, now: datetime | None = None) -> Attempt:
    """What an attempt to log in to `email` from `address` must do before its password is
    checked: be refused, or wait."""
    now = now or utcnow()
    account = account_key(email)
    pair = _key("login-address", address)
    rows = {
        row.address_key: row
        for row in db.session.scalars(
            sa.select(LoginFailure).where(
                LoginFailure.account_key == account,
                LoginFailure.address_key.in_((pair, ANY_ADDRESS)),
            )
        )
    }
    refused_for = None
    if _current(rows.get(pair), PAIR_WINDOW, now) >= PAIR_LIMIT:
        refused_for = rows[pair].window_start + PAIR_WINDOW - now
    delay = delay_for(_current(rows.get(ANY_ADDRESS), ACCOUNT_WINDOW, now))
    return Attempt(account, pair, refused_for, delay)


def pause(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


def _count(account: str, address: str, window: timedelta, now: datetime) -> int:
    """Add one failure to the row (from one again when its window is over); the new count."""
    expired = LoginFailure.window_start <= now - window
    bump = (
        sa.update(LoginFailure)
        .where(LoginFailure.account_key == account, LoginFailure.address_key == address)
        .values(
            failures=sa.case((expired, 1), else_=LoginFailure.failures + 1),
            window_start=sa.case(
                (expired, sa.literal(now, UTCDateTime())), else_=LoginFailure.window_start
            ),
        )
        .returning(LoginFailure.failures)
        .execution_options(synchronize_session=False)
    )
    count = db.session.scalar(bump)
    if count is not None:
        return count
    try:
        with db.session.begin_nested():
            db.session.add(
                LoginFailure(account_key=account, address_key=address, failures=1, window_start=now)
            )
        return 1
    except IntegrityError:
        # Another request made the row meanwhile: count on it.
        return db.session.scalar(bump) or 1


def record_failure(attempt: Attempt, now: datetime | None = None) -> bool:
    """Count a wrong password; True when the account just reached NOTICE_AT in its hour (the
    moment to tell the owner, once)."""
    now = now or utcnow()
    db.session.execute(
        sa.delete(LoginFailure)
        .where(LoginFailure.window_start <= now - ACCOUNT_WINDOW)
        .execution_options(synchronize_session=False)
    )
    _count(attempt.account_key, attempt.address_key, PAIR_WINDOW, now)
    return _count(attempt.account_key, ANY_ADDRESS, ACCOUNT_WINDOW, now) == NOTICE_AT


def record_success(attempt: Attempt) -> None:
    db.session.execute(
        sa.delete(LoginFailure)
        .where(
            LoginFailure.account_key == attempt.account_key,
            LoginFailure.address_key == attempt.address_key,
        )
        .execution_options(synchronize_session=False)
    )


def forget_account(email: str) -> None:
    db.session.execute(
        sa.delete(LoginFailure)
        .where(LoginFailure.account_key == account_key(email))
        .execution_options(synchronize_session=False)
    )
