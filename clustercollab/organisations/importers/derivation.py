"""The ecosystem and keyword rules of the CORDIS import (pure functions).

``project_ecosystems`` documents the rule for a project; an organisation gets the most frequent
ecosystems (``organisation_ecosystems``) and keywords (``organisation_keywords``) of its projects.
"""

import re
from collections import Counter
from collections.abc import Collection, Iterable

ORGANISATION_KEYWORDS = 10
ORGANISATION_ECOSYSTEMS = 3

AEROSPACE = "Aerospace & defence"
AGRI_FOOD = "Agri-food"
CONSTRUCTION = "Construction"
CCI = "Cultural and creative industries (CCI)"
DIGITAL = "Digital"
ELECTRONICS = "Electronics"
EII = "Energy-intensive industries (EII)"
RENEWABLES = "Energy-renewables"
HEALTH = "Health"
MOBILITY = "Mobility-Transport-Automotive"
PROXIMITY = "Proximity, social economy and civil society"
RETAIL = "Retail"
TEXTILES = "Textiles"
TOURISM = "Tourism"

# Cluster 4 names its destinations by words: TWIN-TRANSITION is D1, RESILIENCE D2, DATA D3,
# DIGITAL(-EMERGING) and QUANTUM D4, SPACE D5, HUMAN D6.
_CL4_DESTINATIONS = {
    "TWIN": "D1",
    "RESILIENCE": "D2",
    "DATA": "D3",
    "DIGITAL": "D4",
    "QUANTUM": "D4",
    "SPACE": "D5",
    "HUMAN": "D6",
}
_CL5_DESTINATIONS = {
    "D1": {RENEWABLES},  # climate sciences and responses
    "D2": {MOBILITY, RENEWABLES},  # cross-sectoral solutions, batteries
    "D3": {RENEWABLES},  # energy supply
    "D4": {CONSTRUCTION, RENEWABLES},  # buildings and industrial energy use
    "D5": {MOBILITY},  # clean transport
    "D6": {MOBILITY},  # safe, smart mobility
}
# Partnerships and missions with a topic code of their own (token in the code → ecosystems).
_PARTNERSHIPS = {
    "SESAR": {AEROSPACE, MOBILITY},
    "AVIATION": {AEROSPACE, MOBILITY},  # Clean Aviation
    "CLEANH2": {RENEWABLES},
    "ER": {MOBILITY},  # Europe's Rail
    "IHI": {HEALTH},
    "EDCTP3": {HEALTH},
    "CANCER": {HEALTH},
    "CHIPS": {ELECTRONICS, DIGITAL},
    "KDT": {ELECTRONICS, DIGITAL},
    "SNS": {DIGITAL},
    "EUROHPC": {DIGITAL},
    "EUSPA": {AEROSPACE},
    "CBE": {AGRI_FOOD},  # Circular Bio-based Europe
    "SOIL": {AGRI_FOOD},
    "NEB": {CONSTRUCTION, CCI},  # New European Bauhaus
}
# Used only when the topic code names no cluster or partnership.
_LEGAL_BASES = {
    "HORIZON.2.1": {HEALTH},
    "HORIZON.2.2": {PROXIMITY},
    "HORIZON.2.3": {AEROSPACE},
    "HORIZON.2.4": {DIGITAL},
    "HORIZON.2.5": {RENEWABLES},
    "HORIZON.2.6": {AGRI_FOOD},
}
_ELECTRONICS_TOPIC = re.compile(
    r"\b(chips?|semiconductors?|photonics?|micro-?electronics|nano-?electronics|electronics?"
    r"|electronic (?:components|systems))\b"
)
_KEYWORD_RULES = [
    (
        TEXTILES,
        r"\btextiles?\b|\bfashion\b|\bgarments?\b|\bapparel\b|\bclothing\b|\bfootwear\b"
        r"|\bleather\b",
    ),
    (TOURISM, r"\btouris[mt]s?\b|\bhospitality\b"),
    (RETAIL, r"\bretail\w*|\be-?commerce\b|\bsupermarkets?\b"),
    (
        CONSTRUCTION,
        r"\bbuildings\b|\bbuilding (?:stock|envelopes?|sector|renovation|materials?"
        r"|information model\w*)\b|\bbuilt environment\b|\bconstruction (?:sector"
        r"|industry|materials?|sites?|products?|waste)\b|\brenovation\b|\bcement\b"
        r"|\bconcrete\b",
    ),
    # "soil health", "ocean health" and "plant health" are not the health ecosystem.
    (
        HEALTH,
        r"\bhealth\b(?<!soil health)(?<!ocean health)(?<!plant health)|\bhealthcare\b"
        r"|\bmedical\b|\bmedicines?\b|\bclinical\b|\bpatients?\b|\bcancers?\b|\bhospitals?\b"
        r"|\bvaccines?\b|\bpharmaceuticals?\b|\btherapies\b|\btherapy\b",
    ),
    (
        AGRI_FOOD,
        r"\bagri\w*|\bagro\w*|\bfarm\w*|\bfoods?\b|\bcrops?\b|\blivestock\b"
        r"|\baquaculture\b|\bfisher(?:y|ies)\b|\bdairy\b|\bviticulture\b",
    ),
    (
        RENEWABLES,
        r"\brenewables?\b|\brenewable energy\b|\bsolar\b|\bphotovoltaics?\b"
        r"|\bwind (?:energy|power|turbines?|farms?)\b|\bhydrogen\b|\bgeothermal\b"
        r"|\bbioenergy\b|\bbiofuels?\b|\bheat pumps?\b|\benergy storage\b"
        r"|\bsmart grids?\b",
    ),
    (
        MOBILITY,
        r"\bautomotive\b|\bvehicles?\b|\brailways?\b|\brail\b|\be-?mobility\b"
        r"|\belectromobility\b|\b(?:urban|smart|sustainable) mobility\b|\bmaritime\b"
        r"|\bshipping\b|\blogistics\b|\bfreight\b|\bpublic transport\b"
        r"|\b(?:road|air|urban) transport\b|\btransport (?:sector|systems?"
        r"|infrastructures?|modes?|policy|corridors?)\b",
    ),
    (
        AEROSPACE,
        r"\baerospace\b|\baircraft\b|\baviation\b|\bsatellites?\b|\bspacecraft\b"
        r"|\bspace (?:missions?|technolog\w*|debris|weather|systems?|sector|industry"
        r"|exploration)\b|\bearth observation\b|\bdefen[cs]e\b|\bdrones?\b"
        r"|\bcopernicus\b|\bgalileo\b",
    ),
    (
        DIGITAL,
        r"\bdigital\w*|\bartificial intelligence\b|\bai\b|\bmachine learning\b"
        r"|\bdeep learning\b|\bsoftware\b|\bcloud\b|\bcyber\w*|\brobot\w*"
        r"|\binternet of things\b|\biot\b|\b[56]g\b|\bblockchain\b"
        r"|\bhigh[- ]performance computing\b|\bbig data\b|\bdata spaces?\b",
    ),
    (
        ELECTRONICS,
        r"\bsemiconductors?\b|\bmicro-?electronics?\b|\bnano-?electronics?\b"
        r"|\bphotonics?\b|\bchips?\b|\belectronics\b|\bintegrated circuits?\b",
    ),
    (
        EII,
        r"\bsteel\b|\bcement\b|\balumini?um\b|\bceramics?\b|\bprocess industr\w*"
        r"|\bchemical industr\w*|\bpetrochemicals?\b|\bpulp and paper\b|\bfertili[sz]ers?\b"
        r"|\bindustrial symbiosis\b|\braw materials?\b",
    ),
    (
        CCI,
        r"\bcultural heritage\b|\bheritage\b|\bcreative industr\w*|\bcultural and creative\b"
        r"|\bmuseums?\b|\bmusic\b|\bfilms?\b|\baudiovisual\b|\bvideo games?\b"
        r"|\bperforming arts\b",
    ),
    (
        PROXIMITY,
        r"\bsocial economy\b|\bsocial enterprises?\b|\bcivil society\b"
        r"|\bsocial innovation\b|\bcooperatives?\b|\bnon-?profits?\b|\bvolunteer\w*"
        r"|\bthird sector\b|\bsocial inclusion\b",
    ),
]
_KEYWORD_PATTERNS = [(name, re.compile(pattern)) for name, pattern in _KEYWORD_RULES]


