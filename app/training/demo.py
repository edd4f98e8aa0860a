"""Demo training: two published courses in the six interface locales, and some staff progress.

Idempotent: courses by slug, modules by position, completions by person and module. Completions
go through the service, so Bologna's step-3 record says a member of staff completed a course.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.training import services
from app.training.models import Course, Module, ModuleText

WHITE_PAPER = "https://www.coe.int/t/dg4/intercultural/source/white%20paper_final_revised_en.pdf"
INTERCULTURAL_CITIES = "https://www.coe.int/en/web/interculturalcities"

COURSES: list[dict] = [
    {
        "slug": "running-multilingual-consultations",
        "texts": {
            "en": (
                "Running multilingual consultations",
                "How to plan, translate, interpret and count a consultation in which residents "
                "take part in several languages, without leaving anyone as a spectator.",
            ),
            "it": (
                "Condurre consultazioni multilingui",
                "Come pianificare, tradurre, interpretare e leggere i risultati di una "
                "consultazione a cui i residenti partecipano in più lingue, senza lasciare "
                "nessuno a guardare.",
            ),
            "fr": (
                "Mener des consultations multilingues",
                "Comment préparer, traduire, interpréter et dépouiller une consultation à "
                "laquelle les habitants participent dans plusieurs langues, sans laisser "
                "personne sur le bord du chemin.",
            ),
            "de": (
                "Mehrsprachige Konsultationen durchführen",
                "Wie man eine Konsultation plant, übersetzt, dolmetscht und auswertet, an der "
                "sich die Bewohnerinnen und Bewohner in mehreren Sprachen beteiligen, ohne dass "
                "jemand nur zuschaut.",
            ),
            "es": (
                "Cómo llevar a cabo consultas multilingües",
                "Cómo planificar, traducir, interpretar y analizar una consulta en la que los "
                "vecinos participan en varias lenguas, sin que nadie se quede mirando desde fuera.",
            ),
            "ar": (
                "إدارة الاستشارات متعددة اللغات",
                "كيف نخطط لاستشارة يشارك فيها السكان بعدة لغات، ونترجمها ونوفر لها الترجمة "
                "الفورية ونقرأ نتائجها، دون أن يبقى أحد مجرد متفرج.",
            ),
        },
        "modules": [
            {
                "minutes": 20,
                "link": None,
                "texts": {
                    "en": (
                        "Map the languages before you plan",
                        "Start from the step-4 map: which languages are spoken in the area "
                        "and by how many people. Decide with the steering group which "
                        "languages the consultation will be offered in, and write the reasons "
                        "down. A language left out should be a choice you can explain, not an "
                        "oversight.",
                    ),
                    "it": (
                        "Mappare le lingue prima di pianificare",
                        "Parti dalla mappa della tappa 4: quali lingue si parlano nel territorio "
                        "e da quante persone. Decidi con il gruppo di pilotaggio in quali lingue "
                        "offrire la consultazione e scrivi le ragioni. Una lingua esclusa deve "
                        "essere una scelta motivata, non una dimenticanza.",
                    ),
                    "fr": (
                        "Cartographier les langues avant de planifier",
                        "Partez de la carte de l'étape 4 : quelles langues sont parlées sur le "
                        "territoire, et par combien de personnes. Décidez avec le comité de "
                        "pilotage des langues de la consultation et consignez vos raisons. Une "
                        "langue écartée doit être un choix que vous pouvez expliquer, pas un "
                        "oubli.",
                    ),
                    "de": (
                        "Die Sprachen kartieren, bevor Sie planen",
                        "Gehen Sie von der Karte aus Schritt 4 aus: Welche Sprachen werden im "
                        "Gebiet gesprochen, und von wie vielen Menschen? Legen Sie mit der "
                        "Steuerungsgruppe fest, in welchen Sprachen die Konsultation angeboten "
                        "wird, und halten Sie die Gründe fest. Eine fehlende Sprache sollte eine "
                        "begründete Entscheidung sein, kein Versehen.",
                    ),
                    "es": (
                        "Mapear las lenguas antes de planificar",
                        "Parte del mapa del paso 4: qué lenguas se hablan en el territorio y "
                        "cuántas personas las hablan. Decide con el grupo motor en qué lenguas se "
                        "ofrecerá la consulta y deja escritas las razones. Una lengua que se "
                        "queda fuera debe ser una decisión justificada, no un olvido.",
                    ),
                    "ar": (
                        "رسم خريطة اللغات قبل التخطيط",
                        "انطلق من خريطة الخطوة الرابعة: ما اللغات المستعملة في المنطقة، وكم عدد "
                        "الناطقين بكل منها؟ قرّر مع اللجنة التوجيهية اللغات التي ستُقدَّم بها "
                        "الاستشارة، ودوّن الأسباب. ينبغي أن يكون استبعاد أي لغة خياراً مبرراً، "
                        "لا سهواً.",
                    ),
                },
            },
            {
                "minutes": 30,
                "link": None,
                "texts": {
                    "en": (
                        "Write once, translate well",
                        "Write the consultation texts in plain language first: short "
                        "sentences, no jargon, one idea per paragraph. Have every translation "
                        "reread by a native speaker from the community, not only by an agency. "
                        "Label machine translations as such and let residents suggest better "
                        "wording.",
                    ),
                    "it": (
                        "Scrivere una volta, tradurre bene",
                        "Scrivi prima i testi della consultazione in linguaggio semplice: frasi "
                        "brevi, niente gergo, un'idea per paragrafo. Fai rileggere ogni "
                        "traduzione da una persona madrelingua della comunità, non solo da "
                        "un'agenzia. Segnala le traduzioni automatiche come tali e lascia che i "
                        "residenti propongano formulazioni migliori.",
                    ),
                    "fr": (
                        "Écrire une fois, bien traduire",
                        "Rédigez d'abord les textes de la consultation en langage clair : "
                        "phrases courtes, sans jargon, une idée par paragraphe. Faites relire "
                        "chaque traduction par une personne de la communauté dont c'est la "
                        "langue maternelle, pas seulement par une agence. Signalez les "
                        "traductions automatiques et laissez les habitants proposer de "
                        "meilleures formulations.",
                    ),
                    "de": (
                        "Einmal schreiben, gut übersetzen",
                        "Schreiben Sie die Texte der Konsultation zuerst in einfacher Sprache: "
                        "kurze Sätze, kein Fachjargon, ein Gedanke pro Absatz. Lassen Sie jede "
                        "Übersetzung von einer muttersprachlichen Person aus der Community "
                        "gegenlesen, nicht nur von einer Agentur. Kennzeichnen Sie "
                        "maschinelle Übersetzungen und lassen Sie die Bewohnerinnen und Bewohner "
                        "bessere Formulierungen vorschlagen.",
                    ),
                    "es": (
                        "Escribir una vez, traducir bien",
                        "Redacta primero los textos de la consulta en lenguaje claro: frases "
                        "cortas, sin tecnicismos, una idea por párrafo. Haz que cada traducción "
                        "la revise una persona nativa de la comunidad, no solo una agencia. "
                        "Indica qué traducciones son automáticas y deja que los vecinos "
                        "propongan mejores formulaciones.",
                    ),
                    "ar": (
                        "اكتب مرة واحدة، وترجم جيداً",
                        "اكتب نصوص الاستشارة أولاً بلغة بسيطة: جمل قصيرة، بلا مصطلحات معقدة، "
                        "وفكرة واحدة في كل فقرة. اطلب من أحد أبناء الجالية من الناطقين باللغة "
                        "الأم مراجعة كل ترجمة، لا من وكالة الترجمة وحدها. أشر إلى الترجمات "
                        "الآلية بوضوح، واترك للسكان اقتراح صياغات أفضل.",
                    ),
                },
            },
            {
                "minutes": 25,
                "link": INTERCULTURAL_CITIES,
                "texts": {
                    "en": (
                        "Interpreting in public meetings",
                        "Book interpreters early and brief them on the topic and the words "
                        "the city uses. Seat people so that small groups can speak in their "
                        "own language and report back in the common one. Leave time: a "
                        "meeting with interpreting needs about half as long again.",
                    ),
                    "it": (
                        "L'interpretariato nelle assemblee pubbliche",
                        "Prenota per tempo interpreti e mediatori e spiega loro il tema e le "
                        "parole che usa il Comune. Disponi i posti in modo che i piccoli gruppi "
                        "possano parlare nella propria lingua e riferire in quella comune. "
                        "Prevedi più tempo: un'assemblea con interpretariato dura circa la metà "
                        "in più.",
                    ),
                    "fr": (
                        "L'interprétation dans les réunions publiques",
                        "Réservez tôt les interprètes et présentez-leur le sujet et le "
                        "vocabulaire de la ville. Placez les participants de sorte que de petits "
                        "groupes puissent parler dans leur langue puis restituer dans la langue "
                        "commune. Prévoyez du temps : une réunion interprétée dure environ moitié "
                        "plus longtemps.",
                    ),
                    "de": (
                        "Dolmetschen in öffentlichen Versammlungen",
                        "Buchen Sie Dolmetscherinnen und Dolmetscher früh und erklären Sie ihnen "
                        "das Thema und die Begriffe der Stadt. Setzen Sie die Menschen so, dass "
                        "kleine Gruppen in ihrer Sprache sprechen und in der gemeinsamen Sprache "
                        "berichten können. Planen Sie Zeit ein: Eine gedolmetschte Versammlung "
                        "dauert etwa anderthalbmal so lange.",
                    ),
                    "es": (
                        "La interpretación en las asambleas públicas",
                        "Reserva con antelación a intérpretes y mediadores y explícales el tema "
                        "y las palabras que usa el ayuntamiento. Organiza las mesas para que los "
                        "grupos pequeños hablen en su lengua y luego cuenten sus conclusiones en "
                        "la lengua común. Calcula más tiempo: una asamblea con interpretación "
                        "dura aproximadamente la mitad más.",
                    ),
                    "ar": (
                        "الترجمة الفورية في الاجتماعات العامة",
                        "احجز المترجمين مبكراً وعرّفهم بالموضوع وبالمصطلحات التي تستعملها "
                        "البلدية. رتّب المقاعد بحيث تتحدث المجموعات الصغيرة بلغتها ثم تعرض "
                        "خلاصتها باللغة المشتركة. وخصّص وقتاً كافياً: فالاجتماع المصحوب بترجمة "
                        "يستغرق نحو مرة ونصف من وقته المعتاد.",
                    ),
                },
            },
            {
                "minutes": 25,
                "link": None,
                "texts": {
                    "en": (
                        "Reading results across language groups",
                        "Compare who took part with the population shares of the map, group "
                        "by group. Look at the bridging ranking: proposals supported across "
                        "groups tell you more than those backed massively by one. Report back "
                        "in every language of the consultation, not only in the official one.",
                    ),
                    "it": (
                        "Leggere i risultati tra gruppi linguistici",
                        "Confronta chi ha partecipato con le quote di popolazione della mappa, "
                        "gruppo per gruppo. Guarda la classifica di convergenza: le proposte "
                        "sostenute da più gruppi dicono più di quelle sostenute in massa da uno "
                        "solo. Restituisci i risultati in tutte le lingue della consultazione, "
                        "non solo in quella ufficiale.",
                    ),
                    "fr": (
                        "Lire les résultats par groupe linguistique",
                        "Comparez la participation aux parts de population de la carte, groupe "
                        "par groupe. Regardez le classement de convergence : les propositions "
                        "soutenues par plusieurs groupes en disent plus que celles portées "
                        "massivement par un seul. Rendez compte dans toutes les langues de la "
                        "consultation, pas seulement dans la langue officielle.",
                    ),
                    "de": (
                        "Ergebnisse über Sprachgruppen hinweg lesen",
                        "Vergleichen Sie die Beteiligung mit den Bevölkerungsanteilen der Karte, "
                        "Gruppe für Gruppe. Achten Sie auf die Brückenwertung: Vorschläge, die "
                        "über Gruppen hinweg unterstützt werden, sagen mehr als solche, die eine "
                        "einzige Gruppe massiv trägt. Berichten Sie in allen Sprachen der "
                        "Konsultation, nicht nur in der Amtssprache.",
                    ),
                    "es": (
                        "Leer los resultados por grupo lingüístico",
                        "Compara quién ha participado con el peso de cada grupo en el mapa de "
                        "población. Fíjate en la clasificación de consenso: las propuestas que "
                        "apoyan varios grupos dicen más que las que respalda masivamente uno "
                        "solo. Informa de los resultados en todas las lenguas de la consulta, no "
                        "solo en la oficial.",
                    ),
                    "ar": (
                        "قراءة النتائج عبر المجموعات اللغوية",
                        "قارن بين المشاركين ونِسب السكان في الخريطة، مجموعةً مجموعة. وانظر في "
                        "ترتيب التقارب: فالمقترحات التي تدعمها عدة مجموعات تكشف أكثر مما تكشفه "
                        "مقترحات تدعمها مجموعة واحدة بكثافة. وأعلن النتائج بكل لغات الاستشارة، "
                        "لا باللغة الرسمية وحدها.",
                    ),
                },
            },
        ],
    },
    {
        "slug": "intercultural-facilitation",
        "texts": {
            "en": (
                "Intercultural facilitation in practice",
                "Practical techniques for meetings where people of different languages and "
                "backgrounds deliberate together rather than side by side.",
            ),
            "it": (
                "La facilitazione interculturale in pratica",
                "Tecniche pratiche per incontri in cui persone di lingue e origini diverse "
                "deliberano insieme, e non una accanto all'altra.",
            ),
            "fr": (
                "La facilitation interculturelle en pratique",
                "Des techniques concrètes pour des réunions où des personnes de langues et "
                "d'origines différentes délibèrent ensemble, et non côte à côte.",
            ),
            "de": (
                "Interkulturelle Moderation in der Praxis",
                "Praktische Techniken für Treffen, bei denen Menschen verschiedener Sprachen und "
                "Herkunft gemeinsam beraten, statt nebeneinander.",
            ),
            "es": (
                "La facilitación intercultural en la práctica",
                "Técnicas prácticas para reuniones en las que personas de lenguas y orígenes "
                "distintos deliberan juntas, y no una al lado de la otra.",
            ),
            "ar": (
                "التيسير بين الثقافات في الممارسة",
                "تقنيات عملية للاجتماعات التي يتداول فيها أشخاص من لغات وخلفيات مختلفة معاً، "
                "لا جنباً إلى جنب فحسب.",
            ),
        },
        "modules": [
            {
                "minutes": 20,
                "link": WHITE_PAPER,
                "texts": {
                    "en": (
                        "Who is not in the room?",
                        "Before each meeting, list the groups of the map that are missing "
                        "from the last attendance. Ask the associations of those communities "
                        "when and where their members could come. Go to them when they cannot "
                        "come to you: a market, a school gate, a place of worship.",
                    ),
                    "it": (
                        "Chi manca nella stanza?",
                        "Prima di ogni incontro, elenca i gruppi della mappa assenti "
                        "dall'ultima partecipazione. Chiedi alle associazioni di quelle comunità "
                        "quando e dove le persone potrebbero venire. Se non possono venire da "
                        "te, vai tu da loro: al mercato, davanti alla scuola, in un luogo di "
                        "culto.",
                    ),
                    "fr": (
                        "Qui n'est pas dans la salle ?",
                        "Avant chaque réunion, listez les groupes de la carte absents lors de la "
                        "dernière rencontre. Demandez aux associations de ces communautés quand "
                        "et où leurs membres pourraient venir. S'ils ne peuvent pas venir à "
                        "vous, allez vers eux : au marché, à la sortie de l'école, dans un lieu "
                        "de culte.",
                    ),
                    "de": (
                        "Wer fehlt im Raum?",
                        "Listen Sie vor jedem Treffen die Gruppen der Karte auf, die beim "
                        "letzten Mal gefehlt haben. Fragen Sie die Vereine dieser Communities, "
                        "wann und wo ihre Mitglieder kommen könnten. Wenn sie nicht zu Ihnen "
                        "kommen können, gehen Sie zu ihnen: auf den Markt, vor die Schule, in "
                        "ein Gotteshaus.",
                    ),
                    "es": (
                        "¿Quién falta en la sala?",
                        "Antes de cada reunión, haz una lista de los grupos del mapa que no "
                        "vinieron la última vez. Pregunta a las asociaciones de esas comunidades "
                        "cuándo y dónde podrían venir sus miembros. Si no pueden acudir, ve tú a "
                        "su encuentro: al mercado, a la puerta del colegio, a un lugar de culto.",
                    ),
                    "ar": (
                        "من الغائب عن القاعة؟",
                        "قبل كل اجتماع، اكتب قائمة بالمجموعات الواردة في الخريطة التي غابت عن "
                        "اللقاء الأخير. واسأل جمعيات تلك الجاليات عن الوقت والمكان المناسبين "
                        "لأعضائها. وإن تعذّر عليهم المجيء إليك، فاذهب أنت إليهم: إلى السوق، أو "
                        "باب المدرسة، أو دار العبادة.",
                    ),
                },
            },
            {
                "minutes": 30,
                "link": None,
                "texts": {
                    "en": (
                        "Ground rules for a multilingual table",
                        "Agree the rules with the participants at the start: one person speaks "
                        "at a time, and everyone may speak their own language. Give the "
                        "interpreter or the mediator time to finish before answering. Write "
                        "the key points on a board in the languages of the table.",
                    ),
                    "it": (
                        "Regole comuni per un tavolo multilingue",
                        "Concorda le regole con chi partecipa fin dall'inizio: parla una persona "
                        "alla volta e ognuno può usare la propria lingua. Lascia all'interprete "
                        "o al mediatore il tempo di finire prima di rispondere. Scrivi i punti "
                        "principali su un cartellone nelle lingue del tavolo.",
                    ),
                    "fr": (
                        "Des règles communes pour une table multilingue",
                        "Convenez des règles avec les participants dès le début : une personne "
                        "parle à la fois, et chacun peut s'exprimer dans sa langue. Laissez "
                        "l'interprète ou le médiateur terminer avant de répondre. Notez les "
                        "points clés sur un tableau dans les langues de la table.",
                    ),
                    "de": (
                        "Gemeinsame Regeln für einen mehrsprachigen Tisch",
                        "Vereinbaren Sie die Regeln zu Beginn mit allen Beteiligten: Es spricht "
                        "immer nur eine Person, und alle dürfen ihre eigene Sprache sprechen. "
                        "Lassen Sie die Dolmetscherin oder den Sprachmittler ausreden, bevor Sie "
                        "antworten. Halten Sie die wichtigsten Punkte auf einer Tafel in den "
                        "Sprachen des Tisches fest.",
                    ),
                    "es": (
                        "Normas comunes para una mesa multilingüe",
                        "Acuerda las normas con los participantes desde el principio: habla una "
                        "persona cada vez y todo el mundo puede usar su propia lengua. Deja que "
                        "la intérprete o el mediador terminen antes de responder. Anota las "
                        "ideas clave en una pizarra en las lenguas de la mesa.",
                    ),
                    "ar": (
                        "قواعد مشتركة لطاولة متعددة اللغات",
                        "اتفق على القواعد مع المشاركين منذ البداية: يتحدث شخص واحد في كل مرة، "
                        "ويحق لكل واحد أن يتكلم بلغته. امنح المترجم أو الوسيط الوقت لإتمام "
                        "كلامه قبل الرد. ودوّن النقاط الرئيسية على لوح بلغات الطاولة.",
                    ),
                },
            },
            {
                "minutes": 25,
                "link": None,
                "texts": {
                    "en": (
                        "Working with cultural mediators",
                        "A cultural mediator is not only an interpreter: they explain the "
                        "context on both sides. Involve them when the meeting is prepared, not "
                        "just on the day. Pay them as professionals and name them in the step "
                        "record.",
                    ),
                    "it": (
                        "Lavorare con i mediatori culturali",
                        "Un mediatore culturale non è solo un interprete: spiega il contesto a "
                        "entrambe le parti. Coinvolgilo quando si prepara l'incontro, non solo "
                        "il giorno stesso. Retribuiscilo come un professionista e citalo nel "
                        "registro della tappa.",
                    ),
                    "fr": (
                        "Travailler avec des médiateurs culturels",
                        "Un médiateur culturel n'est pas seulement un interprète : il explique "
                        "le contexte aux deux parties. Associez-le à la préparation de la "
                        "réunion, pas seulement au jour même. Rémunérez-le comme un "
                        "professionnel et mentionnez-le dans le journal de l'étape.",
                    ),
                    "de": (
                        "Mit Kulturmittlerinnen und Kulturmittlern arbeiten",
                        "Kulturmittlerinnen und Kulturmittler dolmetschen nicht nur: Sie "
                        "erklären beiden Seiten den Zusammenhang. Beziehen Sie sie schon in die "
                        "Vorbereitung ein, nicht erst am Tag selbst. Bezahlen Sie sie als "
                        "Fachleute und nennen Sie sie im Schrittprotokoll.",
                    ),
                    "es": (
                        "Trabajar con mediadores culturales",
                        "Un mediador cultural no es solo un intérprete: explica el contexto a "
                        "ambas partes. Cuenta con él desde la preparación de la reunión, no solo "
                        "el mismo día. Págale como a un profesional y menciónalo en el registro "
                        "del paso.",
                    ),
                    "ar": (
                        "العمل مع الوسطاء الثقافيين",
                        "الوسيط الثقافي ليس مترجماً فحسب: فهو يشرح السياق لكلا الطرفين. أشركه "
                        "في التحضير للاجتماع، لا في يوم انعقاده فقط. وادفع له أجره بوصفه "
                        "مهنياً، واذكر اسمه في سجل الخطوة.",
                    ),
                },
            },
        ],
    },
]

# Who completed what: (e-mail, course slug, how many of its modules, days ago).
PROGRESS: list[tuple[str, str, int, int]] = [
    ("moderator.bologna@learning-cities.demo", "running-multilingual-consultations", 4, 30),
    ("moderator.network@learning-cities.demo", "intercultural-facilitation", 2, 12),
]


def seed(now: datetime) -> None:
    courses = {spec["slug"]: _ensure_course(spec) for spec in COURSES}
    for email, slug, count, days_ago in PROGRESS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            continue
        modules = services.modules_of(courses[slug])[:count]
        for index, module in enumerate(modules):
            services.complete_module(
                user, module, now - timedelta(days=days_ago) + timedelta(days=2 * index)
            )


def _ensure_course(spec: dict) -> Course:
    """The course with its modules; a course that exists keeps its texts and publication."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == spec["slug"]))
    created = course is None
    if created:
        course = services.create_course(spec["slug"], _texts(spec["texts"], "summary"))
    have = {module.position for module in course.modules}
    for position, module_spec in enumerate(spec["modules"], start=1):
        if position not in have:
            db.session.add(
                Module(
                    course=course,
                    position=position,
                    estimated_minutes=module_spec["minutes"],
                    link_url=module_spec["link"],
                    texts=[
                        ModuleText(locale=locale, title=title, body=body)
                        for locale, (title, body) in module_spec["texts"].items()
                    ],
                )
            )
    db.session.flush()
    if created:
        services.publish(course, True)
    return course


def _texts(texts: dict[str, tuple[str, str]], second: str) -> dict[str, dict[str, str]]:
    return {locale: {"title": title, second: other} for locale, (title, other) in texts.items()}
