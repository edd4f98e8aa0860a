"""The storage backends: the local folder fully; S3 against moto's in-process mock."""

from __future__ import annotations

import pytest

from app.attachments import storage


def _round_trip(backend) -> None:
    backend.save("2026/01/abc.jpg", b"one", "image/jpeg")
    assert backend.exists("2026/01/abc.jpg")
    assert backend.read("2026/01/abc.jpg") == b"one"
    backend.save("2026/01/abc.jpg", b"two", "image/jpeg")
    assert backend.read("2026/01/abc.jpg") == b"two"
    backend.delete("2026/01/abc.jpg")
    assert not backend.exists("2026/01/abc.jpg")
    backend.delete("2026/01/abc.jpg")  # deleting what is gone is no error
    with pytest.raises(storage.StorageError):
        backend.read("2026/01/abc.jpg")
    for bad in ("../escape", "/etc/passwd", "a/../../b", "UPPER", ""):
        with pytest.raises(storage.StorageError):
            backend.save(bad, b"x", "text/plain")


def test_local_storage(tmp_path):
    backend = storage.build({"ATTACHMENT_STORAGE": "local", "ATTACHMENT_DIR": str(tmp_path)})
    assert isinstance(backend, storage.LocalStorage)
    _round_trip(backend)
    backend.save("k/one.pdf", b"%PDF-", "application/pdf")
    assert (tmp_path / "k" / "one.pdf").read_bytes() == b"%PDF-"
    assert not list(tmp_path.rglob("*.part"))


def test_unknown_or_incomplete_storage_refuses_to_start():
    with pytest.raises(RuntimeError):
        storage.build({"ATTACHMENT_STORAGE": "ftp"})
    with pytest.raises(RuntimeError):
        storage.build({"ATTACHMENT_STORAGE": "s3", "ATTACHMENT_S3_BUCKET": ""})


def test_s3_storage_against_moto(monkeypatch):
    moto = pytest.importorskip("moto")
    boto3 = pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto.mock_aws():
        boto3.client("s3", region_name="eu-south-1").create_bucket(
            Bucket="lc-attachments",
            CreateBucketConfiguration={"LocationConstraint": "eu-south-1"},
        )
        backend = storage.build(
            {
                "ATTACHMENT_STORAGE": "s3",
                "ATTACHMENT_S3_BUCKET": "lc-attachments",
                "ATTACHMENT_S3_REGION": "eu-south-1",
            }
        )
        assert isinstance(backend, storage.S3Storage)
        _round_trip(backend)
        backend.save("x/photo.jpg", b"\xff\xd8\xff", "image/jpeg")
        head = backend.client.head_object(Bucket="lc-attachments", Key="x/photo.jpg")
        assert head["ContentType"] == "image/jpeg"
