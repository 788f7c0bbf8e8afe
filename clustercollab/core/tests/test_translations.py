"""The German, Finnish and French catalogues are complete, compiled and used by the site.

There is the project catalogue (clustercollab/locale: templates and code of core, accounts and
organisations) and one per app that keeps its own (clustercollab/<app>/locale); every one of them
is checked.

Only the standard library reads the catalogues here (a tiny .po parser and gettext for the
.mo files); msgfmt is used as a second opinion where it is installed.
"""

import ast
import gettext
import html
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from clustercollab.core.models import IndustrialEcosystem

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
APP_LOCALE_DIRS = sorted(Path(settings.BASE_DIR, "clustercollab").glob("*/locale"))
LANGUAGES = ["de", "fi", "fr"]
CATALOGUES = [
    pytest.param(locale_dir, language, id=f"{locale_dir.parent.name}-{language}")
    for locale_dir in [LOCALE_DIR, *APP_LOCALE_DIRS]
    for language in LANGUAGES
]
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "fi": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
HEADING = "Find cluster partners across Europe and beyond"
HEADING_TRANSLATED = {
    "de": "Finden Sie Cluster-Partner in ganz Europa und darüber hinaus",
    "fi": "Löydä klusterikumppaneita kaikkialta Euroopasta ja sen ulkopuolelta",
    "fr": "Trouvez des partenaires de cluster dans toute l'Europe et au-delà",
}
AGRI_FOOD = {
    "de": "Agrar- und Ernährungswirtschaft",
    "fi": "Maatalous- ja elintarvikeala",
    "fr": "Agroalimentaire",
}
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)


def _unquote(text: str) -> str:
    # PO strings use C escapes (\n, \t, \", \\), which a Python string literal reads the same.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Read the active (non-obsolete) entries of a .po file, header included."""
    entries: list[Entry] = []
    entry = Entry()
    started = False
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()  # also drops comments left over from an obsolete entry
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if started:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#:"):
            if started:
                finish()
            entry.references += line[2:].split()
            continue
        if line.startswith("#"):
            if started:
                finish()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"{path}: continuation line without a keyword: {raw!r}"
            keyword, rest = None, line
        elif started and (keyword == "msgctxt" or (keyword == "msgid" and target[0] != "msgctxt")):
            finish()
        if keyword == "msgctxt":
            started, target, entry.msgctxt = True, ("msgctxt", None), ""
        elif keyword == "msgid":
            started, target = True, ("msgid", None)
        elif keyword == "msgid_plural":
            target, entry.msgid_plural = ("msgid_plural", None), ""
        elif keyword == "msgstr":
            target, entry.msgstr[0] = ("msgstr", 0), ""
        elif keyword and keyword.startswith("msgstr["):
            index = int(keyword[len("msgstr[") : -1])
            target, entry.msgstr[index] = ("msgstr", index), ""
        elif keyword is not None:
            raise AssertionError(f"{path}: cannot read line {raw!r}")
        value = _unquote(rest)
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] += value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)
    finish()
    return entries


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES)
def test_catalogue_is_complete_and_not_fuzzy(locale_dir, language):
    entries = parse_po(_po_path(locale_dir, language))
    header, messages = entries[0], entries[1:]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags, "the header is still marked fuzzy"
    assert f"Language: {language}\n" in header.msgstr[0]
    assert f"Plural-Forms: {PLURAL_FORMS[language]}\n" in header.msgstr[0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr[0]
    if locale_dir == LOCALE_DIR:
        assert len(messages) > 100
    else:
        assert messages, f"{locale_dir} has an empty {language} catalogue"

    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries in {language}: {fuzzy}"
    untranslated = [e.msgid for e in messages if not all(e.msgstr.values())]
    assert not untranslated, f"untranslated entries in {language}: {untranslated}"

    for e in messages:
        # Messages come from the project's own code only, never from the venv or packages.
        # An app's own catalogue is made inside the app, so its references are relative to it.
        assert e.references, f"{e.msgid!r} has no source reference"
        prefix = "clustercollab/" if locale_dir == LOCALE_DIR else ""
        assert all(
            ref.startswith(prefix) and not ref.startswith(("..", "/")) and "-packages" not in ref
            for ref in e.references
        ), e.references
        if e.msgid_plural is not None:
            assert sorted(e.msgstr) == [0, 1], f"{e.msgid!r} needs two plural forms"
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 else e.msgid_plural
            if "python-format" in e.flags:
                assert _placeholders(text) == _placeholders(source), (e.msgid, text)
            for end in ("\n", " "):
                assert text.startswith(end) == source.startswith(end), (e.msgid, text)
                assert text.endswith(end) == source.endswith(end), (e.msgid, text)
            assert text.count("\n") == source.count("\n"), (e.msgid, text)


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES)
def test_compiled_catalogue_matches_the_po_file(locale_dir, language):
    """The committed .mo holds exactly what the .po says (it was compiled after the last edit).

    Compared by content rather than by modification time: a fresh git clone gives both files
    the checkout time, in no guaranteed order.
    """
    po_path = _po_path(locale_dir, language)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    with mo_path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for e in parse_po(po_path)[1:]:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(key, index)] = text
    compiled = {key: value for key, value in catalog.items() if key != ""}
    assert compiled == expected, f"{mo_path} is stale: run compilemessages"


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES)
def test_msgfmt_reports_everything_translated(locale_dir, language):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    po_path = _po_path(locale_dir, language)
    result = subprocess.run(
        [msgfmt, "--check-format", "--statistics", "-o", "/dev/null", str(po_path)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switcher_translates_the_home_page(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    page = client.get("/").content.decode()
    assert f'<html lang="{language}">' in page
    headings = [html.unescape(h) for h in re.findall(r"<h1>(.*?)</h1>", page, re.S)]
    assert headings == [HEADING_TRANSLATED[language]], headings
    assert HEADING not in page
    with translation.override(language):
        assert translation.gettext(HEADING) == HEADING_TRANSLATED[language]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_industrial_ecosystem_names_are_translated(language):
    ecosystem = IndustrialEcosystem.objects.get(name="Agri-food")
    with translation.override(language):
        assert str(ecosystem) == AGRI_FOOD[language]
    with translation.override("en"):
        assert str(ecosystem) == "Agri-food"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_industrial_ecosystem_in_the_database_has_a_translation(language):
    names = list(IndustrialEcosystem.objects.values_list("name", flat=True))
    assert names
    with translation.override(language):
        untranslated = [name for name in names if translation.gettext(name) == name]
    # "Construction" is the same word in French.
    assert untranslated in ([], ["Construction"]), untranslated
