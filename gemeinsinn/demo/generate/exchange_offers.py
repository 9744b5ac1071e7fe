"""Citizens' offers of help in the demo ("Ich kann Fahrdienste übernehmen"): a share of the
volunteers with a profile says what they can do, so organisations and the office find offers
to browse. Fields, skills, Stadtteil and times come from the person's profile where it has them;
titles and descriptions are put together from small phrase lists so that they vary.

Rows at every scale (after full_clean at small scale), like the profiles. An offer is keyed by
person and title (and its public id, drawn from the seed), so that a second run adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from gemeinsinn.demo.generate.exchange import (
    Person,
    Town,
    demo_volunteer,
    draw_public_id,
    terms,
)
from gemeinsinn.demo.generate.opportunity_texts import DAY_WORDS
from gemeinsinn.demo.generate.run import BATCH, DemoRun, batches
from gemeinsinn.opportunities.models import (
    Offer,
    VolunteerProfile,
    slots_from_keys,
    slots_to_keys,
)

OFFER_SHARE = 0.08
# The most offers one load writes, by scale; scales of tests get the small one's.
OFFER_CAPS = {"small": 20, "city": 300, "state": 2_000}
DEFAULT_CAP = 20
# (status, weight): most offers are visible; a few are paused or withdrawn.
STATUSES = (("published", 86), ("paused", 8), ("withdrawn", 6))
# Of the published ones, this share is past its date: nobody has renewed it.
PUBLISHED_BUT_PAST = 0.05

PARTS = {"morning": "vormittags", "afternoon": "nachmittags", "evening": "abends"}
SUBJECTS = ("Mathe", "Mathe", "Deutsch", "Englisch", "Physik", "Französisch", "Latein", "Chemie")
OTHER_LANGUAGES = ("Arabisch", "Türkisch", "Russisch", "Ukrainisch", "Farsi", "Polnisch")
TITLE_SUFFIXES = (
    " – auch kurzfristig",
    " – gern regelmäßig",
    " – auch am Wochenende",
    " – gern in meiner Nachbarschaft",
)


@dataclass(frozen=True)
class Theme:
    """What a person can offer, with the words to say it."""

    key: str
    skills: tuple[str, ...]
    fields: tuple[str, ...]
    titles: tuple[str, ...]
    details: tuple[str, ...]
    remote: bool = False
    minimum_age: int = 0


THEMES: tuple[Theme, ...] = (
    Theme(
        "fahrdienst",
        ("fahren",),
        ("soziales", "gesundheit"),
        (
            "Ich kann Fahrdienste übernehmen",
            "Ich habe ein Auto und übernehme gern Fahrten",
            "Ich fahre Menschen zu Terminen und Veranstaltungen",
        ),
        (
            "Ich habe ein eigenes Auto und fahre sicher und gern.",
            "Ich fahre Menschen zum Einkaufen, zur Ärztin oder zum Seniorentreff.",
            "In meinen Wagen passt auch ein zusammengeklappter Rollator.",
        ),
        minimum_age=18,
    ),
    Theme(
        "transporte",
        ("fahren", "handwerk"),
        ("sonstiges", "freizeit-geselligkeit"),
        (
            "Ich übernehme Transporte für Vereine",
            "Ich helfe bei Umzügen und Transporten",
        ),
        (
            "Ich habe einen Führerschein für Transporter und packe mit an.",
            "Getränke und Bänke für ein Fest, Möbel für eine Kleiderkammer: Ich fahre sie hin.",
            "Einen Anhänger kann ich mir bei Bedarf leihen.",
        ),
        minimum_age=18,
    ),
    Theme(
        "arztbegleitung",
        ("pflege-begleitung",),
        ("soziales", "gesundheit"),
        (
            "Ich begleite Menschen zu Arztterminen",
            "Ich begleite Sie zu Ämtern und Arztterminen",
            "Ich komme mit zu Terminen, damit niemand allein gehen muss",
        ),
        (
            "Ich begleite Menschen zu Arztterminen, ins Krankenhaus oder zu Ämtern.",
            "Im Wartezimmer leiste ich Gesellschaft und höre beim Gespräch mit zu.",
            "Mit Bus und Bahn kenne ich mich gut aus und helfe beim Umsteigen.",
        ),
        minimum_age=18,
    ),
    Theme(
        "besuche",
        ("pflege-begleitung",),
        ("soziales", "gesundheit", "kirche-religion"),
        (
            "Ich besuche ältere Menschen und lese vor",
            "Ich habe Zeit für Besuche und Gespräche",
            "Ich gehe mit Menschen spazieren, die nicht mehr allein hinausgehen",
        ),
        (
            "Ich besuche gern ältere Menschen zu Hause oder im Pflegeheim.",
            "Wir können spazieren gehen, Zeitung lesen oder einfach erzählen.",
            "Ich höre geduldig zu und habe Zeit für ein Gespräch.",
        ),
    ),
    Theme(
        "spiele",
        (),
        ("soziales", "freizeit-geselligkeit"),
        (
            "Ich spiele Karten und Brettspiele mit Senior:innen",
            "Ich leite einen Spielenachmittag im Seniorentreff",
        ),
        (
            "Skat, Rommé oder Mensch ärgere dich nicht: Ich spiele alles gern mit.",
            "Gesellschaftsspiele bringe ich mit.",
            "Kaffee und Gespräch gehören für mich dazu.",
        ),
    ),
    Theme(
        "hausaufgaben",
        ("paedagogik",),
        ("schule-kindergarten", "jugendarbeit-bildung"),
        (
            "Ich helfe bei Hausaufgaben in {subject}",
            "Ich gebe Nachhilfe in {subject}",
            "Ich lerne mit Schüler:innen {subject} für Klassenarbeiten",
        ),
        (
            "Ich helfe Schülerinnen und Schülern der Klassen 5 bis 10 in {subject}.",
            "In {subject} war ich selbst immer gut und erkläre gern mit Geduld.",
            "Gern auch in einer kleinen Gruppe in der Schule oder im Jugendtreff.",
        ),
        remote=True,
    ),
    Theme(
        "vorlesen",
        ("paedagogik",),
        ("schule-kindergarten", "kultur-musik"),
        (
            "Ich lese Kindern in der Kita vor",
            "Ich lese in der Stadtbibliothek für Kinder vor",
        ),
        (
            "Ich lese Kindern gern vor und habe viele Bilderbücher zu Hause.",
            "Beim Vorlesen verstelle ich gern die Stimmen, die Kinder lieben das.",
            "Ein erweitertes Führungszeugnis bringe ich gern mit.",
        ),
        minimum_age=16,
    ),
    Theme(
        "ferien",
        ("paedagogik", "sport-anleitung"),
        ("jugendarbeit-bildung", "freizeit-geselligkeit"),
        (
            "Ich betreue Kinder bei Ferienaktionen",
            "Ich helfe bei Ausflügen und Zeltlagern für Kinder",
        ),
        (
            "In den Ferien helfe ich bei Ausflügen, Spielen und Bastelaktionen.",
            "Ich habe eine Jugendleiter-Card und Erfahrung mit Gruppen.",
            "Ein erweitertes Führungszeugnis bringe ich gern mit.",
        ),
        minimum_age=16,
    ),
    Theme(
        "fahrrad",
        ("handwerk",),
        ("umwelt-natur-tierschutz", "freizeit-geselligkeit", "sonstiges"),
        (
            "Ich repariere Fahrräder",
            "Ich helfe im Repair-Café bei Fahrrädern",
            "Ich mache Fahrräder für Geflüchtete und Kinder wieder flott",
        ),
        (
            "Platten, Bremsen, Licht und Schaltung: Die meisten Fahrräder bekomme ich wieder hin.",
            "Werkzeug bringe ich mit, Ersatzteile müssten gestellt werden.",
            "Gern zeige ich auch, wie man einen Schlauch selbst flickt.",
        ),
    ),
    Theme(
        "elektro",
        ("handwerk", "it-digitales"),
        ("umwelt-natur-tierschutz", "sonstiges"),
        (
            "Ich repariere kleine Elektrogeräte",
            "Ich helfe im Repair-Café bei Toastern, Lampen und Radios",
        ),
        (
            "Ich habe beruflich mit Elektrotechnik zu tun und löte gern.",
            "Toaster, Lampen oder Radios schaue ich mir gern an.",
            "Was sich reparieren lässt, muss nicht auf den Müll.",
        ),
        minimum_age=18,
    ),
    Theme(
        "renovieren",
        ("handwerk",),
        ("soziales", "sonstiges"),
        (
            "Ich kann kleine Reparaturen übernehmen",
            "Ich streiche, tapeziere und baue Möbel auf",
        ),
        (
            "Ich bin handwerklich geschickt und habe eigenes Werkzeug.",
            "Für einen Verein oder eine Einrichtung packe ich auch bei größeren Arbeiten mit an.",
            "Regale, Schränke, eine tropfende Leitung: Ich schaue es mir an.",
        ),
        minimum_age=18,
    ),
    Theme(
        "dolmetschen",
        ("sprachen",),
        ("soziales",),
        (
            "Ich kann {languages} dolmetschen",
            "Ich dolmetsche {languages} bei Behördengängen",
            "Ich helfe mit {languages} bei Gesprächen in Schule und Kita",
        ),
        (
            "Ich spreche {languages} und helfe bei Gesprächen in Ämtern, Schulen und Praxen.",
            "Kurze Briefe übersetze ich auch schriftlich.",
            "Ich weiß, wie schwer der Anfang in einem neuen Land ist.",
        ),
        remote=True,
    ),
    Theme(
        "deutsch",
        ("sprachen", "paedagogik"),
        ("soziales", "jugendarbeit-bildung"),
        (
            "Ich übe Deutsch mit Menschen, die neu hier sind",
            "Ich leite ein Sprachcafé für Deutschlernende",
            "Ich helfe bei der Vorbereitung auf Deutschprüfungen",
        ),
        (
            "Wir sprechen über Alltag, Arbeit und alles, was gerade wichtig ist.",
            "Ich habe Erfahrung mit Deutsch als Fremdsprache.",
            "Gern treffe ich mich in der Bibliothek oder im Café.",
        ),
        remote=True,
    ),
    Theme(
        "digital",
        ("it-digitales",),
        ("soziales", "sonstiges"),
        (
            "Ich helfe Senior:innen mit Smartphone und Tablet",
            "Ich erkläre Videoanrufe, Online-Banking und Apps",
            "Ich richte Computer ein und erkläre sie",
        ),
        (
            "Ich erkläre in Ruhe und so oft wie nötig, ohne Fachwörter.",
            "WhatsApp, Fotos, Online-Termine beim Bürgeramt: Wir üben, was Sie brauchen.",
            "Einen Laptop zum Üben kann ich mitbringen.",
        ),
        remote=True,
    ),
    Theme(
        "website",
        ("it-digitales", "kommunikation"),
        ("sonstiges", "kultur-musik", "sport-bewegung"),
        (
            "Ich baue und pflege Websites für Vereine",
            "Ich helfe Vereinen bei Website und Online-Anmeldung",
        ),
        (
            "Beruflich arbeite ich mit Websites und kenne die gängigen Baukästen.",
            "Ich pflege Texte und Bilder ein und zeige, wie man es selbst macht.",
            "Das meiste erledige ich von zu Hause aus.",
        ),
        remote=True,
    ),
    Theme(
        "social-media",
        ("kommunikation",),
        ("kultur-musik", "sport-bewegung", "sonstiges"),
        (
            "Ich betreue Social-Media-Kanäle für Vereine",
            "Ich schreibe Texte und Pressemitteilungen für Vereine",
        ),
        (
            "Ich schreibe gern und habe Erfahrung mit Vereinszeitungen.",
            "Beiträge für Instagram und Facebook plane ich gern im Voraus.",
            "Ich kenne die Lokalredaktion und weiß, was sie braucht.",
        ),
        remote=True,
    ),
    Theme(
        "fotos",
        ("kommunikation", "musik-kunst"),
        ("kultur-musik", "sonstiges"),
        (
            "Ich fotografiere bei Veranstaltungen",
            "Ich gestalte Flyer und Plakate",
        ),
        (
            "Mit meiner Kamera halte ich Feste und Aktionen fest.",
            "Flyer und Plakate gestalte ich am Computer, auch in Leichter Sprache.",
            "Die Bilder dürfen Sie für Website und Presse verwenden.",
        ),
    ),
    Theme(
        "kochen",
        ("kochen",),
        ("soziales", "freizeit-geselligkeit", "kirche-religion"),
        (
            "Ich koche für Feste und Veranstaltungen",
            "Ich helfe beim Mittagstisch in der Küche",
        ),
        (
            "Ich koche gern für viele Menschen, auch vegetarisch.",
            "Eine Belehrung nach dem Infektionsschutzgesetz habe ich.",
            "Beim Schnippeln, Abwaschen und Ausgeben packe ich genauso mit an.",
        ),
    ),
    Theme(
        "backen",
        ("kochen",),
        ("freizeit-geselligkeit", "schule-kindergarten", "kirche-religion"),
        (
            "Ich backe Kuchen für Vereinsfeste",
            "Ich backe mit Kindern",
        ),
        (
            "Für ein Fest backe ich auch drei Bleche Kuchen.",
            "Backen macht mir Freude, am liebsten nach alten Familienrezepten.",
            "Auch glutenfreie und vegane Kuchen bekomme ich hin.",
        ),
    ),
    Theme(
        "garten",
        ("gaertnern",),
        ("umwelt-natur-tierschutz",),
        (
            "Ich helfe bei der Pflege von Gemeinschaftsgärten",
            "Ich kann Hecken schneiden und Beete pflegen",
            "Ich pflege Grünflächen an Schulen und Kitas",
        ),
        (
            "Ich habe selbst einen Garten und kenne mich mit Pflanzen aus.",
            "Gartengeräte bringe ich gern mit.",
            "Auch beim Anlegen eines Schulgartens mit Kindern helfe ich.",
        ),
    ),
    Theme(
        "naturschutz",
        ("gaertnern",),
        ("umwelt-natur-tierschutz",),
        (
            "Ich helfe bei Baumpflanzaktionen",
            "Ich helfe bei Müllsammelaktionen",
            "Ich betreue Nistkästen und zähle Vögel",
        ),
        (
            "Ich bin gern draußen, bei jedem Wetter.",
            "Natur- und Tierschutz liegen mir am Herzen.",
            "Handschuhe und Greifzange habe ich selbst.",
        ),
    ),
    Theme(
        "tierheim",
        (),
        ("umwelt-natur-tierschutz",),
        (
            "Ich gehe mit Hunden aus dem Tierheim spazieren",
            "Ich helfe im Tierheim bei der Pflege der Tiere",
        ),
        (
            "Mit Hunden habe ich viel Erfahrung.",
            "Ich bin gern draußen, bei jedem Wetter.",
            "Auch Ställe ausmisten und Futter verteilen macht mir nichts aus.",
        ),
    ),
    Theme(
        "kasse",
        ("finanzen",),
        ("sonstiges", "politik-interessenvertretung", "berufliche-interessenvertretung"),
        (
            "Ich kann die Kasse eines Vereins führen",
            "Ich helfe Vereinen bei der Buchhaltung",
            "Ich prüfe Vereinskassen",
        ),
        (
            "Beruflich hatte ich lange mit Buchhaltung zu tun.",
            "Mit Tabellen, Belegen und Spendenquittungen kenne ich mich aus.",
            "Vieles davon erledige ich von zu Hause aus.",
        ),
        remote=True,
        minimum_age=18,
    ),
    Theme(
        "formulare",
        ("recht",),
        ("soziales", "justiz-kriminalitaet", "sonstiges"),
        (
            "Ich helfe beim Ausfüllen von Anträgen und Formularen",
            "Ich erkläre Briefe von Ämtern",
        ),
        (
            "Ich habe lange in einer Verwaltung gearbeitet und kenne die Formulare.",
            "Rechtsberatung darf ich nicht geben, aber ich helfe beim Verstehen und Ausfüllen.",
            "Wohngeld, Kindergeld, Rente: Wir schauen es gemeinsam an.",
        ),
        minimum_age=18,
    ),
    Theme(
        "satzung",
        ("recht", "organisation"),
        ("sonstiges", "politik-interessenvertretung"),
        (
            "Ich unterstütze Vereine bei Satzungsfragen",
            "Ich helfe bei der Gründung eines Vereins",
        ),
        (
            "Satzung, Gemeinnützigkeit, Eintrag ins Vereinsregister: Ich kenne die Schritte.",
            "Ich war viele Jahre im Vorstand eines Vereins.",
            "Wir gehen die Unterlagen gemeinsam durch.",
        ),
        remote=True,
        minimum_age=18,
    ),
    Theme(
        "singen",
        ("musik-kunst",),
        ("kultur-musik", "soziales"),
        (
            "Ich spiele Gitarre und singe mit Senior:innen",
            "Ich spiele Klavier bei Festen und Feiern",
        ),
        (
            "Ich mache seit vielen Jahren Musik und spiele gern für andere.",
            "Volkslieder, Schlager oder Kinderlieder: Ich richte mich nach den Wünschen.",
            "Liederzettel in großer Schrift bringe ich mit.",
        ),
    ),
    Theme(
        "basteln",
        ("musik-kunst", "paedagogik"),
        ("kultur-musik", "schule-kindergarten"),
        (
            "Ich biete Bastelnachmittage für Kinder an",
            "Ich male und zeichne mit Kindern",
        ),
        (
            "Material zum Basteln und Malen bringe ich mit.",
            "Ich male selbst und zeige gern, wie es geht.",
            "Zu Ostern, Laternenfest und Weihnachten habe ich viele Ideen.",
        ),
    ),
    Theme(
        "sport-gruppe",
        ("sport-anleitung",),
        ("sport-bewegung", "gesundheit"),
        (
            "Ich leite eine Laufgruppe an",
            "Ich gehe mit einer Gruppe Nordic Walking",
            "Ich biete Sitzgymnastik für Ältere an",
        ),
        (
            "Ich habe eine Übungsleiterlizenz.",
            "Ich mache selbst viel Sport und gebe die Freude daran gern weiter.",
            "Anfängerinnen und Anfänger sind genauso willkommen wie Geübte.",
        ),
    ),
    Theme(
        "kindersport",
        ("sport-anleitung",),
        ("sport-bewegung", "jugendarbeit-bildung"),
        (
            "Ich trainiere eine Kinder-Fußballgruppe",
            "Ich helfe beim Kinderturnen",
        ),
        (
            "Ich habe selbst lange Sport im Verein gemacht.",
            "Bei den Kleinen kommt es auf den Spaß an, nicht auf Leistung.",
            "Ein erweitertes Führungszeugnis bringe ich gern mit.",
        ),
        minimum_age=16,
    ),
    Theme(
        "erste-hilfe",
        ("erste-hilfe",),
        ("unfall-rettungsdienst-feuerwehr", "gesundheit"),
        (
            "Ich übernehme den Sanitätsdienst bei Vereinsfesten",
            "Ich übernehme die Erste Hilfe bei Veranstaltungen",
            "Ich zeige Erste Hilfe in Vereinen und Schulen",
        ),
        (
            "Mein Erste-Hilfe-Kurs ist aktuell.",
            "Ich war viele Jahre im Sanitätsdienst.",
            "Ich erkläre die wichtigsten Handgriffe so, dass man sie behält.",
        ),
        minimum_age=18,
    ),
    Theme(
        "feste",
        ("organisation",),
        ("freizeit-geselligkeit", "kultur-musik"),
        (
            "Ich helfe bei der Organisation von Festen",
            "Ich koordiniere Helfer:innen bei Veranstaltungen",
        ),
        (
            "Ich behalte auch bei vielen Beteiligten den Überblick.",
            "Dienstpläne, Einkaufslisten und Absprachen mit Ämtern übernehme ich gern.",
            "Ich habe schon Straßenfeste und Flohmärkte mit organisiert.",
        ),
    ),
    Theme(
        "ausfluege",
        ("organisation",),
        ("soziales", "freizeit-geselligkeit"),
        (
            "Ich plane Ausflüge für Senior:innen",
            "Ich begleite Gruppen auf Ausflügen",
        ),
        (
            "Ich kenne die Gegend gut und habe viele Ideen für Ausflüge.",
            "Fahrkarten, Pausen und ein Café für unterwegs plane ich mit.",
            "Auch mit Rollstuhl und Rollator finden wir einen Weg.",
        ),
    ),
    Theme(
        "einkaufen",
        (),
        ("soziales",),
        (
            "Ich kaufe für Nachbarinnen und Nachbarn ein",
            "Ich erledige Einkäufe für Menschen, die nicht gut laufen können",
        ),
        (
            "Einkäufe erledige ich zu Fuß oder mit dem Lastenrad.",
            "Ich bin zuverlässig und rechne mit Kassenbon ab.",
            "Auch Apotheke und Post nehme ich gern mit.",
        ),
    ),
    Theme(
        "anpacken",
        (),
        ("soziales", "sonstiges"),
        (
            "Ich helfe bei der Lebensmittelausgabe",
            "Ich packe mit an, wo Hilfe gebraucht wird",
        ),
        (
            "Ich kann gut anpacken und bin zuverlässig.",
            "Für den Anfang reicht mir eine kurze Einweisung.",
            "Sortieren, Tragen, Ausgeben: Ich helfe, wo es gerade fehlt.",
        ),
    ),
)

BACKGROUNDS = {
    "young": (
        "Ich gehe noch zur Schule und möchte mich neben dem Unterricht engagieren.",
        "Ich mache bald Abitur und möchte etwas Sinnvolles tun.",
    ),
    "student": (
        "Ich studiere und suche neben dem Studium etwas Sinnvolles.",
        "Ich mache gerade eine Ausbildung und habe abends Zeit.",
        "Ich bin neu in {town} und möchte Menschen kennenlernen.",
    ),
    "working": (
        "Ich arbeite in Teilzeit und möchte mich in meiner freien Zeit engagieren.",
        "Ich bin berufstätig, habe aber regelmäßig ein paar Stunden frei.",
        "Meine Kinder sind aus dem Haus, jetzt habe ich wieder mehr Zeit.",
        "Ich bin neu in {town} und möchte mich hier einbringen.",
    ),
    "retired": (
        "Ich bin seit Kurzem im Ruhestand und habe Zeit.",
        "Im Ruhestand habe ich Zeit und möchte sie sinnvoll nutzen.",
        "Ich lebe seit vielen Jahren in {town} und möchte etwas zurückgeben.",
    ),
}
CLOSINGS = (
    "Schreiben Sie mir gern!",
    "Ich freue mich über eine Nachricht.",
    "Melden Sie sich einfach, dann besprechen wir alles Weitere.",
    "Gern lernen wir uns erst einmal kennen.",
    "Ich freue mich darauf, Sie kennenzulernen.",
)

# The demo volunteer offers what her profile says she can do (fahren, kochen, organisation).
DEMO_VOLUNTEER_OFFER: dict[str, Any] = {
    "title": "Ich kann Fahrdienste übernehmen",
    "description": (
        "Ich habe ein eigenes Auto und fahre Menschen zum Einkaufen, zur Ärztin oder zum "
        "Seniorentreff. Auch Transporte für die Tafel oder ein Vereinsfest übernehme ich.\n\n"
        "Zeit habe ich dienstags abends und samstags vormittags.\n\n"
        "Schreiben Sie mir gern!"
    ),
    "fields": ("soziales",),
    "skills": ("fahren", "organisation"),
    "slots": ("tue_evening", "sat_morning"),
    "days": 150,
}


@dataclass(frozen=True)
class ProfileFacts:
    """What an offer takes from its person's profile."""

    user: int
    municipality_id: int
    district: int | None
    district_name: str | None
    time_slots: int
    remote_ok: bool
    languages: tuple[str, ...]
    interests: tuple[str, ...]
    skills: tuple[str, ...]


