"""The base of the API's response models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Schema(BaseModel):
    """A response model whose validator and serializer are built on first use, not when its
    module is imported: a command that never answers an API request (cron's `consultations
    advance`, `flask --help`) does not pay for the API's ~60 models."""

    model_config = ConfigDict(defer_build=True)
