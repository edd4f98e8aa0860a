"""Static files: linked with their version so browsers keep them, served without a database."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import log_in


def test_pages_link_static_files_with_their_version(app, client):
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'href="(/static/css/[^"]+)"', html)
    assert links
    stylesheet = Path(app.static_folder, "css", "app.css")
    assert f"/static/css/app.css?v={int(stylesheet.stat().st_mtime)}" in links
    assert all("?v=" in link for link in links)


def test_a_versioned_file_may_be_kept_a_year(client):
    response = client.get("/static/css/app.css?v=1")
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
    response.close()


def test_a_static_file_costs_no_query_even_signed_in(client, world, count_queries):
    log_in(client, world.users["moderator_here"])
    with count_queries() as statements:
        response = client.get("/static/css/app.css")
    assert response.status_code == 200
    response.close()
    assert statements == []