@dataclass(frozen=True)
class OfferSpec:
    user: int
    municipality_id: int
    district: int | None
    values: dict[str, Any]
    engagement_fields: tuple[str, ...]
    skills: tuple[str, ...]


def offer_cap(scale_name: str) -> int:
    return OFFER_CAPS.get(scale_name, DEFAULT_CAP)


def offers_generate(run: DemoRun, towns: dict[int, Town], people: dict[int, list[Person]]) -> None:
    """Offers for a share of the people with a profile, and one for the demo volunteer."""
    rng = run.rng("exchange_offers")
    demo = demo_volunteer()
    everyone = [p for persons in people.values() for p in persons if p.pk != demo]
    chosen = [p for p in everyone if rng.random() < OFFER_SHARE]
    cap = offer_cap(run.scale.name)
    if len(chosen) > cap:
        keep = sorted(rng.sample(range(len(chosen)), cap))
        chosen = [chosen[i] for i in keep]
    demo_person = next(
        (p for p in people.get(run.places[0].municipality.pk, []) if p.pk == demo), None
    )
    if demo_person is not None:
        chosen.insert(0, demo_person)
    facts = _facts([p.pk for p in chosen])
    specs: list[OfferSpec] = []
    for person in chosen:
        profile = facts.get(person.pk)
        if profile is None:
            continue
        town = towns[profile.municipality_id]
        if person.pk == demo:
            specs.append(_demo_offer(run.today, profile))
        else:
            specs.append(_offer(rng, run.today, town, person, profile))
    _write(run, rng, specs)


