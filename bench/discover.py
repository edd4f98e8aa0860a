"""Every page of the product, found in the app's URL map: each GET route, its arguments filled
from the data set (`values`, with per-endpoint `overrides`), plus the variants a route's query
string makes (the proposal list's sorts, a search, late pages of a cursor).

Routes under /api/ are found the same way as soon as they exist. A page the URL map cannot give
(an address outside it, another query string) is one line in EXTRA.

Pure: it takes a werkzeug Map and plain values, so tests can run it on a small app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from werkzeug.routing import Map

# Never measured: files, the floor (measured on its own) and one-time links from e-mails.
EXCLUDED = {"static", "main.healthz"}
TOKEN_ARGUMENTS = {"token"}

# Query-string variants of a route, measured as pages of their own: (name, endpoint, params).
# A value "{deep:<sort>}" is replaced by the cursor of a late page of that sort (`values`).
VARIANTS: list[tuple[str, str, dict[str, str]]] = [
    *(
        (f"proposal list sort={sort}", "proposals.index", {"sort": sort})
        for sort in ("supported", "newest", "random", "bridging")
    ),
    ("proposal search q=parco", "proposals.index", {"q": "parco"}),
    ("proposal search q=parco sort=newest", "proposals.index", {"q": "parco", "sort": "newest"}),
    ("proposal list deep sort=supported", "proposals.index",
     {"sort": "supported", "cursor": "{deep:supported}"}),
    ("proposal list deep sort=newest", "proposals.index",
     {"sort": "newest", "cursor": "{deep:newest}"}),
    ("proposal deep comments page", "proposals.show", {"comments_page": "{deep:comments}"}),
    ("good practices search", "practices.index", {"q": "lingua"}),
]  # fmt: skip

# Pages outside the URL map's reach, as (name, path): the lead adds API lists here if
# discovery does not find them (e.g. ("api proposals", "/api/v1/consultations/1/proposals")).
EXTRA: list[tuple[str, str]] = []


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    endpoint: str


@dataclass
class Discovery:
    pages: list[Page] = field(default_factory=list)
    uncovered: dict[str, str] = field(default_factory=dict)  # rule -> why


def discover(
    url_map: Map,
    values: dict[str, object],
    overrides: dict[str, dict[str, object]] | None = None,
    *,
    variants: list[tuple[str, str, dict[str, str]]] | None = None,
    extra: list[tuple[str, str]] | None = None,
) -> Discovery:
    """The pages of `url_map`: a GET route's arguments come from `overrides[endpoint]`, then
    `values` (by argument name); a route with an argument that has no value (None or missing)
    is listed in `uncovered` with the reason."""
    overrides = overrides or {}
    adapter = url_map.bind("localhost")
    found = Discovery()
    for rule in sorted(url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in EXCLUDED or "GET" not in (rule.methods or ()):
            continue
        if rule.arguments & TOKEN_ARGUMENTS:
            found.uncovered[rule.rule] = "a one-time link from an e-mail"
            continue
        given = {**values, **overrides.get(rule.endpoint, {})}
        missing = sorted(a for a in rule.arguments if given.get(a) is None)
        if missing:
            found.uncovered[rule.rule] = f"no value in the data for {', '.join(missing)}"
            continue
        path = adapter.build(rule.endpoint, {a: given[a] for a in rule.arguments})
        found.pages.append(Page(rule.endpoint, path, rule.endpoint))
    by_endpoint = {page.endpoint: page for page in found.pages}
    for name, endpoint, params in VARIANTS if variants is None else variants:
        base = by_endpoint.get(endpoint)
        if base is None:
            continue
        filled = {k: _fill(v, values) for k, v in params.items()}
        if any(v is None for v in filled.values()):
            found.uncovered[name] = "no late page in the data"
            continue
        found.pages.append(Page(name, f"{base.path}?{urlencode(filled)}", endpoint))
    for name, path in EXTRA if extra is None else extra:
        found.pages.append(Page(name, path, name))
    return found


def _fill(value: str, values: dict[str, object]) -> str | None:
    if value.startswith("{deep:") and value.endswith("}"):
        found = values.get(f"deep_{value[6:-1]}")
        return None if found is None else str(found)
    return value


def is_api(page: Page) -> bool:
    return page.path.startswith("/api/")