def _topic_ecosystems(topic_code: str, text: str) -> set[str]:
    tokens = topic_code.upper().split("-")
    programme = tokens[1] if len(tokens) > 1 and tokens[0] == "HORIZON" else tokens[0]
    # The first token after the programme and the year, e.g. "D3" or "RESILIENCE".
    destination = next((t for t in tokens[2:] if not t.isdigit()), "")
    if programme in {"HLTH", "CL1"}:
        return {HEALTH}
    if programme == "CL2":
        return {CCI} if destination in {"HERITAGE", "CCI"} else {PROXIMITY}
    if programme == "CL3":
        return {AEROSPACE}
    if programme == "CL4":
        destination = _CL4_DESTINATIONS.get(destination, destination)
        if destination in {"D1", "D2"}:
            return {EII}
        if destination == "D5":
            return {AEROSPACE}
        found = {DIGITAL}
        if _ELECTRONICS_TOPIC.search(text):
            found.add(ELECTRONICS)
        return found
    if programme == "CL5":
        return set(_CL5_DESTINATIONS.get(destination, {RENEWABLES}))
    if programme == "CL6":
        return {AGRI_FOOD}
    found: set[str] = set()
    for token in tokens:
        found |= _PARTNERSHIPS.get(token, set())
    return found


def project_ecosystems(
    *, topic_code: str, legal_basis: str, title: str, keywords: Iterable[str], topic_title: str = ""
) -> set[str]:
    """Return the names of the industrial ecosystems a Horizon Europe project belongs to.

    The rule, deterministic and deliberately simple:

    1. From the topic code (``HORIZON-<programme>-<year>-<destination>-…``):
       - Health (HLTH, the codes of Cluster 1) → Health.
       - CL2 → Cultural and creative industries for HERITAGE and CCI topics, otherwise
         Proximity, social economy and civil society (DEMOCRACY, TRANSFORMATIONS).
       - CL3 (civil security) → Aerospace & defence.
       - CL4: D1 TWIN-TRANSITION and D2 RESILIENCE → Energy-intensive industries; D3 DATA,
         D4 DIGITAL(-EMERGING)/QUANTUM and D6 HUMAN → Digital, plus Electronics when the topic
         title or project title is about chips, semiconductors, photonics or electronics;
         D5 SPACE → Aerospace & defence.
       - CL5: D1 and D3 → Energy-renewables; D2 (batteries) → Mobility + Energy-renewables;
         D4 (buildings, industry) → Construction + Energy-renewables; D5 and D6 → Mobility;
         other CL5 topics (SET plan, offshore) → Energy-renewables.
       - CL6 → Agri-food.
       - Partnerships and missions (a token of the code): SESAR and Clean Aviation → Aerospace +
         Mobility, CLEANH2 → Energy-renewables, Europe's Rail (ER) → Mobility, IHI, EDCTP3 and
         the cancer mission → Health, Chips and KDT → Electronics + Digital, SNS and EuroHPC →
         Digital, EUSPA → Aerospace, CBE and the soil mission → Agri-food, New European
         Bauhaus (NEB) → Construction + CCI.
    2. When the code gave nothing, the legal basis of the clusters: HORIZON.2.1 Health,
       2.2 Proximity, 2.3 Aerospace & defence, 2.4 Digital, 2.5 Energy-renewables, 2.6 Agri-food.
    3. Always, keyword rules (_KEYWORD_RULES: whole words, case-insensitive) over the title, the
       keywords and the topic title, e.g. "textile|fashion|garment…" → Textiles,
       "tourism|hospitality" → Tourism, "retail|e-commerce" → Retail, "buildings|renovation|
       cement…" → Construction, "health|clinical|patients…" → Health, "agri…|farm…|food…" →
       Agri-food. ERC, MSCA, EIC and Widening projects get ecosystems only this way; many get
       none, which is right for blue-sky research.
    """
    keywords = list(keywords)
    text = " ".join([title, *keywords, topic_title]).lower()
    found = _topic_ecosystems(topic_code, f"{title} {topic_title}".lower())
    if not found:
        found = set(_LEGAL_BASES.get(legal_basis, set()))
    for name, pattern in _KEYWORD_PATTERNS:
        if pattern.search(text):
            found.add(name)
    return found


