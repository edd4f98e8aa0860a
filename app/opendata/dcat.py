"""The open-data catalogue as DCAT-AP (3.0) JSON-LD, for national open-data portals to harvest.

A `dcat:Catalog` published by the association; one `dcat:Dataset` per consultation with
downloads and per city with city-wide downloads (published by the city), each download a
`dcat:Distribution` with its IANA media type, licence, update date and, for a result snapshot,
its SHA-256 digest (`spdx:checksum`); the read-only API is a `dcat:DataService`.
Only what an anonymous visitor may download is in it, whoever asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.opendata.labels import DOWNLOAD_DESCRIPTIONS, DOWNLOAD_LABELS
from app.opendata.services import Catalogue, CityData, ConsultationData, Download, api_url, licence
from app.translations.models import Translation

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

MEDIA_TYPE_BASE = "http://www.iana.org/assignments/media-types/"
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE_BASE = "http://publications.europa.eu/resource/authority/language/"
# The EU vocabulary names languages by their ISO 639-2 (bibliographic) codes; others fall back
# to the Library of Congress' ISO 639-1 addresses.
EU_LANGUAGES = {
    "ar": "ARA",
    "bg": "BUL",
    "cs": "CES",
    "da": "DAN",
    "de": "DEU",
    "el": "ELL",
    "en": "ENG",
    "es": "SPA",
    "et": "EST",
    "fi": "FIN",
    "fr": "FRA",
    "ga": "GLE",
    "hr": "HRV",
    "hu": "HUN",
    "it": "ITA",
    "lt": "LIT",
    "lv": "LAV",
    "mt": "MLT",
    "nl": "NLD",
    "pl": "POL",
    "pt": "POR",
    "ro": "RON",
    "sk": "SLK",
    "sl": "SLV",
    "sv": "SWE",
}
# dct:format from the EU file-type vocabulary, where it names the format.
FILE_TYPES = {"CSV": "CSV", "JSON": "JSON", "Pabulib": "TXT"}


def language_uri(code: str) -> str:
    base = code.split("-")[0].lower()
    if base in EU_LANGUAGES:
        return LANGUAGE_BASE + EU_LANGUAGES[base]
    return f"http://id.loc.gov/vocabulary/iso639-1/{base}"


def _when(moment: datetime) -> dict[str, str]:
    return {"@value": moment.isoformat(), "@type": "xsd:dateTime"}


def _ref(url: str) -> dict[str, str]:
    return {"@id": url}


def _texts(values: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"@value": text, "@language": language} for language, text in values if text]


def _translations(consultations: list[ConsultationData]) -> dict[int, dict[str, dict]]:
    """{consultation id: {language: fields}}: each consultation's published translations (a
    person's before a machine's), in one query."""
    ids = [item.consultation.id for item in consultations]
    found: dict[int, dict[str, dict]] = {}
    if not ids:
        return found
    rows = db.session.scalars(
        sa.select(Translation)
        .where(
            Translation.kind == "consultation",
            Translation.item_id.in_(ids),
            Translation.status == "published",
            Translation.hidden_at.is_(None),
        )
        # Machine first, then people's: the later ones (a person's, the newest) win below.
        .order_by(Translation.origin.desc(), Translation.id)
    )
    for row in rows:
        found.setdefault(row.item_id, {})[row.language] = row.fields
    return found


class _Texts:
    """Every interface text of the catalogue in each interface language, made in one pass per
    language (switching the locale is what costs): `texts[key]` is a list of `@language` values."""

    def __init__(self, cities: list[Any]) -> None:
        makers: dict[tuple[str, str], Callable[[], str]] = {
            ("catalogue", "title"): lambda: _("Learning Cities open data"),
            ("catalogue", "description"): lambda: _(
                "Results, anonymised ballots, questionnaire answers, funded projects and meetings "
                "of the consultations of the Learning Cities network."
            ),
            ("api", "title"): lambda: _("Read-only API of the platform"),
            ("api", "description"): lambda: _(
                "Cities, pathways, consultations, proposals, results and observatory figures, "
                "as JSON, described by an OpenAPI document."
            ),
            ("keyword", "consultation"): lambda: _("public consultation"),
            ("keyword", "budget"): lambda: _("participatory budgeting"),
            ("keyword", "results"): lambda: _("voting results"),
            ("keyword", "open"): lambda: _("open data"),
        }
        for kind, label in DOWNLOAD_LABELS.items():
            makers["title", kind] = lambda label=label: str(label)
        for kind, text in DOWNLOAD_DESCRIPTIONS.items():
            makers["description", kind] = lambda text=text: str(text)
        for city in cities:
            makers["city title", city.slug] = lambda name=city.name: _(
                "Open data of %(city)s", city=name
            )
            makers["city description", city.slug] = lambda name=city.name: _(
                "The city-wide downloads of %(city)s: funded projects and meetings.", city=name
            )
        values: dict[tuple[str, str], list[tuple[str, str]]] = {key: [] for key in makers}
        for locale in current_app.config["LOCALES"]:
            with force_locale(locale):
                for key, make in makers.items():
                    values[key].append((locale, make()))
        self._texts = {key: _texts(pairs) for key, pairs in values.items()}

    def __getitem__(self, key: tuple[str, str]) -> list[dict[str, str]]:
        return self._texts[key]


def _distribution(download: Download, dataset_id: str, texts: _Texts, rights: str) -> dict:
    item: dict[str, Any] = {
        "@id": f"{dataset_id}-{download.kind.replace('_', '-')}",
        "@type": "dcat:Distribution",
        "dct:title": texts["title", download.kind],
        "dct:description": texts["description", download.kind],
        "dcat:accessURL": _ref(download.url),
        "dcat:downloadURL": _ref(download.url),
        "dcat:mediaType": _ref(MEDIA_TYPE_BASE + download.media_type),
        "dct:license": _ref(rights),
    }
    if download.format in FILE_TYPES:
        item["dct:format"] = _ref(FILE_TYPE_BASE + FILE_TYPES[download.format])
    if download.modified is not None:
        item["dct:modified"] = _when(download.modified)
    if download.size is not None:
        item["dcat:byteSize"] = {"@value": str(download.size), "@type": "xsd:nonNegativeInteger"}
    if download.sha256:
        item["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _ref("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
            "spdx:checksumValue": {"@value": download.sha256, "@type": "xsd:hexBinary"},
        }
    return item


def _place(city: Any) -> dict:
    return {"@type": "dct:Location", "locn:geographicName": city.name}


def _city_agent(city: Any) -> dict:
    return {
        "@id": url_for("cities.show", slug=city.slug, _external=True),
        "@type": "foaf:Agent",
        "foaf:name": city.name,
    }


def _consultation_dataset(
    item: ConsultationData, page: str, translated: dict[str, dict], texts: _Texts, rights: str
) -> dict:
    consultation = item.consultation
    dataset_id = f"{page}#consultation-{consultation.id}"
    titles = [(consultation.language, consultation.title)]
    descriptions = [(consultation.language, consultation.description)]
    for language, fields in sorted(translated.items()):
        if language != consultation.language:
            titles.append((language, fields.get("title", "")))
            descriptions.append((language, fields.get("description", "")))
    keywords = [*texts["keyword", "consultation"], *texts["keyword", "open"]]
    if consultation.voting_method == "budget":
        keywords += texts["keyword", "budget"]
    if any(d.kind == "result" for d in item.downloads):
        keywords += texts["keyword", "results"]
    keywords.append(consultation.city.name)
    return {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:title": _texts(titles),
        # A description is required: the title stands for an empty one.
        "dct:description": _texts(
            (language, text or title)
            for (language, text), (_same, title) in zip(descriptions, titles, strict=True)
        ),
        "dct:publisher": _city_agent(consultation.city),
        "dct:spatial": _place(consultation.city),
        "dcat:keyword": keywords,
        "dct:language": [_ref(language_uri(code)) for code in _languages(consultation)],
        "dct:issued": _when(consultation.created_at),
        "dct:modified": _when(item.modified),
        "dcat:landingPage": _ref(
            url_for("consultations.show", consultation_id=consultation.id, _external=True)
        ),
        "dcat:distribution": [
            _distribution(download, dataset_id, texts, rights) for download in item.downloads
        ],
    }


def _languages(consultation: Any) -> list[str]:
    return list(dict.fromkeys([consultation.language, *(consultation.languages or [])]))


def _city_dataset(item: CityData, page: str, texts: _Texts, rights: str) -> dict:
    city = item.city
    dataset_id = f"{page}#city-{city.slug}"
    dataset: dict[str, Any] = {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:title": texts["city title", city.slug],
        "dct:description": texts["city description", city.slug],
        "dct:publisher": _city_agent(city),
        "dct:spatial": _place(city),
        "dcat:keyword": [*texts["keyword", "open"], city.name],
        "dct:issued": _when(city.created_at),
        "dcat:landingPage": _ref(url_for("cities.show", slug=city.slug, _external=True)),
        "dcat:distribution": [
            _distribution(download, dataset_id, texts, rights) for download in item.downloads
        ],
    }
    modified = max((d.modified for d in item.downloads if d.modified is not None), default=None)
    if modified is not None:
        dataset["dct:modified"] = _when(modified)
    return dataset


def catalogue_document(catalogue: Catalogue) -> dict:
    """The JSON-LD document of `catalogue` (built for an anonymous visitor)."""
    page = url_for("opendata.index", _external=True)
    home = url_for("main.home", _external=True)
    rights = licence()["url"]
    texts = _Texts([city.city for city in catalogue.cities if city.downloads])
    translated = _translations(catalogue.consultations)
    datasets = []
    for city in catalogue.cities:
        if city.downloads:
            datasets.append(_city_dataset(city, page, texts, rights))
        datasets += [
            _consultation_dataset(
                item, page, translated.get(item.consultation.id, {}), texts, rights
            )
            for item in city.consultations
        ]
    publisher = {
        "@id": f"{home}#publisher",
        "@type": "foaf:Agent",
        "foaf:name": current_app.config["DATA_PUBLISHER_NAME"],
    }
    service = {
        "@id": api_url("endpoint"),
        "@type": "dcat:DataService",
        "dct:title": texts["api", "title"],
        "dct:description": texts["api", "description"],
        "dcat:endpointURL": _ref(api_url("endpoint")),
        "dcat:endpointDescription": _ref(api_url("description")),
        "dcat:landingPage": _ref(api_url("docs")),
        "dct:publisher": publisher,
        "dct:license": _ref(rights),
        "dcat:servesDataset": [_ref(dataset["@id"]) for dataset in datasets],
    }
    document = {
        "@context": CONTEXT,
        "@id": url_for("opendata.catalogue", _external=True),
        "@type": "dcat:Catalog",
        "dct:title": texts["catalogue", "title"],
        "dct:description": texts["catalogue", "description"],
        "dct:publisher": publisher,
        "foaf:homepage": _ref(home),
        "dct:language": [_ref(language_uri(code)) for code in current_app.config["LOCALES"]],
        "dct:license": {
            "@id": rights,
            "@type": "dct:LicenseDocument",
            "dct:title": licence()["name"],
        },
        "dcat:dataset": datasets,
        "dcat:service": [service],
    }
    # The last change of what it lists (none while it lists nothing): the same data, the same
    # document, the same ETag.
    if catalogue.modified is not None:
        document["dct:modified"] = _when(catalogue.modified)
    return document
