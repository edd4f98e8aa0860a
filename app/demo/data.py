"""The demo data, as plain structures read by `flask demo-seed` (app/demo/commands.py).

Every text is written in the language it declares: content languages are part of what the demo
shows, so an Italian description must really be Italian.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import NotRequired, TypedDict

# Public on purpose (the command prints it): the demo accounts exist for demonstrations only, and
# the command refuses to run in production.
DEMO_PASSWORD = "demo-dialogue-2026"  # noqa: S105


class CitySpec(TypedDict):
    slug: str
    name: str
    country: str
    region: str
    timezone: str
    population: int
    membership_status: str
    manifesto_signed_on: date | None
    # (ISO 639-1 code, share of the population in percent)
    languages: list[tuple[str, Decimal]]
    # Where the city stands on the pathway: steps 1..completed_steps are completed, the next one
    # has been in progress for current_step_days days.
    completed_steps: int
    current_step_days: int


class OrganisationSpec(TypedDict):
    slug: str
    name: str
    kind: str
    city: str  # city slug
    description: str
    description_language: str


class AccountSpec(TypedDict):
    email: str
    display_name: str
    locale: str
    content_languages: list[str]
    confirmed: bool
    what_to_try: str
    association_role: NotRequired[str]
    moderates: NotRequired[list[str]]  # city slugs
    organisation: NotRequired[tuple[str, str]]  # (organisation slug, role)
    home_city: NotRequired[str]  # city slug: the city the person said they live in
    role: NotRequired[str]  # what the printed log-ins call the account, when not its kind


class ConsultationSpec(TypedDict):
    city: str  # city slug
    step: int  # the city's pathway step, counted from 1 in template order
    timing: str  # a key of CONSULTATION_DAYS
    language: str
    title: str
    description: str


CITIES: list[CitySpec] = [
    {
        "slug": "bologna",
        "name": "Bologna",
        "country": "IT",
        "region": "Emilia-Romagna",
        "timezone": "Europe/Rome",
        "population": 392_203,
        "membership_status": "member",
        "manifesto_signed_on": date(2024, 3, 18),
        "languages": [
            ("it", Decimal("84.0")),
            ("ar", Decimal("3.5")),
            ("ro", Decimal("3.2")),
            ("sq", Decimal("2.1")),
            ("zh", Decimal("1.8")),
            ("uk", Decimal("1.6")),
            ("ur", Decimal("1.2")),
        ],
        "completed_steps": 7,
        # Long enough ago for its closed step-8 consultation to fall inside the step.
        "current_step_days": 150,
    },
    {
        "slug": "marseille",
        "name": "Marseille",
        "country": "FR",
        "region": "Provence-Alpes-Côte d'Azur",
        "timezone": "Europe/Paris",
        "population": 873_076,
        "membership_status": "member",
        "manifesto_signed_on": date(2024, 6, 5),
        "languages": [
            ("fr", Decimal("82.0")),
            ("ar", Decimal("9.5")),
            ("es", Decimal("1.8")),
            ("it", Decimal("1.5")),
            ("tr", Decimal("1.2")),
            ("hy", Decimal("1.0")),
        ],
        "completed_steps": 5,
        "current_step_days": 40,
    },
    {
        "slug": "leipzig",
        "name": "Leipzig",
        "country": "DE",
        "region": "Sachsen",
        "timezone": "Europe/Berlin",
        "population": 619_879,
        "membership_status": "member",
        "manifesto_signed_on": date(2025, 1, 22),
        "languages": [
            ("de", Decimal("86.0")),
            ("ru", Decimal("3.2")),
            ("uk", Decimal("2.4")),
            ("ar", Decimal("2.2")),
            ("tr", Decimal("1.1")),
            ("pl", Decimal("0.9")),
        ],
        "completed_steps": 3,
        "current_step_days": 40,
    },
    {
        "slug": "valencia",
        "name": "Valencia",
        "country": "ES",
        "region": "Comunitat Valenciana",
        "timezone": "Europe/Madrid",
        "population": 807_693,
        "membership_status": "member",
        "manifesto_signed_on": date(2025, 4, 10),
        "languages": [
            ("es", Decimal("68.0")),
            ("ca", Decimal("20.0")),
            ("ro", Decimal("2.1")),
            ("ar", Decimal("1.4")),
            ("en", Decimal("1.2")),
            ("zh", Decimal("1.0")),
        ],
        "completed_steps": 2,
        "current_step_days": 40,
    },
    {
        "slug": "limerick",
        "name": "Limerick",
        "country": "IE",
        "region": "Munster",
        "timezone": "Europe/Dublin",
        "population": 102_287,
        "membership_status": "candidate",
        "manifesto_signed_on": None,
        "languages": [
            ("en", Decimal("88.0")),
            ("pl", Decimal("2.6")),
            ("ga", Decimal("1.8")),
            ("uk", Decimal("1.5")),
        ],
        "completed_steps": 0,
        "current_step_days": 75,
    },
]

ORGANISATIONS: list[OrganisationSpec] = [
    {
        "slug": "associazione-al-nour",
        "name": "Associazione Al-Nour",
        "kind": "community_group",
        "city": "bologna",
        "description": (
            "Associazione di famiglie arabofone della Bolognina. Organizza doposcuola, corsi di "
            "arabo e di italiano e accompagna le famiglie nei servizi del quartiere."
        ),
        "description_language": "it",
    },
    {
        "slug": "liceo-laura-bassi",
        "name": "Liceo Laura Bassi",
        "kind": "school",
        "city": "bologna",
        "description": (
            "Liceo delle scienze umane e linguistico nel centro di Bologna. Le sue classi "
            "partecipano ai progetti di cittadinanza attiva dei quartieri."
        ),
        "description_language": "it",
    },
    {
        "slug": "centre-social-belsunce",
        "name": "Centre social Belsunce",
        "kind": "association",
        "city": "marseille",
        "description": (
            "Centre social du quartier Belsunce, au cœur du 1er arrondissement. Il accueille les "
            "familles, propose des cours de français et des permanences d'accès aux droits en "
            "plusieurs langues."
        ),
        "description_language": "fr",
    },
    {
        "slug": "deutsch-ukrainischer-verein-leipzig",
        "name": "Deutsch-Ukrainischer Verein Leipzig e.V.",
        "kind": "association",
        "city": "leipzig",
        "description": (
            "Ein Verein von Ukrainerinnen, Ukrainern und Leipzigern, der seit 2022 Neuankommende "
            "begleitet. Wir bieten Sprachcafés, Beratung und Kulturabende an."
        ),
        "description_language": "de",
    },
    {
        "slug": "cooperativa-la-huerta",
        "name": "Cooperativa La Huerta",
        "kind": "business",
        "city": "valencia",
        "description": (
            "Cooperativa de agricultores de la huerta valenciana que vende en los mercados de "
            "barrio. Trabajan en ella vecinos de Orriols y Benicalap de muchos orígenes."
        ),
        "description_language": "es",
    },
]

ACCOUNTS: list[AccountSpec] = [
    {
        "email": "admin@learning-cities.demo",
        "display_name": "Helen Whitaker",
        "locale": "en",
        "content_languages": ["en", "fr"],
        "confirmed": True,
        "association_role": "admin",
        "what_to_try": "association admin: may change any city's step status",
    },
    {
        "email": "observer@learning-cities.demo",
        "display_name": "Étienne Laurent",
        "locale": "fr",
        "content_languages": ["fr", "en"],
        "confirmed": True,
        "association_role": "observer",
        "what_to_try": "association observer: reads every city, changes nothing",
    },
    {
        "email": "moderator.bologna@learning-cities.demo",
        "display_name": "Giulia Bianchi",
        "locale": "it",
        "content_languages": ["it", "en"],
        "confirmed": True,
        "moderates": ["bologna"],
        "what_to_try": "change Bologna's step statuses; Marseille's are refused",
    },
    {
        "email": "moderator.marseille@learning-cities.demo",
        "display_name": "Karima Benali",
        "locale": "fr",
        "content_languages": ["fr", "ar"],
        "confirmed": True,
        "moderates": ["marseille"],
        "what_to_try": "Marseille is designing its process (step 6): update its status",
    },
    {
        "email": "moderator.network@learning-cities.demo",
        "display_name": "Jonas Weber",
        "locale": "de",
        "content_languages": ["de", "es", "en"],
        "confirmed": True,
        "moderates": ["leipzig", "valencia"],
        "what_to_try": "one account moderating two cities, Leipzig and Valencia",
    },
    {
        "email": "citizen@learning-cities.demo",
        "display_name": "Amina El Idrissi",
        "locale": "ar",
        "content_languages": ["ar", "it"],
        "confirmed": True,
        "home_city": "bologna",
        "what_to_try": (
            "Arabic interface (right to left); the open Bologna library consultation, its "
            "questionnaire, and a full meeting's waiting list"
        ),
    },
    {
        "email": "citizen.ro@learning-cities.demo",
        "display_name": "Ioana Popescu",
        "locale": "it",
        "content_languages": ["ro", "it"],
        "confirmed": True,
        "home_city": "bologna",
        "what_to_try": "reads Romanian first: Bologna content written in other languages",
    },
    {
        "email": "citizen.uk@learning-cities.demo",
        "display_name": "Olena Kovalenko",
        "locale": "de",
        "content_languages": ["uk", "de", "ru"],
        "confirmed": True,
        "home_city": "leipzig",
        "what_to_try": "the open Leipzig consultation mapping languages and associations",
    },
    {
        "email": "citizen.es@learning-cities.demo",
        "display_name": "Lucía Martí Ferrer",
        "locale": "es",
        "content_languages": ["es", "ca"],
        "confirmed": True,
        "home_city": "valencia",
        "what_to_try": "the open Valencia consultation, written in Valencian (ca)",
    },
    {
        "email": "member.alnour@learning-cities.demo",
        "display_name": "Youssef Haddad",
        "locale": "it",
        "content_languages": ["it", "ar"],
        "confirmed": True,
        "home_city": "bologna",
        "organisation": ("associazione-al-nour", "manager"),
        "what_to_try": "manager of Associazione Al-Nour, a Bologna community group",
    },
    {
        "email": "member.school@learning-cities.demo",
        "display_name": "Chiara Rinaldi",
        "locale": "it",
        "content_languages": ["it", "en"],
        "confirmed": True,
        "home_city": "bologna",
        "organisation": ("liceo-laura-bassi", "member"),
        "what_to_try": "member of Liceo Laura Bassi, a school of Bologna",
    },
    {
        "email": "reviewer.bologna@learning-cities.demo",
        "display_name": "Marco Conti",
        "locale": "it",
        "content_languages": ["it", "en"],
        "confirmed": True,
        "home_city": "bologna",
        "role": "reviewer of one Bologna consultation",
        "what_to_try": "the review board of the Bolognina budget: what was assessed, and why",
    },
    {
        "email": "unconfirmed@learning-cities.demo",
        "display_name": "Sam Taylor",
        "locale": "en",
        "content_languages": ["en"],
        "confirmed": False,
        "what_to_try": "can read but not post until the e-mail address is confirmed",
    },
]

# Day offsets, from today in the city's time zone, of a consultation's first and last day.
CONSULTATION_DAYS: dict[str, tuple[int, int]] = {
    "open": (-10, 21),
    "upcoming": (14, 49),
    "closed": (-90, -60),
}
OPENS_AT = time(9, 0)
CLOSES_AT = time(18, 0)

# Each consultation sits on a step its city has reached (a closed one on a step that was under way
# while it ran), so the pathway and the consultations tell the same story.
# Titles name no year: the dates follow the day of the run.
CONSULTATIONS: list[ConsultationSpec] = [
    {
        "city": "bologna",
        "step": 8,
        "timing": "open",
        "language": "ar",
        "title": "مكتبة حيّ متعددة اللغات في بولونينا",
        "description": (
            "تخصّص بلدية بولونيا مساحة في حيّ بولونينا لمكتبة حيّ متعددة اللغات. "
            "نريد أن نعرف ما تحتاجونه من كتب ولغات وأنشطة: قراءات للأطفال، دروس لغة، "
            "أمسيات حكايات أو ركن للصحف. يمكنكم تقديم المقترحات والتعليق عليها بأيّ لغة، "
            "وستردّ البلدية علناً على كل مقترح."
        ),
    },
    {
        "city": "bologna",
        "step": 8,
        "timing": "upcoming",
        "language": "it",
        "title": "Bilancio partecipativo: progetti per il quartiere Navile",
        "description": (
            "Il Comune destina 300.000 euro a progetti proposti da chi vive, studia o lavora nel "
            "quartiere Navile: spazi verdi, cortili scolastici, luoghi d'incontro. Le proposte si "
            "possono scrivere in qualsiasi lingua e saranno discusse in incontri pubblici con "
            "mediatori linguistici. I progetti fattibili andranno poi al voto, entro il budget "
            "disponibile."
        ),
    },
    {
        "city": "bologna",
        "step": 8,
        "timing": "closed",
        "language": "it",
        "title": "Piazza dell'Unità, luogo d'incontro del quartiere",
        "description": (
            "Abbiamo raccolto idee su arredi, illuminazione, giochi e mercati interculturali per "
            "Piazza dell'Unità. Hanno partecipato residenti, scuole e associazioni della "
            "Bolognina, anche con schede cartacee nelle lingue più parlate del quartiere. Ogni "
            "proposta riceverà una risposta pubblica del Comune."
        ),
    },
    {
        "city": "bologna",
        "step": 8,
        "timing": "closed",
        "language": "it",
        "title": "Bilancio partecipativo: cortili, strade e biblioteche della Bolognina",
        "description": (
            "Il Comune ha destinato 120.000 euro a progetti proposti da chi vive in Bolognina. "
            "Prima del voto, i tecnici del Comune hanno valutato ogni proposta: fattibilità, "
            "costo stimato, competenza comunale. Le proposte fattibili sono andate al voto; le "
            "altre restano leggibili con il motivo. Qui potete seguire che cosa è diventato di "
            "ciò che avete scelto: cantieri, tappe, foto e spese."
        ),
    },
    {
        "city": "marseille",
        "step": 6,
        "timing": "open",
        "language": "fr",
        "title": "Concevoir la concertation : langues, règles et calendrier",
        "description": (
            "Avant de lancer les budgets de quartier, la Ville veut fixer avec vous les règles du "
            "jeu : dans quelles langues consulter, comment voter, selon quel calendrier. Proposez "
            "des règles, commentez celles des autres et soutenez celles qui vous semblent justes. "
            "Des réunions publiques ont lieu au centre social Belsunce et dans les mairies de "
            "secteur."
        ),
    },
    {
        "city": "marseille",
        "step": 7,
        "timing": "upcoming",
        "language": "fr",
        "title": "Aller vers les habitants : permanences multilingues à Noailles et Belsunce",
        "description": (
            "Où et quand tenir des permanences pour que chacun puisse participer, même sans "
            "internet ou sans bien parler français ? Marchés, écoles, lieux de culte, "
            "associations : proposez des lieux et des horaires. Des médiateurs parlant arabe, "
            "comorien et espagnol accompagneront les permanences retenues."
        ),
    },
    {
        "city": "marseille",
        "step": 5,
        "timing": "closed",
        "language": "fr",
        "title": "Groupe de pilotage : qui doit représenter les quartiers ?",
        "description": (
            "La Ville a constitué un groupe de pilotage pour suivre la démarche des Villes "
            "apprenantes. Nous avons demandé aux habitants et aux associations quelles "
            "structures, quels collectifs et quelles communautés devaient y siéger, en "
            "particulier pour le centre-ville et les quartiers Nord. Les propositions retenues "
            "figurent dans le compte rendu de l'étape."
        ),
    },
    {
        "city": "leipzig",
        "step": 4,
        "timing": "open",
        "language": "de",
        "title": "Sprachen und Vereine im Leipziger Osten kartieren",
        "description": (
            "Welche Sprachen werden in Ihrer Straße gesprochen, welche Vereine, Gemeinden und "
            "Treffpunkte kennen Sie? Mit Ihren Hinweisen erstellt die Stadt eine Karte der "
            "Sprachen und Akteure im Leipziger Osten. Sie können in jeder Sprache beitragen, und "
            "Ergänzungen zu den Vorschlägen anderer sind ausdrücklich erwünscht."
        ),
    },
    {
        "city": "leipzig",
        "step": 5,
        "timing": "upcoming",
        "language": "de",
        "title": "Steuerungsgruppe „Lernende Stadt Leipzig“: Wer soll mitentscheiden?",
        "description": (
            "Die Stadt bildet eine Steuerungsgruppe, die den Beteiligungsprozess begleitet. "
            "Mindestens die Hälfte der Plätze ist für Migrantenorganisationen, Schulen und "
            "Nachbarschaftsinitiativen vorgesehen. Schlagen Sie Organisationen vor und sagen "
            "Sie, wie die Gruppe arbeiten soll."
        ),
    },
    {
        "city": "leipzig",
        "step": 3,
        "timing": "closed",
        "language": "de",
        "title": "Mehrsprachige Bürgerbüros: Was sollen städtische Mitarbeitende lernen?",
        "description": (
            "Die Stadt Leipzig schult die Mitarbeitenden der Bürgerbüros und des Sozialamts für "
            "Gespräche mit Menschen, die wenig Deutsch sprechen. Wir haben gefragt, wo es heute "
            "hakt und welche Sprachen, Dolmetschangebote und Kenntnisse fehlen. Die Ergebnisse "
            "fließen in das nächste Schulungsprogramm ein."
        ),
    },
    {
        "city": "valencia",
        "step": 3,
        "timing": "open",
        "language": "ca",
        "title": "Escola de mediació intercultural: qui s'hi forma i com?",
        "description": (
            "L'Ajuntament de València posa en marxa una escola de mediació intercultural per al "
            "personal municipal i per a les entitats dels barris. Volem saber quins temes, "
            "quines llengües i quins horaris us convenen, i qui hauria de formar-se primer. "
            "Podeu fer propostes i comentaris en valencià, en castellà o en qualsevol altra "
            "llengua."
        ),
    },
    {
        "city": "valencia",
        "step": 4,
        "timing": "upcoming",
        "language": "es",
        "title": "Mapa de lenguas y entidades de Orriols, Russafa y Ciutat Vella",
        "description": (
            "¿Qué lenguas se hablan en tu barrio y qué asociaciones, comercios o comunidades lo "
            "mantienen vivo? Con tus aportaciones elaboraremos un mapa de lenguas y entidades "
            "que servirá para preparar las próximas consultas. Habrá sesiones presenciales en "
            "los centros municipales de juventud y en la Cooperativa La Huerta."
        ),
    },
    {
        "city": "valencia",
        "step": 2,
        "timing": "closed",
        "language": "es",
        "title": "Presupuesto del Manifiesto: ¿qué acciones priorizar?",
        "description": (
            "El Ayuntamiento reserva 450.000 euros de su presupuesto para acciones del "
            "Manifiesto de las Ciudades del Aprendizaje. Preguntamos a vecinos y entidades qué "
            "priorizar: cursos de idiomas, mediación intercultural, espacios de encuentro o "
            "apoyo a las asociaciones. El resultado orientó el plan de gasto aprobado por el "
            "pleno."
        ),
    },
]
