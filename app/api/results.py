"""A consultation's published result in the API: the stored snapshot's metadata (digest, rule,
close, links) and the snapshot itself, the same bytes as the results page's download."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any, Literal

from flask import abort, url_for
from pydantic import Field, RootModel

from app.api.framework import Reply, endpoint
from app.api.schema import Schema
from app.consultations.models import Consultation
from app.consultations.services import get_consultation_or_404
from app.results.models import ResultSnapshot
from app.results.services import snapshot_of


class ResultLinks(Schema):
    snapshot: str = Field(description="The stored snapshot, byte for byte (this API).")
    download: str = Field(description="The same snapshot, downloaded from the results page.")
    page: str = Field(description="The results page.")
    ballots_csv: str = Field(description="The anonymised ballots, to recompute the result.")
    ballots_pb: str | None = Field(
        None, description="The same ballots as a Pabulib file (budget consultations)."
    )


class ResultDigest(Schema):
    algorithm: Literal["sha-256"] = "sha-256"
    value: str = Field(description="Hex digest of the snapshot's UTF-8 bytes.")


class ResultSummary(Schema):
    consultation: int
    city: str = Field(description="The city's slug.")
    method: Literal["supports", "budget"]
    rule: str = Field(
        description="The rule that chose the winners (supports, greedy, equal-shares)."
    )
    closed_at: datetime
    computed_at: datetime
    digest: ResultDigest
    winners: list[int] = Field(description="The winning proposals' ids, as the snapshot says.")
    participants: int
    links: ResultLinks


class ResultSnapshotDocument(RootModel[dict[str, Any]]):
    """The snapshot as stored: canonical JSON (sorted keys, no spaces, UTF-8)."""


def summary_of(consultation: Consultation, snapshot: ResultSnapshot) -> ResultSummary:
    payload = json.loads(snapshot.canonical_json)
    ids = {"consultation_id": consultation.id, "_external": True}
    return ResultSummary(
        consultation=consultation.id,
        city=consultation.city.slug,
        method=consultation.voting_method,
        rule=snapshot.rule,
        closed_at=datetime.fromisoformat(payload["closed_at"]),
        computed_at=snapshot.computed_at,
        digest=ResultDigest(value=snapshot.digest),
        winners=payload["winners"],
        participants=payload["participation"]["participants"],
        links=ResultLinks(
            snapshot=url_for("api.result_snapshot", **ids),
            download=url_for("results.snapshot_json", **ids),
            page=url_for("results.show", **ids),
            ballots_csv=url_for("results.ballots_csv", **ids),
            ballots_pb=url_for("results.ballots_pb", **ids)
            if consultation.voting_method == "budget"
            else None,
        ),
    )


def digest_headers(snapshot: ResultSnapshot) -> dict[str, str]:
    """The download's digest header, and the same digest as an RFC 9530 `Repr-Digest`."""
    raw = bytes.fromhex(snapshot.digest)
    return {
        "X-Result-SHA256": snapshot.digest,
        "Repr-Digest": f"sha-256=:{base64.b64encode(raw).decode()}:",
    }


def published_result(consultation_id: int) -> tuple[Consultation, ResultSnapshot]:
    """The consultation and its snapshot, 404 while no result is published (as the download).
    The consultation is loaded as its pages load it: one whose dates are over is closed first."""
    consultation = get_consultation_or_404(consultation_id)
    snapshot = snapshot_of(consultation)
    if snapshot is None:
        abort(404)
    return consultation, snapshot


@endpoint(
    "/v1/consultations/<id:consultation_id>/results",
    response=ResultSummary,
    summary="A consultation's published result",
    description="The stored result snapshot's facts: its SHA-256 digest, rule, close and links "
    "(404 until the consultation is closed and its result published).",
    tag="results",
)
def result(consultation_id: int) -> Reply:
    consultation, snapshot = published_result(consultation_id)
    return Reply(summary_of(consultation, snapshot), last_modified=snapshot.computed_at)


@endpoint(
    "/v1/consultations/<id:consultation_id>/results/snapshot",
    response=ResultSnapshotDocument,
    summary="A consultation's result snapshot, as stored",
    description="The very bytes of the results page's download (canonical JSON): their SHA-256 "
    "is the digest of the result (also in the `X-Result-SHA256` and `Repr-Digest` headers).",
    tag="results",
)
def result_snapshot(consultation_id: int) -> Reply:
    _consultation, snapshot = published_result(consultation_id)
    return Reply(
        ResultSnapshotDocument.model_construct(root={}),
        last_modified=snapshot.computed_at,
        raw=snapshot.canonical_json.encode("utf-8"),
        headers=digest_headers(snapshot),
    )
