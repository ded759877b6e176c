"""The catalogues are complete: every message of the code and templates is in messages.pot, and
every language (de, fr, pl, lt) translates every one of them, every plural form, with the same
placeholders. A msgstr equal to its msgid counts as untranslated unless it is on SAME_ALLOWED."""
import os
import re
import subprocess
import tempfile

import pytest
from babel.messages.pofile import read_po

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DIR = os.path.join(ROOT, "advocacy", "translations")
LOCALES = ("de", "fr", "pl", "lt")
#: messages that read the same in a language: names, codes, words borrowed as they are
SAME_ALLOWED = {
    # names in the search box's example, a mail header's name, a date format
    "*": {"Kalesnikava, Калеснікава…", "Kalesnikava, Колесникова…", "Kalesnikava, Колесникова, Dvořák…",
          "Message-ID", "YYYY-MM", "WeStandByYou", "CSV"},
    # words these languages write exactly as English does
    "de": {"Import", "Link", "Name", "Person", "Region", "Register", "Status", "Status:"},
    "fr": {"Action", "Actions", "Articles", "Date", "Europe", "Format", "Impact", "Invitation", "Menu", "Pages",
           "Prison", "Public", "Score", "Source", "Suggestions", "Total", "Verdict", "verdict"},
    "pl": {"Administrator", "Australia", "Format", "Import", "Link", "Menu", "Region", "Status", "Status:"},
    "lt": set(),
}
_TAGS = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%|\{\{ *\w+ *\}\}")


def _read(path, locale=None):
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def _ids(catalog):
    return {m.id for m in catalog if m.id}


def test_messages_pot_is_up_to_date_with_the_code():
    """`make translations-update` was run after the last change to a marked string."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "messages.pot")
        subprocess.run(["make", "-s", "translations-extract", f"POT={pot}"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        fresh = _ids(_read(pot))
    committed = _ids(_read(os.path.join(DIR, "messages.pot")))
    assert sorted(map(str, fresh - committed)) == [], "messages in the code but not in messages.pot"
    assert sorted(map(str, committed - fresh)) == [], "messages in messages.pot no longer in the code"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    pot = _read(os.path.join(DIR, "messages.pot"))
    po = _read(os.path.join(DIR, locale, "LC_MESSAGES", "messages.po"), locale=locale)
    allowed = SAME_ALLOWED["*"] | SAME_ALLOWED.get(locale, set())
    problems = []
    for msg in pot:
        if not msg.id:
            continue
        got = po.get(msg.id, context=msg.context)
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        if got is None:
            problems.append(f"missing: {key!r}")
            continue
        if got.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        strings = got.string if isinstance(got.string, (list, tuple)) else [got.string]
        if isinstance(msg.id, (list, tuple)) and len(strings) != po.num_plurals:
            problems.append(f"needs {po.num_plurals} plural forms: {key!r}")
        for s in strings:
            if not s:
                problems.append(f"untranslated: {key!r}")
            elif s == key and key not in allowed and re.search(r"[A-Za-z]{3}", re.sub(_PLACEHOLDER, "", _TAGS.sub("", key))):
                problems.append(f"msgstr equals msgid: {key!r}")
        wanted = set(_PLACEHOLDER.findall(key)) - {""}
        for s in strings:
            have = set(_PLACEHOLDER.findall(s or "")) - {""}
            # a plural form may leave out %(num)d ("one day" / "jeden dzień"); other placeholders must stay
            if s and (wanted - {"num"}) - have:
                problems.append(f"placeholder {sorted((wanted - {'num'}) - have)} lost in {locale}: {key!r}")
            if s and have - wanted - {"num"}:
                problems.append(f"unknown placeholder {sorted(have - wanted)} in {locale}: {key!r}")
    assert problems == [], f"{len(problems)} problems in {locale}:\n" + "\n".join(problems[:200])


def test_compiled_catalogues_are_not_committed():
    out = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True).stdout
    assert out.strip() == ""