def _facts(users: list[int]) -> dict[int, ProfileFacts]:
    through_interests = VolunteerProfile.interests.through
    through_skills = VolunteerProfile.skills.through
    facts: dict[int, ProfileFacts] = {}
    for batch in batches(users):
        interests: dict[int, list[str]] = {}
        for user, slug in through_interests.objects.filter(
            volunteerprofile__user_id__in=batch
        ).values_list("volunteerprofile__user_id", "fieldofengagement__slug"):
            interests.setdefault(user, []).append(slug)
        skills: dict[int, list[str]] = {}
        for user, slug in through_skills.objects.filter(
            volunteerprofile__user_id__in=batch
        ).values_list("volunteerprofile__user_id", "skill__slug"):
            skills.setdefault(user, []).append(slug)
        for user, town, district, name, slots, remote, languages in VolunteerProfile.objects.filter(
            user_id__in=batch
        ).values_list(
            "user_id",
            "municipality_id",
            "district_id",
            "district__name",
            "time_slots",
            "remote_ok",
            "languages",
        ):
            facts[user] = ProfileFacts(
                user=user,
                municipality_id=town,
                district=district,
                district_name=name,
                time_slots=slots,
                remote_ok=remote,
                languages=tuple(
                    w.strip() for w in languages.split(",") if w.strip() and w.strip() != "Deutsch"
                ),
                interests=tuple(sorted(interests.get(user, ()))),
                skills=tuple(sorted(skills.get(user, ()))),
            )
    return facts


