"""European Parliament political groups by their identity, not their spelling.

The EP publishes its member lists in every official language, each naming the groups in that
language ("Group of the European People's Party (Christian Democrats)", "Groupe du Parti
populaire européen (Démocrates-Chrétiens)", "Fraktion der Europäischen Volkspartei
(Christdemokraten)") or by abbreviations that differ by language too (EPP, PPE, EVP). This table
maps all of them to one canonical group per term, so coverage by group and the "same group"
successor score count one group once.

The names were compiled from the EP's public member lists and group pages (EN, FR, DE, and the
most common abbreviations in other languages); tests/data/ep_group_names.csv holds the same
names by edition for the tests. A name that is not here is kept as written and reported as a
warning by the import, so a new group or a renamed one is never silently mapped.

Plain data and functions: no models, so the migration that merges split spellings can use it.
"""
import re
import unicodedata

#: term → (first day, last day or None while it runs)
EP_TERMS = {
    8: ("2014-07-01", "2019-07-01"),
    9: ("2019-07-02", "2024-07-15"),
    10: ("2024-07-16", None),
}

#: canonical abbreviation → (terms it existed in, spellings: names in the EP's language
#: editions, their abbreviations, and earlier names of the same group)
GROUPS = {
    "EPP": ((8, 9, 10), [
        "EPP", "PPE", "EVP", "PPE-DE", "EPP Group",
        "Group of the European People's Party (Christian Democrats)",
        "Groupe du Parti populaire européen (Démocrates-Chrétiens)",
        "Fraktion der Europäischen Volkspartei (Christdemokraten)",
        "Grupo del Partido Popular Europeo (Demócrata-Cristianos)",
        "Gruppo del Partito popolare europeo (Democratici cristiani)",
        "Grupa Europejskiej Partii Ludowej (Chrześcijańscy Demokraci)",
    ]),
    "S&D": ((8, 9, 10), [
        "S&D", "S and D", "S-D",
        "Group of the Progressive Alliance of Socialists and Democrats in the European Parliament",
        "Groupe de l'Alliance Progressiste des Socialistes et Démocrates au Parlement européen",
        "Fraktion der Progressiven Allianz der Sozialdemokraten im Europäischen Parlament",
        "Grupo de la Alianza Progresista de Socialistas y Demócratas en el Parlamento Europeo",
        "Gruppo dell'Alleanza progressista di Socialisti e Democratici al Parlamento europeo",
        "Grupa Postępowego Sojuszu Socjalistów i Demokratów w Parlamencie Europejskim",
    ]),
    "ALDE": ((8,), [
        "ALDE", "ADLE",
        "Group of the Alliance of Liberals and Democrats for Europe",
        "Groupe Alliance des démocrates et des libéraux pour l'Europe",
        "Fraktion der Allianz der Liberalen und Demokraten für Europa",
    ]),
    "Renew": ((9, 10), [
        "Renew", "RE", "Renew Europe",
        "Renew Europe Group",
        "Groupe Renew Europe",
        "Renew Europe Fraktion",
        "Fraktion Renew Europe",
        "Grupo Renew Europe",
        "Gruppo Renew Europe",
        "Grupa Odnówmy Europę",
    ]),
    "Greens/EFA": ((8, 9, 10), [
        "Greens/EFA", "Verts/ALE", "Grüne/EFA", "Verdes/ALE", "Verts", "Greens",
        "Group of the Greens/European Free Alliance",
        "Groupe des Verts/Alliance libre européenne",
        "Fraktion der Grünen/Freie Europäische Allianz",
        "Fraktion der Grünen / Freie Europäische Allianz",
        "Grupo de los Verdes/Alianza Libre Europea",
        "Gruppo Verde/Alleanza libera europea",
        "Grupa Zielonych/Wolne Przymierze Europejskie",
    ]),
    "ECR": ((8, 9, 10), [
        "ECR", "CRE", "EKR",
        "European Conservatives and Reformists Group",
        "Groupe des Conservateurs et Réformistes européens",
        "Fraktion der Europäischen Konservativen und Reformer",
        "Grupo de los Conservadores y Reformistas Europeos",
        "Gruppo dei Conservatori e Riformisti europei",
        "Grupa Europejskich Konserwatystów i Reformatorów",
    ]),
    # The same group was renamed in January 2021: GUE/NGL → The Left
    "The Left": ((8, 9, 10), [
        "The Left", "GUE/NGL", "GUE-NGL", "La Gauche", "Die Linke", "La Izquierda", "La Sinistra", "Lewica",
        "The Left group in the European Parliament - GUE/NGL",
        "Confederal Group of the European United Left - Nordic Green Left",
        "Groupe de la gauche au Parlement européen - GUE/NGL",
        "Groupe confédéral de la Gauche unitaire européenne/Gauche verte nordique",
        "Fraktion Die Linke im Europäischen Parlament - GUE/NGL",
        "Konföderale Fraktion der Vereinten Europäischen Linken/Nordische Grüne Linke",
        "Grupo de la Izquierda en el Parlamento Europeo - GUE/NGL",
        "Gruppo della Sinistra al Parlamento europeo - GUE/NGL",
    ]),
    "EFDD": ((8,), [
        "EFDD", "ELDD",
        "Europe of Freedom and Direct Democracy Group",
        "Groupe Europe de la liberté et de la démocratie directe",
        "Fraktion Europa der Freiheit und der direkten Demokratie",
    ]),
    "ENF": ((8,), [
        "ENF", "ENL",
        "Europe of Nations and Freedom Group",
        "Groupe Europe des Nations et des Libertés",
        "Fraktion Europa der Nationen und der Freiheit",
    ]),
    "ID": ((9,), [
        "ID", "Identity and Democracy",
        "Identity and Democracy Group",
        "Groupe Identité et démocratie",
        "Fraktion Identität und Demokratie",
        "Grupo Identidad y Democracia",
        "Gruppo Identità e democrazia",
        "Grupa Tożsamość i Demokracja",
    ]),
    "PfE": ((10,), [
        "PfE", "Patriots", "Patriotes", "PfE Group",
        "Patriots for Europe Group",
        "Groupe des Patriotes pour l'Europe",
        "Fraktion Patrioten für Europa",
        "Grupo Patriotas por Europa",
        "Gruppo dei Patrioti per l'Europa",
        "Grupa Patrioci dla Europy",
    ]),
    "ESN": ((10,), [
        "ESN", "ENS", "ESN Group",
        "Europe of Sovereign Nations Group",
        "Groupe Europe des nations souveraines",
        "Fraktion Europa der Souveränen Nationen",
        "Grupo Europa de las Naciones Soberanas",
        "Gruppo Europa delle Nazioni Sovrane",
    ]),
    "NI": ((8, 9, 10), [
        "NI", "NA", "Non-attached", "Non-attached Members", "Non-inscrits", "Non inscrits", "Fraktionslos",
        "Fraktionslose", "No inscritos", "Non iscritti", "Niezrzeszeni",
    ]),
}


