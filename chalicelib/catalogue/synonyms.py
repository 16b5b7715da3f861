"""Dutch government synonyms, abbreviations and job titles for the catalogue search (R_CAT_07).

The maintained default: each group lists words a civil servant may type for the same subject.
CFB edits the list on the admin pages (/beheer/zoekwoorden/); once CFB has saved it, the stored
list applies instead of this one (chalicelib/catalogue/vocabulary_rules.py). A query word (or two
adjacent query words) that is a member finds courses with the other members, ranked below exact,
stemmed, prefix and compound matches. Members are written as people type them; they are folded
(case, accents) when an index is built. A member of two words also counts in its joined form
("power bi" = "powerbi").
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    # privacy, openness, security
    ("AVG", "GDPR", "privacy", "gegevensbescherming", "persoonsgegevens", "Algemene verordening gegevensbescherming",
     "privacywetgeving"),
    ("DPIA", "gegevensbeschermingseffectbeoordeling", "privacy impact assessment"),
    ("Woo", "Wob", "openbaarheid", "Wet open overheid", "openbaarmaking", "Wet openbaarheid van bestuur",
     "openbaarheid van bestuur", "informatieverzoek"),
    ("BIO", "informatiebeveiliging", "Baseline Informatiebeveiliging Overheid", "cybersecurity", "security",
     "cyberveiligheid", "digitale veiligheid"),
    ("phishing", "nepmail", "oplichting"),
    ("archief", "archiveren", "informatiebeheer", "documentbeheer", "dossiervorming", "records management",
     "Archiefwet"),
    # digital
    ("agile", "scrum", "wendbaar", "wendbaar werken", "kanban"),
    ("PSM", "Professional Scrum Master", "scrum master"),
    ("Power BI", "dashboard", "datavisualisatie", "visualiseren"),
    ("Excel", "spreadsheet", "rekenblad", "draaitabel"),
    ("AI", "kunstmatige intelligentie", "artificial intelligence", "algoritme", "taalmodel", "ChatGPT",
     "generatieve AI"),
    ("data", "gegevens", "dataset"),
    ("data-analyse", "data analyse", "dataanalyse", "data-analytics", "statistiek", "cijfers"),
    ("programmeren", "coderen", "scripts"),
    ("WCAG", "toegankelijkheid", "digitale toegankelijkheid", "accessibility", "webrichtlijnen"),
    ("cloud", "clouddiensten", "soevereiniteit"),
    ("ICT", "IT", "informatietechnologie", "informatievoorziening"),
    ("Office", "Microsoft 365", "Office 365", "digitale werkplek"),
    # projects, processes
    ("projectmanagement", "projectmatig werken", "projectleiding", "prince2", "projecten leiden"),
    ("lean", "procesverbetering", "six sigma", "continu verbeteren", "processen verbeteren", "verbetermanagement"),
    ("risicomanagement", "risicobeheersing", "risicobeheer", "risico"),
    ("stakeholdermanagement", "omgevingsmanagement", "belanghebbenden", "stakeholder", "participatie",
     "inspraak", "burgerparticipatie"),
    ("timemanagement", "tijdmanagement", "plannen en prioriteren", "prioriteren", "time management"),
    # leadership, people
    ("leidinggeven", "leiderschap", "management", "manager", "leidinggevende"),
    ("startende leidinggevende", "nieuwe leidinggevende", "beginnend leidinggevende", "nieuw in de rol"),
    ("verandermanagement", "veranderen", "verandering", "reorganisatie", "transitie", "veranderkunde"),
    ("coaching", "coachen", "coach", "mentor", "mentoring", "intervisie"),
    ("teamontwikkeling", "teambuilding", "samenwerken", "samenwerking", "teamwork"),
    ("thuiswerken", "hybride werken", "plaatsonafhankelijk werken", "op afstand"),
    ("HR", "personeelsbeleid", "P&O", "human resources", "personeelszaken"),
    ("werving", "werving en selectie", "selectie", "sollicitatie", "recruitment"),
    ("loopbaan", "carrière", "loopbaanontwikkeling", "mobiliteit"),
    ("onboarding", "introductie", "inwerken", "inwerkprogramma"),
    ("diversiteit", "inclusie", "inclusief", "vooroordelen"),
    # communication, conversations
    ("feedback", "terugkoppeling"),
    ("conflict", "mediation", "ruzie", "conflicthantering", "conflictbemiddeling", "de-escaleren", "onenigheid"),
    ("gesprekstechniek", "gespreksvaardigheden", "gesprekstechnieken", "gesprek voeren"),
    ("lastige gesprekken", "moeilijke gesprekken", "slechtnieuwsgesprek", "lastig gesprek", "moeilijk gesprek"),
    ("onderhandelen", "onderhandeling", "negotiation", "onderhandelingsvaardigheden"),
    ("presenteren", "presentatie", "spreken in het openbaar", "pitch", "pitchen", "presentatietechniek"),
    ("schrijven", "schrijfvaardigheid", "tekst", "teksten", "schriftelijk communiceren", "zakelijk schrijven",
     "tekstschrijven", "schriftelijke communicatie"),
    ("B1", "taalniveau", "begrijpelijke taal", "eenvoudige taal", "duidelijke taal", "heldere taal"),
    ("nota", "notitie", "adviesnota", "beslisnota", "memo", "kamerbrief", "beleidsstuk"),
    ("crisiscommunicatie", "woordvoering", "crisis", "woordvoerder", "persvoorlichting", "mediatraining"),
    ("sociale media", "social media", "online communicatie", "webredactie"),
    ("vergaderen", "vergadering", "overleg", "meeting", "voorzitten"),
    ("klantcontact", "klantgericht", "dienstverlening", "klachten", "klachtbehandeling", "servicegericht"),
    ("Engels", "English"),
    ("Nederlands", "NT2", "Dutch", "Nederlands als tweede taal"),
    # finance, procurement, law
    ("inkoop", "inkopen", "aanbesteden", "aanbesteding", "procurement", "tender"),
    ("europees aanbesteden", "europese aanbesteding", "Europese aanbestedingen"),
    ("MVI", "maatschappelijk verantwoord inkopen", "duurzaam inkopen"),
    ("contractmanagement", "contractbeheer", "leveranciersmanagement"),
    ("begroting", "financien", "budget", "begroten", "rijksbegroting"),
    ("control", "planning en control", "controlling", "financieel management"),
    ("KPI", "prestatie-indicator", "prestatie-indicatoren", "kritieke prestatie-indicator"),
    ("subsidie", "subsidies", "subsidieregeling", "subsidieverlening"),
    ("wetgeving", "regelgeving", "wetgevingstechniek"),
    ("Awb", "Algemene wet bestuursrecht", "bestuursrecht", "bezwaar en beroep"),
    ("Omgevingswet", "Ow", "omgevingsrecht"),
    ("EU", "Europese Unie", "Europa", "Brussel"),
    ("integriteit", "ambtseed", "eed", "dilemma", "integer"),
    # health, safety
    ("BHV", "bedrijfshulpverlening", "EHBO", "eerste hulp", "reanimatie", "AED"),
    ("agressie", "intimidatie", "bedreiging", "geweld"),
    ("stress", "werkdruk", "overspannen", "burn-out", "burnout", "overbelasting", "spanning"),
    ("vitaliteit", "werkplezier", "duurzame inzetbaarheid", "welzijn", "mindfulness"),
    # job titles
    ("beleidsmedewerker", "beleidsadviseur", "beleidsmaker", "beleidsambtenaar"),
    ("jurist", "juridisch adviseur", "wetgevingsjurist", "juridisch medewerker"),
    ("inkoper", "inkoopadviseur", "inkoopmedewerker"),
    ("managementassistent", "secretaresse", "secretariaat", "officemanager", "directiesecretaresse"),
    ("controller", "business controller", "financieel adviseur"),
    ("projectleider", "projectmanager"),
    ("baliemedewerker", "klantcontactmedewerker", "frontoffice"),
    ("toezichthouder", "inspecteur", "handhaver"),
    ("data-analist", "analist", "datawetenschapper", "data scientist"),
    ("communicatieadviseur", "communicatiemedewerker", "voorlichter"),
    ("HR-adviseur", "P&O-adviseur", "personeelsadviseur"),
)
