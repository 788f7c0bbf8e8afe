"""Fixed lists behind the taxonomies, and their translated names."""

import gettext as gettext_module
from functools import lru_cache

import pycountry
from django.utils.translation import gettext_noop

# The CORDIS and NUTS files use EU protocol codes where ISO 3166 differs.
EU_TO_ISO_COUNTRY = {"EL": "GR", "UK": "GB"}
ISO_TO_EU_COUNTRY = {iso: eu for eu, iso in EU_TO_ISO_COUNTRY.items()}

EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
# Countries associated to Horizon Europe or taking part in COSME / the Single Market Programme
# (EEA-EFTA, candidates and association agreements in force in 2025).
ASSOCIATED_COUNTRIES = frozenset(
    [
        "AL",
        "AM",
        "BA",
        "CA",
        "CH",
        "FO",
        "GE",
        "IL",
        "IS",
        "KR",
        "LI",
        "MD",
        "ME",
        "MK",
        "NO",
        "NZ",
        "RS",
        "TN",
        "TR",
        "UA",
        "GB",
        "XK",
    ]
)
# Kosovo has a user-assigned code that ISO 3166 (and so pycountry) does not list.
EXTRA_COUNTRIES = {"XK": "Kosovo"}

EMERGING_INDUSTRIES = [
    ("advanced-packaging", gettext_noop("Advanced packaging")),
    ("biopharmaceuticals", gettext_noop("Biopharmaceuticals")),
    ("blue-growth", gettext_noop("Blue growth")),
    ("creative-industries", gettext_noop("Creative industries")),
    ("digital-industries", gettext_noop("Digital industries")),
    ("environmental-industries", gettext_noop("Environmental industries")),
    ("experience-industries", gettext_noop("Experience industries")),
    ("logistical-services", gettext_noop("Logistical services")),
    ("medical-devices", gettext_noop("Medical devices")),
    ("mobility-technologies", gettext_noop("Mobility technologies")),
]

# The names of ../shared/data/eu-industrial-ecosystems, marked for the translation catalogues.
INDUSTRIAL_ECOSYSTEM_NAMES = [
    gettext_noop("Aerospace & defence"),
    gettext_noop("Agri-food"),
    gettext_noop("Construction"),
    gettext_noop("Cultural and creative industries (CCI)"),
    gettext_noop("Digital"),
    gettext_noop("Electronics"),
    gettext_noop("Energy-intensive industries (EII)"),
    gettext_noop("Energy-renewables"),
    gettext_noop("Health"),
    gettext_noop("Mobility-Transport-Automotive"),
    gettext_noop("Proximity, social economy and civil society"),
    gettext_noop("Retail"),
    gettext_noop("Textiles"),
    gettext_noop("Tourism"),
]


def iso_country_code(code: str) -> str:
    """Return the ISO 3166 alpha-2 code for a code that may be an EU protocol code (EL, UK)."""
    code = code.strip().upper()
    return EU_TO_ISO_COUNTRY.get(code, code)


@lru_cache(maxsize=8)
def _country_translations(language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@lru_cache(maxsize=1)
def _common_names() -> dict[str, str]:
    return {
        country.alpha_2: country.common_name
        for country in pycountry.countries
        if getattr(country, "common_name", None)
    }


def country_name(code: str, english_name: str, language: str | None) -> str:
    """Return a country's name as people say it in ``language``.

    pycountry's catalogues translate the ISO name ("Korea, Republic of"); English readers get
    the common name ("South Korea"), and so does any language whose catalogue lacks the name.
    """
    language = (language or "en").split("-")[0]
    common = _common_names().get(code, english_name)
    if language == "en":
        return common
    translated = _country_translations(language).gettext(english_name)
    return common if translated == english_name else translated
