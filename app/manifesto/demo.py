"""Demo data of the Manifesto, called by `flask demo-seed` (idempotent).

Two versions in the six interface locales, the signatures of the four member cities on the dates
the cities already carry, and local supporters: organisations and residents (some named).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from app.accounts.models import Organisation, User
from app.cities.models import City
from app.extensions import db
from app.manifesto import services
from app.manifesto.models import ManifestoEndorsement, ManifestoSignature, ManifestoVersion

# Each locale: the title, the paragraphs of version 1, and the paragraph version 2 adds before
# the last one (the commitment to the pathway).
TEXTS: dict[str, dict] = {
    "en": {
        "title": "Manifesto of the Learning Cities",
        "paragraphs": [
            "We, the cities that sign this Manifesto, hold that learning belongs to everyone, at "
            "every age and from every origin. A city learns when all who live in it — children "
            "and elders, newcomers and families rooted here for generations — can keep learning "
            "throughout their lives: at school and in libraries, at work, in associations and in "
            "public spaces.",
            "Lifelong learning is more than a list of courses. It is the way a community grows "
            "wiser together: by sharing knowledge and languages, by recognising what people "
            "already know, and by opening the city's institutions to those who are too often "
            "left out.",
            "Following the Council of Europe's White Paper on Intercultural Dialogue, we commit "
            "to an open and respectful dialogue between communities and their local authorities, "
            "founded on equal dignity. People of different languages and backgrounds should "
            "deliberate together, not side by side, and their voices must reach the decisions "
            "that shape their neighbourhoods.",
            "A municipality that listens must also answer. We will explain how residents' "
            "proposals are used, give a public response to each of them, and report on what we "
            "have done in words that everyone can understand.",
            "To put these principles into practice, our city commits to follow the ten-step "
            "pathway of the Learning Cities network — from the signature of this Manifesto to a "
            "budget of its own, trained staff, a map of the territory and its languages, a "
            "steering group, consultations open to all, public decisions and a shared "
            "evaluation — and to pass on what it learns to the other cities of the network.",
        ],
        "added": (
            "The languages spoken in our territory are a common resource, not an obstacle. We "
            "will inform and consult residents in the languages they speak, with interpreters "
            "and cultural mediators where needed, and we will make digital participation "
            "accessible on any device — without leaving out those who prefer paper, the "
            "telephone or meeting in person."
        ),
    },
    "it": {
        "title": "Manifesto delle Learning Cities",
        "paragraphs": [
            "Noi, città firmatarie di questo Manifesto, crediamo che l'apprendimento appartenga "
            "a tutte e a tutti, a ogni età e di ogni provenienza. Una città apprende quando chi "
            "la abita — bambini e anziani, persone arrivate da poco e famiglie che vivono qui da "
            "generazioni — può continuare a imparare per tutta la vita: a scuola e in "
            "biblioteca, sul lavoro, nelle associazioni e negli spazi pubblici.",
            "L'apprendimento permanente non è solo un elenco di corsi. È il modo in cui una "
            "comunità cresce insieme: condividendo saperi e lingue, riconoscendo ciò che le "
            "persone già sanno e aprendo le istituzioni della città a chi troppo spesso ne resta "
            "escluso.",
            "In linea con il Libro bianco sul dialogo interculturale del Consiglio d'Europa, ci "
            "impegniamo a un dialogo aperto e rispettoso tra le comunità e le loro "
            "amministrazioni locali, fondato sulla pari dignità. Persone di lingue e origini "
            "diverse devono poter deliberare insieme, non una accanto all'altra, e la loro voce "
            "deve arrivare alle decisioni che danno forma ai loro quartieri.",
            "Un Comune che ascolta deve anche rispondere. Spiegheremo come vengono usate le "
            "proposte dei residenti, daremo una risposta pubblica a ciascuna di esse e renderemo "
            "conto di ciò che abbiamo fatto, con parole comprensibili a tutti.",
            "Per tradurre questi principi in pratica, la nostra città si impegna a seguire il "
            "percorso in dieci tappe della rete Learning Cities — dalla firma di questo "
            "Manifesto a un bilancio proprio, personale formato, una mappa del territorio e delle "
            "sue lingue, un gruppo di coordinamento, consultazioni aperte a tutti, decisioni "
            "pubbliche e una valutazione condivisa — e a trasmettere ciò che impara alle altre "
            "città della rete.",
        ],
        "added": (
            "Le lingue parlate nel nostro territorio sono una risorsa comune, non un ostacolo. "
            "Informeremo e consulteremo i residenti nelle lingue che parlano, con interpreti e "
            "mediatori culturali dove serve, e renderemo la partecipazione digitale accessibile "
            "da qualsiasi dispositivo, senza escludere chi preferisce la carta, il telefono o "
            "l'incontro di persona."
        ),
    },
    "fr": {
        "title": "Manifeste des Learning Cities",
        "paragraphs": [
            "Nous, villes signataires de ce Manifeste, affirmons que l'apprentissage appartient "
            "à toutes et à tous, à tout âge et quelle que soit son origine. Une ville apprend "
            "lorsque toutes celles et ceux qui y vivent — enfants et aînés, nouveaux arrivants et "
            "familles installées depuis des générations — peuvent continuer à apprendre tout au "
            "long de leur vie : à l'école et à la bibliothèque, au travail, dans les associations "
            "et dans l'espace public.",
            "Apprendre tout au long de la vie, ce n'est pas seulement suivre des cours. C'est la "
            "manière dont une communauté grandit ensemble : en partageant savoirs et langues, en "
            "reconnaissant ce que chacun sait déjà et en ouvrant les institutions de la ville à "
            "celles et ceux qui en restent trop souvent à l'écart.",
            "Dans l'esprit du Livre blanc sur le dialogue interculturel du Conseil de l'Europe, "
            "nous nous engageons à un dialogue ouvert et respectueux entre les communautés et "
            "leurs autorités locales, fondé sur l'égale dignité. Des personnes de langues et "
            "d'origines différentes doivent pouvoir délibérer ensemble, et non côte à côte, et "
            "leur voix doit peser sur les décisions qui façonnent leurs quartiers.",
            "Une municipalité qui écoute doit aussi répondre. Nous expliquerons comment les "
            "propositions des habitants sont prises en compte, nous donnerons une réponse "
            "publique à chacune d'elles et nous rendrons compte de ce que nous avons fait, avec "
            "des mots que chacun peut comprendre.",
            "Pour traduire ces principes en actes, notre ville s'engage à suivre le parcours en "
            "dix étapes du réseau Learning Cities — de la signature de ce Manifeste à un budget "
            "propre, un personnel formé, une cartographie du territoire et de ses langues, un "
            "groupe de pilotage, des consultations ouvertes à tous, des décisions publiques et "
            "une évaluation partagée — et à transmettre ce qu'elle apprend aux autres villes du "
            "réseau.",
        ],
        "added": (
            "Les langues parlées sur notre territoire sont une richesse commune, non un obstacle. "
            "Nous informerons et consulterons les habitants dans les langues qu'ils parlent, avec "
            "des interprètes et des médiateurs culturels lorsque c'est nécessaire, et nous "
            "rendrons la participation numérique accessible sur tout appareil, sans exclure "
            "celles et ceux qui préfèrent le papier, le téléphone ou la rencontre en personne."
        ),
    },
    "de": {
        "title": "Manifest der Learning Cities",
        "paragraphs": [
            "Wir, die Städte, die dieses Manifest unterzeichnen, sind überzeugt: Lernen gehört "
            "allen Menschen, in jedem Alter und unabhängig von ihrer Herkunft. Eine Stadt lernt, "
            "wenn alle, die in ihr leben – Kinder und Ältere, neu Angekommene und Familien, die "
            "seit Generationen hier zu Hause sind –, ihr Leben lang weiterlernen können: in "
            "Schulen und Bibliotheken, bei der Arbeit, in Vereinen und im öffentlichen Raum.",
            "Lebenslanges Lernen ist mehr als ein Kursangebot. Es ist die Art, wie eine "
            "Gemeinschaft gemeinsam klüger wird: indem sie Wissen und Sprachen teilt, anerkennt, "
            "was Menschen bereits können, und die Einrichtungen der Stadt für jene öffnet, die "
            "allzu oft außen vor bleiben.",
            "Im Sinne des Weißbuchs zum interkulturellen Dialog des Europarats verpflichten wir "
            "uns zu einem offenen und respektvollen Dialog zwischen den Gemeinschaften und ihren "
            "kommunalen Behörden, der auf gleicher Würde beruht. Menschen unterschiedlicher "
            "Sprachen und Herkunft sollen miteinander beraten, nicht nebeneinander, und ihre "
            "Stimmen müssen in die Entscheidungen einfließen, die ihre Stadtteile prägen.",
            "Eine Stadtverwaltung, die zuhört, muss auch antworten. Wir erklären, wie die "
            "Vorschläge der Einwohnerinnen und Einwohner verwendet werden, geben auf jeden "
            "einzelnen eine öffentliche Antwort und berichten über das, was wir getan haben – in "
            "einer Sprache, die alle verstehen.",
            "Um diese Grundsätze in die Praxis umzusetzen, verpflichtet sich unsere Stadt, den "
            "Pfad der zehn Schritte des Netzwerks Learning Cities zu gehen – von der "
            "Unterzeichnung dieses Manifests über ein eigenes Budget, geschulte Mitarbeitende, "
            "eine Karte des Stadtgebiets und seiner Sprachen, eine Steuerungsgruppe, "
            "Konsultationen, die allen offenstehen, und öffentliche Entscheidungen bis zu einer "
            "gemeinsamen Auswertung – und das Gelernte an die anderen Städte des Netzwerks "
            "weiterzugeben.",
        ],
        "added": (
            "Die Sprachen, die in unserer Stadt gesprochen werden, sind ein gemeinsamer Reichtum "
            "und kein Hindernis. Wir informieren und beteiligen die Menschen in den Sprachen, die "
            "sie sprechen, wo nötig mit Dolmetschenden sowie Kulturmittlerinnen und "
            "Kulturmittlern, und wir machen die digitale Beteiligung auf jedem Gerät zugänglich "
            "– ohne diejenigen auszuschließen, die Papier, das Telefon oder das persönliche "
            "Gespräch bevorzugen."
        ),
    },
    "es": {
        "title": "Manifiesto de las Learning Cities",
        "paragraphs": [
            "Las ciudades firmantes de este Manifiesto afirmamos que el aprendizaje pertenece a "
            "todas las personas, de cualquier edad y origen. Una ciudad aprende cuando quienes "
            "viven en ella —niños y mayores, recién llegados y familias arraigadas aquí desde "
            "hace generaciones— pueden seguir aprendiendo a lo largo de toda la vida: en la "
            "escuela y en la biblioteca, en el trabajo, en las asociaciones y en el espacio "
            "público.",
            "El aprendizaje a lo largo de la vida es mucho más que una oferta de cursos. Es la "
            "manera en que una comunidad crece en conjunto: compartiendo saberes y lenguas, "
            "reconociendo lo que las personas ya saben y abriendo las instituciones de la ciudad "
            "a quienes con demasiada frecuencia quedan fuera.",
            "En línea con el Libro Blanco sobre el Diálogo Intercultural del Consejo de Europa, "
            "nos comprometemos con un diálogo abierto y respetuoso entre las comunidades y sus "
            "autoridades locales, basado en la igual dignidad. Las personas de lenguas y "
            "orígenes distintos deben deliberar juntas, no unas al lado de otras, y su voz debe "
            "llegar a las decisiones que dan forma a sus barrios.",
            "Un ayuntamiento que escucha también debe responder. Explicaremos cómo se utilizan "
            "las propuestas de los vecinos y vecinas, daremos una respuesta pública a cada una "
            "de ellas y rendiremos cuentas de lo que hemos hecho, con palabras que todo el mundo "
            "pueda entender.",
            "Para llevar estos principios a la práctica, nuestra ciudad se compromete a seguir "
            "el itinerario de diez pasos de la red Learning Cities —desde la firma de este "
            "Manifiesto hasta un presupuesto propio, personal formado, un mapa del territorio y "
            "de sus lenguas, un grupo de coordinación, consultas abiertas a todo el mundo, "
            "decisiones públicas y una evaluación compartida— y a transmitir lo que aprenda a "
            "las demás ciudades de la red.",
        ],
        "added": (
            "Las lenguas que se hablan en nuestro territorio son un recurso común, no un "
            "obstáculo. Informaremos y consultaremos a los vecinos en las lenguas que hablan, "
            "con intérpretes y mediadores culturales cuando haga falta, y haremos que la "
            "participación digital sea accesible desde cualquier dispositivo, sin dejar fuera a "
            "quienes prefieren el papel, el teléfono o el encuentro en persona."
        ),
    },
    "ar": {
        "title": "بيان Learning Cities",
        "paragraphs": [
            "نحن، المدن الموقِّعة على هذا البيان، نؤمن بأن التعلّم حقّ للجميع، في كل الأعمار ومن "
            "كل الأصول. فالمدينة تتعلّم حين يستطيع كلّ من يسكنها — أطفالاً ومسنّين، وافدين جدداً "
            "وعائلات استقرّت فيها منذ أجيال — أن يواصل التعلّم طوال حياته: في المدرسة والمكتبة، "
            "وفي العمل، وفي الجمعيات والفضاءات العامة.",
            "التعلّم مدى الحياة أكثر من مجرّد قائمة دورات. إنه الطريقة التي ينضج بها المجتمع "
            "معاً: بتبادل المعارف واللغات، وبالاعتراف بما يعرفه الناس أصلاً، وبفتح مؤسسات "
            "المدينة أمام من يُستبعَدون منها في أغلب الأحيان.",
            "وانسجاماً مع الكتاب الأبيض حول الحوار بين الثقافات الصادر عن مجلس أوروبا، نلتزم "
            "بحوار منفتح وقائم على الاحترام بين المجتمعات المحلية وسلطاتها البلدية، أساسه "
            "المساواة في الكرامة. فعلى الناس من لغات وخلفيات مختلفة أن يتداولوا معاً لا جنباً "
            "إلى جنب، وأن يصل صوتهم إلى القرارات التي تشكّل أحياءهم.",
            "البلدية التي تُصغي عليها أن تُجيب أيضاً. سنشرح كيف تُستخدم مقترحات السكان، "
            "وسنقدّم ردّاً علنياً على كلّ منها، وسنعرض ما أنجزناه بكلمات يفهمها الجميع.",
            "ولتحويل هذه المبادئ إلى واقع، تلتزم مدينتنا باتّباع المسار ذي الخطوات العشر لشبكة "
            "Learning Cities — من توقيع هذا البيان إلى ميزانية خاصة بها، وموظفين مدرَّبين، "
            "وخريطة للإقليم ولغاته، وفريق توجيه، واستشارات مفتوحة للجميع، وقرارات علنية وتقييم "
            "مشترك — وبنقل ما تتعلّمه إلى مدن الشبكة الأخرى.",
        ],
        "added": (
            "اللغات المتداولة في إقليمنا ثروة مشتركة لا عائق. سنُعلم السكان ونستشيرهم باللغات "
            "التي يتحدثونها، بمساعدة مترجمين فوريين ووسطاء ثقافيين عند الحاجة، وسنجعل المشاركة "
            "الرقمية متاحة من أي جهاز، دون إقصاء من يفضّلون الورق أو الهاتف أو اللقاء المباشر."
        ),
    },
}

VERSIONS = [
    {
        "number": 1,
        "published_at": datetime(2023, 5, 10, 10, 0, tzinfo=UTC),
        "change_note": "First version, adopted by the general assembly of the network.",
    },
    {
        "number": 2,
        "published_at": datetime(2025, 2, 1, 10, 0, tzinfo=UTC),
        "change_note": "Adds a principle on the languages of the territory and on digital "
        "participation.",
    },
]
AUTHOR = "admin@learning-cities.demo"

# city slug: (version, council resolution, who recorded it, language of the record entry)
SIGNATURES = {
    "bologna": (
        1,
        "Delibera di Consiglio comunale n. 45/2024 (P.G. 178432/2024)",
        "moderator.bologna@learning-cities.demo",
        "it",
    ),
    "marseille": (
        1,
        "Délibération du conseil municipal n° 24/0318/VAT",
        "moderator.marseille@learning-cities.demo",
        "fr",
    ),
    "leipzig": (
        1,
        "Beschluss der Ratsversammlung Nr. VII-DS-09871",
        "moderator.network@learning-cities.demo",
        "de",
    ),
    "valencia": (
        2,
        "Acuerdo del Pleno municipal n.º 112, sesión ordinaria de 10 de abril de 2025",
        "moderator.network@learning-cities.demo",
        "es",
    ),
}

# city slug: organisations (slug, the member who endorsed or None) and residents (e-mail, named)
ENDORSEMENTS = {
    "bologna": {
        "language": "it",
        "organisations": [
            ("associazione-al-nour", "member.alnour@learning-cities.demo"),
            ("liceo-laura-bassi", "member.school@learning-cities.demo"),
        ],
        "residents": [
            ("citizen@learning-cities.demo", True),
            ("citizen.ro@learning-cities.demo", False),
        ],
    },
    "marseille": {
        "language": "fr",
        "organisations": [("centre-social-belsunce", None)],
        "residents": [],
    },
    "leipzig": {
        "language": "de",
        "organisations": [("deutsch-ukrainischer-verein-leipzig", None)],
        "residents": [("citizen.uk@learning-cities.demo", True)],
    },
    "valencia": {
        "language": "es",
        "organisations": [],
        "residents": [("citizen.es@learning-cities.demo", False)],
    },
}


def version_texts(number: int) -> dict[str, tuple[str, str]]:
    """{locale: (title, body)} of demo version `number`."""
    texts = {}
    for locale, spec in TEXTS.items():
        paragraphs = list(spec["paragraphs"])
        if number >= 2:
            paragraphs.insert(-1, spec["added"])
        texts[locale] = (spec["title"], "\n\n".join(paragraphs))
    return texts


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _city(slug: str) -> City | None:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def seed(now: datetime) -> None:
    """Create the Manifesto's demo data where missing; flush, never commit."""
    versions = _ensure_versions()
    for slug, (number, resolution, recorder, language) in SIGNATURES.items():
        city = _city(slug)
        if city is not None and city.manifesto_signed_on is not None:
            _ensure_signature(city, versions[number], resolution, _user(recorder), language)
    for slug, spec in ENDORSEMENTS.items():
        city = _city(slug)
        if city is not None:
            _ensure_endorsements(city, spec)