def organisation_ecosystems(
    project_ecosystems: list[Collection[str]], order: dict[str, int] | None = None
) -> list[str]:
    """Return an organisation's ecosystems from those of its projects, most frequent first.

    An ecosystem counts when it occurs in at least max(1, 25 %) of the organisation's projects;
    at most ORGANISATION_ECOSYSTEMS are kept. Ties go by ``order`` (ecosystem id), then name.
    """
    counts = Counter(name for found in project_ecosystems for name in set(found))
    total = len(project_ecosystems)
    order = order or {}
    kept = [name for name, count in counts.items() if count >= 1 and count * 4 >= total]
    kept.sort(key=lambda name: (-counts[name], order.get(name, 0), name))
    return kept[:ORGANISATION_ECOSYSTEMS]


def _nice_form(forms: Counter[str]) -> str:
    # The most frequent spelling; on a tie, one that is not shouted ("CIRCULAR ECONOMY"; short
    # all-capital forms such as "AI" are acronyms), then the first seen (Counter keeps order).
    def score(item: tuple[int, str]) -> tuple[int, bool, int]:
        position, form = item
        return (forms[form], not (form.isupper() and len(form) > 5), -position)

    return max(enumerate(forms), key=score)[1]


def organisation_keywords(project_keywords: list[Iterable[str]]) -> list[str]:
    """Return the ORGANISATION_KEYWORDS most frequent keywords across an organisation's projects.

    Keywords are compared case-insensitively and counted once per project; each keeps its most
    frequent (and not all-capital) spelling. Ties go by first appearance.
    """
    counts: Counter[str] = Counter()  # insertion order = first appearance
    per_project = []
    for keywords in project_keywords:
        spellings: dict[str, str] = {}
        for keyword in keywords:
            spellings.setdefault(keyword.casefold(), keyword)
        counts.update(spellings.keys())
        per_project.append(spellings)
    position = {key: index for index, key in enumerate(counts)}
    top = sorted(counts, key=lambda key: (-counts[key], position[key]))[:ORGANISATION_KEYWORDS]
    forms: dict[str, Counter[str]] = {key: Counter() for key in top}
    for spellings in per_project:
        for key, form in spellings.items():
            if key in forms:
                forms[key][form] += 1
    return [_nice_form(forms[key]) for key in top]
