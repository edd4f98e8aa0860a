"""The open-data page (network and city) and the DCAT-AP catalogue."""

from __future__ import annotations

import hashlib
import json
import warnings
from datetime import timedelta

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from app.extensions import db
from app.opendata.routes import size_label
from app.results.services import snapshot_of
from tests import factories
from tests.opendata.factories import published, surveyed, translated

SPDX = Namespace("http://spdx.org/rdf/terms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
IANA = "http://www.iana.org/assignments/media-types/"


def _html(client, url: str = "/open-data") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _graph(client) -> tuple[Graph, str]:
    response = client.get("/api/catalog.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    body = response.get_data(as_text=True)
    with warnings.catch_warnings():
        # rdflib 7's own JSON-LD parser builds a ConjunctiveGraph, which rdflib deprecates.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph = Graph().parse(data=body, format="json-ld")
    return graph, body


def test_the_page_lists_each_download_with_its_licence_date_size_and_digest(client, world):
    consultation = published(world.here)
    snapshot = snapshot_of(consultation)
    page = _html(client)
    base = f"/consultations/{consultation.id}/results"
    for path in (f"{base}/snapshot.json", f"{base}/ballots.csv", f"{base}/ballots.pb"):
        assert path in page
        assert client.get(path).status_code == 200  # what is listed can be downloaded
    assert f"/projects/consultations/{consultation.id}/projects.csv" in page
    assert f"/projects/cities/{world.here.slug}/projects.json" in page
    assert snapshot.digest in page
    assert size_label(len(snapshot.canonical_json.encode())) in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "CC BY 4.0" in page
    assert "/api/catalog.jsonld" in page
    assert "/api/openapi.json" in page
    # A consultation with nothing to download yet is not listed; nor is a city without any.
    assert f'id="consultation-{world.consultation.id}"' not in page
    assert f'id="city-{world.elsewhere.slug}"' not in page
    # The footer of every page leads here.
    assert 'href="/open-data"' in _html(client, "/")


def test_a_meeting_feed_is_listed_with_its_city_and_consultation(client, world):
    consultation = surveyed(world.here, answering_over=False)
    factories.meeting(world.here, consultation=consultation)
    page = _html(client)
    assert f"/meetings/consultations/{consultation.id}.ics" in page
    assert f"/meetings/cities/{world.here.slug}.ics" in page


def test_questionnaire_answers_are_listed_to_those_who_may_download_them(client, world, login_as):
    early = surveyed(world.here, answering_over=False)
    public = surveyed(world.elsewhere, answering_over=True)
    early_url = f"/consultations/{early.id}/questionnaire/answers.csv"
    public_url = f"/consultations/{public.id}/questionnaire/answers.json"
    page = _html(client)
    assert public_url in page
    assert early_url not in page
    assert client.get(early_url).status_code == 404
    login_as("moderator_here")
    page = _html(client)
    assert early_url in page
    assert client.get(early_url).status_code == 200
    # Still changing: no update date for it.
    assert "Still changing" in page


def test_observatory_downloads_only_for_those_who_may_read_the_observatory(client, world, login_as):
    published(world.here)
    assert "/observatory/" not in _html(client)
    login_as("citizen")
    assert "/observatory/" not in _html(client)
    login_as("moderator_here")
    page = _html(client)
    assert f"/observatory/cities/{world.here.slug}/figures.csv" in page
    assert "/observatory/figures.csv" not in page
    assert "/network/matrix.csv" not in page
    login_as("observer")
    page = _html(client)
    assert "/observatory/figures.json" in page
    assert "/network/matrix.csv" in page
    assert client.get("/network/matrix.csv").status_code == 200


def test_the_city_page_lists_that_city_only(client, world):
    here = published(world.here)
    elsewhere = published(world.elsewhere, title="Une place pour tous")
    page = _html(client, f"/cities/{world.elsewhere.slug}/open-data")
    assert f'id="consultation-{elsewhere.id}"' in page
    assert f'id="consultation-{here.id}"' not in page
    assert client.get("/cities/no-such-city/open-data").status_code == 404
    # The city page leads to it.
    city_page = _html(client, f"/cities/{world.elsewhere.slug}")
    assert f'href="/cities/{world.elsewhere.slug}/open-data"' in city_page


def test_the_licence_is_configured(app, client, world, monkeypatch):
    published(world.here)
    monkeypatch.setitem(app.config, "DATA_LICENCE_URL", "https://example.org/odbl/")
    monkeypatch.setitem(app.config, "DATA_LICENCE_NAME", "ODbL 1.0")
    page = _html(client)
    assert 'href="https://example.org/odbl/" rel="license"' in page
    assert "ODbL 1.0" in page
    graph, _body = _graph(client)
    licence = URIRef("https://example.org/odbl/")
    assert (None, DCTERMS.license, licence) in graph
    assert (None, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) not in (
        graph
    )


def _build(world, count: int, cities: tuple) -> None:
    """`count` consultations with downloads over `cities`, of every kind."""
    for number in range(count):
        city = cities[number % len(cities)]
        if number % 3 == 0:
            published(city, title=f"Bilancio {number}")
        else:
            consultation = surveyed(city, answering_over=number % 3 == 1)
            factories.meeting(city, consultation=consultation, starts=timedelta(days=number + 1))


def test_the_page_and_the_catalogue_run_the_same_statements_for_2_and_6_consultations_in_2_and_3_cities(
    client, world, count_queries, login_as
):
    login_as("moderator_here")

    def statements() -> tuple[int, int]:
        with count_queries() as page:
            assert client.get("/open-data").status_code == 200
        with count_queries() as catalogue:
            assert client.get("/api/catalog.jsonld").status_code == 200
        return len(page), len(catalogue)

    _build(world, 2, (world.here, world.elsewhere))
    small = statements()
    third = factories.city(name="Terza Città")
    _build(world, 4, (world.here, world.elsewhere, third))
    db.session.flush()
    page = _html(client)
    assert page.count('<article id="consultation-') == 6
    assert f'id="city-{third.slug}"' in page
    assert statements() == small


def test_the_catalogue_is_dcat_ap_json_ld(client, world):
    consultation = published(world.here)
    translated(consultation, "en", "A park for the neighbourhood", "How shall we use it?")
    surveyed(world.here, answering_over=False)  # answers not public: no dataset for it
    snapshot = snapshot_of(consultation)
    graph, body = _graph(client)
    document = json.loads(body)
    assert {"dcat", "dct", "foaf", "spdx"} <= set(document["@context"])

    catalog = URIRef("http://localhost/api/catalog.jsonld")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    for required in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license):
        assert graph.value(catalog, required) is not None, required
    assert graph.value(catalog, FOAF.homepage) == URIRef("http://localhost/")
    assert (
        catalog,
        DCTERMS.language,
        URIRef("http://publications.europa.eu/resource/authority/language/ARA"),
    ) in graph
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Learning Cities")
    assert graph.value(catalog, DCTERMS.modified) is not None

    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    dataset = URIRef(f"http://localhost/open-data#consultation-{consultation.id}")
    city_dataset = URIRef(f"http://localhost/open-data#city-{world.here.slug}")
    # The closed consultation and the city's projects; the questionnaire under way is absent,
    # and so is the open consultation with nothing to download.
    assert datasets == {dataset, city_dataset}
    for each in datasets:
        assert graph.value(each, DCTERMS.title) is not None
        assert graph.value(each, DCTERMS.description) is not None
        assert graph.value(each, DCTERMS.publisher) == URIRef(
            f"http://localhost/cities/{world.here.slug}"
        )
        assert graph.value(each, DCTERMS.issued) is not None
        assert list(graph.objects(each, DCAT.keyword))
        distributions = list(graph.objects(each, DCAT.distribution))
        assert distributions
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert graph.value(distribution, DCAT.accessURL) is not None
            assert str(graph.value(distribution, DCAT.mediaType)).startswith(IANA)
            assert graph.value(distribution, DCTERMS.license) == URIRef(
                "https://creativecommons.org/licenses/by/4.0/"
            )
    place = graph.value(dataset, DCTERMS.spatial)
    assert graph.value(place, LOCN.geographicName) == Literal(world.here.name)
    titles = {(t.language, str(t)) for t in graph.objects(dataset, DCTERMS.title)}
    assert ("it", "Un parco per il quartiere") in titles
    assert ("en", "A park for the neighbourhood") in titles
    assert (
        dataset,
        DCTERMS.language,
        URIRef("http://publications.europa.eu/resource/authority/language/ITA"),
    ) in graph

    snapshot_url = URIRef(f"http://localhost/consultations/{consultation.id}/results/snapshot.json")
    result = graph.value(predicate=DCAT.downloadURL, object=snapshot_url)
    assert graph.value(result, DCAT.mediaType) == URIRef(IANA + "application/json")
    checksum = graph.value(result, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    digest = str(graph.value(checksum, SPDX.checksumValue))
    assert digest == snapshot.digest
    # The digest is the one of the bytes the download sends.
    sent = client.get(str(snapshot_url).removeprefix("http://localhost")).get_data()
    assert hashlib.sha256(sent).hexdigest() == digest
    assert int(graph.value(result, DCAT.byteSize)) == len(sent)

    service = URIRef("http://localhost/api/v1/")
    assert (service, RDF.type, DCAT.DataService) in graph
    assert (catalog, DCAT.service, service) in graph
    assert graph.value(service, DCAT.endpointURL) == service
    assert graph.value(service, DCAT.endpointDescription) == URIRef(
        "http://localhost/api/openapi.json"
    )
    assert graph.value(service, DCTERMS.title) is not None
    assert set(graph.objects(service, DCAT.servesDataset)) == datasets


def test_the_catalogue_is_the_anonymous_view_whoever_asks(client, world, login_as):
    early = surveyed(world.here, answering_over=False)
    login_as("observer")
    _graph_, body = _graph(client)
    assert f"/consultations/{early.id}/questionnaire/answers" not in body
    assert "/observatory/" not in body
    assert "/network/" not in body


def test_the_catalogue_has_an_etag_cors_and_answers_304(client, world):
    published(world.here)
    response = client.get("/api/catalog.jsonld")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "public" in response.headers["Cache-Control"]
    assert response.headers["Content-Language"] == "it, en, fr, de, es, ar"
    # Shared caches may keep it: it sets no cookie.
    assert "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]
    again = client.get("/api/catalog.jsonld", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    # Something new published: a new ETag, the whole document again.
    published(world.elsewhere, title="Une place pour tous")
    assert client.get("/api/catalog.jsonld", headers={"If-None-Match": etag}).status_code == 200


def test_size_labels():
    assert size_label(1) == "1 byte"
    assert size_label(999) == "999 bytes"
    assert size_label(1500) == "1.5 kB"
    assert size_label(2_500_000) == "2.5 MB"