def _theme(rng: random.Random, person: Person, profile: ProfileFacts) -> Theme:
    """A theme that suits the person: their skills first, then their interests."""
    weights = []
    for theme in THEMES:
        if person.age is not None and person.age < theme.minimum_age:
            weights.append(0.0)
            continue
        weight = 0.3
        if set(theme.skills) & set(profile.skills):
            weight += 4
        if set(theme.fields) & set(profile.interests):
            weight += 1.5
        if theme.key == "dolmetschen" and not profile.languages:
            weight = 0.1
        weights.append(weight)
    (theme,) = rng.choices(THEMES, weights)
    return theme


def _languages(rng: random.Random, profile: ProfileFacts) -> str:
    languages = list(profile.languages)
    if not languages:
        languages = ["Englisch", rng.choice(OTHER_LANGUAGES)]
    if len(languages) == 1:
        return languages[0]
    return ", ".join(languages[:-1]) + " und " + languages[-1]


def _in(quarter: str) -> str:
    """ " in Weststadt", but " im Stadtteil Am Stadtpark" where the name has its preposition."""
    if quarter.split(" ", 1)[0] in ("Am", "An", "Auf", "Im", "In", "Zum", "Zur"):
        return f" im Stadtteil {quarter}"
    return f" in {quarter}"