def _ensure_versions() -> dict[int, ManifestoVersion]:
    existing = {
        version.number: version for version in db.session.scalars(sa.select(ManifestoVersion))
    }
    for spec in VERSIONS:
        if spec["number"] in existing:
            continue
        # Published in order, so each takes the number it has in the data.
        existing[spec["number"]] = services.publish_version(
            author=_user(AUTHOR),
            texts=version_texts(spec["number"]),
            change_note=spec["change_note"],
            change_note_language="en",
            published_at=spec["published_at"],
        )
    return existing


def _ensure_signature(
    city: City, version: ManifestoVersion, resolution: str, recorder: User | None, language: str
) -> None:
    exists = db.session.scalar(
        sa.select(ManifestoSignature.id).where(
            ManifestoSignature.city_id == city.id, ManifestoSignature.version_id == version.id
        )
    )
    if exists is None:
        services.record_signature(
            city,
            version,
            signed_on=city.manifesto_signed_on,
            council_resolution=resolution,
            document_url=None,
            author=recorder,
            language=language,
        )


def _ensure_endorsements(city: City, spec: dict) -> None:
    language = spec["language"]
    have_organisations = set(
        db.session.scalars(
            sa.select(ManifestoEndorsement.organisation_id).where(
                ManifestoEndorsement.city_id == city.id,
                ManifestoEndorsement.organisation_id.is_not(None),
            )
        )
    )
    have_residents = set(
        db.session.scalars(
            sa.select(ManifestoEndorsement.user_id).where(
                ManifestoEndorsement.city_id == city.id, ManifestoEndorsement.user_id.is_not(None)
            )
        )
    )
    for slug, member_email in spec["organisations"]:
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if organisation is None or organisation.id in have_organisations:
            continue
        services.endorse_for_organisation(
            city,
            organisation,
            _user(member_email) if member_email else None,
            language=language,
        )
    for email, named in spec["residents"]:
        resident = _user(email)
        if resident is None or resident.id in have_residents:
            continue
        services.endorse_as_resident(city, resident, show_name=named, language=language)
