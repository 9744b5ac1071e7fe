"""German wording of the demo opportunities: what people do, for whom, and what they bring.

Each activity is written the way a Verein or a Freiwilligenagentur would advertise it: a few
title variants, an opening sentence, the tasks, and what fits it (field of engagement, target
groups, skills, kinds, usual times, minimum age, whether the certificate of conduct is needed).
The generator combines them with general sentences about what the organisation offers, so
that 50,000 listings do not read like one template. Title variants use the forms real listings
use side by side ("Lesepatin/Lesepate", "Helfer:in", "Helfende").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Activity:
    key: str
    # "{quarter}" is the Stadtteil (or the town) the opportunity is in.
    titles: tuple[str, ...]
    intros: tuple[str, ...]
    tasks: tuple[str, ...]
    field: str
    groups: tuple[str, ...]
    skills: tuple[str, ...]
    # (kind, weight)
    kinds: tuple[tuple[str, int], ...]
    # Slot keys of slots.py that suit the activity ("tue_afternoon").
    slots: tuple[str, ...]
    # Words in an organisation's name that make the activity one of its own.
    words: tuple[str, ...] = ()
    # Only organisations whose name has one of the words post it (a Tafel, a fire brigade).
    own_only: bool = False
    conduct: bool = False
    minimum_age: int | None = None
    german: int = 1
    remote: bool = False
    young: bool = False
    seniors: bool = False
    families: bool = False
    task_accessibility: str = ""


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
_MORNINGS = tuple(f"{d}_morning" for d in WEEKDAYS)
_AFTERNOONS = tuple(f"{d}_afternoon" for d in WEEKDAYS)
_EVENINGS = tuple(f"{d}_evening" for d in WEEKDAYS)
_WEEKEND = ("sat_morning", "sat_afternoon", "sun_morning", "sun_afternoon")

ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "lesepaten",
        (
            "Lesepatin/Lesepate für die Grundschule {quarter}",
            "Vorlesen in der Kita – Lesepaten gesucht",
            "Lesepatenschaft: Kindern die Freude am Lesen schenken",
        ),
        (
            "Viele Kinder{in_quarter} haben zu Hause niemanden, der ihnen vorliest.",
            "Lesen ist der Schlüssel zu allem Lernen – und manche Kinder brauchen dabei etwas "
            "mehr Zeit und Zuwendung.",
        ),
        (
            "einmal pro Woche mit einem Kind oder einer kleinen Gruppe lesen",
            "Bücher gemeinsam mit den Kindern aussuchen",
            "mit den Lehrkräften kurz besprechen, was das Kind gerade braucht",
            "beim Lesefest im Sommer mithelfen",
        ),
        "schule-kindergarten",
        ("kinder",),
        ("paedagogik", "sprachen"),
        (("regular", 8), ("project", 2)),
        _MORNINGS + _AFTERNOONS[:4],
        ("schule", "kita", "kinderhaus", "lesepaten", "bibliothek"),
        conduct=True,
        minimum_age=18,
        german=3,
        seniors=True,
        task_accessibility="Kann im Sitzen erledigt werden.",
    ),
    Activity(
        "hausaufgaben",
        (
            "Hausaufgabenhilfe für Grundschulkinder",
            "Lernpatin/Lernpate für Mathe und Deutsch",
            "Hausaufgabenbetreuung am Nachmittag{in_quarter}",
        ),
        (
            "In unserer Hausaufgabenbetreuung kommen jeden Nachmittag 15 bis 20 Kinder zusammen.",
            "Nicht alle Eltern können bei den Hausaufgaben helfen – wir springen ein.",
        ),
        (
            "Kinder bei den Hausaufgaben begleiten und Fragen beantworten",
            "mit einzelnen Kindern Lesen und Rechnen üben",
            "Lernspiele anleiten, wenn die Aufgaben erledigt sind",
        ),
        "schule-kindergarten",
        ("kinder", "familien"),
        ("paedagogik",),
        (("regular", 1),),
        _AFTERNOONS,
        ("schule", "förderverein", "hausaufgaben", "lernpaten", "familienzentrum"),
        conduct=True,
        minimum_age=16,
        german=2,
        young=True,
    ),
    Activity(
        "online-lernen",
        (
            "Online-Nachhilfe für Schülerinnen und Schüler",
            "Digitale Lernbegleitung per Videocall",
        ),
        (
            "Manche Jugendliche brauchen vor Prüfungen einfach eine Person, die Zeit hat.",
            "Wir bringen Schülerinnen und Schüler mit Ehrenamtlichen zusammen, die online helfen.",
        ),
        (
            "einmal pro Woche eine Stunde per Videocall lernen",
            "bei Bewerbungen und Referaten Rückmeldung geben",
            "Mut machen, wenn es in der Schule schwierig wird",
        ),
        "jugendarbeit-bildung",
        ("jugendliche",),
        ("paedagogik", "it-digitales"),
        (("flexible", 1),),
        _EVENINGS,
        ("jugend", "bildung", "volkshochschule"),
        conduct=True,
        minimum_age=18,
        german=3,
        remote=True,
        task_accessibility="Von zu Hause aus möglich.",
    ),
    Activity(
        "besuchsdienst",
        (
            "Besuchsdienst für Seniorinnen und Senioren",
            "Begleitung für Seniorinnen und Senioren beim Spaziergang",
            "Seniorenbegleitung zum Arzt und zum Einkaufen",
            "Zeit schenken: Besuche bei älteren Menschen{in_quarter}",
        ),
        (
            "Viele ältere Menschen{in_quarter} leben allein und freuen sich über regelmäßigen "
            "Besuch.",
            "Ein Gespräch, ein Spaziergang, eine Runde Karten – oft ist das der schönste Moment "
            "der Woche.",
        ),
        (
            "eine Seniorin oder einen Senior regelmäßig besuchen",
            "gemeinsam spazieren gehen, erzählen oder spielen",
            "zu Arztterminen oder zum Einkaufen begleiten",
            "am monatlichen Austauschtreffen der Ehrenamtlichen teilnehmen",
        ),
        "soziales",
        ("seniorinnen-senioren",),
        ("pflege-begleitung", "fahren"),
        (("regular", 9), ("flexible", 1)),
        _MORNINGS + _AFTERNOONS + ("sat_afternoon", "sun_afternoon"),
        ("senior", "nachbarschaftshilfe", "besuch", "pfarrei", "caritas", "diakonie"),
        minimum_age=16,
        german=2,
        seniors=True,
    ),
    Activity(
        "tafel-ausgabe",
        (
            "Helfer:in bei der Tafel-Ausgabe",
            "Ausgabe von Lebensmitteln – Helfende für dienstags und freitags",
            "Mithelfen in der Lebensmittelausgabe",
        ),
        (
            "Jede Woche kommen rund 300 Haushalte mit wenig Geld zu unserer Ausgabe.",
            "Wir retten Lebensmittel, die sonst weggeworfen würden, und geben sie an Menschen "
            "mit wenig Geld weiter.",
        ),
        (
            "Obst, Gemüse und Brot an der Ausgabe verteilen",
            "Kundinnen und Kunden freundlich empfangen und Nummern aufrufen",
            "nach der Ausgabe aufräumen und die Kühlräume kontrollieren",
        ),
        "soziales",
        ("menschen-in-armut",),
        ("organisation", "kochen"),
        (("regular", 1),),
        ("tue_afternoon", "fri_afternoon", "tue_morning", "fri_morning"),
        ("tafel", "lebensmittel", "foodsharing"),
        minimum_age=16,
        german=1,
        seniors=True,
        task_accessibility="Überwiegend im Stehen; Sitzplätze für Pausen sind vorhanden.",
        own_only=True,
    ),
    Activity(
        "tafel-fahren",
        (
            "Fahrer:in für die Abholtouren der Tafel",
            "Fahrerin/Fahrer für Lebensmittel-Touren (Führerschein B)",
            "Abholtouren bei Supermärkten – Fahrende gesucht",
        ),
        (
            "Unsere Kühlfahrzeuge holen jeden Morgen Lebensmittel bei Supermärkten und Bäckereien "
            "ab.",
            "Ohne Fahrerinnen und Fahrer bleiben die Regale der Ausgabe leer.",
        ),
        (
            "mit dem Kühltransporter feste Touren zu Märkten und Bäckereien fahren",
            "Kisten verladen (zu zweit, mit Sackkarre)",
            "Mengen kurz im Tourenbuch notieren",
        ),
        "soziales",
        ("menschen-in-armut",),
        ("fahren",),
        (("regular", 1),),
        _MORNINGS,
        ("tafel", "lebensmittel"),
        minimum_age=21,
        german=1,
        own_only=True,
    ),
    Activity(
        "kleiderkammer",
        (
            "Sortieren und Ausgeben in der Kleiderkammer",
            "Helfende für die Kleiderkammer {quarter}",
        ),
        (
            "In unserer Kleiderkammer finden Familien, Geflüchtete und Menschen mit wenig Geld "
            "gut erhaltene Kleidung.",
        ),
        (
            "Kleiderspenden annehmen und nach Größen sortieren",
            "Besucherinnen und Besucher bei der Auswahl beraten",
            "Regale auffüllen und Ordnung halten",
        ),
        "soziales",
        ("menschen-in-armut", "zugewanderte", "familien"),
        ("organisation",),
        (("regular", 1),),
        ("mon_afternoon", "wed_afternoon", "thu_morning", "sat_morning"),
        ("kleiderkammer", "caritas", "diakonie", "rotes kreuz"),
        german=0,
        seniors=True,
        task_accessibility="Auch mit wenig Deutschkenntnissen gut möglich.",
    ),
    Activity(
        "mittagstisch",
        (
            "Kochen für den Mittagstisch",
            "Service beim Seniorenmittagstisch",
            "Küchenhilfe für den offenen Mittagstisch{in_quarter}",
        ),
        (
            "Dreimal in der Woche kochen wir frisch für alle, die nicht allein essen möchten.",
            "Unser Mittagstisch ist für viele ältere Menschen der Treffpunkt der Woche.",
        ),
        (
            "Gemüse schneiden und beim Kochen helfen",
            "Essen ausgeben und Tische decken",
            "mit den Gästen ins Gespräch kommen",
        ),
        "soziales",
        ("seniorinnen-senioren", "menschen-in-armut"),
        ("kochen",),
        (("regular", 1),),
        ("mon_morning", "wed_morning", "fri_morning"),
        ("mittagstisch", "mehrgenerationenhaus", "senior"),
        german=1,
        seniors=True,
    ),
    Activity(
        "familienpaten",
        (
            "Familienpatin/Familienpate gesucht",
            "Patenschaft für eine junge Familie{in_quarter}",
        ),
        (
            "Junge Familien ohne Großeltern in der Nähe brauchen manchmal einfach eine helfende "
            "Hand.",
        ),
        (
            "eine Familie etwa ein Jahr lang begleiten, zwei bis drei Stunden pro Woche",
            "mit den Kindern spielen, vorlesen oder auf den Spielplatz gehen",
            "bei Fragen des Alltags ein offenes Ohr haben",
        ),
        "soziales",
        ("familien", "kinder"),
        ("paedagogik", "pflege-begleitung"),
        (("regular", 3), ("project", 1)),
        (*_AFTERNOONS, "sat_morning", "sat_afternoon"),
        ("familie", "kinderschutz", "familienzentrum"),
        conduct=True,
        minimum_age=18,
        german=2,
        seniors=True,
    ),
    Activity(
        "kinderfussball",
        (
            "Trainer:in Kinderfußball (F-Jugend)",
            "Co-Trainerin/Co-Trainer für die E-Jugend",
            "Fußballtraining für Kinder{in_quarter} leiten",
        ),
        (
            "Unsere jüngsten Fußballerinnen und Fußballer trainieren zweimal pro Woche.",
            "Mehr als 40 Kinder zwischen fünf und zehn Jahren spielen bei uns Fußball.",
        ),
        (
            "das Training gemeinsam mit einer erfahrenen Trainerin vorbereiten und leiten",
            "die Mannschaft an Spieltagen am Samstag begleiten",
            "Eltern über Termine informieren",
        ),
        "sport-bewegung",
        ("kinder",),
        ("sport-anleitung", "paedagogik"),
        (("regular", 1),),
        ("mon_afternoon", "wed_afternoon", "thu_afternoon", "sat_morning"),
        ("fußball", "fc ", "sv ", "tsv", "sportverein", "sportfreunde"),
        conduct=True,
        minimum_age=16,
        german=2,
        young=True,
        own_only=True,
    ),
    Activity(
        "uebungsleitung",
        (
            "Übungsleiter:in für Seniorengymnastik",
            "Übungsleitung „Rückenfit“ gesucht",
            "Bewegungsangebot für Ältere{in_quarter} leiten",
        ),
        ("Bewegung hält fit – unsere Gymnastikgruppe trifft sich seit vielen Jahren jede Woche.",),
        (
            "eine Gymnastikstunde pro Woche anleiten",
            "Übungen an die Möglichkeiten der Teilnehmenden anpassen",
            "bei Interesse die Übungsleiter-Lizenz erwerben (wir übernehmen die Kosten)",
        ),
        "sport-bewegung",
        ("seniorinnen-senioren",),
        ("sport-anleitung", "erste-hilfe"),
        (("regular", 1),),
        (*_MORNINGS, "tue_evening", "thu_evening"),
        ("sport", "turn", "gymnastik", "tsv", "senior"),
        minimum_age=18,
        german=2,
        seniors=True,
    ),
    Activity(
        "stadtlauf",
        (
            "Streckenposten beim Stadtlauf",
            "Helfende für den Stadtlauf {quarter}",
            "Verpflegungsstand beim Volkslauf betreuen",
        ),
        ("Beim Stadtlauf gehen jedes Jahr über 1.000 Läuferinnen und Läufer an den Start.",),
        (
            "an der Strecke für Sicherheit sorgen und anfeuern",
            "Wasser und Obst am Verpflegungsstand ausgeben",
            "beim Auf- und Abbau mit anpacken",
        ),
        "sport-bewegung",
        ("alle",),
        ("organisation",),
        (("one_off", 3), ("group", 1)),
        ("sat_morning", "sun_morning"),
        ("sport", "lauf", "tsv", "sv "),
        minimum_age=14,
        german=0,
        young=True,
        families=True,
    ),
    Activity(
        "baumpflanzen",
        (
            "Baumpflanzaktion im Stadtpark",
            "Pflanzaktion: 100 Bäume für {quarter}",
            "Mitpflanzen beim Klimawald",
        ),
        (
            "Gemeinsam mit dem Gartenamt pflanzen wir an einem Samstag junge Bäume.",
            "Mehr Grün für {quarter}: Für unsere Pflanzaktion brauchen wir viele Hände.",
        ),
        (
            "Pflanzlöcher graben und Setzlinge einsetzen",
            "Bäume angießen und Schutzmanschetten anbringen",
            "Werkzeug ausgeben und Helfende einweisen",
        ),
        "umwelt-natur-tierschutz",
        ("alle", "familien"),
        ("gaertnern",),
        (("one_off", 3), ("group", 2)),
        ("sat_morning", "sat_afternoon"),
        ("umwelt", "natur", "bund", "grün", "bäume", "garten"),
        minimum_age=None,
        german=0,
        young=True,
        families=True,
    ),
    Activity(
        "muellsammeln",
        (
            "Müllsammelaktion am Flussufer",
            "Frühjahrsputz{in_quarter}",
            "Ramadama: Wir räumen {quarter} auf",
        ),
        ("Einmal im Frühjahr machen wir unseren Ort gemeinsam sauber.",),
        (
            "Müll in Parks, an Wegen und am Ufer sammeln",
            "Fundstücke sortieren und zum Container bringen",
            "zum Abschluss gemeinsam Brotzeit machen",
        ),
        "umwelt-natur-tierschutz",
        ("alle", "familien"),
        ("gaertnern",),
        (("one_off", 2), ("group", 1)),
        ("sat_morning",),
        ("umwelt", "natur", "bürgerverein", "heimat", "initiative"),
        german=0,
        young=True,
        families=True,
    ),
    Activity(
        "tierheim",
        (
            "Gassigeherin/Gassigeher für das Tierheim",
            "Helfer:in im Katzenhaus des Tierheims",
            "Tierpflege am Wochenende",
        ),
        (
            "In unserem Tierheim warten Hunde und Katzen auf ein neues Zuhause.",
            "Jeder Hund freut sich über einen langen Spaziergang.",
        ),
        (
            "mit Hunden spazieren gehen (nach Einweisung)",
            "Katzen beschäftigen und Gehege reinigen",
            "beim Tag der offenen Tür helfen",
        ),
        "umwelt-natur-tierschutz",
        ("alle",),
        (),
        (("regular", 3), ("flexible", 1)),
        _AFTERNOONS + _WEEKEND,
        ("tierschutz", "tierheim", "tierhilfe"),
        minimum_age=16,
        german=1,
        young=True,
        own_only=True,
    ),
    Activity(
        "gemeinschaftsgarten",
        (
            "Mitgärtnern im Gemeinschaftsgarten",
            "Beetpatenschaft im Schulgarten",
            "Gartenhelfer:in für den Interkulturellen Garten",
        ),
        ("In unserem Garten{in_quarter} wachsen Gemüse, Kräuter und Freundschaften.",),
        (
            "Beete pflegen, säen und ernten",
            "beim Gießdienst im Sommer mitmachen",
            "Kindern zeigen, wie Gemüse wächst",
        ),
        "umwelt-natur-tierschutz",
        ("alle", "kinder", "zugewanderte"),
        ("gaertnern",),
        (("regular", 2), ("flexible", 1)),
        ("wed_afternoon", "fri_afternoon", "sat_morning"),
        ("garten", "kleingarten", "grün"),
        german=0,
        seniors=True,
        families=True,
    ),
    Activity(
        "repair-cafe",
        (
            "Reparateur:in im Repair-Café",
            "Fahrradwerkstatt: Schrauberinnen und Schrauber gesucht",
            "Elektrik-Tüftler:in für das Repair-Café {quarter}",
        ),
        ("Einmal im Monat reparieren wir gemeinsam Toaster, Fahrräder und Lieblingsstücke.",),
        (
            "mit den Besucherinnen und Besuchern Geräte untersuchen und reparieren",
            "zeigen, wie man es selbst macht",
            "Werkzeug pflegen und Ersatzteile sortieren",
        ),
        "umwelt-natur-tierschutz",
        ("alle",),
        ("handwerk",),
        (("regular", 1),),
        ("sat_afternoon", "thu_evening"),
        ("repair", "fahrrad", "werkstatt"),
        german=1,
        seniors=True,
        own_only=True,
    ),
    Activity(
        "musik",
        (
            "Notenwartin/Notenwart für den Musikverein",
            "Helfer:in beim Sommerkonzert",
            "Stimmen gesucht: Tenor und Bass für unseren Chor",
        ),
        (
            "Musik verbindet – bei Festen, Konzerten und im Gottesdienst.",
            "Unsere Proben sind jeden Donnerstag, und danach sitzen wir oft noch zusammen.",
        ),
        (
            "Noten verwalten und für die Proben bereitlegen",
            "beim Auf- und Abbau von Konzerten helfen",
            "Karten verkaufen und Gäste begrüßen",
        ),
        "kultur-musik",
        ("alle",),
        ("musik-kunst", "organisation"),
        (("regular", 2), ("one_off", 1)),
        ("thu_evening", "tue_evening", "sun_afternoon"),
        ("musik", "chor", "kapelle", "orchester", "sänger"),
        german=1,
        seniors=True,
    ),
    Activity(
        "museum",
        (
            "Aufsicht und Kasse im Heimatmuseum",
            "Archivarbeit: alte Fotos digitalisieren",
            "Führungen durch die Altstadt von {quarter}",
        ),
        (
            "Unser Museum zeigt die Geschichte des Ortes und ist am Wochenende geöffnet.",
            "Im Archiv liegen Tausende Fotos, Briefe und Zeitungen, die noch niemand gesichtet "
            "hat.",
        ),
        (
            "Gäste empfangen und Eintrittskarten verkaufen",
            "Fotos einscannen und beschriften",
            "bei Sonderausstellungen mithelfen",
        ),
        "kultur-musik",
        ("alle",),
        ("it-digitales", "organisation"),
        (("regular", 2), ("project", 1)),
        ("sat_afternoon", "sun_afternoon", "wed_morning"),
        ("museum", "heimat", "geschichte", "kultur"),
        german=2,
        seniors=True,
        task_accessibility="Kann im Sitzen erledigt werden; der Archivraum hat einen Aufzug.",
    ),
    Activity(
        "kirche",
        (
            "Kirchencafé nach dem Gottesdienst",
            "Helfer:in beim Gemeindefest",
            "Mitarbeit im Besuchsdienst der Pfarrei",
        ),
        (
            "Unsere Gemeinde lebt vom Engagement vieler Menschen.",
            "Nach dem Sonntagsgottesdienst laden wir zu Kaffee und Gespräch ein.",
        ),
        (
            "Kaffee kochen und Kuchen anbieten",
            "neue Gesichter willkommen heißen",
            "beim Auf- und Abbau helfen",
        ),
        "kirche-religion",
        ("alle", "seniorinnen-senioren"),
        ("kochen", "organisation"),
        (("regular", 2), ("one_off", 1)),
        ("sun_morning", "sun_afternoon", "sat_afternoon"),
        ("kirche", "pfarrei", "gemeinde", "kloster"),
        german=1,
        seniors=True,
        families=True,
    ),
    Activity(
        "fest",
        (
            "Helfer:in beim Sommerfest",
            "Kuchenbäckerinnen und Kuchenbäcker fürs Straßenfest",
            "Auf- und Abbau beim Dorffest {quarter}",
        ),
        ("Einmal im Jahr feiert {quarter} – und dafür braucht es viele helfende Hände.",),
        (
            "einen Stand für zwei bis drei Stunden betreuen",
            "Kuchen backen und vorbeibringen",
            "Bänke und Zelte auf- und abbauen",
        ),
        "freizeit-geselligkeit",
        ("alle", "familien"),
        ("kochen", "organisation"),
        (("one_off", 4), ("group", 1)),
        ("sat_afternoon", "sun_afternoon", "fri_evening"),
        ("fest", "brauchtum", "heimat", "bürgerverein", "trachten"),
        minimum_age=14,
        german=0,
        young=True,
        families=True,
    ),
    Activity(
        "spieletreff",
        (
            "Gastgeber:in im Nachbarschaftscafé",
            "Spielenachmittag im Mehrgenerationenhaus",
            "Strickcafé und Plauderrunde{in_quarter} begleiten",
        ),
        ("Bei uns treffen sich Jung und Alt bei Kaffee, Spielen und Gesprächen.",),
        (
            "Gäste begrüßen und Kaffee anbieten",
            "Spiele erklären und mitspielen",
            "Ideen für neue Treffen einbringen",
        ),
        "freizeit-geselligkeit",
        ("seniorinnen-senioren", "alle"),
        ("organisation", "kochen"),
        (("regular", 1),),
        _AFTERNOONS,
        ("mehrgenerationenhaus", "café", "treff", "nachbarschaft"),
        german=1,
        seniors=True,
        task_accessibility="Barrierefreier Treffpunkt im Erdgeschoss.",
    ),
    Activity(
        "jugendgruppe",
        (
            "Gruppenleiter:in in der Jugendgruppe",
            "Betreuerin/Betreuer für die Ferienfreizeit",
            "Teamer:in für das Ferienprogramm {quarter}",
        ),
        (
            "In den Sommerferien fahren wir mit 30 Kindern für eine Woche ins Zeltlager.",
            "Unsere Jugendgruppe trifft sich jeden Freitag und plant Ausflüge, Spiele und "
            "Aktionen.",
        ),
        (
            "Gruppenstunden und Ausflüge vorbereiten und leiten",
            "die Ferienfreizeit mitgestalten",
            "an der Juleica-Schulung teilnehmen (wir zahlen sie)",
        ),
        "jugendarbeit-bildung",
        ("jugendliche", "kinder"),
        ("paedagogik", "sport-anleitung"),
        (("regular", 2), ("project", 2)),
        ("fri_afternoon", "fri_evening", "sat_morning"),
        ("jugend", "pfadfinder", "kolping", "ferien"),
        conduct=True,
        minimum_age=18,
        german=2,
        young=True,
    ),
    Activity(
        "sprachcafe",
        (
            "Gesprächspartner:in im Sprachcafé",
            "Deutsch üben mit Geflüchteten",
            "Sprachpatenschaft für eine Familie{in_quarter}",
        ),
        (
            "Im Sprachcafé üben Zugewanderte Deutsch – im Gespräch, nicht im Klassenzimmer.",
            "Wer eine neue Sprache lernt, braucht vor allem Menschen, die zuhören.",
        ),
        (
            "in kleinen Runden über Alltagsthemen sprechen",
            "beim Ausfüllen von Formularen helfen",
            "gemeinsame Ausflüge in die Stadt unternehmen",
        ),
        "jugendarbeit-bildung",
        ("zugewanderte",),
        ("sprachen", "pflege-begleitung"),
        (("regular", 1),),
        ("tue_evening", "wed_afternoon", "thu_evening"),
        ("geflüchtete", "asyl", "integration", "sprach", "helferkreis"),
        german=3,
        seniors=True,
    ),
    Activity(
        "dolmetschen",
        (
            "Dolmetschen: Arabisch–Deutsch bei Behördengängen",
            "Übersetzer:in Ukrainisch für Elternabende",
            "Sprachmittlerin/Sprachmittler Türkisch gesucht",
        ),
        (
            "Bei Terminen in Schule, Arztpraxis und Amt hängt viel davon ab, dass alle "
            "einander verstehen.",
        ),
        (
            "zu Terminen begleiten und übersetzen",
            "kurze Schreiben mündlich erklären",
            "an einer Einführung zur Schweigepflicht teilnehmen",
        ),
        "soziales",
        ("zugewanderte", "familien"),
        ("sprachen",),
        (("flexible", 2), ("regular", 1)),
        _MORNINGS + _AFTERNOONS,
        ("geflüchtete", "integration", "migration", "helferkreis"),
        minimum_age=18,
        german=2,
    ),
    Activity(
        "digitallotsen",
        (
            "Digital-Lotsin/Digital-Lotse: Smartphone-Sprechstunde für Ältere",
            "Tablet-Kurs für Seniorinnen und Senioren begleiten",
            "Technik-Sprechstunde in der Stadtbibliothek {quarter}",
        ),
        (
            "Viele ältere Menschen möchten mit den Enkeln videotelefonieren – und wissen nicht, "
            "wie.",
        ),
        (
            "in der offenen Sprechstunde Fragen zu Smartphone und Tablet beantworten",
            "Schritt für Schritt und mit Geduld erklären",
            "kleine Anleitungen in großer Schrift schreiben",
        ),
        "jugendarbeit-bildung",
        ("seniorinnen-senioren",),
        ("it-digitales", "pflege-begleitung"),
        (("regular", 1),),
        ("tue_afternoon", "thu_afternoon", "wed_morning"),
        ("senior", "bibliothek", "volkshochschule", "mehrgenerationenhaus"),
        minimum_age=14,
        german=2,
        young=True,
        seniors=True,
    ),
    Activity(
        "website",
        (
            "Website-Pflege für unseren Verein (von zu Hause)",
            "Social-Media-Betreuung – auch remote",
            "Newsletter und Vereinszeitung gestalten",
        ),
        (
            "Wir möchten mehr Menschen erreichen, aber niemand im Vorstand kennt sich mit "
            "Websites aus.",
        ),
        (
            "Termine und Berichte auf der Website veröffentlichen",
            "Fotos von Veranstaltungen auf Instagram teilen",
            "den Newsletter viermal im Jahr gestalten",
        ),
        "sonstiges",
        ("alle",),
        ("it-digitales", "kommunikation"),
        (("flexible", 1),),
        (),
        (),
        german=3,
        remote=True,
        young=True,
        task_accessibility="Von zu Hause aus und zu frei gewählten Zeiten möglich.",
    ),
    Activity(
        "vorstand",
        (
            "Kassenwart:in für den Vorstand",
            "Schriftführerin/Schriftführer gesucht",
            "Beisitz im Vorstand – frischer Wind willkommen",
        ),
        ("Bei der nächsten Mitgliederversammlung wird ein Vorstandsamt frei.",),
        (
            "die Vereinskasse führen und den Kassenbericht erstellen",
            "an sechs Vorstandssitzungen im Jahr teilnehmen",
            "mit der Steuerberatung die Gemeinnützigkeit im Blick behalten",
        ),
        "sonstiges",
        ("alle",),
        ("finanzen", "recht", "organisation"),
        (("regular", 1),),
        ("mon_evening", "tue_evening", "wed_evening", "thu_evening"),
        ("vorstand",),
        minimum_age=18,
        german=3,
        seniors=True,
    ),
    Activity(
        "feuerwehr",
        (
            "Mitmachen in der Einsatzabteilung",
            "Betreuer:in der Jugendfeuerwehr",
            "Quereinsteiger:in bei der Freiwilligen Feuerwehr {quarter}",
        ),
        (
            "Die Freiwillige Feuerwehr ist rund um die Uhr für ihre Mitmenschen da.",
            "Brandschutz, technische Hilfe und Kameradschaft – bei uns lernen Sie alles von "
            "Grund auf.",
        ),
        (
            "an der Grundausbildung und den Übungsabenden teilnehmen",
            "bei Einsätzen mitfahren, sobald die Ausbildung abgeschlossen ist",
            "die Jugendfeuerwehr bei Übungen begleiten",
        ),
        "unfall-rettungsdienst-feuerwehr",
        ("alle",),
        ("erste-hilfe", "handwerk"),
        (("regular", 1),),
        ("mon_evening", "wed_evening", "sat_morning"),
        ("feuerwehr",),
        minimum_age=16,
        german=2,
        young=True,
        own_only=True,
    ),
    Activity(
        "sanitaetsdienst",
        (
            "Sanitätsdienst bei Veranstaltungen",
            "Ersthelfer:in für Sportfeste und Konzerte",
        ),
        ("Bei Festen und Sportveranstaltungen stellen wir den Sanitätsdienst.",),
        (
            "Erste Hilfe leisten und verletzte Personen versorgen",
            "an der Sanitätsausbildung teilnehmen",
            "Material prüfen und auffüllen",
        ),
        "unfall-rettungsdienst-feuerwehr",
        ("alle",),
        ("erste-hilfe",),
        (("flexible", 2), ("one_off", 1)),
        (*_WEEKEND, "fri_evening"),
        ("rotes kreuz", "johanniter", "malteser", "wasserwacht", "rettung"),
        minimum_age=18,
        german=2,
    ),
    Activity(
        "selbsthilfe",
        (
            "Moderation einer Selbsthilfegruppe",
            "Begleitung zu Arztterminen",
            "Kontaktperson für die Gesprächsgruppe pflegender Angehöriger",
        ),
        ("In unseren Gruppen finden Betroffene und Angehörige Verständnis und Rat.",),
        (
            "Gruppentreffen vorbereiten und moderieren",
            "neue Interessierte am Telefon beraten",
            "Kontakt zu Ärztinnen und Beratungsstellen halten",
        ),
        "gesundheit",
        ("kranke-pflegebeduerftige",),
        ("pflege-begleitung", "kommunikation"),
        (("regular", 1),),
        ("mon_evening", "wed_evening", "thu_afternoon"),
        ("selbsthilfe", "gesundheit", "kranke", "alzheimer", "krebs"),
        minimum_age=18,
        german=3,
        seniors=True,
    ),
    Activity(
        "hospiz",
        (
            "Ehrenamtliche Hospizbegleitung",
            "Sterbebegleitung – Qualifizierungskurs beginnt im Herbst",
        ),
        ("Wir begleiten schwerkranke Menschen und ihre Familien in der letzten Lebensphase.",),
        (
            "am Vorbereitungskurs (etwa 100 Stunden) teilnehmen",
            "Menschen zu Hause oder im Pflegeheim besuchen",
            "an der monatlichen Supervision teilnehmen",
        ),
        "gesundheit",
        ("kranke-pflegebeduerftige", "seniorinnen-senioren"),
        ("pflege-begleitung",),
        (("project", 1), ("regular", 1)),
        _MORNINGS + _AFTERNOONS,
        ("hospiz", "palliativ"),
        minimum_age=21,
        german=3,
        seniors=True,
        own_only=True,
    ),
    Activity(
        "straffaelligenhilfe",
        (
            "Ehrenamtliche Bewährungshelferin/ehrenamtlicher Bewährungshelfer",
            "Begleitung nach der Haft: Neustart erleichtern",
            "Schlichter:in für Nachbarschaftsstreit",
        ),
        (
            "Nach der Haft einen Platz in der Gesellschaft zu finden, ist schwer – mit einer "
            "festen Ansprechperson gelingt es öfter.",
        ),
        (
            "sich regelmäßig mit einer begleiteten Person treffen",
            "bei Wohnungs- und Arbeitssuche unterstützen",
            "sich mit den Hauptamtlichen austauschen",
        ),
        "justiz-kriminalitaet",
        ("alle",),
        ("recht", "pflege-begleitung"),
        (("regular", 1),),
        _EVENINGS + _AFTERNOONS,
        ("streitschlicht", "straffällig", "bewährung", "justiz"),
        minimum_age=21,
        german=3,
    ),
    Activity(
        "beteiligung",
        (
            "Mitarbeit im Seniorenbeirat",
            "Jugendforum {quarter}: mitreden und mitentscheiden",
            "Beirat für Menschen mit Behinderung sucht Mitglieder",
        ),
        ("Der Beirat berät den Stadtrat und bringt die Sicht der Betroffenen ein.",),
        (
            "an den Sitzungen alle sechs Wochen teilnehmen",
            "Anliegen aus der Bürgerschaft sammeln",
            "Stellungnahmen mitformulieren",
        ),
        "politik-interessenvertretung",
        ("seniorinnen-senioren", "jugendliche", "menschen-mit-behinderung"),
        ("kommunikation", "recht"),
        (("regular", 1),),
        _EVENINGS,
        ("beirat", "forum", "bürgerinitiative", "stadtrat", "quartiersmanagement"),
        minimum_age=14,
        german=2,
        young=True,
        seniors=True,
    ),
    Activity(
        "corporate",
        (
            "Team-Einsatz: Spielplatz streichen",
            "Corporate Volunteering: Teamtag im Kinderhaus",
            "Firmen-Aktionstag im Naturschutzgebiet",
        ),
        (
            "Sie möchten mit Ihrem Team einen Tag lang etwas Sinnvolles tun? Wir haben die "
            "passende Aufgabe.",
        ),
        (
            "mit fünf bis zwanzig Kolleginnen und Kollegen einen Tag lang anpacken",
            "Zäune und Spielgeräte streichen, Hecken schneiden",
            "zum Abschluss gemeinsam grillen",
        ),
        "berufliche-interessenvertretung",
        ("kinder", "alle"),
        ("handwerk", "gaertnern"),
        (("group", 1),),
        _MORNINGS,
        ("corporate", "gmbh", "bank", "sparkasse", "stadtwerke"),
        minimum_age=18,
        german=0,
    ),
)
ACTIVITY_BY_KEY = {a.key: a for a in ACTIVITIES}

TITLE_SUFFIXES = (
    " – Einsteigerinnen und Einsteiger willkommen",
    " – auch für Berufstätige",
    " – gern auch zu zweit",
    " (wenige Stunden im Monat)",
    " – jetzt mitmachen",
)

OFFERS = (
    "eine gründliche Einarbeitung und eine feste Ansprechperson",
    "Erstattung Ihrer Fahrtkosten",
    "Versicherungsschutz während Ihres Einsatzes",
    "kostenlose Fortbildungen",
    "ein herzliches Team und regelmäßige Treffen",
    "einen Nachweis über Ihr Engagement, zum Beispiel für Bewerbungen",
    "die Ehrenamtskarte ab 250 Stunden im Jahr",
    "flexible Zeiten, die Sie mit uns absprechen",
)

BRINGS = (
    "Zuverlässigkeit",
    "Freude am Umgang mit Menschen",
    "Geduld",
    "ein offenes Ohr",
    "Lust auf Teamarbeit",
    "etwas Humor",
    "ein bis zwei Stunden Zeit pro Woche",
    "Neugier",
)
NO_EXPERIENCE = "Vorkenntnisse brauchen Sie nicht – wir zeigen Ihnen alles."

CLOSINGS = (
    "Melden Sie sich gern – wir freuen uns auf Sie!",
    "Haben Sie Fragen? Rufen Sie uns an oder schreiben Sie uns.",
    "Schauen Sie doch einfach einmal unverbindlich bei uns vorbei.",
    "Wir melden uns innerhalb weniger Tage bei Ihnen.",
)

# How a slot reads in "Zeiten in Worten".
DAY_WORDS = {
    "mon": "montags",
    "tue": "dienstags",
    "wed": "mittwochs",
    "thu": "donnerstags",
    "fri": "freitags",
    "sat": "samstags",
    "sun": "sonntags",
}
PART_WORDS = {"morning": "9–12 Uhr", "afternoon": "14–17 Uhr", "evening": "18–20 Uhr"}

EASY_LANGUAGE = (
    "Sie helfen bei: {title}.\n"
    "Sie brauchen keine Vor-Kenntnisse. Wir zeigen Ihnen alles.\n"
    "Sie bekommen dafür kein Geld. Sie sind versichert.\n"
    "Sie haben Fragen? Rufen Sie uns an: {phone}."
)

# An organisation's first question back to a person who applied.
QUESTIONS = (
    "Vielen Dank für Ihr Interesse! Hätten Sie auch freitags Zeit?",
    "Schön, dass Sie sich melden. Haben Sie schon Erfahrung mit Kindern?",
    "Danke für Ihre Nachricht! Können Sie zu einem kurzen Kennenlernen am Dienstag kommen?",
)
APPLICATION_MESSAGES = (
    "Ich habe gerade mehr Zeit und würde gern mithelfen.",
    "Ich bin neu in der Stadt und möchte mich engagieren. Wann könnte ich vorbeikommen?",
    "Ich habe so etwas schon einmal gemacht und hätte Lust darauf.",
    "Gern würde ich das einmal ausprobieren. Ich kann vor allem abends.",
    "",
)
DECLINE_REASONS = (
    "Die Stelle ist leider schon vergeben. Schauen Sie gern bei unseren anderen Angeboten.",
    "Für diese Aufgabe brauchen wir jemanden, der vormittags Zeit hat.",
)
ADVICE_NOTES = (
    "Sucht etwas Regelmäßiges in der Nähe, gern mit Kindern.",
    "Ist gerade in Rente gegangen und möchte etwas Sinnvolles tun.",
    "Möchte Deutsch üben und sich gleichzeitig nützlich machen.",
    "Kann nur am Wochenende; Interesse an Natur und Umwelt.",
    "Student, sucht etwas Flexibles für ein paar Monate.",
)
