"""The demo catalogue: 52 Dutch courses, published in the local EDU-DEX emulator and brought into the stack by
a directory sync through the same import path as a supplier's PUT (devstack/demo_directory.py).

Themes T1-T11, four cities plus online, nl and en texts, courses open only to some organisations,
salary-scale requirements, a cancelled run, and executions spread over the coming twelve months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from devstack.edudex_builder import Run, program

CITIES = ("Utrecht", "Den Haag", "Zwolle", "Amsterdam", "Eindhoven")


@dataclass(frozen=True)
class DemoCourse:
    supplier: str
    program_id: str
    name: str
    name_en: str
    summary: str
    description: str
    theme: str
    words: tuple[str, ...] = ()
    price: str = "495.00"
    days: int = 2
    seats: int | None = 16
    open_for: tuple[str, ...] = ()
    scales: tuple[int, ...] = ()
    requirement: tuple[str, str] | None = None
    online: bool = False
    form: str = "part-time"


INTERN = "sup-opleidingshuis-rijk"
DIGITAAL = "sup-academie-digitaal"
SCHRIJF = "sup-schrijfwerk"
PROJECT = "sup-projectwijs"
SUPPLIERS = (INTERN, DIGITAAL, SCHRIJF, PROJECT)

COURSES: tuple[DemoCourse, ...] = (
    DemoCourse(INTERN, "OHR-001", "Inwerkprogramma Rijksoverheid", "Onboarding programme for central government",
               "Wegwijs in de Rijksoverheid voor nieuwe collega's.",
               "Hoe werken ministeries, uitvoeringsorganisaties en de Tweede Kamer samen? Met excursie naar Den Haag.",
               "T8", ("introductie", "nieuw"), "0.00", 3, 40),
    DemoCourse(INTERN, "OHR-002", "Integriteit in de praktijk", "Integrity in practice",
               "Omgaan met dilemma's en de eed of belofte.",
               "Je bespreekt echte dilemma's uit het werk, leert wanneer je een melding doet en oefent het gesprek.",
               "T11", ("ambtseed", "dilemma"), "350.00", 1, 20),
    DemoCourse(INTERN, "OHR-003", "Leidinggeven aan verandering", "Leading change",
               "Voor leidinggevenden die een reorganisatie begeleiden.",
               "Modellen voor verandermanagement, weerstand herkennen en communiceren over onzekerheid.",
               "T6", ("leiderschap", "reorganisatie"), "1450.00", 4, 14, scales=(11, 12, 13, 14, 15),
               requirement=("professional experience", "minimaal twee jaar leidinggevende ervaring")),
    DemoCourse(INTERN, "OHR-004", "Politiek-bestuurlijke sensitiviteit", "Political-administrative sensitivity",
               "Aanvoelen wat er speelt tussen ambtenaren en bewindspersonen.",
               "Met een oud-minister en een directeur-generaal als gastsprekers; veel oefeningen met casussen.",
               "T8", ("bewindspersoon", "omgevingsbewustzijn"), "975.00", 2, 18, scales=(10, 11, 12, 13)),
    DemoCourse(INTERN, "OHR-005", "Wetgevingstechniek voor beginners", "Legislative drafting for beginners",
               "De Aanwijzingen voor de regelgeving in de praktijk.",
               "Je schrijft zelf een wetsartikel en een memorie van toelichting en krijgt feedback van "
               "wetgevingsjuristen.",
               "T5", ("wetgeving", "juridisch"), "1100.00", 3, 12,
               requirement=("previous education", "afgeronde juridische opleiding (hbo of wo)")),
    DemoCourse(INTERN, "OHR-006", "Inkopen en aanbesteden bij het Rijk", "Public procurement at central government",
               "Aanbestedingswet, Rijksinkoopstelsel en contractmanagement.",
               "Van behoeftestelling tot gunning: je leert de stappen, de risico's en de rol van de inkoper.",
               "T4", ("aanbesteding", "inkoop", "contract"), "890.00", 3, 20, open_for=("BZK", "FIN")),
    DemoCourse(INTERN, "OHR-007", "Begroten en verantwoorden", "Budgeting and accountability",
               "De begrotingscyclus van het Rijk van Voorjaarsnota tot Verantwoordingsdag.",
               "Comptabiliteitswet, baten-lastendiensten en het jaarverslag uitgelegd met voorbeelden.",
               "T4", ("begroting", "financien"), "650.00", 2, 24, open_for=("FIN",)),
    DemoCourse(INTERN, "OHR-008", "Veilig werken met staatsgeheimen", "Handling state secrets",
               "Rubricering, het VIR-BI en veilig werken op locatie en thuis.",
               "Verplichte training voor medewerkers die met gerubriceerde informatie werken.",
               "T11", ("rubricering", "beveiliging"), "0.00", 1, 30, open_for=("BZK", "DEF", "JV")),
    DemoCourse(INTERN, "OHR-009", "Mentorschap voor ervaren collega's", "Mentoring for experienced colleagues",
               "Word mentor van een starter of traineeship-deelnemer.",
               "Gesprekstechnieken, feedback geven en grenzen bewaken in een mentorrelatie.",
               "T7", ("mentor", "coaching"), "420.00", 2, 16),
    DemoCourse(INTERN, "OHR-010", "Duurzaam inzetbaar blijven", "Staying healthy and employable",
               "Energie, werkplezier en balans tussen werk en privé.",
               "Praktische handvatten voor vitaliteit en een gesprek over je loopbaan.",
               "T11", ("vitaliteit", "loopbaan"), "275.00", 1, 25),
    DemoCourse(INTERN, "OHR-011", "Nederlands op de werkvloer B1", "Dutch at work B1",
               "Taalcursus voor collega's die hun Nederlands willen versterken.",
               "Spreken, schrijven en e-mails op B1-niveau, met oefeningen uit het dagelijks werk.",
               "T10", ("taal", "nederlands"), "780.00", 10, 10, form="evening education"),
    DemoCourse(INTERN, "OHR-012", "Engels voor internationale overleggen", "English for international meetings",
               "Vergaderen, onderhandelen en presenteren in het Engels.",
               "Voor beleidsmedewerkers die in Brussel of met internationale partners werken.",
               "T10", ("engels", "brussel"), "1150.00", 5, 10, scales=(9, 10, 11, 12, 13, 14)),
    DemoCourse(DIGITAAL, "ADV-101", "Werken met data voor beleid", "Working with data for policy",
               "Van vraag naar dataset en van analyse naar advies.",
               "Je leert data verkennen, visualiseren en de beperkingen ervan uitleggen aan bestuurders.",
               "T3", ("data", "analyse", "dashboard"), "1200.00", 3, 18),
    DemoCourse(DIGITAAL, "ADV-102", "Python voor beleidsanalisten", "Python for policy analysts",
               "Zelf analyses automatiseren met Python en notebooks.",
               "Pandas, grafieken en reproduceerbare analyses; geen programmeerervaring nodig.",
               "T3", ("programmeren", "python", "notebook"), "1350.00", 4, 14, online=True),
    DemoCourse(DIGITAAL, "ADV-103", "Informatiebeveiliging: de BIO in de praktijk", "Information security and the BIO",
               "De Baseline Informatiebeveiliging Overheid toepassen.",
               "Risicoanalyse, maatregelen en aantonen dat je voldoet; met oefeningen voor teams.",
               "T3", ("bio", "beveiliging", "risico"), "990.00", 2, 20),
    DemoCourse(DIGITAAL, "ADV-104", "Privacy by design", "Privacy by design",
               "De AVG vertaald naar het ontwerp van processen en systemen.",
               "DPIA's, dataminimalisatie, bewaartermijnen en de rol van de functionaris gegevensbescherming.",
               "T5", ("avg", "privacy", "dpia"), "850.00", 2, 20),
    DemoCourse(DIGITAAL, "ADV-105", "Kunstmatige intelligentie verantwoord inzetten", "Using AI responsibly",
               "Kansen en risico's van AI in de publieke sector.",
               "Het Algoritmeregister, de AI-verordening en een impact-assessment in groepjes.",
               "T3", ("ai", "algoritme", "ethiek"), "1100.00", 2, 24, online=True),
    DemoCourse(DIGITAAL, "ADV-106", "Digitale toegankelijkheid (WCAG)", "Digital accessibility (WCAG)",
               "Websites en documenten toegankelijk maken voor iedereen.",
               "WCAG 2.1, het toegankelijkheidsverslag en testen met een schermlezer.",
               "T3", ("wcag", "toegankelijkheid"), "640.00", 1, 20, online=True),
    DemoCourse(DIGITAAL, "ADV-107", "Agile werken met Scrum", "Agile working with Scrum",
               "Scrum-rollen, events en artefacten in een overheidscontext.",
               "Inclusief examentraining Professional Scrum Master I.",
               "T9", ("scrum", "agile"), "1290.00", 2, 16),
    DemoCourse(DIGITAAL, "ADV-108", "Product owner bij de overheid", "Product owner in government",
               "Waarde leveren voor burgers en bedrijven met een goede backlog.",
               "Stakeholders betrekken, prioriteren en meten wat werkt.",
               "T9", ("product owner", "backlog"), "1390.00", 3, 16, scales=(10, 11, 12, 13)),
    DemoCourse(DIGITAAL, "ADV-109", "Cloud en soevereiniteit", "Cloud and digital sovereignty",
               "Wat betekent het Rijkscloudbeleid voor jouw project?",
               "Architectuur, contracten en exit-strategieen voor clouddiensten.",
               "T3", ("cloud", "architectuur"), "980.00", 2, 20, open_for=("BZK", "IW")),
    DemoCourse(DIGITAAL, "ADV-110", "Excel voor gevorderden", "Advanced Excel",
               "Draaitabellen, Power Query en overzichtelijke rapportages.",
               "Veel oefenen met eigen gegevens; laptop meenemen.",
               "T3", ("excel", "spreadsheet"), "395.00", 1, 14),
    DemoCourse(SCHRIJF, "SW-01", "Helder schrijven op B1-niveau", "Plain language writing",
               "Brieven en webteksten die iedereen begrijpt.",
               "Je herschrijft eigen teksten en leert de valkuilen van ambtelijke taal kennen.",
               "T2", ("schrijven", "taalniveau", "brief"), "425.00", 1, 14),
    DemoCourse(SCHRIJF, "SW-02", "Adviesnota's die gelezen worden", "Policy memos that get read",
               "Een nota schrijven voor de minister: kort, scherp en goed opgebouwd.",
               "Structuur, kernboodschap en beslispunten; met feedback van een ervaren nota-schrijver.",
               "T2", ("nota", "advies", "beleid"), "575.00", 2, 12, scales=(9, 10, 11, 12)),
    DemoCourse(SCHRIJF, "SW-03", "Presenteren met impact", "Presenting with impact",
               "Overtuigend presenteren voor groepen en in de Kamer.",
               "Adem, stem, houding en een verhaal met een duidelijke opbouw; met video-opnames.",
               "T2", ("presenteren", "spreken"), "690.00", 2, 10),
    DemoCourse(SCHRIJF, "SW-04", "Communiceren in een crisis", "Crisis communication",
               "Snel en betrouwbaar informeren als het erop aankomt.",
               "Woordvoering, sociale media en samenwerken met de Nationaal Crisiscentrum-structuur.",
               "T2", ("crisis", "woordvoering"), "820.00", 2, 16, open_for=("JV", "BZK")),
    DemoCourse(SCHRIJF, "SW-05", "Brieven aan burgers", "Letters to citizens",
               "Begrijpelijke brieven die vragen en bezwaren voorkomen.",
               "Met voorbeelden van Belastingdienst, DUO en UWV; je werkt aan je eigen standaardbrieven.",
               "T2", ("burgerbrief", "klantcontact"), "395.00", 1, 16, open_for=("FIN", "OCW", "SZW")),
    DemoCourse(SCHRIJF, "SW-06", "Feedback geven en ontvangen", "Giving and receiving feedback",
               "Het goede gesprek met collega's en je leidinggevende.",
               "Oefenen met een trainingsacteur; veel aandacht voor lastige situaties.",
               "T7", ("feedback", "gesprek"), "445.00", 1, 12),
    DemoCourse(SCHRIJF, "SW-07", "Timemanagement en focus", "Time management and focus",
               "Prioriteren in een volle agenda met veel overleg.",
               "Technieken om afleiding te beperken en werk af te krijgen, toegepast op je eigen week.",
               "T7", ("planning", "focus", "productiviteit"), "395.00", 1, 20, online=True),
    DemoCourse(SCHRIJF, "SW-08", "Onderhandelen volgens Harvard", "Harvard negotiation",
               "Principieel onderhandelen in overleg met partners en leveranciers.",
               "Belangen, opties en criteria; met een onderhandelingssimulatie.",
               "T2", ("onderhandelen", "overleg"), "1250.00", 3, 12, scales=(10, 11, 12, 13, 14, 15)),
    DemoCourse(SCHRIJF, "SW-09", "Samenwerken over organisatiegrenzen", "Collaborating across organisations",
               "Netwerken en samenwerken met andere ministeries, gemeenten en partners.",
               "Je brengt je netwerk in kaart en oefent met samenwerkingsvraagstukken uit je eigen werk.",
               "T2", ("netwerk", "samenwerking", "ketens"), "560.00", 2, 18),
    DemoCourse(SCHRIJF, "SW-10", "Mediation-vaardigheden voor leidinggevenden", "Mediation skills for managers",
               "Conflicten in teams vroeg herkennen en bespreekbaar maken.",
               "Gesprekstechnieken uit de mediation; geen erkende mediationopleiding.",
               "T6", ("conflict", "mediation"), "980.00", 2, 12, scales=(11, 12, 13, 14, 15, 16),
               requirement=("span of control", "je geeft leiding aan een team")),
    DemoCourse(PROJECT, "PW-100", "Projectmatig werken basis", "Project management basics",
               "De basis van projectmatig werken: fasen, rollen en beheersaspecten.",
               "Je maakt een projectplan voor een eigen project en leert sturen op tijd, geld en kwaliteit.",
               "T9", ("project", "planning", "projectplan"), "695.00", 2, 16),
    DemoCourse(PROJECT, "PW-101", "PRINCE2 Foundation", "PRINCE2 Foundation",
               "Voorbereiding op het PRINCE2 Foundation-examen.",
               "Principes, thema's en processen van PRINCE2; examen op de laatste dag.",
               "T9", ("prince2", "certificering", "examen"), "1495.00", 3, 12),
    DemoCourse(PROJECT, "PW-102", "Programmamanagement", "Programme management",
               "Samenhangende projecten sturen op maatschappelijke doelen.",
               "Batenmanagement, governance en de rol van de programmamanager bij grote opgaven.",
               "T9", ("programma", "baten"), "1850.00", 4, 14, scales=(12, 13, 14, 15, 16),
               requirement=("professional experience", "ervaring als projectleider")),
    DemoCourse(PROJECT, "PW-103", "Risicomanagement in infrastructuurprojecten", "Risk management in infrastructure",
               "Risico's beheersen in grote bouw- en onderhoudsprojecten.",
               "RISMAN-methode, risicodossiers en rapporteren aan de opdrachtgever.",
               "T9", ("risico", "infrastructuur", "bouw"), "1150.00", 2, 20, open_for=("IW",)),
    DemoCourse(PROJECT, "PW-104", "Opdrachtgeverschap", "Commissioning projects",
               "Goed opdrachtgever zijn voor projecten en programma's.",
               "Sturen op resultaat, heldere opdrachten geven en de samenwerking met de projectleider.",
               "T6", ("opdrachtgever", "sturing"), "1290.00", 2, 14, scales=(12, 13, 14, 15, 16, 17, 18)),
    DemoCourse(PROJECT, "PW-105", "Lean in de uitvoering", "Lean in public service delivery",
               "Processen verbeteren met en voor de mensen die het werk doen.",
               "Verspillingen zien, procesplaten maken en verbeteringen borgen; yellow belt-niveau.",
               "T1", ("lean", "procesverbetering"), "890.00", 3, 16),
    DemoCourse(PROJECT, "PW-106", "Procesmanagement voor uitvoeringsorganisaties", "Process management",
               "Grip op processen en ketens in de uitvoering.",
               "Procesarchitectuur, kpi's en het verbeteren van klantreizen van burgers.",
               "T1", ("proces", "klantreis", "uitvoering"), "960.00", 2, 18, open_for=("FIN", "OCW", "SZW")),
    DemoCourse(PROJECT, "PW-107", "Vergadertechnieken", "Effective meetings",
               "Kortere, betere vergaderingen met duidelijke besluiten.",
               "Voorzitten, notuleren en besluitvorming; met oefenvergaderingen.",
               "T1", ("vergaderen", "voorzitter"), "340.00", 1, 16),
    DemoCourse(PROJECT, "PW-108", "Stakeholdermanagement", "Stakeholder management",
               "Belanghebbenden in kaart brengen en betrekken.",
               "Krachtenveldanalyse, participatie en het gesprek met tegenstanders.",
               "T8", ("stakeholder", "participatie", "omgevingsmanagement"), "720.00", 2, 18),
    DemoCourse(PROJECT, "PW-109", "Omgevingswet in de praktijk", "The Environment and Planning Act in practice",
               "Wat verandert er voor Rijkswaterstaat en haar partners?",
               "Omgevingsplan, vergunningen en participatie onder de Omgevingswet.",
               "T5", ("omgevingswet", "vergunning"), "780.00", 2, 20, open_for=("IW", "BZK")),
    DemoCourse(PROJECT, "PW-110", "Coachend leidinggeven", "Coaching leadership",
               "Ruimte geven en ontwikkeling stimuleren in je team.",
               "Situationeel leiderschap, coachende vragen en regelmatige ontwikkelgesprekken.",
               "T6", ("coachen", "leiderschap", "team"), "1190.00", 3, 12, scales=(10, 11, 12, 13, 14)),
    DemoCourse(PROJECT, "PW-111", "Hybride werken en samenwerken", "Hybrid working",
               "Goede afspraken voor thuis, op kantoor en online.",
               "Teamafspraken, online samenwerken en verbinding houden.",
               "T1", ("thuiswerken", "hybride", "online"), "295.00", 1, 30, online=True),
    DemoCourse(INTERN, "OHR-013", "Werken met de Woo", "Working with the Open Government Act",
               "Openbaarheid van informatie onder de Wet open overheid.",
               "Verzoeken behandelen, lakken, termijnen en actieve openbaarmaking; wat veranderde ten opzichte "
               "van de Wob.",
               "T5", ("woo", "openbaarheid", "informatieverzoek"), "450.00", 1, 20),
    DemoCourse(DIGITAAL, "ADV-111", "Dashboards bouwen met Power BI", "Building dashboards with Power BI",
               "Gegevens visualiseren in interactieve rapportages.",
               "Data ophalen, modelleren en delen met collega's; sluit aan op Excel voor gevorderden.",
               "T3", ("power bi", "dashboard", "visualisatie"), "690.00", 2, 14),
    DemoCourse(SCHRIJF, "SW-11", "Moeilijke gesprekken voeren", "Difficult conversations",
               "Slecht nieuws brengen en lastige boodschappen helder overbrengen.",
               "Met een trainingsacteur oefen je gesprekken met collega's, burgers en je leidinggevende.",
               "T7", ("gesprekstechniek", "slechtnieuwsgesprek"), "495.00", 1, 12),
    DemoCourse(SCHRIJF, "SW-12", "Omgaan met conflicten en agressie aan de balie", "Handling conflict and aggression",
               "Conflicten de-escaleren in contact met burgers.",
               "Spanning herkennen, grenzen stellen en veilig melden na een incident.",
               "T7", ("agressie", "conflicthantering", "klantcontact"), "520.00", 1, 14),
    DemoCourse(PROJECT, "PW-112", "Projectmanagement voor beleidsmakers", "Project management for policy makers",
               "Beleid uitvoeren als project: van opdracht tot oplevering.",
               "Planning, risico's en stakeholders in beleidsprojecten; voor wie voor het eerst een project leidt.",
               "T9", ("projectleider", "beleidsproject"), "845.00", 2, 16),
    DemoCourse(INTERN, "OHR-014", "Informatiebeheer en archiveren", "Records management",
               "Documenten vindbaar houden en volgens de Archiefwet bewaren.",
               "Metadata, bewaartermijnen en samenwerken in digitale dossiers.",
               "T3", ("archief", "archiefwet", "dossier"), "380.00", 1, 20),
    DemoCourse(DIGITAAL, "ADV-112", "Cybersecurity voor iedereen", "Cybersecurity awareness",
               "Phishing herkennen en veilig digitaal werken.",
               "Wachtwoorden, tweestapsverificatie en het melden van datalekken; korte online modules.",
               "T11", ("phishing", "cyberveiligheid"), "150.00", 1, 50, online=True),
    DemoCourse(INTERN, "OHR-015", "Excel voor beginners", "Excel for beginners",
               "Formules, tabellen en grafieken voor wie net begint.",
               "Stap voor stap spreadsheets opzetten voor het dagelijkse werk.",
               "T3", ("excel", "rekenblad"), "295.00", 1, 16),
)


def documents(today: date) -> list[tuple[str, str, dict[str, Any]]]:
    """(supplier_id, program_id, EDU-DEX document) for every demo course, runs in the coming year."""
    return [(c.supplier, c.program_id, _document(c, i, today)) for i, c in enumerate(COURSES)]


def _document(course: DemoCourse, number: int, today: date) -> dict[str, Any]:
    return program(
        course.supplier, course.program_id, course.name, course.summary, course.description,
        runs=_runs(course, number, today), theme=course.theme, name_en=course.name_en,
        summary_en=f"{course.name_en}: course in Dutch.", search_words=list(course.words) or None,
        open_for=list(course.open_for) or None, salary_scales=list(course.scales) or None,
        requirements=[course.requirement] if course.requirement else None, form=course.form,
        duration_days=course.days, last_edited=f"{today.isoformat()}T08:00:00Z",
    )


def _runs(course: DemoCourse, number: int, today: date) -> list[Run]:
    runs = []
    for k in range(3):
        start = today + timedelta(days=21 + (number * 11 + k * 97) % 340)
        end = start + timedelta(days=max(0, min(course.days, 5) - 1))
        city = None if course.online else CITIES[(number + k) % len(CITIES)]
        status = "canceled" if (number, k) == (2, 0) else "application opened"
        runs.append(Run(
            f"{course.program_id}-{k + 1}", start, end, city, online=course.online, price_eur=course.price,
            seats=course.seats if k != 2 else (3 if number % 5 == 0 else course.seats), status=status,
            deadline=start - timedelta(days=7), hours=("13:00", "16:30") if course.online else ("09:30", "16:30"),
        ))
    return runs


def seed_catalogue() -> dict[str, int]:
    """Every demo course into the fresh local stack, by a real sync from the local EDU-DEX emulator (R_DEX_04)."""
    from devstack import demo_directory

    return demo_directory.seed_catalogue()