def _stage(age: int | None) -> str:
    if age is None or 27 <= age < 63:
        return "working"
    if age < 18:
        return "young"
    if age < 27:
        return "student"
    return "retired"


def _times(slots: list[str]) -> str:
    if not slots:
        return "Zeitlich bin ich flexibel, am besten sprechen wir uns ab."
    if len(slots) > 4:
        parts = [PARTS[p] for p in PARTS if any(s.endswith(p) for s in slots)]
        when = (
            "zu unterschiedlichen Tageszeiten"
            if len(parts) == 3
            else "meist " + " oder ".join(parts)
        )
        return f"Zeit habe ich an mehreren Tagen in der Woche, {when}."
    words = [f"{DAY_WORDS[d]} {PARTS[p]}" for d, _sep, p in (s.partition("_") for s in slots)]
    said = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " und " + words[-1]
    return f"Zeit habe ich {said}."


def _offer(
    rng: random.Random, today: date, town: Town, person: Person, profile: ProfileFacts
) -> OfferSpec:
    theme = _theme(rng, person, profile)
    words = {
        "subject": rng.choice(SUBJECTS),
        "languages": _languages(rng, profile),
        "town": town.municipality.name,
    }
    title = rng.choice(theme.titles).format(**words)
    if rng.random() < 0.15:
        title += rng.choice(TITLE_SUFFIXES)

    # When: the profile's times, often only some of them.
    slots = slots_to_keys(profile.time_slots)
    if len(slots) > 1 and rng.random() < 0.5:
        slots = sorted(rng.sample(slots, rng.randint(1, len(slots))), key=slots.index)
    remote = theme.remote and profile.remote_ok and rng.random() < 0.7

    details = sorted(rng.sample(theme.details, rng.randint(1, 2)), key=theme.details.index)
    paragraphs = [" ".join(d.format(**words) for d in details)]
    if rng.random() < 0.7:
        paragraphs.append(rng.choice(BACKGROUNDS[_stage(person.age)]).format(**words))
    about = _times(slots)
    if profile.district_name and rng.random() < 0.5:
        about += (
            f" Ich wohne{_in(profile.district_name)} und bin am liebsten in der Nähe unterwegs."
        )
    if remote:
        about += " Vieles geht auch online oder von zu Hause aus."
    paragraphs.append(about)
    paragraphs.append(rng.choice(CLOSINGS))

    (status,) = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])
    if status == "withdrawn" and rng.random() < 0.5:
        expires_on = today - timedelta(days=rng.randint(1, 90))
    elif status == "published" and rng.random() < PUBLISHED_BUT_PAST:
        expires_on = today - timedelta(days=rng.randint(1, 30))
    else:
        expires_on = today + timedelta(days=rng.randint(7, 180))

    fields = [f for f in theme.fields if f in profile.interests] or [theme.fields[0]]
    skills = [s for s in theme.skills if s in profile.skills] or list(theme.skills[:1])
    return OfferSpec(
        user=person.pk,
        municipality_id=profile.municipality_id,
        district=profile.district,
        values={
            "title": title[:200],
            "description": "\n\n".join(paragraphs),
            "time_slots": slots_from_keys(slots),
            "is_remote": remote,
            "status": status,
            "expires_on": expires_on,
        },
        engagement_fields=tuple(fields[:2]),
        skills=tuple(skills),
    )


