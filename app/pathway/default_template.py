"""The association's default pathway template: ten steps, texts in every interface locale.

Editable by the association admin once loaded; this module only seeds it.
"""

DEFAULT_STEPS: list[dict] = [
    {
        "key": "sign-manifesto",
        "position": 1,
        "texts": {
            "it": {
                "title": "Firmare il Manifesto",
                "description": "Il consiglio comunale approva una delibera di adesione al Manifesto della rete, che il sindaco poi sottoscrive. La città registra la delibera consiliare e la data della firma.",
                "guidance": "Invitate le associazioni delle comunità migranti e delle minoranze a discutere il Manifesto prima del voto della delibera, perché l'impegno sia condiviso fin dall'inizio e non comunicato a cose fatte. Allegate come documentazione il testo della delibera e il verbale della seduta consiliare. Annunciate pubblicamente la firma nelle principali lingue parlate in città.",
            },
            "en": {
                "title": "Sign the Manifesto",
                "description": "The city council votes a resolution to join the network's Manifesto, which the mayor then signs. The city records the council resolution and the date of signature.",
                "guidance": "Invite associations of migrant and minority communities to discuss the Manifesto before the resolution is voted, so that the commitment is shared from the start rather than announced to them afterwards. Attach the text of the resolution and the minutes of the council session as evidence. Announce the signature publicly, in the main languages spoken in the city.",
            },
            "fr": {
                "title": "Signer le Manifeste",
                "description": "Le conseil municipal adopte une délibération d'adhésion au Manifeste du réseau, que le maire signe ensuite. La ville enregistre la délibération du conseil et la date de signature.",
                "guidance": "Invitez les associations des communautés migrantes et minoritaires à débattre du Manifeste avant le vote de la délibération, afin que l'engagement soit partagé dès le départ et non annoncé une fois acquis. Joignez comme justificatifs le texte de la délibération et le procès-verbal de la séance du conseil. Annoncez publiquement la signature dans les principales langues parlées dans la ville.",
            },
            "de": {
                "title": "Das Manifest unterzeichnen",
                "description": "Der Gemeinderat beschließt den Beitritt zum Manifest des Netzwerks, das anschließend von der Bürgermeisterin oder dem Bürgermeister unterzeichnet wird. Die Stadt erfasst den Ratsbeschluss und das Datum der Unterzeichnung.",
                "guidance": "Laden Sie Migrantenorganisationen und Vereine von Minderheiten ein, das Manifest vor der Abstimmung im Rat mitzudiskutieren, damit die Selbstverpflichtung von Anfang an gemeinsam getragen und nicht erst im Nachhinein verkündet wird. Fügen Sie den Beschlusstext und das Sitzungsprotokoll als Nachweis bei. Machen Sie die Unterzeichnung öffentlich bekannt, und zwar in den wichtigsten Sprachen, die in der Stadt gesprochen werden.",
            },
            "es": {
                "title": "Firmar el Manifiesto",
                "description": "El pleno municipal aprueba un acuerdo de adhesión al Manifiesto de la red, que después firma el alcalde o la alcaldesa. La ciudad registra el acuerdo del pleno y la fecha de la firma.",
                "guidance": "Invite a las asociaciones de comunidades migrantes y minoritarias a debatir el Manifiesto antes de que se vote el acuerdo, para que el compromiso sea compartido desde el principio y no se les comunique a posteriori. Adjunte como documentación el texto del acuerdo y el acta de la sesión plenaria. Anuncie públicamente la firma en las principales lenguas que se hablan en la ciudad.",
            },
            "ar": {
                "title": "توقيع البيان",
                "description": "يصادق المجلس البلدي على قرار بالانضمام إلى بيان الشبكة، ثم يوقّعه رئيس البلدية. وتسجّل المدينة قرار المجلس وتاريخ التوقيع.",
                "guidance": "يُستحسن دعوة جمعيات الجاليات المهاجرة والأقليات إلى مناقشة البيان قبل التصويت على القرار، حتى يكون الالتزام مشتركاً منذ البداية لا أمراً يُبلَّغون به بعد وقوعه. أرفقوا نص القرار ومحضر جلسة المجلس بوصفهما وثائق داعمة. وأعلنوا التوقيع على الملأ باللغات الرئيسية المتداولة في المدينة.",
            },
        },
    },
    {
        "key": "commit-budget",
        "position": 2,
        "texts": {
            "it": {
                "title": "Stanziare le risorse",
                "description": "La città programma le spese per le azioni del Manifesto e le finanzia con risorse proprie. La città registra gli importi stanziati e ogni spesa man mano che viene sostenuta.",
                "guidance": "Prevedete fin dall'inizio fondi per interpretariato, traduzioni, accoglienza dei bambini e sale: sono queste voci a rendere possibile la partecipazione di chi di solito resta escluso. Registrate ogni spesa collegandola all'azione a cui serve, così che il resoconto della tappa 9 possa mostrare che cosa è stato davvero finanziato. Se l'importo è contenuto, ditelo apertamente invece di promettere più di quanto il bilancio consenta.",
            },
            "en": {
                "title": "Commit a budget",
                "description": "The city plans the expenditures for its Manifesto actions and funds them from its own budget. The city records the amounts committed and each expenditure as it is made.",
                "guidance": "Set aside funds for interpretation, translation, childcare and venues from the outset: these are what make participation possible for residents who are usually left out. Record each expenditure against the action it serves, so that the report back in step 9 can show what was actually funded. If the amount is modest, say so openly rather than promising more than the budget allows.",
            },
            "fr": {
                "title": "Engager un budget",
                "description": "La ville planifie les dépenses de ses actions au titre du Manifeste et les finance sur son propre budget. Elle enregistre les montants engagés et chaque dépense au fur et à mesure.",
                "guidance": "Prévoyez dès le départ des crédits pour l'interprétariat, la traduction, la garde d'enfants et les salles, car ce sont ces postes qui permettent aux habitants habituellement tenus à l'écart de participer. Rattachez chaque dépense à l'action qu'elle finance, afin que le compte rendu de l'étape 9 puisse montrer ce qui a réellement été financé. Si le montant est modeste, dites-le franchement plutôt que de promettre davantage que ce que le budget permet.",
            },
            "de": {
                "title": "Budget bereitstellen",
                "description": "Die Stadt plant die Ausgaben für ihre Maßnahmen im Rahmen des Manifests und finanziert sie aus eigenen Haushaltsmitteln. Sie erfasst die bereitgestellten Beträge und jede einzelne Ausgabe, sobald sie getätigt wird.",
                "guidance": "Planen Sie von Anfang an Mittel für Dolmetschen, Übersetzungen, Kinderbetreuung und Räume ein, denn gerade diese Posten ermöglichen Menschen die Teilnahme, die sonst außen vor bleiben. Ordnen Sie jede Ausgabe der Maßnahme zu, der sie dient, damit die Rückmeldung in Schritt 9 zeigen kann, was tatsächlich finanziert wurde. Ist der Betrag bescheiden, sagen Sie das offen, statt mehr zu versprechen, als der Haushalt hergibt.",
            },
            "es": {
                "title": "Asignar un presupuesto",
                "description": "La ciudad planifica los gastos de sus acciones del Manifiesto y los financia con fondos propios. La ciudad registra los importes comprometidos y cada gasto a medida que se realiza.",
                "guidance": "Reserve desde el principio fondos para interpretación, traducción, cuidado infantil y locales, porque son precisamente estas partidas las que permiten participar a quienes suelen quedar al margen. Vincule cada gasto a la acción a la que sirve, para que la rendición de cuentas del paso 9 pueda mostrar qué se ha financiado realmente. Si la cantidad es modesta, dígalo con franqueza en lugar de prometer más de lo que el presupuesto permite.",
            },
            "ar": {
                "title": "رصد الميزانية",
                "description": "تخطّط المدينة لنفقات الإجراءات التي تنفّذها في إطار البيان وتموّلها من ميزانيتها الخاصة. وتسجّل المبالغ المرصودة وكل نفقة عند صرفها.",
                "guidance": "خصّصوا منذ البداية مبالغ للترجمة الفورية والترجمة التحريرية ورعاية الأطفال والقاعات، فهذه البنود هي التي تتيح المشاركة لمن يبقون عادةً على الهامش. اربطوا كل نفقة بالإجراء الذي تخدمه، كي يتمكّن تقرير النتائج في الخطوة التاسعة من إظهار ما مُوِّل فعلاً. وإذا كان المبلغ متواضعاً، فصرّحوا بذلك بوضوح بدلاً من الوعد بأكثر مما تسمح به الميزانية.",
            },
        },
    },
    {
        "key": "train-staff",
        "position": 3,
        "texts": {
            "it": {
                "title": "Formare il personale",
                "description": "I dipendenti comunali imparano a progettare e condurre consultazioni complesse e multilingui, dalla facilitazione al lavoro con gli interpreti. La città registra la formazione svolta, chi vi ha partecipato e quando.",
                "guidance": "Formate chi incontrerà davvero gli abitanti, compresi il personale degli sportelli e gli operatori di strada, e non solo i dirigenti. Includete esercitazioni sulla facilitazione di gruppi in più lingue, sul lavoro con gli interpreti e sul riconoscimento dei propri presupposti culturali. Quando possibile, coinvolgete mediatori interculturali come co-formatori e, alla fine, chiedete ai partecipanti di che cosa hanno ancora bisogno.",
            },
            "en": {
                "title": "Train staff",
                "description": "Municipal employees learn to design and run complex, multilingual consultations, from facilitation to working with interpreters. The city records the training completed, by whom and when.",
                "guidance": "Train the people who will actually meet residents, including front-desk staff and outreach workers, not only managers. Include practice in facilitating mixed-language groups, working with interpreters and recognising one's own cultural assumptions. Where possible, invite intercultural mediators to co-lead sessions, and at the end ask participants what they still need.",
            },
            "fr": {
                "title": "Former le personnel",
                "description": "Les agents municipaux apprennent à concevoir et à mener des consultations complexes et multilingues, de l'animation au travail avec des interprètes. La ville enregistre les formations suivies, par qui et à quelle date.",
                "guidance": "Formez les agents qui seront réellement au contact des habitants, y compris l'accueil et les équipes de terrain, et pas seulement l'encadrement. Prévoyez des mises en situation sur l'animation de groupes plurilingues, le travail avec des interprètes et la prise de conscience de ses propres présupposés culturels. Dans la mesure du possible, associez des médiateurs interculturels à l'animation des sessions et demandez aux participants, à la fin, ce dont ils ont encore besoin.",
            },
            "de": {
                "title": "Personal schulen",
                "description": "Städtische Mitarbeitende lernen, komplexe, mehrsprachige Beteiligungsverfahren zu planen und durchzuführen – von der Moderation bis zur Arbeit mit Dolmetschenden. Die Stadt erfasst die absolvierten Schulungen, wer daran teilgenommen hat und wann.",
                "guidance": "Schulen Sie die Menschen, die tatsächlich mit den Einwohnerinnen und Einwohnern in Kontakt kommen, etwa im Bürgerservice oder in der aufsuchenden Arbeit, und nicht nur Führungskräfte. Üben Sie die Moderation gemischtsprachiger Gruppen, die Zusammenarbeit mit Dolmetschenden und den bewussten Umgang mit eigenen kulturellen Annahmen. Beziehen Sie nach Möglichkeit Sprach- und Kulturmittlerinnen und -mittler in die Leitung der Schulungen ein und fragen Sie die Teilnehmenden am Ende, was ihnen noch fehlt.",
            },
            "es": {
                "title": "Formar al personal",
                "description": "El personal municipal aprende a diseñar y conducir consultas complejas y multilingües, desde la dinamización de grupos hasta el trabajo con intérpretes. La ciudad registra la formación realizada, quién la ha recibido y cuándo.",
                "guidance": "Forme a quienes van a tratar de verdad con la población, incluido el personal de atención al público y de intervención comunitaria, y no solo a los mandos. Incluya prácticas de dinamización de grupos en varias lenguas, de trabajo con intérpretes y de reconocimiento de los propios supuestos culturales. Siempre que sea posible, cuente con mediadores interculturales para codirigir las sesiones y pregunte al final a los participantes qué necesitan todavía.",
            },
            "ar": {
                "title": "تدريب الموظفين",
                "description": "يتعلّم موظفو البلدية تصميم مشاورات معقّدة ومتعددة اللغات وإدارتها، من تيسير النقاش إلى العمل مع المترجمين الفوريين. وتسجّل المدينة التدريبات المنجزة ومن تلقّاها ومتى.",
                "guidance": "درّبوا الموظفين الذين سيتعاملون فعلاً مع السكان، بمن فيهم موظفو الاستقبال والعاملون الميدانيون، لا المديرين وحدهم. وأدرجوا تمارين عملية على تيسير مجموعات متعددة اللغات، والعمل مع المترجمين الفوريين، والتنبّه إلى الافتراضات الثقافية التي يحملها كل منا. واستعينوا قدر الإمكان بوسطاء ثقافيين للمشاركة في إدارة الجلسات، واسألوا المشاركين في الختام عمّا لا يزالون بحاجة إليه.",
            },
        },
    },
    {
        "key": "map-territory",
        "position": 4,
        "texts": {
            "it": {
                "title": "Mappare il territorio",
                "description": "La città individua i portatori di interesse, le comunità e le lingue parlate sul proprio territorio. Li registra con la rispettiva quota approssimativa di popolazione, che servirà poi da riferimento per capire chi partecipa.",
                "guidance": "Affiancate alle statistiche ufficiali ciò che sanno le scuole, i servizi sanitari e le associazioni di comunità, perché i nuovi arrivati e chi parla lingue minoritarie spesso non compaiono nei registri. Indicate la fonte e l'anno di ogni dato e aggiornate la mappa a ogni ciclo. Chiedete alle comunità come desiderano essere nominate, invece di affidarvi alle categorie amministrative.",
            },
            "en": {
                "title": "Map the territory",
                "description": "The city identifies its stakeholders, its communities and the languages spoken on its territory. It records them with their approximate share of the population, which later serves as the reference for seeing who takes part.",
                "guidance": "Combine official statistics with what schools, health services and community associations know, since recent arrivals and speakers of minority languages are often missing from registers. Note the source and year of every figure, and update the map each cycle. Ask communities how they wish to be named rather than relying on administrative categories.",
            },
            "fr": {
                "title": "Cartographier le territoire",
                "description": "La ville recense les parties prenantes, les communautés et les langues parlées sur son territoire. Elle les enregistre avec leur part approximative de la population, qui servira ensuite de référence pour savoir qui participe.",
                "guidance": "Croisez les statistiques officielles avec ce que savent les écoles, les services de santé et les associations communautaires, car les nouveaux arrivants et les locuteurs de langues minoritaires manquent souvent dans les registres. Indiquez la source et l'année de chaque chiffre, et mettez la cartographie à jour à chaque cycle. Demandez aux communautés comment elles souhaitent être désignées plutôt que de vous en remettre aux catégories administratives.",
            },
            "de": {
                "title": "Den Sozialraum kartieren",
                "description": "Die Stadt ermittelt die lokalen Akteure, die Gemeinschaften und die Sprachen, die auf ihrem Gebiet gesprochen werden. Sie erfasst sie mit ihrem ungefähren Anteil an der Bevölkerung, der später als Maßstab dafür dient, wer sich beteiligt.",
                "guidance": "Ergänzen Sie die amtliche Statistik um das Wissen von Schulen, Gesundheitsdiensten sowie Migranten- und Stadtteilvereinen, denn neu Zugezogene und Sprecherinnen und Sprecher von Minderheitensprachen fehlen oft in den Registern. Vermerken Sie zu jeder Zahl Quelle und Jahr und aktualisieren Sie die Kartierung in jedem Zyklus. Fragen Sie die Gemeinschaften, wie sie bezeichnet werden möchten, statt sich auf Verwaltungskategorien zu verlassen.",
            },
            "es": {
                "title": "Mapear el territorio",
                "description": "La ciudad identifica a los actores, las comunidades y las lenguas que se hablan en su territorio. Los registra con su porcentaje aproximado de población, que servirá después de referencia para saber quién participa.",
                "guidance": "Combine las estadísticas oficiales con lo que saben las escuelas, los servicios de salud y las asociaciones comunitarias, ya que las personas recién llegadas y los hablantes de lenguas minoritarias a menudo no figuran en los padrones. Anote la fuente y el año de cada cifra, y actualice el mapa en cada ciclo. Pregunte a las comunidades cómo desean ser nombradas en lugar de recurrir a categorías administrativas.",
            },
            "ar": {
                "title": "مسح المجتمع المحلي",
                "description": "تحدّد المدينة الجهات المعنية والمجتمعات واللغات المستخدمة على أرضها، وتسجّلها مع حصتها التقريبية من السكان. وتصبح هذه الحصص لاحقاً المرجع الذي تُقارَن به المشاركة.",
                "guidance": "اجمعوا بين الإحصاءات الرسمية وما تعرفه المدارس والخدمات الصحية والجمعيات المجتمعية، لأن الوافدين الجدد والناطقين بلغات الأقليات كثيراً ما يغيبون عن السجلات. دوّنوا مصدر كل رقم وسنته، وحدّثوا المسح في كل دورة. واسألوا المجتمعات عن التسمية التي تفضّلها بدلاً من الاعتماد على التصنيفات الإدارية.",
            },
        },
    },
    {
        "key": "steering-group",
        "position": 5,
        "texts": {
            "it": {
                "title": "Costituire la cabina di regia",
                "description": "La città costituisce una cabina di regia che accompagna il percorso, con le associazioni delle comunità minoritarie e migranti accanto ai funzionari comunali e agli altri attori locali. La città registra i membri, le organizzazioni che rappresentano e le date delle riunioni.",
                "guidance": "Date alle associazioni di comunità una voce reale: inviate l'ordine del giorno e i documenti in anticipo, nelle loro lingue, e concordate insieme come si prendono le decisioni. Fissate le riunioni in orari e luoghi accessibili a chi partecipa come volontario e, se necessario, rimborsate le spese. Pubblicate una breve sintesi di ogni riunione, così che il lavoro del gruppo resti visibile.",
            },
            "en": {
                "title": "Form a steering group",
                "description": "The city sets up a steering group to oversee the process, with associations of minority and migrant communities alongside municipal officers and other local stakeholders. The city records its members, the organisations they represent and the dates of its meetings.",
                "guidance": "Give community associations a real voice: send the agenda and documents in advance, in their languages, and agree together how decisions are taken. Hold meetings at times and places that volunteers can attend, and cover their expenses where needed. Publish a short summary of each meeting so that the group's work remains visible.",
            },
            "fr": {
                "title": "Constituer un comité de pilotage",
                "description": "La ville met en place un comité de pilotage chargé de suivre la démarche, où siègent les associations des communautés minoritaires et migrantes aux côtés des services municipaux et d'autres acteurs locaux. Elle enregistre ses membres, les organisations qu'ils représentent et les dates des réunions.",
                "guidance": "Donnez aux associations une voix réelle, en envoyant l'ordre du jour et les documents à l'avance, dans leurs langues, et en convenant ensemble de la manière de prendre les décisions. Fixez les réunions à des horaires et dans des lieux accessibles aux bénévoles, et prenez en charge leurs frais si nécessaire. Publiez un bref compte rendu de chaque réunion pour que le travail du comité reste visible.",
            },
            "de": {
                "title": "Eine Steuerungsgruppe bilden",
                "description": "Die Stadt richtet eine Steuerungsgruppe ein, die den Prozess begleitet und in der neben der Verwaltung und weiteren lokalen Akteuren auch Migrantenorganisationen und Vereine von Minderheiten vertreten sind. Sie erfasst die Mitglieder, die Organisationen, die sie vertreten, und die Sitzungstermine.",
                "guidance": "Geben Sie den Vereinen eine echte Stimme: Verschicken Sie Tagesordnung und Unterlagen rechtzeitig und in ihren Sprachen, und legen Sie gemeinsam fest, wie Entscheidungen getroffen werden. Legen Sie Sitzungen auf Zeiten und Orte, die auch für Ehrenamtliche gut erreichbar sind, und erstatten Sie bei Bedarf deren Auslagen. Veröffentlichen Sie nach jeder Sitzung eine kurze Zusammenfassung, damit die Arbeit der Gruppe sichtbar bleibt.",
            },
            "es": {
                "title": "Crear un grupo motor",
                "description": "La ciudad constituye un grupo motor que acompaña el proceso, en el que participan asociaciones de comunidades minoritarias y migrantes junto al personal técnico municipal y otros actores locales. La ciudad registra sus miembros, las organizaciones a las que representan y las fechas de las reuniones.",
                "guidance": "Dé a las asociaciones una voz real: envíe el orden del día y los documentos con antelación, en sus lenguas, y acuerden juntos cómo se toman las decisiones. Convoque las reuniones en horarios y lugares accesibles para las personas voluntarias y, si hace falta, cubra sus gastos. Publique un breve resumen de cada reunión para que el trabajo del grupo siga siendo visible.",
            },
            "ar": {
                "title": "تشكيل لجنة توجيهية",
                "description": "تشكّل المدينة لجنة توجيهية تواكب المسار، تضمّ جمعيات الأقليات والجاليات المهاجرة إلى جانب موظفي البلدية وسائر الجهات المحلية المعنية. وتسجّل المدينة أعضاءها والمنظمات التي يمثّلونها وتواريخ اجتماعاتها.",
                "guidance": "امنحوا الجمعيات صوتاً حقيقياً: أرسلوا جدول الأعمال والوثائق مسبقاً وبلغاتها، واتفقوا معاً على طريقة اتخاذ القرارات. وحدّدوا مواعيد الاجتماعات وأماكنها بما يناسب المتطوعين، وتحمّلوا نفقاتهم عند الحاجة. وانشروا ملخصاً موجزاً لكل اجتماع كي يبقى عمل اللجنة ظاهراً للجميع.",
            },
        },
    },
    {
        "key": "design-process",
        "position": 6,
        "texts": {
            "it": {
                "title": "Progettare il processo",
                "description": "La città definisce come funzionerà la consultazione: livello di partecipazione, regole, lingue offerte, metodo di voto e calendario. La città registra queste scelte e le ragioni che le motivano.",
                "guidance": "Dichiarate con onestà fin dall'inizio che cosa è davvero in discussione e che cosa no, e che cosa il consiglio si impegna a fare con i risultati. Scegliete le lingue in base alla mappa del territorio e non per abitudine, e verificate che ogni fase, voto compreso, funzioni anche su carta e in presenza, non solo online. Chiedete alla cabina di regia di rivedere le regole prima di pubblicarle.",
            },
            "en": {
                "title": "Design the process",
                "description": "The city defines how the consultation will work: the level of participation, the rules, the languages offered, the voting method and the timeline. The city records these choices and the reasons for them.",
                "guidance": "State honestly from the start what is open to decision and what is not, and what the council commits to do with the outcome. Choose the languages from the territory map rather than by habit, and check that every phase, voting included, also works on paper and in person, not only online. Ask the steering group to review the rules before they are published.",
            },
            "fr": {
                "title": "Concevoir la démarche",
                "description": "La ville définit le fonctionnement de la consultation, c'est-à-dire le niveau de participation, les règles, les langues proposées, le mode de vote et le calendrier. Elle enregistre ces choix et leurs justifications.",
                "guidance": "Dites clairement dès le départ ce qui est ouvert à la décision et ce qui ne l'est pas, ainsi que ce que le conseil s'engage à faire des résultats. Choisissez les langues à partir de la cartographie du territoire et non par habitude, et vérifiez que chaque phase, vote compris, fonctionne aussi sur papier et en présentiel, pas seulement en ligne. Demandez au comité de pilotage de relire les règles avant leur publication.",
            },
            "de": {
                "title": "Das Verfahren gestalten",
                "description": "Die Stadt legt fest, wie die Beteiligung abläuft: Beteiligungsstufe, Regeln, angebotene Sprachen, Abstimmungsverfahren und Zeitplan. Sie erfasst diese Entscheidungen und ihre Begründung.",
                "guidance": "Sagen Sie von Anfang an offen, worüber tatsächlich entschieden werden kann und worüber nicht, und wozu sich der Rat im Umgang mit den Ergebnissen verpflichtet. Wählen Sie die Sprachen anhand der Kartierung aus Schritt 4 aus, nicht aus Gewohnheit, und prüfen Sie, ob jede Phase einschließlich der Abstimmung auch auf Papier und vor Ort funktioniert, nicht nur online. Lassen Sie die Steuerungsgruppe die Regeln prüfen, bevor sie veröffentlicht werden.",
            },
            "es": {
                "title": "Diseñar el proceso",
                "description": "La ciudad define cómo funcionará la consulta: nivel de participación, reglas, lenguas ofrecidas, método de votación y calendario. La ciudad registra estas decisiones y los motivos que las justifican.",
                "guidance": "Deje claro desde el principio qué está abierto a decisión y qué no, y qué se compromete a hacer el pleno con los resultados. Elija las lenguas a partir del mapa del territorio y no por costumbre, y compruebe que cada fase, incluida la votación, funciona también en papel y de forma presencial, no solo en línea. Pida al grupo motor que revise las reglas antes de publicarlas.",
            },
            "ar": {
                "title": "تصميم العملية التشاورية",
                "description": "تحدّد المدينة آلية سير المشاورة: مستوى المشاركة، والقواعد، واللغات المتاحة، وطريقة التصويت، والجدول الزمني. وتسجّل هذه الخيارات وأسبابها.",
                "guidance": "وضّحوا بصدق منذ البداية ما هو مطروح للقرار وما ليس كذلك، وما يلتزم المجلس بفعله بالنتائج. اختاروا اللغات استناداً إلى مسح المجتمع المحلي لا بحكم العادة، وتأكّدوا من أن كل مرحلة، بما فيها التصويت، تعمل ورقياً وحضورياً لا عبر الإنترنت فحسب. واطلبوا من اللجنة التوجيهية مراجعة القواعد قبل نشرها.",
            },
        },
    },
    {
        "key": "launch-outreach",
        "position": 7,
        "texts": {
            "it": {
                "title": "Avviare e coinvolgere",
                "description": "La città avvia la consultazione e va incontro agli abitanti con una comunicazione multilingue, incontri in presenza e canali cartacei. La città registra le azioni di coinvolgimento, le lingue utilizzate e gli incontri svolti.",
                "guidance": "Andate dove le persone già si trovano (mercati, scuole, luoghi di culto, centri di quartiere) e collaborate con membri delle comunità di cui la gente si fida, invece di affidarvi solo ai manifesti. Offrite moduli cartacei e sessioni assistite a chi non usa la piattaforma, e assicuratevi che agli incontri dal vivo ci siano gli interpreti. Tenete traccia dei gruppi che non avete ancora raggiunto e correggete il piano finché la consultazione è aperta.",
            },
            "en": {
                "title": "Launch and reach out",
                "description": "The city launches the consultation and goes out to meet residents through multilingual outreach, in-person sessions and paper channels. The city records the outreach actions, the languages used and the sessions held.",
                "guidance": "Go where people already are (markets, schools, places of worship, community centres) and work with trusted members of each community rather than relying on posters alone. Offer paper forms and assisted sessions to those who do not use the platform, and make sure interpreters are present at in-person meetings. Keep track of the groups you have not yet reached and adjust the plan while the consultation is still open.",
            },
            "fr": {
                "title": "Lancer et aller vers",
                "description": "La ville lance la consultation et va à la rencontre des habitants grâce à une communication multilingue, des rencontres en présentiel et des supports papier. Elle enregistre les actions menées, les langues utilisées et les rencontres organisées.",
                "guidance": "Allez là où les gens se trouvent déjà (marchés, écoles, lieux de culte, centres sociaux) et appuyez-vous sur des personnes de confiance issues des communautés plutôt que sur les seules affiches. Proposez des formulaires papier et des permanences accompagnées à ceux qui n'utilisent pas la plateforme, et assurez la présence d'interprètes lors des rencontres. Repérez les groupes que vous n'avez pas encore atteints et ajustez le plan tant que la consultation est ouverte.",
            },
            "de": {
                "title": "Starten und Menschen erreichen",
                "description": "Die Stadt startet die Beteiligung und geht mit mehrsprachiger Ansprache, Präsenzveranstaltungen und Papierformularen auf die Menschen zu. Sie erfasst die Aktivitäten der Ansprache, die verwendeten Sprachen und die durchgeführten Veranstaltungen.",
                "guidance": "Gehen Sie dorthin, wo die Menschen ohnehin sind (Märkte, Schulen, Gotteshäuser, Stadtteilzentren), und arbeiten Sie mit Vertrauenspersonen aus den jeweiligen Gemeinschaften, statt sich allein auf Plakate zu verlassen. Bieten Sie Papierformulare und begleitete Termine für alle an, die die Plattform nicht nutzen, und sorgen Sie dafür, dass bei Präsenzveranstaltungen Dolmetschende anwesend sind. Halten Sie fest, welche Gruppen Sie noch nicht erreicht haben, und passen Sie den Plan an, solange die Beteiligung noch läuft.",
            },
            "es": {
                "title": "Lanzar y salir al encuentro",
                "description": "La ciudad pone en marcha la consulta y sale al encuentro de la población con difusión multilingüe, sesiones presenciales y canales en papel. La ciudad registra las acciones de difusión, las lenguas utilizadas y las sesiones realizadas.",
                "guidance": "Vaya a donde ya está la gente (mercados, escuelas, lugares de culto, centros cívicos) y trabaje con personas de confianza de cada comunidad en lugar de fiarlo todo a los carteles. Ofrezca formularios en papel y sesiones con acompañamiento a quienes no usan la plataforma, y asegúrese de que haya intérpretes en los encuentros presenciales. Lleve un seguimiento de los grupos a los que aún no ha llegado y ajuste el plan mientras la consulta siga abierta.",
            },
            "ar": {
                "title": "الإطلاق والتواصل",
                "description": "تطلق المدينة المشاورة وتبادر إلى التواصل مع السكان عبر حملات تعريفية متعددة اللغات وجلسات حضورية وقنوات ورقية. وتسجّل أنشطة التواصل واللغات المستخدمة والجلسات المنعقدة.",
                "guidance": "اذهبوا إلى حيث يوجد الناس أصلاً (الأسواق والمدارس ودور العبادة والمراكز المجتمعية)، واعملوا مع أشخاص يحظون بثقة مجتمعاتهم بدلاً من الاكتفاء بالملصقات. وفّروا استمارات ورقية وجلسات مصحوبة بالمساعدة لمن لا يستخدمون المنصة، واحرصوا على حضور مترجمين فوريين في اللقاءات الحضورية. وتابعوا الفئات التي لم تصلوا إليها بعد، وعدّلوا الخطة ما دامت المشاورة مفتوحة.",
            },
        },
    },
    {
        "key": "consult-deliberate",
        "position": 8,
        "texts": {
            "it": {
                "title": "Consultare e confrontarsi",
                "description": "Abitanti e organizzazioni presentano proposte, le commentano, le sostengono e votano, online e su carta: è il cuore della piattaforma. Alla chiusura della consultazione, i risultati vengono scritti automaticamente nel registro di questa tappa.",
                "guidance": "Moderate in modo che le persone si rispondano da una lingua all'altra invece di discutere in parallelo: traducete i contributi principali e invitate a commentare le proposte scritte in altre lingue. Inserite subito le schede cartacee raccolte negli incontri in presenza e seguite la partecipazione per gruppo linguistico finché c'è ancora tempo per intervenire. Rispondete pubblicamente alle domande, così che tutti ricevano le stesse informazioni.",
            },
            "en": {
                "title": "Consult and deliberate",
                "description": "Residents and organisations put forward proposals, comment on them, support them and vote, online and on paper: this is the core of the platform. When the consultation closes, its results are written into this step's record automatically.",
                "guidance": "Moderate so that people respond to each other across languages rather than talking in parallel: translate key contributions and invite comments on proposals written in other languages. Enter paper ballots from in-person sessions promptly, and follow participation by language group while there is still time to act. Answer questions publicly, so that everyone receives the same information.",
            },
            "fr": {
                "title": "Consulter et délibérer",
                "description": "Cette étape, cœur de la plateforme, permet aux habitants et aux organisations de déposer des propositions, de les commenter, de les soutenir et de voter, en ligne comme sur papier. À la clôture de la consultation, les résultats sont automatiquement inscrits dans le registre de l'étape.",
                "guidance": "Animez les échanges pour que les participants se répondent d'une langue à l'autre plutôt que de discuter en parallèle, en traduisant les contributions clés et en invitant à commenter les propositions rédigées dans d'autres langues. Saisissez rapidement les bulletins papier des rencontres en présentiel et suivez la participation par groupe linguistique tant qu'il est encore temps d'agir. Répondez publiquement aux questions, afin que chacun dispose des mêmes informations.",
            },
            "de": {
                "title": "Beteiligen und beraten",
                "description": "Einwohnerinnen und Einwohner sowie Organisationen reichen Vorschläge ein, kommentieren und unterstützen sie und stimmen ab, online wie auf Papier – das Herzstück der Plattform. Mit dem Abschluss der Beteiligung werden die Ergebnisse automatisch in die Dokumentation dieses Schritts übernommen.",
                "guidance": "Moderieren Sie so, dass die Menschen über Sprachgrenzen hinweg aufeinander eingehen, statt nebeneinanderher zu diskutieren: Übersetzen Sie zentrale Beiträge und laden Sie dazu ein, Vorschläge in anderen Sprachen zu kommentieren. Erfassen Sie Papierstimmzettel aus Präsenzveranstaltungen zeitnah und behalten Sie die Beteiligung nach Sprachgruppen im Blick, solange noch Zeit zum Gegensteuern ist. Beantworten Sie Fragen öffentlich, damit alle dieselben Informationen erhalten.",
            },
            "es": {
                "title": "Consultar y deliberar",
                "description": "La población y las organizaciones presentan propuestas, las comentan, las apoyan y votan, en línea y en papel: es el núcleo de la plataforma. Al cerrarse la consulta, sus resultados se incorporan automáticamente al registro de este paso.",
                "guidance": "Modere de forma que la gente se responda de una lengua a otra en lugar de debatir en paralelo: traduzca las aportaciones clave e invite a comentar las propuestas escritas en otras lenguas. Introduzca cuanto antes las papeletas en papel de las sesiones presenciales y siga la participación por grupo lingüístico mientras aún haya tiempo para actuar. Responda públicamente a las preguntas, para que todo el mundo reciba la misma información.",
            },
            "ar": {
                "title": "التشاور والتداول",
                "description": "يقدّم السكان والمنظمات المقترحات ويعلّقون عليها ويدعمونها ويصوّتون، عبر الإنترنت وعلى الورق، وهذا هو جوهر المنصة. وعند إغلاق المشاورة، تُدرَج نتائجها تلقائياً في سجل هذه الخطوة.",
                "guidance": "أديروا النقاش بحيث يتفاعل الناس بعضهم مع بعض عبر اللغات بدلاً من التحاور في مسارات متوازية: ترجموا المساهمات الأساسية، وادعوا إلى التعليق على المقترحات المكتوبة بلغات أخرى. أدخلوا أوراق الاقتراع الورقية من الجلسات الحضورية دون تأخير، وتابعوا المشاركة حسب الفئات اللغوية ما دام هناك متسع من الوقت للتدارك. وأجيبوا عن الأسئلة علناً كي يحصل الجميع على المعلومات نفسها.",
            },
        },
    },
    {
        "key": "decide-report",
        "position": 9,
        "texts": {
            "it": {
                "title": "Decidere e rendere conto",
                "description": "La città dà una risposta pubblica a ogni proposta (accolta, respinta, in valutazione o realizzata), pubblica i risultati e finanzia le azioni scelte. La città registra le decisioni, i risultati pubblicati e le azioni finanziate.",
                "guidance": "Motivate ogni rifiuto con parole semplici e nella lingua della proposta: un no argomentato crea più fiducia del silenzio. Presentate i risultati ai partecipanti anche dal vivo, non solo online, cominciando dalle comunità che hanno partecipato attraverso i canali cartacei. Collegate ogni azione finanziata alla relativa spesa nel registro della tappa 2, così che gli abitanti possano seguirla fino alla realizzazione.",
            },
            "en": {
                "title": "Decide and report back",
                "description": "The city gives a public response to every proposal (accepted, rejected, under evaluation or implemented), publishes the results and funds the chosen actions. The city records the decisions, the published results and the funded actions.",
                "guidance": "Explain every rejection in plain words and in the language of the proposal: a reasoned no builds more trust than silence. Present the results to participants in person as well as online, starting with the communities that took part through paper channels. Link each funded action to its expenditure in the record of step 2, so that residents can follow it through to completion.",
            },
            "fr": {
                "title": "Décider et rendre compte",
                "description": "La ville apporte une réponse publique à chaque proposition (acceptée, rejetée, à l'étude ou réalisée), publie les résultats et finance les actions retenues. Elle enregistre les décisions, les résultats publiés et les actions financées.",
                "guidance": "Motivez chaque refus avec des mots simples et dans la langue de la proposition, car un refus argumenté inspire davantage confiance que le silence. Présentez les résultats aux participants en présentiel autant qu'en ligne, en commençant par les communautés qui ont participé par les canaux papier. Reliez chaque action financée à la dépense correspondante dans le registre de l'étape 2, pour que les habitants puissent la suivre jusqu'à sa réalisation.",
            },
            "de": {
                "title": "Entscheiden und Rückmeldung geben",
                "description": "Die Stadt beantwortet jeden Vorschlag öffentlich (angenommen, abgelehnt, in Prüfung oder umgesetzt), veröffentlicht die Ergebnisse und finanziert die ausgewählten Maßnahmen. Sie erfasst die Entscheidungen, die veröffentlichten Ergebnisse und die finanzierten Maßnahmen.",
                "guidance": "Begründen Sie jede Ablehnung in einfachen Worten und in der Sprache des Vorschlags, denn ein begründetes Nein schafft mehr Vertrauen als Schweigen. Stellen Sie die Ergebnisse den Beteiligten auch persönlich vor, nicht nur online, und beginnen Sie mit den Gemeinschaften, die sich über Papierformulare beteiligt haben. Verknüpfen Sie jede finanzierte Maßnahme mit der zugehörigen Ausgabe in der Dokumentation von Schritt 2, damit die Menschen sie bis zur Umsetzung verfolgen können.",
            },
            "es": {
                "title": "Decidir y rendir cuentas",
                "description": "La ciudad da una respuesta pública a cada propuesta (aceptada, rechazada, en estudio o ejecutada), publica los resultados y financia las acciones elegidas. La ciudad registra las decisiones, los resultados publicados y las acciones financiadas.",
                "guidance": "Justifique cada rechazo con palabras sencillas y en la lengua de la propuesta, porque un no razonado genera más confianza que el silencio. Presente los resultados a los participantes también en persona, no solo en línea, empezando por las comunidades que participaron a través de los canales en papel. Vincule cada acción financiada con su gasto en el registro del paso 2, para que la población pueda seguirla hasta su ejecución.",
            },
            "ar": {
                "title": "اتخاذ القرار وإبلاغ السكان",
                "description": "تقدّم المدينة رداً علنياً على كل مقترح (مقبول، أو مرفوض، أو قيد الدراسة، أو منفَّذ)، وتنشر النتائج، وتموّل الإجراءات المختارة. وتسجّل القرارات والنتائج المنشورة والإجراءات المموَّلة.",
                "guidance": "علّلوا كل رفض بكلمات بسيطة وبلغة المقترح نفسه، فالرفض المعلَّل يبني ثقة أكبر من الصمت. واعرضوا النتائج على المشاركين حضورياً لا عبر الإنترنت فقط، بدءاً بالمجتمعات التي شاركت عبر القنوات الورقية. واربطوا كل إجراء مموَّل بالنفقة المقابلة له في سجل الخطوة الثانية، كي يتمكّن السكان من متابعته حتى إنجازه.",
            },
        },
    },
    {
        "key": "evaluate-share",
        "position": 10,
        "texts": {
            "it": {
                "title": "Valutare e condividere",
                "description": "La città valuta i risultati del ciclo, compresi gli indicatori interculturali, e trasmette le proprie buone pratiche alla rete prima di avviare il ciclo successivo. La città registra la valutazione, gli indicatori e le pratiche condivise.",
                "guidance": "Valutate insieme ai partecipanti e alla cabina di regia, non solo all'interno dell'amministrazione: chiedetevi chi ha partecipato, chi no e se persone di lingue diverse si sono davvero confrontate tra loro. Descrivete una o due buone pratiche, senza tacere ciò che non ha funzionato, perché le altre città possano trarne insegnamento. Portate quanto appreso nella progettazione del ciclo successivo e tornate sulle tappe che vanno rafforzate.",
            },
            "en": {
                "title": "Evaluate and share",
                "description": "The city evaluates the outcomes of the cycle, including its intercultural indicators, and passes its good practices on to the network before starting the next cycle. The city records the evaluation, the indicators and the practices shared.",
                "guidance": "Evaluate with participants and the steering group, not only within the administration: ask who took part, who did not, and whether people of different languages actually engaged with one another. Write up one or two good practices, including what did not work, so that other cities can learn from them. Carry the lessons into the design of the next cycle and return to the steps that need strengthening.",
            },
            "fr": {
                "title": "Évaluer et partager",
                "description": "La ville évalue les résultats du cycle, y compris ses indicateurs interculturels, et transmet ses bonnes pratiques au réseau avant d'entamer le cycle suivant. Elle enregistre l'évaluation, les indicateurs et les pratiques partagées.",
                "guidance": "Évaluez avec les participants et le comité de pilotage, pas seulement au sein de l'administration, en vous demandant qui a participé, qui est resté à l'écart et si des personnes de langues différentes ont réellement échangé entre elles. Rédigez une ou deux bonnes pratiques, sans taire ce qui n'a pas fonctionné, pour que d'autres villes puissent s'en inspirer. Tirez-en les leçons pour concevoir le cycle suivant et revenez sur les étapes qui méritent d'être renforcées.",
            },
            "de": {
                "title": "Auswerten und teilen",
                "description": "Die Stadt wertet die Ergebnisse des Zyklus einschließlich der interkulturellen Indikatoren aus und gibt ihre guten Praxisbeispiele an das Netzwerk weiter, bevor der nächste Zyklus beginnt. Sie erfasst die Auswertung, die Indikatoren und die geteilten Praxisbeispiele.",
                "guidance": "Werten Sie gemeinsam mit den Beteiligten und der Steuerungsgruppe aus, nicht nur innerhalb der Verwaltung: Wer hat teilgenommen, wer nicht, und sind Menschen verschiedener Sprachen tatsächlich miteinander ins Gespräch gekommen? Beschreiben Sie ein oder zwei gute Praxisbeispiele, auch mit dem, was nicht funktioniert hat, damit andere Städte davon lernen können. Lassen Sie die Erkenntnisse in die Planung des nächsten Zyklus einfließen und greifen Sie die Schritte erneut auf, die gestärkt werden müssen.",
            },
            "es": {
                "title": "Evaluar y compartir",
                "description": "La ciudad evalúa los resultados del ciclo, incluidos sus indicadores interculturales, y comparte sus buenas prácticas con la red antes de iniciar el ciclo siguiente. La ciudad registra la evaluación, los indicadores y las prácticas compartidas.",
                "guidance": "Evalúe junto con los participantes y el grupo motor, no solo dentro de la administración, preguntándose quién ha participado, quién no y si personas de lenguas distintas han llegado realmente a dialogar entre sí. Redacte una o dos buenas prácticas, sin ocultar lo que no funcionó, para que otras ciudades puedan aprender de ellas. Incorpore lo aprendido al diseño del próximo ciclo y vuelva sobre los pasos que necesiten reforzarse.",
            },
            "ar": {
                "title": "التقييم وتبادل الخبرات",
                "description": "تقيّم المدينة نتائج الدورة، بما فيها مؤشرات الحوار بين الثقافات، وتنقل ممارساتها الجيدة إلى الشبكة قبل الشروع في الدورة التالية. وتسجّل التقييم والمؤشرات والممارسات التي شاركتها.",
                "guidance": "أجروا التقييم مع المشاركين واللجنة التوجيهية، لا داخل الإدارة وحدها، واسألوا: من شارك ومن لم يشارك، وهل تحاور الناطقون بلغات مختلفة فعلاً فيما بينهم؟ دوّنوا ممارسة جيدة أو اثنتين، من دون إغفال ما لم ينجح، كي تستفيد منها المدن الأخرى. واستثمروا الدروس المستخلصة في تصميم الدورة التالية، وعودوا إلى الخطوات التي تحتاج إلى تعزيز.",
            },
        },
    },
]
