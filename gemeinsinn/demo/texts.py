"""German texts of the demo: a municipality's welcome and legal pages, organisation names and
descriptions. Short, but written the way a real Rathaus or Verein would write them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from gemeinsinn.demo.data import NAMESAKES, SAINTS, SPORTS, TRADES, Land


@dataclass(frozen=True)
class Place:
    """What the texts need to know about a municipality."""

    name: str
    # "Stadt" or "Gemeinde"
    kind: str
    land: Land
    postcode: str
    phone: str
    email: str
    mayor: str


def welcome_text(place: Place) -> str:
    return (
        f"Willkommen auf der Engagement-Plattform von {place.name}!\n\n"
        f"Hier finden Sie Vereine, Initiativen und Einrichtungen aus {place.name}, die sich über "
        "Ihre Unterstützung freuen – ob regelmäßig oder für ein einzelnes Projekt. Die "
        "Koordinierungsstelle für bürgerschaftliches Engagement im Rathaus berät Sie gern "
        "persönlich."
    )


def imprint(place: Place) -> str:
    return (
        f"Herausgeberin: {place.kind} {place.name}\n"
        f"Rathausplatz 1, {place.postcode} {place.name}\n"
        f"Telefon: {place.phone}\n"
        f"E-Mail: {place.email}\n\n"
        f"Die {place.kind} {place.name} ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten "
        f"durch {place.mayor}.\n\n"
        "Inhaltlich verantwortlich nach § 18 Abs. 2 Medienstaatsvertrag: die Leitung der "
        "Koordinierungsstelle für bürgerschaftliches Engagement, Anschrift wie oben.\n\n"
        "Für die Inhalte der Profile von Vereinen und Initiativen sind die jeweiligen "
        "Organisationen verantwortlich."
    )


def privacy_notice(place: Place) -> str:
    return (
        f"Verantwortlich für die Verarbeitung Ihrer Daten ist die {place.kind} {place.name}, "
        f"Rathausplatz 1, {place.postcode} {place.name} ({place.email}).\n\n"
        "Wir verarbeiten die Daten Ihres Nutzerkontos (E-Mail-Adresse, Name, Geburtsdatum), um "
        "Ihnen die Plattform bereitzustellen (Art. 6 Abs. 1 lit. b DSGVO), und nur mit Ihrer "
        "Einwilligung für freiwillige Zwecke wie den Newsletter (Art. 6 Abs. 1 lit. a DSGVO). "
        "Einwilligungen können Sie jederzeit in Ihrem Profil widerrufen.\n\n"
        "Ihre Daten werden auf Servern in Deutschland gespeichert und nicht an Dritte verkauft. "
        "Organisationen sehen Ihre Kontaktdaten erst, wenn Sie sich bei ihnen melden.\n\n"
        "Sie haben das Recht auf Auskunft (Art. 15), Berichtigung (Art. 16), Löschung (Art. 17), "
        "Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch "
        "(Art. 21 DSGVO). Ihr Konto können Sie selbst löschen. Beschweren können Sie sich bei "
        f"der Aufsichtsbehörde: {place.land.privacy_authority}."
    )


def accessibility_statement(place: Place) -> str:
    return (
        f"Die {place.kind} {place.name} ist bemüht, diese Plattform im Einklang mit der "
        f"{place.land.accessibility_law} und der EN 301 549 barrierefrei zugänglich zu machen.\n\n"
        "Stand der Vereinbarkeit: Die Plattform ist weitgehend mit den Anforderungen vereinbar. "
        "Von Organisationen hochgeladene Dokumente sind nicht in jedem Fall barrierefrei.\n\n"
        "Barriere melden: Wenn Ihnen Mängel auffallen, nutzen Sie bitte das Formular auf dieser "
        f"Seite oder schreiben Sie an {place.email}. Wir antworten innerhalb von sechs Wochen.\n\n"
        "Durchsetzungsverfahren: Antworten wir nicht zufriedenstellend, können Sie sich an die "
        f"Durchsetzungsstelle für barrierefreie Informationstechnik des Landes {place.land.name} "
        "wenden."
    )


def terms(place: Place) -> str:
    return (
        "§ 1 Geltungsbereich\n"
        f"Diese Bedingungen gelten für die Engagement-Plattform der {place.kind} {place.name}.\n\n"
        "§ 2 Nutzerkonto\n"
        "Ein Konto darf anlegen, wer mindestens 14 Jahre alt ist; unter 16 Jahren nur mit "
        "Zustimmung der Eltern. Die Angaben müssen wahr sein.\n\n"
        "§ 3 Inhalte\n"
        "Organisationen veröffentlichen nur Angebote für gemeinwohlorientiertes Engagement. "
        "Die Koordinierungsstelle darf Inhalte, die gegen Gesetze oder diese Bedingungen "
        "verstoßen, sperren.\n\n"
        "§ 4 Haftung\n"
        f"Die {place.kind} vermittelt nur den Kontakt. Für die Tätigkeit selbst sind die Organisationen "
        "verantwortlich; Ehrenamtliche sind über die Sammelversicherung des Landes "
        f"{place.land.name} versichert, soweit kein anderer Versicherungsschutz besteht."
    )


def easy_language(place: Place) -> str:
    return (
        f"Das ist die Internet-Seite für Ehren-Amt in {place.name}.\n"
        "Ehren-Amt heißt: Sie helfen anderen Menschen. Sie bekommen dafür kein Geld.\n"
        "Hier finden Sie Vereine und Gruppen. Dort können Sie mit-machen.\n"
        f"Sie haben Fragen? Rufen Sie im Rathaus an: {place.phone}."
    )


# --- organisations -------------------------------------------------------------------------------

SECTOR_OF_TYPE = {
    "volunteer_agency": "civil_society",
    "self_help_contact": "civil_society",
    "senior_office": "administration",
    "civic_foundation": "civil_society",
    "multi_generation_house": "civil_society",
    "club": "civil_society",
    "initiative": "citizens",
    "business": "business",
    "administration": "administration",
    "church": "civil_society",
    "school": "administration",
    "other": "civil_society",
}

# Types a town has once (or once per Stadtteil), and how often the rest occur, roughly as in
# the Engagement-Atlas: most actors are Vereine.
SINGULAR_TYPES = (
    "volunteer_agency",
    "self_help_contact",
    "senior_office",
    "civic_foundation",
    "multi_generation_house",
)
REPEATING_TYPES = (
    ("club", 60),
    ("initiative", 12),
    ("church", 7),
    ("school", 6),
    ("business", 7),
    ("administration", 3),
    ("other", 3),
    ("senior_office", 1),
    ("multi_generation_house", 1),
)


def _club(rng: random.Random, town: str, quarter: str, surname: str) -> tuple[str, str]:
    year = rng.randint(1860, 2015)
    members = rng.choice((40, 80, 120, 250, 400, 900))
    options = (
        (
            f"{rng.choice(SPORTS)} {quarter} {year} e. V.",
            f"Wir sind ein Sportverein mit rund {members} Mitgliedern und bieten Fußball, Turnen "
            "und Gymnastik für alle Altersgruppen. Wir suchen Übungsleiterinnen und Übungsleiter "
            "sowie Helfende für unser Sommerfest.",
        ),
        (
            f"Freiwillige Feuerwehr {quarter} e. V.",
            "Die Freiwillige Feuerwehr ist rund um die Uhr für ihre Mitmenschen da. Unsere "
            "Jugendfeuerwehr freut sich über neue Mitglieder ab zehn Jahren.",
        ),
        (
            f"Musikverein {quarter} e. V.",
            f"Seit {year} spielen wir Blasmusik bei Festen, Umzügen und Konzerten. Anfängerinnen "
            "und Anfänger bekommen Unterricht von erfahrenen Mitgliedern.",
        ),
        (
            f"Heimat- und Geschichtsverein {quarter} e. V.",
            "Wir erforschen die Geschichte unseres Ortes, betreuen das Heimatmuseum und bieten "
            "Führungen an. Helfende Hände für das Archiv sind willkommen.",
        ),
        (
            f"Tafel {town} e. V.",
            "Wir retten überschüssige Lebensmittel und geben sie an Menschen mit wenig Geld "
            "weiter. Wir suchen Fahrerinnen und Fahrer sowie Helfende bei der Ausgabe.",
        ),
        (
            f"Nachbarschaftshilfe {quarter} e. V.",
            "Wir begleiten ältere Menschen zum Arzt, helfen beim Einkaufen und besuchen Menschen, "
            "die allein leben. Schon eine Stunde pro Woche hilft.",
        ),
        (
            f"Tierschutzverein {town} und Umgebung e. V.",
            "Wir betreiben ein kleines Tierheim und vermitteln Hunde und Katzen. Gassigehende und "
            "Pflegestellen werden immer gesucht.",
        ),
        (
            f"Chorgemeinschaft {quarter} e. V.",
            f"Rund {members // 4 + 10} Sängerinnen und Sänger proben jeden Donnerstag. Neue "
            "Stimmen sind willkommen, Noten lesen ist keine Voraussetzung.",
        ),
        (
            f"Förderverein der Grundschule {quarter} e. V.",
            "Wir unterstützen die Schule bei Ausflügen, der Hausaufgabenbetreuung und dem "
            "Schulgarten und organisieren das Schulfest.",
        ),
        (
            f"Kleingartenverein {quarter} e. V.",
            "Unsere Anlage hat Parzellen für Familien und einen Gemeinschaftsgarten, in dem "
            "Kinder aus der Nachbarschaft gärtnern lernen.",
        ),
        (
            f"Schützengesellschaft {quarter} {year} e. V.",
            "Wir pflegen Brauchtum und Sportschießen und richten jedes Jahr das Schützenfest aus.",
        ),
        (
            f"Kulturverein {surname}haus e. V.",
            "Wir organisieren Lesungen, Konzerte und Ausstellungen in unserem Kulturhaus und "
            "suchen Menschen, die an der Kasse oder beim Aufbau helfen.",
        ),
    )
    return rng.choice(options)


def _initiative(rng: random.Random, town: str, quarter: str, surname: str) -> tuple[str, str]:
    options = (
        (
            f"Repair-Café {quarter}",
            "Einmal im Monat reparieren wir gemeinsam Toaster, Fahrräder und Kleidung. Wer "
            "gern tüftelt, ist bei uns richtig.",
        ),
        (
            f"Lesepaten {quarter}",
            "Ehrenamtliche lesen in Kitas und Grundschulen vor und wecken Freude an Büchern.",
        ),
        (
            f"Foodsharing {town}",
            "Wir holen Lebensmittel bei Betrieben ab, die sonst weggeworfen würden, und verteilen "
            "sie über Fairteiler in der Stadt.",
        ),
        (
            f"Willkommensinitiative {quarter}",
            "Wir begleiten geflüchtete Familien bei Behördengängen, bieten Sprachcafés an und "
            "vermitteln Patenschaften.",
        ),
        (
            f"Gemeinschaftsgarten {quarter}",
            "Auf einer Brachfläche gärtnern wir mit Menschen aus der Nachbarschaft. Jeden "
            "Samstag ist offener Gartentag.",
        ),
        (
            f"Offene Fahrradwerkstatt {quarter}",
            "Werkzeug, Ersatzteile und Hilfe zur Selbsthilfe: bei uns reparieren alle ihr Rad "
            "selbst.",
        ),
        (
            f"Elterninitiative Kinderhaus {surname}straße",
            "Eltern gestalten gemeinsam eine kleine Kita und packen bei Festen und Renovierungen "
            "mit an.",
        ),
        (
            f"Bürgerinitiative Mehr Grün für {quarter}",
            "Wir pflanzen Bäume, pflegen Blühstreifen und setzen uns für mehr Grün im Viertel ein.",
        ),
    )
    return rng.choice(options)


def _church(rng: random.Random, town: str, quarter: str, surname: str) -> tuple[str, str]:
    saint = rng.choice(SAINTS)
    options = (
        (
            f"Katholische Pfarrei St. {saint} {quarter}",
            "Unsere Pfarrei lebt vom Engagement vieler: im Besuchsdienst, in der Jugendarbeit, "
            "im Kirchenchor und beim Pfarrfest.",
        ),
        (
            f"Evangelische Kirchengemeinde {quarter}",
            "Wir laden ein zu Gottesdiensten, Seniorennachmittagen und zur Hausaufgabenhilfe im "
            "Gemeindehaus.",
        ),
        (
            f"Evangelisch-Freikirchliche Gemeinde {quarter}",
            "Unsere Gemeinde betreibt eine Kleiderkammer und ein Elterncafé und sucht Helfende "
            "für die Hausaufgabenbetreuung.",
        ),
        (
            f"Neuapostolische Kirche {quarter}",
            "Wir besuchen kranke und einsame Menschen und laden monatlich zum offenen "
            "Mittagstisch ein.",
        ),
        (
            f"Griechisch-Orthodoxe Gemeinde {town}",
            "Neben Gottesdiensten bieten wir Sprachkurse und Feste an, zu denen alle eingeladen "
            "sind.",
        ),
        (
            f"Islamische Gemeinde {town}",
            "Neben dem Gebet bieten wir Nachhilfe, einen Frauentreff und Begegnungsabende für "
            "alle Nachbarinnen und Nachbarn an.",
        ),
    )
    return rng.choice(options)


def _school(rng: random.Random, town: str, quarter: str, surname: str) -> tuple[str, str]:
    options = (
        (
            f"Grundschule {quarter}",
            "Ehrenamtliche unterstützen bei Lesestunden, im Schulgarten und bei der "
            "Hausaufgabenbetreuung am Nachmittag.",
        ),
        (
            f"{rng.choice(NAMESAKES).replace(' ', '-')}-Gymnasium {town}",
            "Unsere Schülerinnen und Schüler engagieren sich als Streitschlichter, Schulsanitäter "
            "und in Projekten mit dem Seniorenheim nebenan.",
        ),
        (
            f"Mittelschule {quarter}",
            "Wir suchen Ausbildungspatinnen und -paten, die Jugendliche beim Übergang in den "
            "Beruf begleiten.",
        ),
        (
            f"Volkshochschule {town}",
            "Ehrenamtliche Lernbegleiterinnen und -begleiter helfen in unseren Sprach- und "
            "Alphabetisierungskursen.",
        ),
    )
    return rng.choice(options)


def _business(rng: random.Random, town: str, quarter: str, surname: str) -> tuple[str, str]:
    trade, offer = rng.choice(TRADES)
    options = (
        (
            f"{trade} {surname}",
            f"{offer} in {quarter}. Unser Team engagiert sich beim Stadtlauf und unterstützt "
            "Vereine mit Spenden.",
        ),
        (
            f"{surname} Haustechnik GmbH",
            "Als Ausbildungsbetrieb stellen wir Mitarbeitende für Corporate-Volunteering-Tage frei.",
        ),
        (
            f"Stadtwerke {town} GmbH",
            "Wir versorgen die Stadt mit Strom und Wasser und fördern mit unserem Vereinsfonds "
            "Projekte des Ehrenamts.",
        ),
        (
            f"Sparkasse {town}",
            "Mit unserer Stiftung unterstützen wir Kultur, Sport und Soziales in der Region.",
        ),
    )
    return rng.choice(options)


def _administration(rng: random.Random, town: str, quarter: str, surname: str) -> tuple[str, str]:
    options = (
        (
            f"Stadtbibliothek {town}",
            "Ehrenamtliche bringen Bücher zu Menschen, die nicht mehr selbst kommen können, und "
            "helfen im Lesecafé.",
        ),
        (
            f"Quartiersmanagement {quarter}",
            "Wir bringen Menschen, Vereine und Verwaltung im Stadtteil zusammen und fördern "
            "Nachbarschaftsprojekte.",
        ),
        (
            f"Amt für Jugend und Familie {town}",
            "Wir suchen Pflegefamilien, Vormundinnen und Vormunde und ehrenamtliche "
            "Familienpatinnen.",
        ),
        (
            f"Integrationsbeirat {town}",
            "Der Beirat vertritt die Anliegen der Menschen mit Einwanderungsgeschichte gegenüber "
            "Stadtrat und Verwaltung.",
        ),
    )
    return rng.choice(options)


def _other(rng: random.Random, town: str, quarter: str, surname: str) -> tuple[str, str]:
    options = (
        (
            f"Jugendzentrum {quarter}",
            "Offener Treff für Jugendliche mit Bandraum, Werkstatt und Hausaufgabenhilfe.",
        ),
        (
            f"Familienzentrum {quarter}",
            "Beratung, Eltern-Kind-Gruppen und ein offenes Café für Familien im Stadtteil.",
        ),
        (
            f"Stadtjugendring {town}",
            "Dachverband der Jugendverbände: wir bilden Jugendleiterinnen und Jugendleiter aus.",
        ),
        (
            f"Nachbarschaftstreff {surname}straße",
            "Ein Raum für alle im Viertel: Spieleabende, Sprechstunden und ein offenes Café, "
            "getragen von Ehrenamtlichen.",
        ),
        (
            f"Stadtteilbüro {quarter}",
            "Hier laufen die Fäden im Stadtteil zusammen: Beratung, Raumvergabe und "
            "Nachbarschaftsprojekte.",
        ),
        (
            f"Bürgerhaus {quarter}",
            "Räume für Vereine, Feste und Kurse; ein ehrenamtliches Team betreibt das Café.",
        ),
    )
    return rng.choice(options)


def _singular(kind: str, town: str, quarter: str) -> tuple[str, str]:
    return {
        "volunteer_agency": (
            f"Freiwilligenagentur {town}",
            "Wir beraten alle, die sich engagieren möchten, und vermitteln passende Aufgaben in "
            "Vereinen und Einrichtungen. Wir begleiten Organisationen bei der Gewinnung von "
            "Freiwilligen.",
        ),
        "self_help_contact": (
            f"Selbsthilfekontaktstelle {town}",
            "Wir unterstützen Menschen, die eine Selbsthilfegruppe suchen oder gründen wollen, und "
            "stellen Räume zur Verfügung.",
        ),
        "senior_office": (
            f"Seniorenbüro {quarter}",
            "Anlaufstelle für ältere Menschen: Beratung, Besuchsdienste und Angebote von "
            "Seniorinnen und Senioren für Seniorinnen und Senioren.",
        ),
        "civic_foundation": (
            f"Bürgerstiftung {town}",
            "Von Bürgerinnen und Bürgern für ihre Stadt: wir fördern Projekte für Bildung, "
            "Nachbarschaft und Kultur und verleihen jährlich einen Ehrenamtspreis.",
        ),
        "multi_generation_house": (
            f"Mehrgenerationenhaus {quarter}",
            "Offener Treff für Jung und Alt mit Mittagstisch, Lernpatenschaften und "
            "Kinderbetreuung – getragen von vielen Ehrenamtlichen.",
        ),
    }[kind]


_MAKERS = {
    "club": _club,
    "initiative": _initiative,
    "church": _church,
    "school": _school,
    "business": _business,
    "administration": _administration,
    "other": _other,
}


def organisation_profile(
    rng: random.Random, kind: str, *, town: str, quarter: str, surname: str
) -> tuple[str, str]:
    """The name and description of an organisation of `kind` in `town` (Stadtteil `quarter`)."""
    maker = _MAKERS.get(kind)
    if maker is None:
        return _singular(kind, town, quarter)
    return maker(rng, town, quarter, surname)