def _demo_offer(today: date, profile: ProfileFacts) -> OfferSpec:
    """The demo volunteer's offer is published and stays visible for months."""
    spec = DEMO_VOLUNTEER_OFFER
    return OfferSpec(
        user=profile.user,
        municipality_id=profile.municipality_id,
        district=profile.district,
        values={
            "title": spec["title"],
            "description": spec["description"],
            "time_slots": slots_from_keys(spec["slots"]),
            "is_remote": False,
            "status": "published",
            "expires_on": today + timedelta(days=spec["days"]),
        },
        engagement_fields=spec["fields"],
        skills=spec["skills"],
    )


def _write(run: DemoRun, rng: random.Random, specs: list[OfferSpec]) -> None:
    # Public ids are drawn for every offer, written or not, so a run draws the same ones.
    public_ids = [draw_public_id(rng) for _ in specs]
    fields, skills, _groups = terms({s.municipality_id for s in specs})
    through_fields = Offer.engagement_fields.through
    through_skills = Offer.skills.through
    pairs = list(zip(specs, public_ids, strict=True))
    with run.progress("Offers of help", len(specs)) as progress:
        for batch in batches(pairs, BATCH):
            existing = set(
                Offer.objects.filter(user_id__in=[s.user for s, _ in batch]).values_list(
                    "user_id", "title"
                )
            )
            taken = set(
                Offer.objects.filter(public_id__in=[p for _, p in batch]).values_list(
                    "public_id", flat=True
                )
            )
            new = [
                (s, p)
                for s, p in batch
                if (s.user, s.values["title"]) not in existing and p not in taken
            ]
            objects = []
            for spec, public_id in new:
                offer = Offer(
                    public_id=public_id,
                    municipality_id=spec.municipality_id,
                    user_id=spec.user,
                    district_id=spec.district,
                    **spec.values,
                )
                if not run.scale.bulk:
                    offer.full_clean(validate_unique=False)
                objects.append(offer)
            with transaction.atomic():
                created = Offer.objects.bulk_create(objects, batch_size=BATCH)
                ids = {o.public_id: o.pk for o in created}
                if any(pk is None for pk in ids.values()):  # a database without RETURNING
                    ids = dict(
                        Offer.objects.filter(public_id__in=list(ids)).values_list("public_id", "pk")
                    )
                through_fields.objects.bulk_create(
                    [
                        through_fields(
                            offer_id=ids[p], fieldofengagement_id=fields[(s.municipality_id, f)]
                        )
                        for s, p in new
                        for f in s.engagement_fields
                        if (s.municipality_id, f) in fields
                    ],
                    batch_size=BATCH,
                )
                through_skills.objects.bulk_create(
                    [
                        through_skills(offer_id=ids[p], skill_id=skills[(s.municipality_id, k)])
                        for s, p in new
                        for k in s.skills
                        if (s.municipality_id, k) in skills
                    ],
                    batch_size=BATCH,
                )
            run.created["offers"] += len(new)
            progress.advance(len(batch))
