# ruff: noqa: S608 - SQL built from constants of this module; ids and queries are bound parameters
"""Proposal search (the list's `q=`): full-text search on one search document per proposal.

A proposal's search document holds its title (weight A) and body (weight B) and those of its
published, visible translations, so a query finds a proposal through any language it can be read
in: an Italian query finds an Arabic proposal through its Italian translation.

PostgreSQL: `proposals.search_document` is a tsvector with each text stemmed in the
configuration of its own language (app/proposals/search_rules.TEXT_SEARCH_CONFIGS, "simple"
otherwise) and also in "simple" (plain case-folded words, so a word matches in any language),
behind a GIN index. A query is `websearch_to_tsquery` in the configuration of the reader's
interface language OR in "simple", ranked by `ts_rank_cd`. When it finds nothing, the titles
within a trigram word similarity of the query (pg_trgm's `<%`, threshold 0.6) are found
instead (typos), behind the GIN trigram index on lower(title).

SQLite: the FTS5 table `proposal_search` (rowid = proposal id; no stemming: whole words or
their beginnings, case and accents folded by unicode61), ranked by bm25; the query is made of
quoted words (search_rules.fts5_query), never FTS syntax.

Both: at most CANDIDATES matches are considered, so a search costs the same with 1,000 or
100,000 proposals; the list says "more than 1,000" past that. Documents are written in the
same transaction as the proposal or translation they come from (session events, below); a
database filled by bulk inserts calls `fill(connection)` once (bench/data.py).

The column, the FTS5 table and the indexes are made by the migrations; a database made by
`create_all` gets them from `create_schema` (an event of the proposals table). Neither is in
the models: migrations/env.py and the drift test leave them out (app/db_types.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession

from app.proposals import search_rules
from app.proposals.models import Proposal
from app.translations.models import Translation

# One more than the list counts (services.COUNT_CAP): "more than 1,000" needs to see 1,001.
CANDIDATES = 1001
# Relevance keys of full-text matches start here; typo matches' keys stay below.
FULL_TEXT = 2**40
FTS_TABLE = "proposal_search"
_PENDING = "proposal_search_pending"

POSTGRESQL_SCHEMA = (
    "ALTER TABLE proposals ADD COLUMN IF NOT EXISTS search_document tsvector",
    "CREATE INDEX IF NOT EXISTS ix_proposals_search_document"
    " ON proposals USING gin (search_document)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_proposals_title_trgm"
    " ON proposals USING gin (lower(title) gin_trgm_ops)",
)
SQLITE_SCHEMA = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    # Proposal ids can be used again on SQLite: a deleted proposal's words go with it.
    "CREATE TRIGGER IF NOT EXISTS proposals_search_forget AFTER DELETE ON proposals"
    f" BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
)


def listen() -> None:
    """Keep search documents with their texts, and give `create_all` databases the schema.
    On classes, once for every app (idempotent)."""
    if not sa.event.contains(FlaskSession, "before_flush", _before_flush):
        sa.event.listen(FlaskSession, "before_flush", _before_flush)
        sa.event.listen(FlaskSession, "after_flush", _after_flush)
    if not sa.event.contains(Proposal.__table__, "after_create", _after_create):
        sa.event.listen(Proposal.__table__, "after_create", _after_create)


def _after_create(_table, connection, **_kw) -> None:
    create_schema(connection)


def create_schema(connection: sa.Connection) -> None:
    statements = {"postgresql": POSTGRESQL_SCHEMA, "sqlite": SQLITE_SCHEMA}
    for statement in statements.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


# Writing the documents.


def _config_sql(column: str) -> str:
    """SQL for the regconfig of a language code column ("simple" where the server lacks it)."""
    cases = " ".join(
        f"WHEN '{code}' THEN '{name}'"
        for code, name in sorted(search_rules.TEXT_SEARCH_CONFIGS.items())
    )
    code = f"lower(split_part(replace({column}, '_', '-'), '-', 1))"
    return (
        "COALESCE((SELECT c.oid::regconfig FROM pg_ts_config c WHERE c.cfgname ="
        f" CASE {code} {cases} ELSE 'simple' END LIMIT 1), 'simple'::regconfig)"
    )


def _vector_sql(alias: str) -> str:
    return (
        f"setweight(to_tsvector({alias}.config, {alias}.title), 'A')"
        f" || setweight(to_tsvector({alias}.config, {alias}.body), 'B')"
        f" || setweight(to_tsvector('simple', {alias}.title), 'A')"
        f" || setweight(to_tsvector('simple', {alias}.body), 'B')"
    )


_PUBLISHED_TRANSLATIONS = (
    "tr.kind = 'proposal' AND tr.item_id = {id} AND tr.status = 'published'"
    " AND tr.hidden_at IS NULL"
)


def _postgresql_fill(where: str) -> str:
    translations = _PUBLISHED_TRANSLATIONS.format(id="q.id")
    # Translations' vectors join the proposal's through their text form (tsvector has no
    # aggregate): each keeps its own language's stems and weights.
    return f"""
        UPDATE proposals AS p SET search_document = d.document
        FROM (
            SELECT q.id, {_vector_sql("q")} || COALESCE((
                SELECT string_agg(({_vector_sql("t")})::text, ' ')
                FROM (
                    SELECT {_config_sql("tr.language")} AS config,
                           COALESCE(tr.fields->>'title', '') AS title,
                           COALESCE(tr.fields->>'body', '') AS body
                    FROM translations tr WHERE {translations}
                ) t
            ), '')::tsvector AS document
            FROM (
                SELECT id, title, COALESCE(body, '') AS body,
                       {_config_sql("language")} AS config
                FROM proposals {where}
            ) q
        ) d
        WHERE p.id = d.id
    """


def _sqlite_fill(where: str) -> list[str]:
    translations = _PUBLISHED_TRANSLATIONS.format(id="p.id")

    def with_translations(field: str, own: str) -> str:
        return (
            f"{own} || COALESCE(' ' || (SELECT group_concat("
            f"json_extract(tr.fields, '$.{field}'), ' ') FROM translations tr"
            f" WHERE {translations}), '')"
        )

    return [
        f"DELETE FROM {FTS_TABLE} {where.replace('id IN', 'rowid IN')}",
        f"""INSERT INTO {FTS_TABLE} (rowid, title, body)
            SELECT p.id, {with_translations("title", "p.title")},
                   {with_translations("body", "COALESCE(p.body, '')")}
            FROM proposals p {where.replace("id IN", "p.id IN")}""",
    ]


def fill(connection: sa.Connection, proposal_ids: Iterable[int] | None = None) -> None:
    """Write the search documents of these proposals (None: of every proposal, in one
    statement per database: the call for a database filled by bulk inserts)."""
    ids = None if proposal_ids is None else sorted(set(proposal_ids))
    if ids == []:
        return
    where = "" if ids is None else "WHERE id IN :ids"
    params = {} if ids is None else {"ids": ids}

    def run(sql: str) -> None:
        statement = sa.text(sql)
        if ids is not None:
            statement = statement.bindparams(sa.bindparam("ids", expanding=True))
        connection.execute(statement, params)

    if connection.dialect.name == "postgresql":
        run(_postgresql_fill(where))
    elif connection.dialect.name == "sqlite":
        for sql in _sqlite_fill(where):
            run(sql)


# Proposals and translations written through the session: their documents follow in the same
# transaction (bulk statements that change no text need nothing: hidden and withdrawn proposals
# are left out by the list's conditions, not by their documents).

_PROPOSAL_FIELDS = ("title", "body", "language")
_TRANSLATION_FIELDS = ("fields", "status", "hidden_at", "item_id")


def _changed(item: object, names: tuple[str, ...]) -> bool:
    state = sa.inspect(item)
    return any(state.attrs[name].history.has_changes() for name in names)


def _before_flush(session, _flush_context, _instances) -> None:
    proposals: list[Proposal] = []
    item_ids: set[int] = set()
    for item in session.new:
        if isinstance(item, Proposal):
            proposals.append(item)
        elif isinstance(item, Translation) and item.kind == "proposal":
            item_ids.add(item.item_id)
    for item in session.dirty:
        if isinstance(item, Proposal) and _changed(item, _PROPOSAL_FIELDS):
            proposals.append(item)
        elif (
            isinstance(item, Translation)
            and item.kind == "proposal"
            and _changed(item, _TRANSLATION_FIELDS)
        ):
            item_ids.add(item.item_id)
    for item in session.deleted:
        if isinstance(item, Translation) and item.kind == "proposal":
            item_ids.add(item.item_id)
    if proposals or item_ids:
        session.info[_PENDING] = (proposals, item_ids)


def _after_flush(session, _flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    proposals, item_ids = pending
    ids = item_ids | {proposal.id for proposal in proposals if proposal.id is not None}
    fill(session.connection(), ids)


# Querying.


def _postgresql_config(language: str | None) -> sa.ColumnElement:
    # The name comes from search_rules' table (letters only), never from the request.
    name = search_rules.text_config(language)
    return sa.literal_column(
        f"COALESCE((SELECT c.oid::regconfig FROM pg_ts_config c WHERE c.cfgname = '{name}'"
        " LIMIT 1), 'simple'::regconfig)"
    )


def candidates(dialect: str, conditions: list, text: str | None, language: str | None):
    """A common table expression of (id, key) for at most CANDIDATES proposals that meet `conditions` and match
    `text` (the reader's interface language stems it), key = relevance (higher first); None
    when the text has no searchable word."""
    words = search_rules.words(text)
    if not words:
        return None
    if dialect == "postgresql":
        return _postgresql_candidates(conditions, " ".join(words), language)
    return _sqlite_candidates(conditions, search_rules.fts5_query(text))


def _postgresql_candidates(conditions: list, text: str, language: str | None):
    document = sa.literal_column("proposals.search_document")
    query = sa.func.websearch_to_tsquery(_postgresql_config(language), text).op("||")(
        sa.func.websearch_to_tsquery(sa.literal_column("'simple'::regconfig"), text)
    )
    match = document.op("@@", is_comparison=True)(query)
    rank = sa.func.ts_rank_cd(document, query)
    full_text = (
        sa.select(
            Proposal.id.label("id"),
            (sa.cast(sa.func.floor(rank * 1_000_000), sa.BigInteger) + FULL_TEXT).label("key"),
        )
        .where(*conditions, match)
        .limit(CANDIDATES)
        .cte("full_text")
        .prefix_with("MATERIALIZED")
    )
    nothing_found = ~sa.exists(sa.select(full_text.c.id))
    folded = sa.func.lower(sa.literal(text, sa.Text))
    title = sa.func.lower(Proposal.title)
    similarity = sa.func.word_similarity(folded, title)
    typos = (
        sa.select(
            Proposal.id.label("id"),
            sa.cast(sa.func.floor(similarity * 1_000_000), sa.BigInteger).label("key"),
        )
        .where(
            *conditions,
            nothing_found,
            folded.op("<%", is_comparison=True)(title),
        )
        # No order before the limit: ordering would score every similar title first.
        .limit(CANDIDATES)
        .subquery()
    )
    # Materialized: computed once per statement, however often it is read (inlined, PostgreSQL
    # may run it again for every proposal of the consultation). Typo matches only when the full
    # text found nothing: with an exact word (a number, a name), its near neighbours would come.
    return (
        sa.union_all(sa.select(full_text.c.id, full_text.c.key), sa.select(typos.c.id, typos.c.key))
        .cte("candidates")
        .prefix_with("MATERIALIZED")
    )


def _sqlite_candidates(conditions: list, match_query: str):
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    # bm25 is lower for better matches; titles weigh ten times the bodies.
    rank = -sa.func.bm25(sa.literal_column(FTS_TABLE), 10.0, 1.0)
    return (
        sa.select(
            Proposal.id.label("id"),
            (sa.cast(rank * 1_000_000, sa.BigInteger) + FULL_TEXT).label("key"),
        )
        .join_from(fts, Proposal, Proposal.id == fts.c.rowid)
        .where(sa.literal_column(FTS_TABLE).op("MATCH", is_comparison=True)(match_query))
        .where(*conditions)
        .limit(CANDIDATES)
        .cte("candidates")
    )
