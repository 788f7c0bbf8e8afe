"""The cross-language set: queries in one language, real profiles in another.

The profiles are real CORDIS Horizon Europe organisations (name + project titles, built as the
site builds an imported profile: ``matching.cordis``). ``FORWARD`` queries are written in
Finnish, German, French, Spanish and Polish and describe what an English profile does without
naming it. ``REVERSE`` profiles are real profiles whose project titles were translated into
those languages; they replace the English originals in the pool and are searched with an
English query.
"""

# (language, query, CORDIS organisation id of the profile it should find)
FORWARD: list[tuple[str, str, int]] = [
    ("fi", "vetylaakso Itämeren ympärillä ja vihreä ammoniakki laivojen polttoaineena", 893465449),
    ("de", "Lasertechnologien, Photonik und Quantentechnologien für die Industrie", 895281677),
    ("es", "biopsia líquida para predecir el cáncer y microbiota intestinal", 926433615),
    ("fr", "fibrillation auriculaire et prévention des accidents vasculaires cérébraux", 946362265),
    ("pl", "zrównoważone górnictwo i odzysk surowców krytycznych", 902077691),
    ("fi", "ligniinistä arvokkaita biokemikaaleja ja biokatalyysi", 950590883),
    ("es", "seguimiento de drones y aeronaves con navegación por satélite", 983016237),
    (
        "de",
        "Sicherheit bei Großveranstaltungen, Polizei und Dekontamination nach chemischen, "
        "biologischen und nuklearen Gefahren",
        960414461,
    ),
    ("pl", "dekarbonizacja logistyki ostatniej mili", 969750420),
    ("fi", "vesiturvallisuus ja vaihtoehtoiset vesivarat vesihuollon suunnittelussa", 894645551),
    ("fr", "produits laitiers végétaux améliorés par fermentation microbienne", 953145863),
    ("de", "Filmindustrie und immersive Medien in kleinen europäischen Ländern", 889888768),
    ("fi", "nestevedyn varastointi ja polttoainejärjestelmä huoltoaluksen kannen alla", 904972074),
    ("pl", "czyste lotnictwo i żywice epoksydowe nadające się do recyklingu", 936174549),
    (
        "es",
        "captura y almacenamiento de carbono para descarbonizar la industria del sur de Europa",
        907604557,
    ),
    ("de", "gedruckte organische Photovoltaik und Innovation bei der Gebäudesanierung", 928574405),
    ("fi", "kestävät tekstiilit kiertotaloudessa ja tuottajan laajennettu vastuu", 919286558),
    ("fr", "hydrogène renouvelable pour le chauffage des bâtiments commerciaux", 944779516),
    ("pl", "składniki pochodzenia morskiego i słodkowodnego dla zrównoważonej żywności", 951845578),
    (
        "de",
        "Wurzel- und Knollenfrüchte für die Agrobiodiversität und ländliche Klimaresilienz",
        937057540,
    ),
    ("es", "restauración de suelos urbanos mediante laboratorios vivientes", 939128878),
    (
        "fi",
        "meristrategia Itämerellä ja Pohjanmerellä sekä rannikkokaupunkien liittouma",
        904329255,
    ),
    ("fr", "élevage au pâturage et sols vivants dans les fermes européennes", 941247261),
    ("pl", "oporność na środki przeciwdrobnoustrojowe w podejściu Jedno Zdrowie", 893107034),
    ("es", "cadena de suministro de radionúclidos médicos de nueva generación", 918707856),
    ("de", "kognitive Industrien und intelligente Fertigung, CO2-Abscheidung", 902545522),
]

