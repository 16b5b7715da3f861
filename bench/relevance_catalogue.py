"""A second judged catalogue: 1,200 EDU-DEX programs generated from a bank of course texts.

The demo catalogue is small and the search rules were tuned on it. This catalogue is written the
way suppliers write: each program is about one *topic* (56 topics, about 21 programs each) and is
worded by drawing from that topic's titles, summaries, description sentences and search words,
with levels, audiences (job titles), formats, English-language programs and generic sentences that
every topic shares. Runs fall in 15 cities, online or nowhere yet.

The generator also keeps, per program, what it is about (topic, level, audience, facets, the
cities of its upcoming runs). A judged query states its intent in those terms, and `grades()`
turns an intent into grades for every program, from those labels and never from the words: so
a rule that only fits the wording of the demo, or of this bank, shows. Deterministic (run dates are
counted from the day it runs).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from devstack.edudex_builder import Run, program

SEED = 20270301
PROGRAMS = 1_200


@dataclass(frozen=True)
class Topic:
    key: str
    theme: str
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    sentences: tuple[str, ...]
    keywords: tuple[str, ...]
    english: tuple[tuple[str, str], ...] = ()  # (title, summary) of programs written in English
    facets: dict[str, tuple[str, str]] = field(default_factory=dict)  # facet → (title tail, sentence)
    audiences: tuple[str, ...] = ()


# Job titles: key → how a text names the group.
AUDIENCES: dict[str, str] = {
    "beleidsmedewerker": "beleidsmedewerkers", "inkoper": "inkopers", "jurist": "juristen",
    "leidinggevende": "leidinggevenden", "projectleider": "projectleiders",
    "managementassistent": "managementassistenten", "communicatieadviseur": "communicatieadviseurs",
    "controller": "controllers", "hradviseur": "HR-adviseurs", "toezichthouder": "toezichthouders",
    "analist": "data-analisten", "baliemedewerker": "baliemedewerkers",
}

TOPICS: tuple[Topic, ...] = (
    Topic("excel", "T3",
          ("Excel", "Werken met Excel", "Excel in de praktijk", "Rekenen met spreadsheets",
           "Excel: formules en functies",
           "Slim werken met Excel", "Microsoft Excel", "Excel-vaardigheden"),
          ("Formules, tabellen en grafieken voor het dagelijkse werk.", "Sneller en foutloos werken in spreadsheets.",
           "Overzichtelijke rapportages maken met Excel.", "Van losse cijfers naar een helder overzicht."),
          ("Je leert werken met formules zoals ALS, SOM en VERT.ZOEKEN.",
           "We behandelen sorteren, filteren en voorwaardelijke opmaak.",
           "Je maakt grafieken die je direct in een notitie kunt gebruiken.",
           "Neem je eigen laptop mee; we oefenen met herkenbare gegevens.",
           "Na afloop zet je zelf een overzichtelijk rekenblad op.",
           "Veelgemaakte fouten in werkbladen en hoe je ze voorkomt."),
          ("excel", "spreadsheet", "formules", "office", "rekenblad"),
          (("Excel essentials", "Formulas, tables and charts for everyday work."),
           ("Advanced Excel", "Lookups and summaries made simple.")),
          {"draaitabellen": ("met draaitabellen", "Draaitabellen en Power Query komen uitgebreid aan bod."),
           "macro": ("en macro's", "Je automatiseert terugkerend werk met macro's en VBA.")},
          ("managementassistent", "controller", "analist")),
    Topic("powerbi", "T3",
          ("Power BI", "Dashboards bouwen met Power BI", "Datavisualisatie", "Rapporteren met dashboards",
           "Visualiseren van data", "Power BI voor analisten", "Informatie in beeld"),
          ("Interactieve dashboards die bestuurders in één oogopslag begrijpen.",
           "Cijfers zichtbaar maken met grafieken en dashboards.",
           "Van databron naar een rapport dat zichzelf bijwerkt.", "Het verhaal achter de cijfers laten zien."),
          ("Je koppelt databronnen en bouwt een datamodel.", "We ontwerpen grafieken die niet misleiden.",
           "Je publiceert een rapport en deelt het met collega's.", "Aan bod komen DAX-formules en filters.",
           "Je leert welke grafiek past bij welke vraag."),
          ("power bi", "dashboard", "visualisatie", "rapportage"),
          (("Data visualisation with Power BI", "Build dashboards that tell a clear story."),),
          {}, ("analist", "controller", "beleidsmedewerker")),
    Topic("data", "T3",
          ("Data-analyse voor beleid", "Werken met data", "Datagedreven werken", "Data-analyse", "Datageletterdheid",
           "Van data naar inzicht", "Statistiek voor beleidsmakers", "Cijfers interpreteren"),
          ("Data verzamelen, analyseren en duiden voor beleid.", "Kritisch kijken naar cijfers en onderzoek.",
           "Met data onderbouwde adviezen schrijven.", "Begrijpen wat de cijfers wel en niet zeggen."),
          ("Je leert een analysevraag scherp te formuleren.", "We bespreken steekproeven, gemiddelden en spreiding.",
           "Je herkent misleidende grafieken en verbanden die geen oorzaak zijn.",
           "Aan de hand van open data maak je een eerste analyse.",
           "Je vertaalt uitkomsten naar een advies voor bestuurders.", "Datakwaliteit en bronnen beoordelen."),
          ("data", "analyse", "statistiek", "datagedreven", "cijfers"),
          (("Data analytics for policy", "From raw data to insight."),
           ("Data literacy", "Read, question and use data with confidence.")),
          {}, ("beleidsmedewerker", "analist")),
    Topic("python", "T3",
          ("Python", "Programmeren in Python", "Python voor data-analyse", "Leren programmeren",
           "Automatiseren met Python", "R en Python voor onderzoekers"),
          ("Zelf analyses automatiseren met code.", "De eerste stappen in programmeren.",
           "Herhaalbaar werken met scripts en notebooks."),
          ("Je werkt met pandas en Jupyter-notebooks.", "Geen programmeerervaring nodig.",
           "Je schrijft een script dat een bestand inleest en samenvat.",
           "We behandelen variabelen, lussen en functies.", "Je leert fouten in code opsporen."),
          ("python", "programmeren", "pandas", "scripts"),
          (("Python for data analysis", "Automate your analyses with code."),),
          {}, ("analist",)),
    Topic("ai", "T3",
          ("Kunstmatige intelligentie", "AI in de publieke sector", "Verantwoord werken met algoritmes",
           "Generatieve AI op het werk", "ChatGPT en taalmodellen", "Algoritmes en ethiek"),
          ("Kansen en risico's van AI voor de overheid.", "Slim en verantwoord gebruikmaken van taalmodellen.",
           "Wat algoritmes kunnen en wat niet."),
          ("Je maakt kennis met het Algoritmeregister en de AI-verordening.",
           "We oefenen met het schrijven van goede prompts.", "Aandacht voor bias, transparantie en uitlegbaarheid.",
           "Je doet een impact-assessment voor een algoritme.", "Wat mag wel en niet met generatieve AI bij het Rijk?"),
          ("ai", "algoritme", "kunstmatige intelligentie", "taalmodel", "chatgpt"),
          (("Artificial intelligence in government", "Opportunities and risks of AI."),
           ("Generative AI at work", "Use language models safely and well.")),
          {}, ("beleidsmedewerker", "analist")),
    Topic("beveiliging", "T3",
          ("Informatiebeveiliging", "De BIO in de praktijk", "Cybersecurity voor ambtenaren", "Veilig digitaal werken",
           "Security awareness", "Phishing herkennen", "Digitale weerbaarheid"),
          ("De Baseline Informatiebeveiliging Overheid toepassen in je werk.", "Herken digitale dreigingen op tijd.",
           "Veilig omgaan met informatie, wachtwoorden en apparaten.", "Hoe hackers te werk gaan en hoe je je wapent."),
          ("Je leert phishingmails en nepberichten herkennen.", "We behandelen wachtwoorden en tweestapsverificatie.",
           "Wat doe je bij een datalek of incident?", "Risicoanalyse en maatregelen volgens de BIO.",
           "Veilig werken op locatie, thuis en onderweg."),
          ("bio", "informatiebeveiliging", "cybersecurity", "phishing", "security"),
          (("Cyber security awareness", "Recognise phishing and work safely online."),),
          {}, ()),
    Topic("privacy", "T5",
          ("Privacy en de AVG", "AVG in de praktijk", "Gegevensbescherming", "Werken met persoonsgegevens",
           "Privacy by design", "Privacy voor beleidsmakers", "Privacywetgeving"),
          ("Zorgvuldig omgaan met persoonsgegevens van burgers.",
           "De Algemene verordening gegevensbescherming toegepast op je eigen werk.",
           "Privacy vanaf het begin meenemen in processen en systemen.", "Wat mag wel en niet met gegevens?"),
          ("Je leert wanneer je gegevens mag verwerken en op welke grondslag.",
           "We bespreken bewaartermijnen en dataminimalisatie.",
           "De rol van de functionaris gegevensbescherming komt aan bod.", "Wat te doen bij een datalek?",
           "Rechten van betrokkenen: inzage, correctie en verwijdering."),
          ("avg", "privacy", "persoonsgegevens", "gegevensbescherming"),
          (("GDPR essentials", "Handle personal data with care."),),
          {"dpia": ("en de DPIA", "Je oefent met het uitvoeren van een DPIA.")},
          ("jurist", "beleidsmedewerker")),
    Topic("cloud", "T3",
          ("Cloud computing", "Werken in de cloud", "Cloudstrategie voor de overheid", "Cloud en soevereiniteit"),
          ("Wat betekent de cloud voor jouw organisatie?", "Kiezen voor clouddiensten met oog voor risico's."),
          ("Architectuur, contracten en exit-strategieen.", "Het Rijkscloudbeleid uitgelegd.",
           "Verschillen tussen publieke, private en hybride cloud.", "Afspraken over data en beschikbaarheid."),
          ("cloud", "saas", "architectuur"),
          (("Cloud fundamentals", "What the cloud means for public organisations."),),
          {}, ()),
    Topic("toegankelijkheid", "T3",
          ("Digitale toegankelijkheid", "Toegankelijke documenten maken", "WCAG in de praktijk", "Webrichtlijnen",
           "Toegankelijke websites"),
          ("Websites en documenten bruikbaar voor iedereen.", "Digitale informatie toegankelijk maken."),
          ("Je test een pagina met een schermlezer.",
           "We behandelen de WCAG-richtlijnen en het toegankelijkheidsverslag.",
           "Toegankelijke pdf's en Word-documenten maken.", "Contrast, koppen en alternatieve teksten."),
          ("wcag", "toegankelijkheid", "schermlezer"),
          (("Digital accessibility", "Make websites and documents usable for everyone."),),
          {}, ("communicatieadviseur",)),
    Topic("agile", "T9",
          ("Agile werken", "Scrum", "Scrum Master", "Agile werken bij de overheid", "Wendbaar werken",
           "Kanban en Scrum", "Product owner", "Scrum in de praktijk"),
          ("Werken in korte sprints met snelle feedback.",
           "Scrum-rollen, events en artefacten in een overheidscontext.",
           "Waarde leveren met een goede backlog.", "Sneller resultaat door wendbaar samenwerken."),
          ("Je leert de rollen van product owner, scrum master en team kennen.",
           "We oefenen met user stories en het plannen van een sprint.",
           "Inclusief voorbereiding op het examen Professional Scrum Master (PSM I).",
           "Retrospectives en continu verbeteren.", "Agile werken buiten de ICT: ook voor beleid."),
          ("agile", "scrum", "sprint", "kanban"),
          (("Agile fundamentals", "Work in short cycles with fast feedback."),
           ("Professional Scrum Master", "Prepare for the PSM I certificate.")),
          {}, ("projectleider",)),
    Topic("projectmanagement", "T9",
          ("Projectmanagement", "Projectmatig werken", "Projectleiding", "Projecten leiden",
           "Projectmatig werken voor beleid",
           "Projectplanning en -beheersing", "Succesvol projecten managen"),
          ("Van projectopdracht tot oplevering.", "Grip op tijd, geld en kwaliteit in je project.",
           "Projecten opzetten, plannen en beheersen.", "Resultaatgericht werken in projecten."),
          ("Je maakt een projectplan met fasen en beslismomenten.",
           "We behandelen planning, risico's en stakeholders.",
           "Je leert sturen op tijd, geld, kwaliteit en informatie.",
           "Voor wie voor het eerst een project leidt of er een rol in heeft.",
           "Rapporteren aan je opdrachtgever en omgaan met scopewijzigingen."),
          ("project", "projectleider", "planning", "projectplan"),
          (("Project management essentials", "Plan, run and deliver projects."),),
          {"prince2": (": PRINCE2 Foundation", "We bereiden je voor op het examen PRINCE2 Foundation.")},
          ("projectleider", "beleidsmedewerker")),
    Topic("risico", "T9",
          ("Risicomanagement", "Risico's beheersen", "Risicoanalyse", "Risicogestuurd werken"),
          ("Risico's tijdig zien en beheersen.", "Onzekerheden in kaart brengen en sturen op maatregelen."),
          ("Je maakt een risicoanalyse met kans en impact.", "We bespreken een risicoregister en eigenaarschap.",
           "Risicobereidheid bepalen met de leiding.", "Van risico naar beheersmaatregel."),
          ("risico", "risicoanalyse", "beheersing"),
          (("Risk management", "See and control risks in time."),),
          {}, ("projectleider", "controller")),
    Topic("lean", "T1",
          ("Lean werken", "Lean Six Sigma Yellow Belt", "Lean Six Sigma Green Belt", "Processen verbeteren",
           "Continu verbeteren"),
          ("Verspilling zien en processen slimmer inrichten.", "Klantwaarde centraal in je werkprocessen."),
          ("Je brengt een proces in kaart met een value stream map.", "We behandelen de DMAIC-cyclus.",
           "Verbeterborden en dagstarts in het team.", "Je voert een verbeterproject uit in je eigen organisatie."),
          ("lean", "six sigma", "proces", "verbeteren"),
          (("Lean Six Sigma Green Belt", "Improve processes with data."),),
          {}, ()),
    Topic("schrijven", "T2",
          ("Helder schrijven", "Zakelijk schrijven", "Schrijven voor de burger", "Brieven die iedereen begrijpt",
           "Heldere teksten", "Tekstschrijven", "Duidelijke taal in brieven en e-mails", "Schrijfvaardigheid"),
          ("Brieven en e-mails die lezers in één keer begrijpen.", "Van ambtelijke taal naar heldere tekst.",
           "Kort, duidelijk en vriendelijk schrijven.", "Teksten schrijven waar de lezer iets mee kan."),
          ("Je herschrijft je eigen brieven en e-mails.", "We werken met de schrijfwijzer van de Rijksoverheid.",
           "Aan bod komen opbouw, toon en woordkeus.", "Je leert de valkuilen van ambtelijke taal herkennen.",
           "Je krijgt persoonlijke feedback op je teksten.", "Actief schrijven en korte zinnen."),
          ("schrijven", "brieven", "teksten", "taal"),
          (("Plain language writing", "Write letters everyone understands."),
           ("Business writing", "Clear and concise texts at work.")),
          {"b1": ("op B1-niveau", "Je leert schrijven op taalniveau B1."),
           "web": ("voor het web", "Schrijven voor websites en sociale media.")},
          ("beleidsmedewerker", "communicatieadviseur", "baliemedewerker")),
    Topic("nota", "T8",
          ("Adviesnota's schrijven", "Een nota voor de minister", "Beleidsstukken schrijven", "Kamerbrieven schrijven",
           "Schrijven voor bestuurders", "Beslisnota's"),
          ("Kort, scherp en goed opgebouwd adviseren.", "Stukken die een bewindspersoon in één keer kan lezen.",
           "Van kernboodschap tot beslispunten."),
          ("Je schrijft een nota met een heldere kernboodschap.",
           "We oefenen met beslispunten en een goede samenvatting.",
           "De route van een stuk door de ambtelijke lijn.", "Je krijgt feedback van een ervaren notaschrijver.",
           "Politiek gevoelige punten benoemen zonder te sturen."),
          ("nota", "kamerbrief", "advies", "bewindspersoon"),
          (("Writing policy memos", "Memos that ministers actually read."),),
          {}, ("beleidsmedewerker",)),
    Topic("presenteren", "T2",
          ("Presenteren", "Presentatietechnieken", "Overtuigend presenteren", "Spreken in het openbaar", "Pitchen",
           "Presenteren met impact", "Storytelling"),
          ("Overtuigend spreken voor groepen.", "Een verhaal met een duidelijke opbouw brengen.",
           "Met vertrouwen je boodschap overbrengen."),
          ("Adem, stem en houding komen aan bod.", "Je presenteert en bekijkt jezelf terug op video.",
           "We oefenen met lastige vragen uit de zaal.", "Je leert dia's maken die je verhaal ondersteunen.",
           "Een pitch van twee minuten opbouwen."),
          ("presenteren", "presentatie", "spreken", "pitch"),
          (("Presentation skills", "Speak with confidence to any audience."),
           ("Public speaking", "Bring your message across.")),
          {}, ("beleidsmedewerker", "communicatieadviseur")),
    Topic("crisis", "T2",
          ("Crisiscommunicatie", "Communiceren in een crisis", "Woordvoering", "Omgaan met de media", "Mediatraining"),
          ("Snel en betrouwbaar informeren als het erop aankomt.", "Goed voorbereid het gesprek met journalisten in."),
          ("Je oefent een interview voor de camera.", "We behandelen de rol van de woordvoerder.",
           "Samenwerken met de crisisorganisatie en de veiligheidsregio.", "Sociale media tijdens een incident."),
          ("crisis", "woordvoering", "media", "pers"),
          (("Crisis communication", "Inform quickly and reliably in a crisis."),),
          {}, ("communicatieadviseur", "leidinggevende")),
    Topic("socialemedia", "T2",
          ("Sociale media voor de overheid", "Online communicatie", "LinkedIn en X", "Contentstrategie",
           "Webredactie"),
          ("Online in gesprek met burgers en bedrijven.", "Berichten maken die gelezen en gedeeld worden."),
          ("Je maakt een contentkalender.", "We bespreken reageren op kritiek online.",
           "Beeld en video voor sociale kanalen.", "Meten wat je berichten opleveren."),
          ("social media", "online", "content", "linkedin"),
          (("Social media for government", "Engage citizens online."),),
          {}, ("communicatieadviseur",)),
    Topic("gesprekken", "T2",
          ("Gesprekstechnieken", "Moeilijke gesprekken voeren", "Lastige gesprekken", "Het slechtnieuwsgesprek",
           "Luisteren en doorvragen", "Effectief communiceren"),
          ("Het gesprek aangaan als het spannend wordt.", "Beter luisteren en de juiste vragen stellen.",
           "Helder communiceren met collega's en burgers."),
          ("Je oefent met een trainingsacteur.", "We behandelen actief luisteren en samenvatten.",
           "Slecht nieuws brengen zonder om de hete brij te draaien.", "Omgaan met emoties in een gesprek.",
           "Je leert de regie houden in een gesprek."),
          ("gesprek", "communicatie", "luisteren", "gesprekstechniek"),
          (("Difficult conversations", "Stay calm and clear when it gets hard."),),
          {}, ("leidinggevende", "hradviseur", "baliemedewerker")),
    Topic("feedback", "T7",
          ("Feedback geven en ontvangen", "Feedback", "Het goede gesprek", "Constructieve feedback"),
          ("Eerlijk en opbouwend zeggen wat je ziet.", "Open staan voor wat anderen over jouw werk zeggen."),
          ("Je oefent met feedbackmodellen.", "Feedback vragen aan je leidinggevende en collega's.",
           "Wat doe je als feedback pijn doet?", "Complimenten en kritiek in balans."),
          ("feedback", "gesprek", "samenwerken"),
          (("Giving and receiving feedback", "Honest, constructive and kind."),),
          {}, ("leidinggevende",)),
    Topic("onderhandelen", "T2",
          ("Onderhandelen", "Onderhandelingsvaardigheden", "Harvard-onderhandelen", "Effectief onderhandelen",
           "Onderhandelen met leveranciers"),
          ("Samen tot een goede afspraak komen.", "Belangen verkennen en waarde creëren."),
          ("Je leert het verschil tussen posities en belangen.", "We oefenen in rollenspellen met echte casussen.",
           "Omgaan met druk en deadlines aan tafel.", "Je bereidt een onderhandeling stap voor stap voor."),
          ("onderhandelen", "onderhandeling", "harvard"),
          (("Negotiation skills", "Reach good agreements together."),),
          {}, ("inkoper", "jurist")),
    Topic("conflict", "T2",
          ("Conflicthantering", "Omgaan met conflicten", "Mediation", "Mediationvaardigheden", "De-escaleren"),
          ("Spanningen bespreekbaar maken voordat ze escaleren.", "Conflicten oplossen met een gesprek."),
          ("Je herkent conflictstijlen bij jezelf en anderen.", "We oefenen met de-escalerende gesprekstechnieken.",
           "De rol van een mediator en wanneer je die inschakelt.", "Samen zoeken naar een oplossing."),
          ("conflict", "mediation", "de-escalatie"),
          (("Conflict management", "Resolve tensions before they escalate."),),
          {}, ("leidinggevende", "hradviseur")),
    Topic("vergaderen", "T7",
          ("Effectief vergaderen", "Vergadertechnieken", "Voorzitten van vergaderingen", "Notuleren",
           "Online vergaderen"),
          ("Kortere vergaderingen met betere besluiten.", "Een overleg goed voorbereiden en leiden."),
          ("Je leert een agenda opstellen die werkt.", "We oefenen met voorzitten en samenvatten.",
           "Heldere notulen en actiepunten.", "Iedereen aan het woord laten, ook online."),
          ("vergaderen", "voorzitten", "notuleren", "overleg"),
          (("Effective meetings", "Shorter meetings, better decisions."),),
          {}, ("managementassistent",)),
    Topic("begroten", "T4",
          ("De rijksbegroting", "Begroten en verantwoorden", "Begrotingscyclus", "Financieel beheer bij het Rijk",
           "Comptabiliteitswet", "Baten-lastendiensten"),
          ("Van Voorjaarsnota tot Verantwoordingsdag.", "Hoe het geld van het Rijk wordt verdeeld en verantwoord."),
          ("Je leert de begrotingsstaten lezen.", "We behandelen de rol van de Tweede Kamer en de Algemene Rekenkamer.",
           "Het verschil tussen verplichtingen, uitgaven en ontvangsten.", "Jaarverslag en verantwoording uitgelegd."),
          ("begroting", "financien", "verantwoording", "budget"),
          (("Government budgeting", "How central government plans and accounts."),),
          {}, ("controller", "beleidsmedewerker")),
    Topic("control", "T4",
          ("Financial control", "Planning en control", "Controlling", "Financieel management voor niet-financials",
           "Kosten en baten"),
          ("Sturen op geld en prestaties.", "Financiële informatie begrijpen en gebruiken."),
          ("Je leert werken met prestatie-indicatoren.", "Sturen op KPI's in de planning- en controlcyclus.",
           "Kostprijzen en tarieven berekenen.", "Financiële rapportages lezen en bespreken."),
          ("control", "financieel", "kpi", "rapportage"),
          (("Finance for non-financial managers", "Understand the numbers you steer on."),),
          {}, ("controller", "leidinggevende")),
    Topic("inkoop", "T4",
          ("Inkopen en aanbesteden", "Aanbestedingsrecht", "Europees aanbesteden", "Inkoop bij het Rijk",
           "Het inkoopproces", "Aanbesteden in de praktijk"),
          ("Van behoeftestelling tot gunning.", "Rechtmatig en doelmatig inkopen.",
           "De Aanbestedingswet en het Rijksinkoopstelsel."),
          ("Je leert de procedures en drempelbedragen kennen.", "We behandelen selectie- en gunningscriteria.",
           "De rol van de inkoper en de budgethouder.", "Marktconsultatie en een goed bestek schrijven."),
          ("inkoop", "aanbesteding", "aanbestedingswet", "tender"),
          (("Public procurement", "Buying lawfully and well."),),
          {"mvi": ("en maatschappelijk verantwoord inkopen",
                   "Maatschappelijk verantwoord inkopen (MVI) krijgt een eigen dagdeel.")},
          ("inkoper", "jurist")),
    Topic("contract", "T4",
          ("Contractmanagement", "Leveranciersmanagement", "Contracten beheren", "Contractbeheer"),
          ("Afspraken met leveranciers waarmaken.", "Na de gunning: sturen op prestaties van leveranciers."),
          ("Je leert een contract te lezen en te bewaken.", "We bespreken prestatieafspraken en escalaties.",
           "Meer- en minderwerk goed regelen.", "Samenwerken met de leverancier zonder afhankelijk te worden."),
          ("contract", "leverancier", "contractbeheer"),
          (("Contract management", "Deliver on supplier agreements."),),
          {}, ("inkoper", "jurist")),
    Topic("subsidie", "T4",
          ("Subsidies verstrekken", "Subsidieregelingen", "Subsidiebeheer", "Subsidierecht"),
          ("Van regeling tot vaststelling.", "Subsidies rechtmatig verlenen en verantwoorden."),
          ("Je leert de titel subsidies van de Awb toepassen.", "We behandelen verlenen, vaststellen en terugvorderen.",
           "Een regeling schrijven die uitvoerbaar is.", "Misbruik en oneigenlijk gebruik voorkomen."),
          ("subsidie", "regeling", "verantwoording"),
          (), {}, ("beleidsmedewerker", "jurist")),
    Topic("wetgeving", "T5",
          ("Wetgevingstechniek", "Wetgeving in de praktijk", "Aanwijzingen voor de regelgeving",
           "Een wetsvoorstel schrijven",
           "Regelgeving maken"),
          ("Van beleid naar goede regels.", "Heldere en uitvoerbare wetteksten schrijven."),
          ("Je schrijft zelf een wetsartikel en een memorie van toelichting.",
           "Het wetgevingsproces van concept tot Staatsblad.",
           "We behandelen de Aanwijzingen voor de regelgeving.", "Feedback van ervaren wetgevingsjuristen."),
          ("wetgeving", "regelgeving", "wetsvoorstel", "juridisch"),
          (("Legislative drafting", "Write clear and workable rules."),),
          {}, ("jurist", "beleidsmedewerker")),
    Topic("woo", "T5",
          ("Wet open overheid", "De Woo in de praktijk", "Woo-verzoeken behandelen", "Openbaarheid van bestuur",
           "Actieve openbaarmaking"),
          ("Verzoeken om informatie zorgvuldig en op tijd afhandelen.", "Transparant werken volgens de Woo."),
          ("Je leert de weigeringsgronden toepassen.", "We oefenen met het lakken van documenten.",
           "Termijnen, besluiten en bezwaar.", "Wat verandert er ten opzichte van de Wob?"),
          ("woo", "openbaarheid", "openbaarmaking"),
          (("Freedom of information in practice", "Handle information requests well."),),
          {}, ("jurist", "beleidsmedewerker")),
    Topic("bestuursrecht", "T5",
          ("Algemene wet bestuursrecht", "Bezwaar en beroep", "Bestuursrecht voor niet-juristen",
           "Bezwaarschriften behandelen",
           "Besluiten nemen", "Hoorzittingen"),
          ("Zorgvuldige besluiten die standhouden.", "Van aanvraag tot uitspraak van de rechter."),
          ("Je leert wat een besluit is en hoe je het motiveert.", "We behandelen termijnen voor bezwaar en beroep.",
           "Een hoorzitting voorbereiden en leiden.", "De beginselen van behoorlijk bestuur in de praktijk."),
          ("awb", "bestuursrecht", "bezwaar", "beroep"),
          (("Administrative law", "Sound decisions that hold up."),),
          {}, ("jurist", "toezichthouder")),
    Topic("omgevingswet", "T5",
          ("De Omgevingswet", "Werken met de Omgevingswet", "Omgevingsrecht", "Vergunningverlening"),
          ("Ruimte, water en natuur onder één wet.", "Het omgevingsplan en de vergunning in de praktijk."),
          ("Je leert de kerninstrumenten van de wet kennen.", "We oefenen met een vergunningaanvraag.",
           "Participatie bij ruimtelijke projecten.", "Samenwerken met gemeenten en provincies."),
          ("omgevingswet", "omgevingsplan", "vergunning"),
          (), {}, ("jurist", "toezichthouder", "beleidsmedewerker")),
    Topic("europa", "T8",
          ("Werken met de Europese Unie", "EU-besluitvorming", "Brussel voor beleidsmakers", "Europees recht"),
          ("Hoe Brussel werkt en waar je invloed hebt.", "Europese regels en Nederlands beleid."),
          ("Je leert de rol van Commissie, Raad en Parlement.", "We bespreken onderhandelingen in Brussel.",
           "Implementatie van richtlijnen in Nederland.", "Een bezoek aan de Permanente Vertegenwoordiging."),
          ("eu", "europa", "brussel", "europees"),
          (("EU decision-making", "How Brussels works."),),
          {}, ("beleidsmedewerker", "jurist")),
    Topic("leiderschap", "T6",
          ("Leiderschap", "Leidinggeven", "Persoonlijk leiderschap", "Leidinggeven aan teams",
           "Inspirerend leiderschap",
           "Situationeel leidinggeven", "Dienend leiderschap", "Leidinggeven in de praktijk"),
          ("Richting geven en mensen in hun kracht zetten.", "Jouw stijl als leidinggevende ontwikkelen.",
           "Sturen op resultaat en vertrouwen.", "Goed leidinggeven in een politieke omgeving."),
          ("Je krijgt inzicht in je eigen leiderschapsstijl.", "We oefenen met lastige situaties uit je team.",
           "Delegeren, motiveren en aanspreken.", "Intervisie met andere leidinggevenden.",
           "Je werkt aan een persoonlijk ontwikkelplan."),
          ("leiderschap", "leidinggeven", "management", "leidinggevende"),
          (("Leadership essentials", "Set direction and bring out the best in people."),
           ("Agile leadership", "Lead teams that learn fast.")),
          {"startend": ("voor startende leidinggevenden", "Speciaal voor wie net leidinggevende is geworden.")},
          ("leidinggevende", "projectleider")),
    Topic("verandering", "T6",
          ("Verandermanagement", "Veranderen in organisaties", "Leiden van verandering", "Reorganisaties begeleiden",
           "Verandertrajecten"),
          ("Veranderingen laten landen in de organisatie.", "Weerstand begrijpen en benutten."),
          ("Je leert modellen voor veranderen kennen.", "We bespreken communiceren over onzekerheid.",
           "Draagvlak organiseren bij medewerkers.", "Je werkt aan een verandervraagstuk uit je eigen praktijk."),
          ("verandering", "verandermanagement", "reorganisatie", "transitie"),
          (("Change management", "Make change stick."),),
          {}, ("leidinggevende", "hradviseur")),
    Topic("coaching", "T6",
          ("Coachend leidinggeven", "Coachingsvaardigheden", "Coachen van medewerkers", "Mentoring", "Intervisie"),
          ("Anderen helpen zelf oplossingen te vinden.", "De coach in jezelf ontwikkelen."),
          ("Je oefent met coachende vragen.", "We bespreken het GROW-model.",
           "Een mentorrelatie opbouwen met een starter.", "Intervisie volgens de incidentmethode."),
          ("coaching", "coachen", "mentor", "intervisie"),
          (("Coaching skills", "Help others find their own solutions."),),
          {}, ("leidinggevende", "hradviseur")),
    Topic("team", "T6",
          ("Teamontwikkeling", "Samenwerken in teams", "Teambuilding", "Effectief samenwerken", "Teamrollen"),
          ("Een team dat elkaar versterkt.", "Beter samenwerken met collega's en partners."),
          ("Je leert de teamrollen van Belbin kennen.", "We werken aan vertrouwen en afspraken in het team.",
           "Samenwerken over afdelingen en organisaties heen.", "Een teamdag met praktische opdrachten."),
          ("team", "samenwerken", "samenwerking", "teamrollen"),
          (("Teamwork", "Teams that make each other stronger."),),
          {}, ("leidinggevende",)),
    Topic("hybride", "T6",
          ("Leidinggeven op afstand", "Hybride werken", "Thuiswerken en samenwerken",
           "Plaats- en tijdonafhankelijk werken"),
          ("Verbinding houden als het team niet op kantoor is.", "Goede afspraken over thuis en op kantoor werken."),
          ("Je leert sturen op resultaat in plaats van aanwezigheid.", "We bespreken online overleggen en teamgevoel.",
           "Gezond en prettig thuiswerken.", "Afspraken over bereikbaarheid."),
          ("hybride", "thuiswerken", "afstand"),
          (("Remote leadership", "Lead a team you do not see every day."),),
          {}, ("leidinggevende",)),
    Topic("timemanagement", "T7",
          ("Timemanagement", "Plannen en prioriteren", "Grip op je agenda", "Effectief werken",
           "Slimmer werken met e-mail"),
          ("Meer rust en overzicht in je werkdag.", "Doen wat belangrijk is, niet alleen wat urgent is."),
          ("Je leert prioriteren met de urgent-belangrijkmatrix.", "We werken aan een weekplanning die werkt.",
           "Je inbox onder controle.", "Nee zeggen zonder de relatie te schaden."),
          ("timemanagement", "planning", "prioriteren", "productiviteit"),
          (("Time management", "Calm and overview in your working day."),),
          {}, ("managementassistent",)),
    Topic("werkdruk", "T11",
          ("Werkdruk en stress", "Stressmanagement", "Omgaan met werkdruk", "Vitaliteit", "Burn-out voorkomen",
           "Mentale weerbaarheid", "Energie in balans"),
          ("Spanning herkennen en tijdig bijsturen.", "Gezond en met plezier aan het werk blijven."),
          ("Je leert signalen van stress herkennen.", "We bespreken de balans tussen werk en privé.",
           "Praktische oefeningen voor ontspanning.", "Je maakt een persoonlijk plan voor meer energie."),
          ("stress", "werkdruk", "vitaliteit", "weerbaarheid", "balans"),
          (("Stress management", "Spot tension early and act."),
           ("Resilience at work", "Stay healthy and motivated.")),
          {"mindfulness": (": mindfulness", "Met mindfulness-oefeningen voor elke dag.")},
          ()),
    Topic("loopbaan", "T7",
          ("Loopbaanontwikkeling", "Regie op je loopbaan", "Loopbaancoaching", "Solliciteren binnen het Rijk",
           "Je talenten ontdekken"),
          ("Bewust kiezen voor je volgende stap.", "Ontdek wat je drijft en wat je kunt."),
          ("Je maakt een talentenprofiel.", "We oefenen met netwerken en solliciteren.",
           "Mobiliteit binnen de Rijksoverheid.", "Gesprekken met een loopbaanadviseur."),
          ("loopbaan", "carriere", "ontwikkeling", "talent"),
          (("Career development", "Choose your next step."),),
          {}, ()),
    Topic("beleid", "T8",
          ("Beleidsontwikkeling", "De beleidscyclus", "Beleid maken", "Beleidsadvisering", "Beleid en uitvoering",
           "Werken aan beleid"),
          ("Van maatschappelijk probleem tot beleidsvoorstel.", "Beleid dat werkt in de uitvoering."),
          ("Je leert het Integraal Afwegingskader toepassen.", "We behandelen probleemanalyse en beleidsopties.",
           "Samenwerken met uitvoeringsorganisaties.", "De rol van de beleidsmedewerker in de lijn."),
          ("beleid", "beleidscyclus", "advies", "uitvoering"),
          (("Policy making", "From problem to proposal."),),
          {}, ("beleidsmedewerker",)),
    Topic("politiek", "T8",
          ("Politiek-bestuurlijke sensitiviteit", "Omgevingsbewustzijn", "Werken in een politieke omgeving",
           "Samenwerken met bewindspersonen", "De Tweede Kamer", "Hoe werkt Den Haag?"),
          ("Aanvoelen wat er speelt tussen ambtenaren en bewindspersonen.",
           "Politieke processen begrijpen en benutten."),
          ("Met een oud-Kamerlid als gastspreker.", "We bespreken de rol van de minister en het parlement.",
           "Kamervragen en moties: wat gebeurt er daarna?", "Je leert politieke gevoeligheden inschatten."),
          ("politiek", "bestuurlijk", "sensitiviteit", "kamer"),
          (), {}, ("beleidsmedewerker", "leidinggevende")),
    Topic("stakeholders", "T8",
          ("Stakeholdermanagement", "Omgevingsmanagement", "Participatie", "Samenwerken met belanghebbenden",
           "Burgerparticipatie"),
          ("Belanghebbenden tijdig en op de goede manier betrekken.", "Draagvlak bouwen buiten je organisatie."),
          ("Je maakt een stakeholderanalyse.", "We bespreken vormen van inspraak en participatie.",
           "Omgaan met tegengestelde belangen.", "Verwachtingen managen bij partners."),
          ("stakeholder", "participatie", "omgeving", "belanghebbenden"),
          (("Stakeholder management", "Involve the right people at the right time."),),
          {}, ("projectleider", "beleidsmedewerker")),
    Topic("evaluatie", "T8",
          ("Beleidsevaluatie", "Monitoren en evalueren", "Doeltreffendheid en doelmatigheid", "Evaluatieonderzoek"),
          ("Weten of beleid werkt.", "Goede evaluaties opzetten en gebruiken."),
          ("Je leert een beleidstheorie uitwerken.", "We behandelen de Regeling periodiek evaluatieonderzoek.",
           "Indicatoren kiezen om te monitoren.", "Onderzoek uitbesteden en begeleiden."),
          ("evaluatie", "monitoring", "onderzoek", "doelmatigheid"),
          (), {}, ("beleidsmedewerker", "analist")),
    Topic("gedrag", "T8",
          ("Gedragsinzichten in beleid", "Gedragswetenschap voor beleid", "Nudging"),
          ("Beleid dat rekening houdt met hoe mensen echt doen.", "Menselijk gedrag als uitgangspunt."),
          ("Je leert gedragsprincipes herkennen.", "We testen een brief op begrijpelijkheid en effect.",
           "Experimenteren met kleine interventies.", "Ethiek van beïnvloeding."),
          ("gedrag", "gedragsinzichten", "nudging"),
          (("Behavioural insights", "Policy that works with how people behave."),),
          {}, ("beleidsmedewerker",)),
    Topic("engels", "T10",
          ("Engels voor de werkvloer", "Zakelijk Engels", "Engels schrijven", "Engelse gesprekken voeren",
           "Engels voor internationale overleggen"),
          ("Met vertrouwen Engels spreken en schrijven op het werk.", "Vergaderen en mailen in het Engels."),
          ("Je oefent met presentaties en e-mails in het Engels.", "Veel aandacht voor uitspraak en vocabulaire.",
           "Les van een native speaker.", "Voor wie met internationale partners werkt."),
          ("engels", "english", "taal"),
          (("Business English", "Speak and write English at work."),
           ("English for government", "Meetings, e-mails and calls.")),
          {}, ("beleidsmedewerker", "managementassistent")),
    Topic("nt2", "T10",
          ("Nederlands als tweede taal", "Nederlands op de werkvloer", "Beter Nederlands spreken",
           "Taalcursus Nederlands"),
          ("Je Nederlands versterken voor het dagelijkse werk.",
           "Spreken, luisteren, lezen en schrijven in het Nederlands."),
          ("Lessen op niveau A2 tot B2.", "We oefenen met situaties uit je eigen werk.",
           "Een intake bepaalt je niveau.", "Kleine groepen met veel spreektijd."),
          ("nt2", "nederlands", "taal", "inburgering"),
          (), {}, ()),
    Topic("integriteit", "T11",
          ("Integriteit", "Integer handelen", "Morele dilemma's", "De ambtseed", "Integriteit in de praktijk",
           "Moreel beraad"),
          ("Omgaan met dilemma's in je werk.", "Wat betekent de eed of belofte voor jou?"),
          ("Je bespreekt echte dilemma's uit het werk.", "Wanneer en waar meld je een vermoeden van een misstand?",
           "Nevenwerkzaamheden, geschenken en belangenverstrengeling.", "We oefenen met moreel beraad."),
          ("integriteit", "dilemma", "ambtseed", "ethiek"),
          (("Integrity in public service", "Dealing with dilemmas at work."),),
          {}, ("leidinggevende", "toezichthouder")),
    Topic("bhv", "T11",
          ("Bedrijfshulpverlening", "BHV basis", "BHV herhaling", "EHBO", "Reanimatie en AED", "Ontruimingsoefening"),
          ("Hulp bieden bij brand, ongevallen en ontruiming.", "Weten wat je moet doen in de eerste minuten."),
          ("Je oefent reanimeren met een AED.", "We blussen een beginnende brand.",
           "Eerste hulp bij letsel en onwel worden.", "Een ontruiming leiden."),
          ("bhv", "ehbo", "reanimatie", "aed", "brand"),
          (("First aid at work", "Help in the first minutes."),),
          {}, ()),
    Topic("agressie", "T11",
          ("Omgaan met agressie", "Agressie aan de balie", "Weerbaarheid tegen agressie", "Lastig klantcontact",
           "Intimidatie herkennen"),
          ("Veilig blijven bij boze of dreigende klanten.", "Grenzen stellen en de-escaleren."),
          ("Je leert signalen van agressie herkennen.", "We oefenen met een trainingsacteur.",
           "Veilig melden na een incident.", "Nazorg voor jezelf en collega's."),
          ("agressie", "intimidatie", "klantcontact", "veiligheid"),
          (), {}, ("baliemedewerker", "toezichthouder")),
    Topic("diversiteit", "T11",
          ("Diversiteit en inclusie", "Inclusief werken", "Onbewuste vooroordelen", "Inclusief werkgeverschap"),
          ("Een werkplek waar iedereen meetelt.", "Vooroordelen herkennen en doorbreken."),
          ("Je test je eigen onbewuste voorkeuren.", "We bespreken inclusief werven en selecteren.",
           "Het gesprek over diversiteit in je team.", "Toegankelijkheid voor collega's met een beperking."),
          ("diversiteit", "inclusie", "vooroordelen"),
          (("Diversity and inclusion", "A workplace where everyone counts."),),
          {}, ("leidinggevende", "hradviseur")),
    Topic("archief", "T1",
          ("Informatiebeheer", "Archiveren", "Digitaal archiveren", "De Archiefwet", "Dossiervorming",
           "Records management"),
          ("Documenten vindbaar houden en goed bewaren.", "Informatie op orde voor nu en later."),
          ("Je leert de Archiefwet en bewaartermijnen toepassen.", "Metadata en goede bestandsnamen.",
           "Samenwerken in digitale dossiers.", "Wat te bewaren en wat te vernietigen?"),
          ("archief", "archiefwet", "informatiebeheer", "dossier"),
          (), {}, ("managementassistent",)),
    Topic("office", "T1",
          ("Microsoft Teams", "Outlook en Teams", "Word voor gevorderden", "Digitaal samenwerken met Office 365",
           "Microsoft 365"),
          ("Slimmer samenwerken met de digitale werkplek.", "Meer uit Word, Outlook en Teams halen."),
          ("Je leert documenten samen bewerken.", "We behandelen agenda's delen en vergaderen in Teams.",
           "Stijlen en sjablonen in Word.", "Bestanden delen zonder e-mailbijlagen."),
          ("office", "teams", "outlook", "word"),
          (("Microsoft 365 essentials", "Work together in the digital workplace."),),
          {"sharepoint": ("en SharePoint", "Je richt een SharePoint-site in voor je team.")},
          ("managementassistent",)),
    Topic("klant", "T1",
          ("Klantgericht werken", "Dienstverlening aan burgers", "Klantcontact", "Telefonische dienstverlening",
           "Servicegericht werken"),
          ("Burgers en bedrijven goed helpen.", "Vriendelijk, snel en correct antwoorden."),
          ("Je oefent telefoongesprekken met lastige vragen.", "We bespreken klachten als kans.",
           "Schrijven en spreken in begrijpelijke taal.", "De klantreis van een burger in kaart."),
          ("klant", "dienstverlening", "burger", "service"),
          (("Customer service", "Help citizens well."),),
          {}, ("baliemedewerker",)),
    Topic("hr", "T1",
          ("Personeelsbeleid", "Strategische personeelsplanning", "Het gesprek over functioneren",
           "Werving en selectie",
           "Sollicitatiegesprekken voeren", "HR voor leidinggevenden"),
          ("De juiste mensen op de juiste plek.", "Goede gesprekken in de gesprekscyclus."),
          ("Je leert een selectiegesprek voeren.", "We bespreken de gesprekscyclus en beoordelen.",
           "Strategische personeelsplanning voor je afdeling.", "Arbeidsvoorwaarden bij het Rijk uitgelegd."),
          ("hr", "personeel", "werving", "selectie"),
          (("Recruitment and selection", "The right people in the right place."),),
          {}, ("hradviseur", "leidinggevende")),
)

LEVELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # level → (title patterns, sentences)
    "basis": (("Basiscursus {t}", "{T} voor beginners", "{T}: de basis", "Introductie {t}", "{T} (basis)"),
              ("Voorkennis is niet nodig.", "Geschikt voor beginners.")),
    "gevorderd": (("{T} voor gevorderden", "Verdieping {t}", "Masterclass {t}", "{T} gevorderd"),
                  ("Je hebt al ervaring met het onderwerp.", "Voor deelnemers met enige ervaring.")),
}
FORMATS = ("Training", "Cursus", "Workshop", "Leergang", "E-learning", "Webinar", "Opleiding")
GENERIC = (
    "De training is praktisch en interactief.", "Je werkt met casussen uit je eigen praktijk.",
    "Na afloop ontvang je een certificaat van deelname.", "Er is ruimte voor je eigen vragen.",
    "We werken in kleine groepen van maximaal twaalf deelnemers.",
    "De bijeenkomsten zijn afwisselend online en op locatie.", "Inclusief lunch en lesmateriaal.",
    "Ervaren trainers uit de praktijk begeleiden je.", "Je krijgt toegang tot een online leeromgeving.",
    "Tussen de bijeenkomsten werk je aan een praktijkopdracht.", "U ontvangt vooraf een korte vragenlijst.",
    "De docent heeft jarenlange ervaring bij de overheid.",
)
GENERIC_EN = ("The course is taught in English.", "You work with cases from your own practice.",
              "Small groups and plenty of room for questions.")
AUDIENCE_SENTENCES = ("Deze training is bedoeld voor {a}.", "Doelgroep: {a} en andere belangstellenden.",
                      "Speciaal ontwikkeld voor {a}.", "Voor {a} die hun vakmanschap willen versterken.")
CITIES = (("Den Haag", 6), ("Utrecht", 6), ("Amsterdam", 4), ("Rotterdam", 3), ("Zwolle", 2), ("Groningen", 2),
          ("Eindhoven", 2), ("Arnhem", 2), ("Amersfoort", 2), ("'s-Hertogenbosch", 1), ("Maastricht", 1),
          ("Leeuwarden", 1), ("Apeldoorn", 1), ("Leiden", 1), ("Haarlem", 1))
SUPPLIERS = (
    "Academie voor Overheidscommunicatie", "Rijksacademie Digitaal", "Bureau Helder", "De Leerfabriek",
    "Kenniscentrum Publiek Management", "Instituut voor Wetgeving en Recht", "SkillsHub", "Verbeterlab",
    "DataCampus Overheid", "Het Schrijfhuis", "Trainingsbureau Van Dijk", "Publiek Leiderschap Instituut",
    "Opleidingscentrum Noord", "Centrum voor Veiligheid", "Taalhuis Randstad", "Studio Presenteren",
    "Adviesbureau Koers", "Overheidsacademie Oost", "Leerhuis Financiën", "Inkoopacademie",
    "Bureau Integriteit en Ethiek", "Vitaal Werk", "Agile Academy NL", "Projectbureau Stap",
    "Het Gesprekscentrum", "Instituut Digitale Overheid", "Loopbaanhuis", "Juridisch Opleidingsinstituut",
    "Communicatiewerkplaats", "Teamkracht",
)


@dataclass(frozen=True)
class Labels:
    """What a generated program is about, whatever its words."""

    program_id: str
    topic: str
    level: str | None
    audience: str | None
    facets: frozenset[str]
    cities: frozenset[str]  # folded cities of upcoming, not cancelled runs
    english: bool


def generate(today: date) -> tuple[list[tuple[str, str, dict[str, Any]]], dict[str, str], list[Labels]]:
    """(supplier id, program id, EDU-DEX document) per program, supplier names by id, and the labels."""
    rng = random.Random(SEED)
    supplier_names = {f"sup-g{n:02d}": name for n, name in enumerate(SUPPLIERS)}
    supplier_ids = sorted(supplier_names)
    houses = {topic.key: rng.sample(supplier_ids, 5) for topic in TOPICS}
    order = [TOPICS[i % len(TOPICS)] for i in range(PROGRAMS)]
    rng.shuffle(order)
    documents, labels = [], []
    for number, topic in enumerate(order):
        program_id = f"G-{number:04d}"
        supplier_id = rng.choice(houses[topic.key])
        document, label = _program(rng, topic, program_id, supplier_id, today)
        documents.append((supplier_id, program_id, document))
        labels.append(label)
    return documents, supplier_names, labels


def _program(rng: random.Random, topic: Topic, program_id: str, supplier_id: str,
             today: date) -> tuple[dict[str, Any], Labels]:
    english = bool(topic.english) and rng.random() < 0.12
    level = rng.choice(["basis", "gevorderd", None, None, None])
    audience = rng.choice(topic.audiences) if topic.audiences and rng.random() < 0.4 else None
    facets = frozenset(f for f in topic.facets if rng.random() < 0.35)
    if english:
        title, summary = rng.choice(topic.english)
        sentences = [summary, rng.choice(GENERIC_EN), rng.choice(GENERIC_EN)]
        description = " ".join(dict.fromkeys(sentences))
        keywords = [w for w in topic.keywords if rng.random() < 0.5]
        level, audience, facets = None, None, frozenset()
    else:
        title = _title(rng, topic, level, audience, facets)
        summary = rng.choice(topic.summaries)
        if audience and rng.random() < 0.5:
            summary = f"{summary} Voor {AUDIENCES[audience]}."
        description = _description(rng, topic, level, audience, facets)
        keywords = [w for w in topic.keywords if rng.random() < 0.45] if rng.random() < 0.7 else []
        keywords += [f for f in sorted(facets) if rng.random() < 0.5]
    runs, cities = _runs(rng, program_id, today)
    document = program(
        supplier_id, program_id, title, summary, description, runs=runs, theme=topic.theme,
        search_words=keywords or None, duration_days=rng.choice([1, 1, 2, 3, 5]),
        form="e-learning" if runs and all(r.online for r in runs) else "part-time",
        last_edited=f"{today.isoformat()}T08:00:00Z",
    )
    return document, Labels(program_id, topic.key, level, audience, facets, cities, english)


def _title(rng: random.Random, topic: Topic, level: str | None, audience: str | None, facets: frozenset[str]) -> str:
    title = rng.choice(topic.titles)
    for facet in sorted(facets):
        if rng.random() < 0.5:
            tail = topic.facets[facet][0]
            title = f"{title}{tail}" if tail.startswith((":", ",")) else f"{title} {tail}"
    if level and rng.random() < 0.6:
        pattern = rng.choice(LEVELS[level][0])
        title = pattern.format(t=_lower_first(title), T=title)
    elif rng.random() < 0.25:
        title = f"{rng.choice(FORMATS)} {_lower_first(title)}"
    if audience and rng.random() < 0.45 and " voor " not in title:
        title = f"{title} voor {AUDIENCES[audience]}"
    return title


def _description(rng: random.Random, topic: Topic, level: str | None, audience: str | None,
                 facets: frozenset[str]) -> str:
    chosen = rng.sample(topic.sentences, k=min(len(topic.sentences), rng.randint(2, 4)))
    chosen += [topic.facets[f][1] for f in sorted(facets)]
    if level:
        chosen.append(rng.choice(LEVELS[level][1]))
    if audience:
        chosen.append(rng.choice(AUDIENCE_SENTENCES).format(a=AUDIENCES[audience]))
    chosen += rng.sample(GENERIC, k=rng.randint(1, 3))
    return " ".join(chosen)


def _lower_first(title: str) -> str:
    first = title.split()[0]
    if any(ch.isupper() for ch in first[1:]) or first in {"Excel", "Python", "Scrum", "Microsoft", "Word", "Lean",
                                                         "Power", "Nederlands", "Engels", "Outlook", "Kanban",
                                                         "Mediation", "Wet", "Europees", "R", "Algemene"}:
        return title
    return title[0].lower() + title[1:]


def _runs(rng: random.Random, program_id: str, today: date) -> tuple[list[Run], frozenset[str]]:
    names = [name for name, _ in CITIES]
    weights = [weight for _, weight in CITIES]
    online_only = rng.random() < 0.2
    count = rng.choices([0, 1, 2, 3, 4], weights=[1, 3, 3, 2, 1])[0]
    runs, cities = [], set()
    for k in range(count):
        start = today + timedelta(days=rng.randint(-60, 330))
        city = None if online_only else rng.choices(names, weights)[0]
        status = "canceled" if rng.random() < 0.05 else "application opened"
        runs.append(Run(f"{program_id}-{k + 1}", start, start + timedelta(days=rng.choice([0, 0, 1, 2])), city,
                        online=online_only, status=status, price_eur=f"{rng.randint(2, 30) * 50}.00"))
        if city and status != "canceled" and start >= today:
            cities.add(fold_city(city))
    return runs, frozenset(cities)


def fold_city(city: str) -> str:
    from chalicelib.catalogue.search_rules import words

    return " ".join(words(city))


def grades(intent: dict[str, Any], labels: list[Labels]) -> dict[str, int]:
    """Grades (2 exactly right, 1 related) from a query's intent and the programs' labels.

    `topics`: topic → grade; `any_topic`: a grade for every topic (a job title, a place alone).
    Constraints (`level`, `audience`, `facet`, `city`): a program that misses one keeps at most grade 1
    for a topic named in `topics`, and nothing from `any_topic`. `audiences`: audience → at least this
    grade for a program written for that audience (leidinggevenden are related to a leadership query).
    """
    topics: dict[str, int] = intent.get("topics", {})
    audiences: dict[str, int] = intent.get("audiences", {})
    any_topic = int(intent.get("any_topic", 0))
    city = intent.get("city")
    found: dict[str, int] = {}
    for label in labels:
        met = ((intent.get("level") is None or label.level == intent["level"])
               and (intent.get("audience") is None or label.audience == intent["audience"])
               and (intent.get("facet") is None or intent["facet"] in label.facets)
               and (city is None or fold_city(city) in label.cities))
        named = topics.get(label.topic, 0)
        grade = max(named, any_topic) if met else min(named, 1)
        grade = max(grade, audiences.get(label.audience or "", 0))
        if grade:
            found[label.program_id] = grade
    return found
