"""Voting on the consultation page and in the proposal list and page.

- consultation_panel(consultation, user): the voting section of the consultation page.
- list_context(consultation, proposals, user) -> dict: what the proposal list needs to show each
  proposal's voting controls, computed for the whole page at once (constant queries); the list
  template includes "voting/_list_item.html" once per proposal with `proposal` and `voting`
  (this dict) in scope.
- proposal_context(consultation, proposal, user) -> dict: the same for one proposal's page, which
  includes "voting/_proposal.html" with `proposal` and `voting`.
"""

from __future__ import annotations

from app.cities.panels import Panel


def consultation_panel(consultation, user) -> Panel | None:
    return None


def list_context(consultation, proposals, user) -> dict:
    return {}


def proposal_context(consultation, proposal, user) -> dict:
    return {}