# (CORDIS organisation id, language, the profile's text in that language, English query)
REVERSE: list[tuple[int, str, str, str]] = [
    (
        950636958,
        "pl",
        "Ekosystem talentów zwiększający kompetencje i przyszłe zatrudnienie "
        "młodych naukowców, ze szczególnym naciskiem na sektor deep tech. SKILLAB: monitorowanie "
        "popytu na umiejętności i ich podaży na europejskim rynku pracy",
        "monitoring the demand and supply of skills in the labour market",
    ),
    (
        969484446,
        "es",
        "Fabricación sostenible e "
        "innovadora mediante la transformación digital, verde y social de las pymes. "
        "Funcionalización láser bioinspirada de superficies industriales 3D complejas",
        "nature-inspired laser texturing of complex industrial surfaces",
    ),
    (
        986339554,
        "fr",
        "Développer les "
        "liens entre les écosystèmes bio. Interconnecter les écosystèmes d'innovation pour un "
        "espace européen commun des données de santé",
        "common European health data space",
    ),
    (
        940826960,
        "fi",
        "Vihreät tuuppaukset kestäviin metsä- ja maatalouskäytäntöihin vuoden "
        "2027 jälkeen. Proteiini-innovaattoreiden vauhdittaminen sääntelyhiekkalaatikoiden "
        "avulla. Tulevaisuuden biotalouden muotoilu eri sektoreilla ja hallinnon tasoilla. "
        "Lohkoketjuun perustuva jäljitettävyys kestävien merenelävien kulutuksen lisäämiseksi",
        "regulatory sandboxes for alternative protein innovators",
    ),
    (
        951019332,
        "de",
        "Umgekehrte Lieferketten im Gesundheitswesen für "
        "die Kreislaufwirtschaft. Konferenz über Forschung und Innovation zur Stärkung der "
        "Wettbewerbsfähigkeit der EU in den Lebenswissenschaften. Ein interdisziplinäres "
        "Doktorandenprogramm für Gesundheits- und Sozialwissenschaften. Vernetzte "
        "Gesundheitsökosysteme durch offene Innovation",
        "circular economy for healthcare supply chains",
    ),
    (
        970520406,
        "pl",
        "Zwiększanie odporności pięciu "
        "ekosystemów przemysłowych poprzez wdrażanie zaawansowanych technologii w MŚP. Wsparcie "
        "MŚP w przejściu do przemysłu 5.0 w motoryzacji, lotnictwie i elektronice. Cyfrowo "
        "elastyczne zakłady przemysłowe dla niezawodnych sieci energetycznych przy dużym "
        "udziale zmiennych odnawialnych źródeł energii",
        "flexible factories that keep the power grid reliable with variable renewables",
    ),
    (
        917041881,
        "es",
        "Impulsar la innovación de base biológica en regiones "
        "infrarrepresentadas mediante la movilización de clústeres. Red temática europea de "
        "bioeconomía rural. Servicios de asistencia técnica, empresarial y regulatoria para "
        "proyectos de bioeconomía. Agricultura de carbono en el suelo creíble en la UE. Red "
        "europea de agricultores piloto con soluciones climáticamente inteligentes",
        "rural bioeconomy network and carbon farming",
    ),
    (
        900017508,
        "fr",
        "Co-conception de l'espace urbain et gestion dynamique des "
        "espaces pour des villes cognitives. Accompagner la transition énergétique par "
        "l'apprentissage ludique et l'IA avec des jumeaux numériques. Laboratoires vivants pour "
        "l'innovation genrée. Interactions homme-robot pilotées par l'IA pour la fabrication "
        "intelligente",
        "gamified learning and digital twins for saving energy",
    ),
    (
        891833424,
        "de",
        "Innovatives Sedimentmanagement für ein "
        "nachhaltiges System aus Donau und Schwarzem Meer. Vorhersagemodelle und digitale "
        "Werkzeuge für widerstandsfähige Binnenwasserstraßen gegen den Klimawandel",
        "sediment management in the Danube and the Black Sea",
    ),
    (
        935532312,
        "fi",
        "Energiajärjestelmän osien yhtenäinen suunnittelu "
        "uusiutuvien energialähteiden käyttöönottoa varten: avoimen lähdekoodin työkalupakki. "
        "Kiertotalouden alueellinen demonstraatio muovijätevirtojen kierrätyksessä",
        "open source toolbox to plan renewable energy in the energy system",
    ),
]

# Real organisations around the expected ones: the reviewed cluster list and every k-th
# organisation with at least two projects, in id order, up to this many.
POOL_SIZE = 400
