"""Where attachment files are kept: a small interface, a local folder or an S3-compatible bucket.

ATTACHMENT_STORAGE chooses ("local", the default, under ATTACHMENT_DIR = instance/uploads; or
"s3", with the `s3` extra: ATTACHMENT_S3_BUCKET, ATTACHMENT_S3_ENDPOINT_URL, ATTACHMENT_S3_REGION,
ATTACHMENT_S3_ACCESS_KEY_ID / ATTACHMENT_S3_SECRET_ACCESS_KEY, or boto3's own environment). The
storage object is built per app (`app.extensions["lc_attachment_storage"]`).

Keys are made by the app (random, [a-z0-9/.-]), never from what a visitor sent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app

_EXTENSION = "lc_attachment_storage"
_KEY = re.compile(r"^[a-z0-9][a-z0-9/._-]{0,199}$")


class StorageError(Exception):
    """The storage could not keep, read or delete a file."""


class Storage(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


def _checked(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise StorageError(f"invalid storage key {key!r}")
    return key


class LocalStorage:
    """Files in a folder: one file per key (sub-folders from the key's slashes)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(data)
            partial.replace(path)
        except OSError as error:
            raise StorageError(str(error)) from error

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as error:
            raise StorageError(str(error)) from error

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(str(error)) from error

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Storage:
    """Objects in an S3-compatible bucket (AWS, MinIO, Garage…), through boto3."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_config(cls, config: dict) -> S3Storage:
        import boto3  # the optional `s3` extra: imported only when this backend is chosen

        client = boto3.client(
            "s3",
            endpoint_url=config.get("ATTACHMENT_S3_ENDPOINT_URL") or None,
            region_name=config.get("ATTACHMENT_S3_REGION") or None,
            aws_access_key_id=config.get("ATTACHMENT_S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("ATTACHMENT_S3_SECRET_ACCESS_KEY") or None,
        )
        return cls(client, config["ATTACHMENT_S3_BUCKET"])

    def save(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=_checked(key), Body=data, ContentType=content_type
            )
        except Exception as error:  # botocore's errors: ClientError, EndpointConnectionError…
            raise StorageError(str(error)) from error

    def read(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=_checked(key))["Body"].read()
        except Exception as error:
            raise StorageError(str(error)) from error

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=_checked(key))
        except Exception as error:
            raise StorageError(str(error)) from error

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=_checked(key))
        except Exception:
            return False
        return True


def build(config: dict) -> Storage:
    kind = config.get("ATTACHMENT_STORAGE", "local")
    if kind == "local":
        return LocalStorage(config["ATTACHMENT_DIR"])
    if kind == "s3":
        if not config.get("ATTACHMENT_S3_BUCKET"):
            raise RuntimeError("ATTACHMENT_STORAGE=s3 needs LC_ATTACHMENT_S3_BUCKET")
        return S3Storage.from_config(config)
    raise RuntimeError(f"unknown ATTACHMENT_STORAGE {kind!r}: use 'local' or 's3'")


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = build(app.config)


def storage() -> Storage:
    """The current app's storage."""
    return current_app.extensions[_EXTENSION]


def set_storage(app: Flask, backend: Storage) -> Storage:
    """Replace the app's storage (tests); returns the one it replaces."""
    previous = app.extensions[_EXTENSION]
    app.extensions[_EXTENSION] = backend
    return previous
