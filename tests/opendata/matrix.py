"""Permission cases of the open-data routes (merged by tests/auth/test_permissions.py).

Everything here is public: the page shows each visitor what they may download, and the
catalogue is the same for everyone (an anonymous visitor's view)."""

from tests.matrix import Case, everyone

CASES: dict[str, Case] = {
    "opendata.index": Case("GET", lambda w: "/open-data", everyone(200)),
    "opendata.city": Case("GET", lambda w: f"/cities/{w.here.slug}/open-data", everyone(200)),
    "opendata.catalogue": Case("GET", lambda w: "/api/catalog.jsonld", everyone(200)),
}
