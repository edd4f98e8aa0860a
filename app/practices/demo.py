"""Demo good practices, called by `flask demo-seed` (idempotent by title; flush, never commit).

Practices from member cities, written in their languages, and from other European networks of
learning communities; most are published, one from Bologna waits for the association's approval.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NotRequired, TypedDict

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.extensions import db
from app.pathway.models import PathwayStep
from app.practices.models import GoodPractice
from app.practices.services import PracticeValues, approve_practice, create_practice

ADMIN = "admin@learning-cities.demo"


class PracticeSpec(TypedDict):
    title: str
    summary: str
    body: str
    language: str
    network: str
    city: str | None  # a city's slug
    place: str
    steps: list[int]  # template positions
    languages: list[str]
    tags: list[str]
    days_ago: int
    # Who submitted it: the admin (published at once) or a moderator; "approved" if the admin
    # approved a moderator's submission.
    submitted_by: str
    approved: NotRequired[bool]


PRACTICES: list[PracticeSpec] = [
    {
        "title": "Patti di collaborazione: residenti e Comune curano insieme i beni comuni",
        "summary": (
            "Con il Regolamento sulla collaborazione tra cittadini e amministrazione, Bologna "
            "firma con gruppi di residenti, associazioni e scuole dei patti per curare e "
            "rigenerare giardini, portici, cortili scolastici e piccole biblioteche di quartiere."
        ),
        "body": (
            "Dal 2014 chiunque vive o lavora a Bologna può proporre al Comune un patto di "
            "collaborazione: un accordo scritto che dice chi si prende cura di un bene comune, "
            "con quali risorse e per quanto tempo. Il Comune mette a disposizione materiali, "
            "assicurazione e un referente; i cittadini mettono tempo, idee e competenze.\n\n"
            "Nel quartiere Navile molti patti sono nati da associazioni di comunità migranti: "
            "un orto condiviso curato da famiglie bangladesi e italiane, un doposcuola in un "
            "cortile, una biblioteca di strada con libri in arabo, rumeno e cinese. Gli "
            "incontri per scrivere i patti si tengono con mediatori linguistici.\n\n"
            "Cosa abbiamo imparato: un patto funziona quando il linguaggio amministrativo è "
            "tradotto in parole semplici e quando il Comune risponde in tempi certi. Il modello "
            "di patto è ora disponibile in sei lingue."
        ),
        "language": "it",
        "network": "Learning Cities",
        "city": "bologna",
        "place": "",
        "steps": [6, 9],
        "languages": ["it", "ar", "ro", "zh", "bn"],
        "tags": ["commons", "co-design", "neighbourhood"],
        "days_ago": 320,
        "submitted_by": ADMIN,
    },
    {
        "title": "Assemblées de quartier multilingues à Belsunce et Noailles",
        "summary": (
            "Chaque trimestre, la Ville réunit les habitants de Belsunce et de Noailles en "
            "assemblées où chacun parle dans sa langue : des interprètes bénévoles traduisent "
            "en arabe, en comorien, en espagnol et en turc, table par table."
        ),
        "body": (
            "Les assemblées se tiennent le samedi matin au centre social Belsunce, avec une "
            "garderie pour les enfants. Les participants s'assoient par table de langue pour "
            "la première partie, puis les tables se mélangent : chaque table mixte a un "
            "interprète et un animateur formé par la Ville.\n\n"
            "Les propositions sont écrites sur des fiches bilingues et reprises telles quelles "
            "dans la concertation en ligne. Les personnes qui ne lisent pas le français "
            "reçoivent la réponse de la mairie à l'oral, lors de l'assemblée suivante.\n\n"
            "Résultat : la part des habitants arabophones parmi les participants est passée "
            "de 3 % à 14 % en un an. Le coût principal est l'indemnisation des interprètes."
        ),
        "language": "fr",
        "network": "Learning Cities",
        "city": "marseille",
        "place": "",
        "steps": [7, 8],
        "languages": ["fr", "ar", "es", "tr"],
        "tags": ["multilingual assemblies", "interpreters", "outreach"],
        "days_ago": 200,
        "submitted_by": "moderator.marseille@learning-cities.demo",
        "approved": True,
    },
    {
        "title": "Sprachenkarte der Stadtteile: Migrantenorganisationen kartieren mit",
        "summary": (
            "Leipzig hat die in den Stadtteilen gesprochenen Sprachen gemeinsam mit "
            "Migrantenorganisationen kartiert. Die Karte zeigt, wo welche Gemeinschaften leben "
            "und über welche Vereine, Geschäfte und Gemeinden man sie erreicht."
        ),
        "body": (
            "Statistiken kennen nur Staatsangehörigkeiten, keine Sprachen. Deshalb hat die "
            "Stadt zwölf Migrantenorganisationen eingeladen, die Karte mitzuzeichnen: in "
            "Workshops markierten sie Treffpunkte, Läden, Gebetsräume und Sportvereine, in "
            "denen Russisch, Ukrainisch, Arabisch, Türkisch oder Polnisch gesprochen wird.\n\n"
            "Die Organisationen wurden für ihre Zeit bezahlt und bilden heute einen Teil der "
            "Steuerungsgruppe. Die Karte ist öffentlich und wird jedes Jahr aktualisiert.\n\n"
            "Wichtig war, keine Daten über einzelne Personen zu sammeln: kartiert werden Orte "
            "und Organisationen, nie Menschen."
        ),
        "language": "de",
        "network": "Learning Cities",
        "city": "leipzig",
        "place": "",
        "steps": [4, 5],
        "languages": ["de", "ru", "uk", "ar", "tr", "pl"],
        "tags": ["language map", "migrant organisations", "steering group"],
        "days_ago": 90,
        "submitted_by": "moderator.network@learning-cities.demo",
        "approved": True,
    },
    {
        "title": "Mesas de barrio bilingües en los presupuestos participativos",
        "summary": (
            "En los presupuestos participativos de València, cada barrio organiza mesas "
            "presenciales en castellano y en valenciano, con apoyo en rumano y árabe, para "
            "que las vecinas y los vecinos sin internet puedan presentar y votar proyectos."
        ),
        "body": (
            "Las mesas se instalan en mercados municipales, centros de salud y colegios durante "
            "las dos semanas de presentación de propuestas. El personal municipal ayuda a "
            "escribir la propuesta en la plataforma y entrega un resguardo en papel.\n\n"
            "Durante la votación, las mismas mesas recogen votos en papel, que se introducen "
            "después en el recuento y se marcan como tales. Las asociaciones de vecinos "
            "deciden con el Ayuntamiento dónde y cuándo se colocan.\n\n"
            "Las mesas han duplicado la participación de personas mayores de 65 años y han "
            "acercado el proceso a barrios con mucha población de origen rumano."
        ),
        "language": "es",
        "network": "Learning Cities",
        "city": "valencia",
        "place": "",
        "steps": [7, 8, 9],
        "languages": ["es", "ca", "ro", "ar"],
        "tags": ["participatory budgeting", "paper ballots", "outreach"],
        "days_ago": 150,
        "submitted_by": ADMIN,
    },
    {
        "title": "Anti-rumour agents: residents trained to answer prejudice in daily life",
        "summary": (
            "Barcelona trains volunteers, shopkeepers and municipal staff to recognise and "
            "calmly answer rumours about migrants in everyday conversations, with facts and "
            "with questions rather than confrontation."
        ),
        "body": (
            "The anti-rumour strategy started in Barcelona in 2010 and has since been adapted "
            "by many cities of the Intercultural Cities network. It first identifies the most "
            "common rumours in the city, then gathers the facts that answer them.\n\n"
            "Anti-rumour agents follow a short training: how to listen, how to ask questions "
            "that make people think, when not to argue. Shopkeepers, librarians and bus drivers "
            "are among the most effective agents, because they meet many people.\n\n"
            "For a city on the pathway, the strategy helps before and after a consultation: it "
            "prepares the ground for deliberation between groups, and it is a way to share "
            "what the consultation showed."
        ),
        "language": "en",
        "network": "Intercultural Cities (Council of Europe)",
        "city": None,
        "place": "Barcelona, Spain",
        "steps": [3, 7, 10],
        "languages": ["es", "ca", "ur", "zh"],
        "tags": ["anti-rumours", "training", "intercultural dialogue"],
        "days_ago": 400,
        "submitted_by": ADMIN,
    },
    {
        "title": "حلقات حوار الأمهات في المدارس",
        "summary": (
            "تجمع مدارس الأحياء أمهات من خلفيات ولغات مختلفة في حلقات حوار شهرية، يناقشن فيها "
            "احتياجات الحي ويقدّمن مقترحات مشتركة إلى البلدية."
        ),
        "body": (
            "تُعقد الحلقات في مكتبة المدرسة بعد إيصال الأطفال صباحاً، بإدارة ميسّرة تتحدث "
            "العربية والإنجليزية. تختار المشاركات موضوع كل لقاء: الطرق الآمنة إلى المدرسة، "
            "الحدائق، أنشطة الصيف.\n\n"
            "تُكتب المقترحات بلغة المشاركات ثم تُترجم، وتعرضها ممثلتان من كل حلقة على مجلس "
            "الحي. وتردّ البلدية كتابياً على كل مقترح خلال شهرين.\n\n"
            "ساعدت الحلقات نساءً لم يشاركن من قبل في أي لقاء عام على أخذ الكلمة، وأصبح بعضهن "
            "عضوات في لجنة التوجيه المحلية."
        ),
        "language": "ar",
        "network": "UNESCO Global Network of Learning Cities",
        "city": None,
        "place": "Amman, Jordan",
        "steps": [5, 7],
        "languages": ["ar", "en"],
        "tags": ["schools", "families", "dialogue circles"],
        "days_ago": 60,
        "submitted_by": ADMIN,
    },
    {
        "title": "Measuring intercultural participation with a small set of indicators",
        "summary": (
            "Ghent evaluates each participatory process with six indicators: who took part by "
            "language group, who spoke, whose proposals were funded, and whether people met "
            "others they would not have met otherwise."
        ),
        "body": (
            "The city compares the participants of each process with the population of the "
            "neighbourhood, using voluntary and anonymous questions at the end of each meeting "
            "and online. Groups smaller than five people are never reported.\n\n"
            "Two indicators are about dialogue rather than numbers: the share of proposals "
            "supported by people of several language groups, and the share of participants "
            "who say they talked with someone from another community.\n\n"
            "The results are published with the municipal response and discussed with the "
            "steering group before the next cycle."
        ),
        "language": "en",
        "network": "EUROCITIES",
        "city": None,
        "place": "Ghent, Belgium",
        "steps": [10],
        "languages": ["nl", "tr", "bg", "sk"],
        "tags": ["evaluation", "intercultural indicators"],
        "days_ago": 240,
        "submitted_by": ADMIN,
    },
    {
        "title": "A lifelong learning festival as the door to a consultation",
        "summary": (
            "Cork opens its consultations during its lifelong learning festival: free events "
            "in libraries, community centres and markets where residents first learn about the "
            "question, then give their views."
        ),
        "body": (
            "Each spring the festival offers hundreds of free events organised by schools, "
            "associations and learning neighbourhoods. The city uses some of them to present an "
            "upcoming consultation in plain language, with interpreters for the main languages "
            "of the neighbourhood.\n\n"
            "Because people come to learn something, not to a formal meeting, the festival "
            "reaches residents who never attend council events. Their contact details are only "
            "kept if they ask to be told when the consultation opens."
        ),
        "language": "en",
        "network": "PASCAL International Observatory",
        "city": None,
        "place": "Cork, Ireland",
        "steps": [7],
        "languages": ["en", "ga", "pl"],
        "tags": ["learning festival", "outreach"],
        "days_ago": 500,
        "submitted_by": ADMIN,
    },
    {
        "title": "Schede cartacee multilingui per la consultazione di Piazza dell'Unità",
        "summary": (
            "Per la consultazione su Piazza dell'Unità abbiamo distribuito schede cartacee in "
            "sei lingue nei negozi, nelle scuole e nelle moschee della Bolognina: un terzo delle "
            "proposte è arrivato così."
        ),
        "body": (
            "Le schede, in italiano, arabo, rumeno, urdu, cinese e ucraino, avevano tre domande "
            "aperte e uno spazio per il disegno. Le associazioni del quartiere le hanno "
            "distribuite e raccolte in scatole sigillate.\n\n"
            "Ogni scheda è stata trascritta sulla piattaforma da un moderatore e segnata come "
            "proposta cartacea, nella lingua in cui era scritta. Le traduzioni sono state "
            "verificate da mediatori.\n\n"
            "Da migliorare: servono più giorni per la raccolta e una persona di riferimento "
            "per ogni punto di distribuzione."
        ),
        "language": "it",
        "network": "Learning Cities",
        "city": "bologna",
        "place": "",
        "steps": [7, 8],
        "languages": ["it", "ar", "ro", "ur", "zh", "uk"],
        "tags": ["paper ballots", "multilingual", "outreach"],
        "days_ago": 5,
        "submitted_by": "moderator.bologna@learning-cities.demo",
    },
]


def seed(now: datetime) -> None:
    """Create the demo practices that are missing; flush, never commit."""
    keys = {
        step.position: step.key
        for step in db.session.scalars(
            sa.select(PathwayStep).where(PathwayStep.retired_at.is_(None))
        )
    }
    cities = {city.slug: city.id for city in db.session.scalars(sa.select(City))}
    emails = {spec["submitted_by"] for spec in PRACTICES} | {ADMIN}
    users = {
        user.email: user
        for user in db.session.scalars(sa.select(User).where(User.email.in_(emails)))
    }
    have = set(
        db.session.scalars(
            sa.select(GoodPractice.title).where(
                GoodPractice.title.in_([spec["title"] for spec in PRACTICES])
            )
        )
    )
    for spec in PRACTICES:
        author = users.get(spec["submitted_by"])
        if spec["title"] in have or author is None:
            continue
        when = now - timedelta(days=spec["days_ago"])
        practice = create_practice(
            PracticeValues(
                title=spec["title"],
                summary=spec["summary"],
                body=spec["body"],
                language=spec["language"],
                network=spec["network"],
                city_id=cities[spec["city"]] if spec["city"] else None,
                place=spec["place"],
                step_keys=[keys[position] for position in spec["steps"] if position in keys],
                languages=spec["languages"],
                tags=spec["tags"],
            ),
            author=author,
            now=when,
        )
        if spec.get("approved") and ADMIN in users:
            approve_practice(practice, reviewer=users[ADMIN], now=when + timedelta(days=3))