def fold_group(name: str) -> str:
    """A spelling reduced to what tells groups apart: case, accents, dashes, spaces and the
    spaces around "/" do not."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\u2010-\u2015\-]", "-", text).replace("\u2019", "'")
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s*-\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip()


_BY_SPELLING = {fold_group(s): canonical for canonical, (_, spellings) in GROUPS.items() for s in spellings}


def canonical_group(name: str | None) -> str | None:
    """The canonical abbreviation of an EP group name in any language edition, or None when
    the name is not known (the caller keeps the name as written and warns)."""
    if not name or not name.strip():
        return None
    return _BY_SPELLING.get(fold_group(name))


def existed_in(canonical: str, term: int) -> bool:
    """Whether the group sat in that term (ID in the 10th term is a mistake worth a warning)."""
    return term in GROUPS[canonical][0]


def term_on(day) -> int | None:
    """The EP term running on ``day`` (a date), or None before the 8th term."""
    import datetime as dt

    for term, (start, end) in sorted(EP_TERMS.items()):
        if dt.date.fromisoformat(start) <= day and (end is None or day <= dt.date.fromisoformat(end)):
            return term
    return None


def term_dates(term: int):
    import datetime as dt

    start, end = EP_TERMS[term]
    return dt.date.fromisoformat(start), (dt.date.fromisoformat(end) if end else None)
