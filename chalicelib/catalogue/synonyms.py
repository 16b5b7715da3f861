"""Dutch government synonyms and abbreviations for the catalogue search (R_CAT_07).

Maintained by hand: each group lists words that a civil servant may type for the same subject.
A query word (or two adjacent query words) that is a member finds courses with the other members,
ranked below exact, stemmed, prefix and compound matches. Members are written as people type
them; they are folded (case, accents) when the search module loads. A member of two words also
counts in its joined form ("power bi" = "powerbi").

Add a group or a member with a test in tests/functional/test_catalogue_search_matching.py when
the search log shows people missing courses.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    ("AVG", "GDPR", "privacy", "gegevensbescherming", "persoonsgegevens", "Algemene verordening gegevensbescherming"),
    ("Woo", "Wob", "openbaarheid", "Wet open overheid", "openbaarmaking", "Wet openbaarheid van bestuur"),
    ("BIO", "informatiebeveiliging", "Baseline Informatiebeveiliging Overheid", "cybersecurity", "security"),
    ("agile", "scrum", "wendbaar"),
    ("Power BI", "dashboard", "datavisualisatie", "visualiseren"),
    ("Excel", "spreadsheet", "rekenblad", "draaitabel"),
    ("AI", "kunstmatige intelligentie", "artificial intelligence", "algoritme"),
    ("projectmanagement", "projectmatig werken", "projectleider", "prince2"),
    ("leidinggeven", "leiderschap", "management", "manager", "leidinggevende"),
    ("coaching", "coachen", "coach", "mentor"),
    ("feedback", "terugkoppeling"),
    ("conflict", "mediation", "ruzie"),
    ("onderhandelen", "onderhandeling", "negotiation"),
    ("presenteren", "presentatie", "spreken in het openbaar", "pitch"),
    ("schrijven", "schrijfvaardigheid", "tekst", "teksten"),
    ("B1", "taalniveau", "begrijpelijke taal", "eenvoudige taal", "duidelijke taal"),
    ("inkoop", "inkopen", "aanbesteden", "aanbesteding", "procurement"),
    ("begroting", "financien", "budget", "begroten"),
    ("WCAG", "toegankelijkheid", "digitale toegankelijkheid", "accessibility"),
    ("integriteit", "ambtseed", "eed", "dilemma"),
    ("vergaderen", "vergadering", "overleg", "meeting"),
    ("timemanagement", "tijdmanagement", "planning", "prioriteren"),
    ("onboarding", "introductie", "inwerken", "inwerkprogramma"),
    ("vitaliteit", "werkplezier", "duurzame inzetbaarheid", "welzijn"),
    ("thuiswerken", "hybride werken", "plaatsonafhankelijk werken"),
    ("Engels", "English"),
    ("Nederlands", "NT2", "Dutch"),
    ("cloud", "clouddiensten", "soevereiniteit"),
    ("lean", "procesverbetering", "six sigma"),
    ("crisiscommunicatie", "woordvoering", "crisis"),
    ("data", "gegevens", "dataset"),
    ("risicomanagement", "risicobeheersing", "risico"),
    ("stakeholdermanagement", "omgevingsmanagement", "belanghebbenden", "stakeholder"),
    ("wetgeving", "regelgeving", "wetgevingstechniek"),
    ("Omgevingswet", "Ow"),
)
