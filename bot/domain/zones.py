"""What a patient calls their time zone ("Berlin", "Deutschland", "UTC+1", "I live in Hamburg",
a shared location) → IANA zone names, best first.

Pure and stdlib only, like the rest of the domain: the place names (CLDR, through Babel; towns,
states and zone words from GeoNames, through bot/knowledge/places.tsv) come in as a ZoneAtlas
built once by an adapter with `build_atlas`, and the point-in-polygon lookup for a shared
location comes in as a function (`zone_at(..., locate=...)`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from math import isfinite
from types import MappingProxyType
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.schedule import UnknownZone, zone_named
from bot.domain.wording import plain

# Longer than any place name ("Heard & McDonald Islands"): anything beyond is not a zone answer.
MAX_TEXT = 80
# Typos are forgiven only in names this long, and this many edits (see suggest_zones for why).
FUZZY_MIN_LENGTH = 5
FUZZY_LONG = 8  # up to here one edit, beyond two
# The areas of real places in IANA names; "US/Eastern", "Etc/GMT+5" and "CET" are not places.
_AREAS = frozenset(
    [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ]
)
# The zones to offer first for the countries with many, most populous area first (census
# figures, rounded; only the order matters), so "USA" offers New York, not Adak; for Brazil,
# whose zones mostly keep São Paulo's time, the largest place on each of its four offsets.
# Neither source ranks them: CLDR lists a country's zones by code, and the tz database's
# zone.tab by geography first (Lord Howe Island leads Australia). See `_territory_order`.
_MAIN_ZONES: Mapping[str, tuple[str, ...]] = {
    code: tuple(zones.split())
    for code, zones in {
        "US": "America/New_York America/Chicago America/Los_Angeles America/Denver"
        " America/Phoenix Pacific/Honolulu America/Anchorage",
        "CA": "America/Toronto America/Vancouver America/Edmonton America/Winnipeg"
        " America/Halifax America/Regina America/St_Johns",
        "AU": "Australia/Sydney Australia/Melbourne Australia/Brisbane Australia/Perth"
        " Australia/Adelaide Australia/Hobart Australia/Darwin",
        "RU": "Europe/Moscow Asia/Yekaterinburg Europe/Samara Asia/Krasnoyarsk"
        " Asia/Irkutsk Asia/Vladivostok Asia/Novosibirsk Asia/Omsk",
        "BR": "America/Sao_Paulo America/Manaus America/Rio_Branco America/Noronha",
        "MX": "America/Mexico_City America/Monterrey America/Mazatlan America/Tijuana"
        " America/Hermosillo America/Chihuahua America/Cancun",
        "KZ": "Asia/Almaty",
        "ES": "Europe/Madrid Atlantic/Canary",
        "PT": "Europe/Lisbon Atlantic/Madeira",
        "CL": "America/Santiago",
        "MN": "Asia/Ulaanbaatar",
        "CY": "Asia/Nicosia",
    }.items()
}
_OFFSET = re.compile(r"(utc|gmt)?\s*(?:([+-])\s*(\d{1,2})(?:[:.h]?(\d{2}))?)?")
_SEPARATORS = re.compile(r"(?:[^\w/+-]|_|[+-](?!\d))+")
# What people say before a place ("I'm in Hamburg"), longest first so "in" is tried last.
_LEAD_INS = sorted(
    (
        *("i live in", "i live near", "we live in", "living in", "based in", "currently in"),
        *("i am in", "i'm in", "i am currently in", "i'm currently in", "we are in", "we're in"),
        *("i am from", "i'm from", "we are from", "near", "in", "from"),
    ),
    key=len,
    reverse=True,
)
_LEAD_IN = re.compile(
    r"\s*(?:"
    + "|".join(lead.replace("'", "['’ʼ`´]?").replace(" ", r"\s+") for lead in _LEAD_INS)
    + r")\s+",
    re.IGNORECASE,
)
_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "＋": "+"})
# Etc/GMT zones exist from Etc/GMT-14 (UTC+14) to Etc/GMT+12 (UTC-12).
_ETC_HOURS = range(-12, 15)
# A clock is known by its offsets over the coming year, week by week: weekly, so Morocco's
# month of Ramadan and a daylight-saving rule weeks apart from another still tell them apart.
_CLOCK_SAMPLES = tuple(timedelta(weeks=week) for week in range(53))

Locate = Callable[[float, float], str | None]
"""(latitude, longitude) → the IANA zone there, an Etc zone at sea, or None/"" where unknown."""


@dataclass(frozen=True)
class ZoneAtlas:
    """Names people use for places, keyed by `name_key`, and the facts that rank their zones."""

    zones: tuple[str, ...]  # every canonical zone of a real place
    territories: Mapping[str, tuple[str, ...]]  # "DE" → its zones, main first
    territory_names: Mapping[str, tuple[str, ...]]  # "deutschland", "россия" → territory codes
    codes: Mapping[str, str]  # ISO codes and their aliases: "DE", "USA", "UK" → "GB"
    cities: Mapping[str, tuple[str, ...]]  # "kiev", "new york", "нью иорк" → zones
    aliases: Mapping[str, str]  # old or linked name → current ("Europe/Kiev" → "Europe/Kyiv")
    well_known: Mapping[str, int]  # zone → rank in CLDR's Windows mapping (one zone per clock)
    in_territory: Mapping[str, int]  # zone → place in its territory's order (0: the main zone)
    by_initial: Mapping[str, tuple[str, ...]]  # first letter → names to fuzz, shortest first
    places: Mapping[str, str]  # "munchen", "texas", "eastern time" → zone; "springfield" → ""


def name_key(text: str) -> str:
    """Casefolded, accents and apostrophes dropped, every separator one space; "/" and a sign
    before a digit kept ("Etc/GMT-1" is not "Etc/GMT+1"): "America/New_York" and
    "america/new york" compare equal, as do "St. John's" and "st johns"."""
    spaced = _SEPARATORS.sub(" ", plain(text))
    return "/".join(" ".join(part.split()) for part in spaced.split("/"))


@cache
def _loadable() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _accepted(name: str) -> bool:
    """The zone loads and `zone_named` takes it (a system tzdata may lag behind CLDR)."""
    if name not in _loadable():
        return False
    try:
        zone_named(name)
    except UnknownZone:  # pragma: no cover - listed but unreadable
        return False
    return True


def _canonical(name: str, aliases: Mapping[str, str]) -> str:
    current = aliases.get(name, name)
    return current if _accepted(current) else name


_NO_PLACES: Mapping[str, str] = MappingProxyType({})


def build_atlas(
    *,
    territory_zones: Mapping[str, Sequence[str]],
    territory_names: Iterable[Mapping[str, str]],
    city_names: Iterable[Mapping[str, str]],
    zone_aliases: Mapping[str, str],
    territory_aliases: Mapping[str, Sequence[str]],
    well_known: Iterable[str],
    places: Mapping[str, str] = _NO_PLACES,
) -> ZoneAtlas:
    """The atlas from CLDR's data as Babel gives it: `territory_zones`, `zone_aliases`,
    `territory_aliases` and the values of `windows_zone_mapping` (get_global), and per language
    `Locale.territories` and each `Locale.time_zones[zone]["city"]`; and `places`, more names
    already keyed by `name_key` → a zone, or "" for a name shared by places in different zones
    (places.tsv). Kept as given: a zone is checked when looked up, since a lookup meets one or
    a few and a check of all ~72,000 would cost each start."""
    aliases = {old: new for old, new in zone_aliases.items() if _accepted(new)}
    ranked = {_canonical(zone, aliases): rank for rank, zone in enumerate(well_known)}
    territories: dict[str, tuple[str, ...]] = {}
    for code, zones in territory_zones.items():
        real = [z for z in dict.fromkeys(_canonical(z, aliases) for z in zones) if _is_place(z)]
        if real and code.isalpha() and len(code) == 2 and code != "ZZ":  # ZZ: the Etc zones
            territories[code] = _territory_order(code, real, ranked)
    names = _index(
        (name, code)
        for language in territory_names
        for code, name in language.items()
        if code in territories
    )
    codes = {code: code for code in territories}
    for alias, targets in territory_aliases.items():
        # "USA", "UK" → one territory; "SU" (the Soviet Union) and numeric areas do not count.
        if alias.isalpha() and len(alias) <= 3 and len(targets) == 1 and targets[0] in territories:
            codes.setdefault(alias.upper(), targets[0])
    zones = tuple(sorted({zone for found in territories.values() for zone in found}))
    # A city by the last part of its zone's name, also the old one (Kiev, Calcutta), and by
    # CLDR's name for it in each language (Kiew, Calcuta, Калькутта).
    from_ids = ((zone.rsplit("/", 1)[-1], zone) for zone in (*zones, *aliases) if _is_place(zone))
    from_cldr = ((city, zone) for language in city_names for zone, city in language.items())
    cities = _index(
        (name, current)
        for name, zone in (*from_ids, *from_cldr)
        if _is_place(current := _canonical(zone, aliases))
    )
    return ZoneAtlas(
        zones=zones,
        territories=territories,
        territory_names=names,
        codes=codes,
        cities=cities,
        aliases=aliases,
        well_known=ranked,
        in_territory={z: i for found in territories.values() for i, z in enumerate(found)},
        # A name in no zone stays: a typo nearest to it is as ambiguous as it is.
        by_initial=_by_initial({*names, *cities, *places}),
        places=places,
    )


def _index(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """name → its values in first-seen order, each once; names keyed by `name_key`."""
    index: dict[str, dict[str, None]] = {}
    for name, value in pairs:
        if key := name_key(name):
            index.setdefault(key, {})[value] = None
    return {key: tuple(values) for key, values in index.items()}


def _by_initial(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The names a typo may stand for, by first letter, shortest first (a typo is compared with
    those of about its length only): short names must be spelled exactly."""
    found: dict[str, list[str]] = {}
    for name in sorted(sorted(names), key=len):  # by length, then name: 4x a tuple key's speed
        if len(name) >= FUZZY_MIN_LENGTH:
            found.setdefault(name[0], []).append(name)
    return {initial: tuple(group) for initial, group in found.items()}


def _is_place(zone: str) -> bool:
    return zone.partition("/")[0] in _AREAS and _accepted(zone)


def _territory_order(
    code: str, zones: Sequence[str], well_known: Mapping[str, int]
) -> tuple[str, ...]:
    """`_MAIN_ZONES` first, then the well-known zones (CLDR's Windows mapping names one zone
    for each of Windows' ~140 clocks), then the rest by name; `_in_territory` then brings one
    zone of each clock forward."""
    main = _MAIN_ZONES.get(code, ())
    far = len(well_known) + len(main)

    def rank(zone: str) -> tuple[int, int, str]:
        return (main.index(zone) if zone in main else far, well_known.get(zone, far), zone)

    return tuple(sorted(zones, key=rank))


def suggest_zones(text: str, now: datetime, limit: int = 6, *, atlas: ZoneAtlas) -> list[str]:
    """IANA zones for what a patient typed, best first, at most `limit`; [] when nothing fits.

    In order: a UTC offset ("UTC+1", "gmt -5", "+05:30": the zones on that offset at `now`);
    an IANA name in any case, spaces for underscores; a country or territory ("Germany",
    "España", "Россия", "USA"); a city CLDR names ("Kolkata", "Kiev" → Europe/Kyiv,
    "Нью-Йорк"); an old IANA name ("Japan"; "EST" and "CET" as places.tsv has them); a code
    ("DE", "USA"); a place of `atlas.places` ("München", "Texas", "eastern time"), unless
    places in different zones share its name ("Springfield"). Names are compared casefolded,
    without accents, apostrophes or punctuation ("Sao Paulo", "St Johns"). A lead-in ("I live
    in", "near") is dropped first, unless the whole is a name ("In Salah").

    Only when none of these fits, a typo of a name: at least 5 letters, the same first letter,
    and at most one edit (insertion, deletion, substitution, swap of two neighbours) up to 8
    letters, two beyond; every name at the smallest distance is offered, none if one of them
    is a shared name. One slip is the common typo ("Kolkatta", "Berlim", "Deutchland");
    shorter names lie too close to each other ("Rome"/"Nome", "Iran"/"Iraq", "Lima"/"Lome")
    for a guess to be safe, and a zone picked wrongly moves every reminder. Then a place and
    its region ("Hamburg, Germany", "Portland, Maine", "Munich Germany"): the place's zones in
    that region, else the region's; any other "a, b": each part in turn.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if limit < 1 or len(text) > MAX_TEXT:
        return []
    text = _without_lead_in(text, now, atlas)
    offset = _offset_in(text)
    if offset is not None:
        return _at_offset(offset, now, limit, atlas)
    found = _named(text, now, atlas) or _in_parts(text, now, atlas)
    return list(dict.fromkeys(found))[:limit]


def _without_lead_in(text: str, now: datetime, atlas: ZoneAtlas) -> str:
    """ "I'm in Hamburg" → "Hamburg"; the text itself when it has no lead-in or is a name."""
    lead = _LEAD_IN.match(text)
    if lead is None or _exact(text, now, atlas):
        return text
    return text[lead.end() :]


def _in_parts(text: str, now: datetime, atlas: ZoneAtlas) -> list[str]:
    """A place and its region ("Hamburg, Germany", "Portland, Maine", "Munich Germany"): the
    place's zones in that region, else the region's own (the place is one the atlas does not
    know, or knows by another of that name: Paris, Texas); else each part alone."""
    parts = [part for part in re.split(r"[,;]", text) if part.strip()]
    if len(parts) == 1:
        return _place_then_region(parts[0], now, atlas)
    if len(parts) == 2 and (region := _region(parts[1], now, atlas)):
        return _within(parts[0], region, now, atlas) or region
    return [zone for part in parts for zone in _named(part, now, atlas)]


def _place_then_region(text: str, now: datetime, atlas: ZoneAtlas) -> list[str]:
    """ "Atlanta Georgia": a region's name at the end, after a name the atlas knows as written
    (never "Northern Ireland" as somewhere in Ireland)."""
    words = name_key(text).split(" ")
    for cut in range(len(words) - 1, 0, -1):
        place, rest = " ".join(words[:cut]), " ".join(words[cut:])
        region = _region(rest, now, atlas)
        if region and (place in atlas.places or _exact(place, now, atlas)):
            return _within(place, region, now, atlas) or region
    return []


def _region(text: str, now: datetime, atlas: ZoneAtlas) -> list[str]:
    """The zones of a country by name or code, and of a place by that name (a US state): both
    for "Georgia", which is either."""
    code = _code_in(text, atlas)
    codes = atlas.territory_names.get(name_key(text), ()) or ((code,) if code else ())
    place = _place(name_key(text), atlas)
    return list(dict.fromkeys([*_in_territory(codes, now, atlas), *([place] if place else [])]))


def _within(place: str, region: Sequence[str], now: datetime, atlas: ZoneAtlas) -> list[str]:
    return [zone for zone in _named(place, now, atlas) if zone in region]


def _offset_in(text: str) -> timedelta | None:
    """ "UTC", "utc +1", "GMT-5", "+05:30", "UTC+0530" → the offset; None when not an offset."""
    found = _OFFSET.fullmatch(text.strip().casefold().translate(_DASHES))
    if found is None or not (found[1] or found[2]):
        return None
    if not found[2]:
        return timedelta(0)
    hours, minutes = int(found[3]), int(found[4] or 0)
    if hours > 14 or minutes >= 60:
        return None
    return timedelta(hours=hours, minutes=minutes) * (-1 if found[2] == "-" else 1)


@cache
def _info(zone: str) -> ZoneInfo:
    """ZoneInfo keeps only a handful of zones strongly cached; an offset query reads ~420."""
    return ZoneInfo(zone)


def _clock(zone: str, now: datetime) -> tuple[timedelta | None, ...]:
    info = _info(zone)
    return tuple((now + later).astimezone(info).utcoffset() for later in _CLOCK_SAMPLES)


def _in_territory(codes: Iterable[str], now: datetime, atlas: ZoneAtlas) -> list[str]:
    """A territory's main zones (`_MAIN_ZONES`) in their order, then one zone per clock not yet
    offered (Madrid, then Canary), then those that keep the time of an earlier one (Ceuta)."""
    seen: set[tuple[timedelta | None, ...]] = set()
    first: list[str] = []
    again: list[str] = []
    for code in dict.fromkeys(codes):
        main = _MAIN_ZONES.get(code, ())
        for zone in atlas.territories.get(code, ()):
            clock = _clock(zone, now)
            (again if clock in seen and zone not in main else first).append(zone)
            seen.add(clock)
    return list(dict.fromkeys(first + again))


def _at_offset(offset: timedelta, now: datetime, limit: int, atlas: ZoneAtlas) -> list[str]:
    """The zones on this offset at `now`: one per clock first, the clock most places keep first
    (at UTC+1 in January, central European time before West Africa's, before Morocco's); within
    a clock the well-known zone (CLDR's Windows mapping), then a territory's main zone. The
    fixed Etc zone, for whole hours, comes last: its sign is inverted (UTC+1 is Etc/GMT-1)."""
    far = len(atlas.zones)

    def rank(zone: str) -> tuple[int, int, str]:
        return (atlas.well_known.get(zone, far), atlas.in_territory.get(zone, far), zone)

    clocks: dict[tuple[timedelta | None, ...], list[str]] = {}
    for zone in sorted(atlas.zones, key=rank):
        if now.astimezone(_info(zone)).utcoffset() == offset:
            clocks.setdefault(_clock(zone, now), []).append(zone)
    groups = sorted(clocks.values(), key=lambda group: (-len(group), rank(group[0])))
    # A clock kept by one place only (Easter Island) waits behind the others' second choices.
    shared = [group[0] for group in groups if len(group) > 1]
    zones = list(dict.fromkeys(shared + [zone for group in groups for zone in group]))
    whole_hours, rest = divmod(offset, timedelta(hours=1))
    hours = int(whole_hours)
    if rest or hours not in _ETC_HOURS:
        return zones[:limit]
    fixed = "Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return [*zones[: limit - 1], fixed] if _accepted(fixed) else zones[:limit]


@cache
def _iana_by_key() -> Mapping[str, str]:
    return {name_key(name): name for name in _loadable()}


def _named(text: str, now: datetime, atlas: ZoneAtlas) -> list[str]:
    if "/" in text:
        # "Mars/Base": an IANA name that is none; its last part was tried already, and a
        # typo guess across the slash ("mars base" ~ Matsubase, Japan) would be a wild one.
        return _exact(text, now, atlas)
    return _exact(text, now, atlas) or _fuzzy(name_key(text), now, atlas)


def _exact(text: str, now: datetime, atlas: ZoneAtlas) -> list[str]:
    key = name_key(text)
    if not key:
        return []
    iana = _iana_by_key().get(key)
    if "/" in key:
        exact = [_canonical(iana, atlas.aliases)] if iana else []
        return exact or _named(key.rsplit("/", 1)[-1], now, atlas)
    by_name = _in_territory(atlas.territory_names.get(key, ()), now, atlas)
    found = [*by_name, *atlas.cities.get(key, ())]
    place = _place(key, atlas)
    if not found and iana:
        # An old bare name that is also a place's: the place's zone, so "EST" is the US east
        # coast with its daylight saving, not the tz database's fixed UTC-5 (linked to Panama).
        found = [place or _canonical(iana, atlas.aliases)]
    if not found and (code := _code_in(text, atlas)):
        found = _in_territory([code], now, atlas)
    return found or ([place] if place else [])


def _place(key: str, atlas: ZoneAtlas) -> str | None:
    """The zone of a place of `atlas.places`, current and accepted, or None."""
    zone = atlas.places.get(key)
    if zone is None:
        return None
    current = _canonical(zone, atlas.aliases)
    return current if _is_place(current) else None


def _code_in(text: str, atlas: ZoneAtlas) -> str | None:
    """A territory code: three letters in any case ("usa"), two only in capitals ("UK"), since
    "no", "in" or "be" in lower case are words, not Norway, India or Belgium."""
    code = text.strip()
    if not code.isalpha() or len(code) > 3 or (len(code) == 2 and not code.isupper()):
        return None
    return atlas.codes.get(code.upper())


def _fuzzy(key: str, now: datetime, atlas: ZoneAtlas) -> list[str]:
    """The zones of the names nearest to a typo, when near enough (see suggest_zones)."""
    if len(key) < FUZZY_MIN_LENGTH:
        return []
    allowed = 1 if len(key) <= FUZZY_LONG else 2
    best, names = allowed + 1, []
    group = atlas.by_initial.get(key[0], ())
    shortest = bisect_left(group, len(key) - allowed, key=len)
    letters = set(key)
    for name in group[shortest : bisect_right(group, len(key) + allowed, key=len)]:
        # Each edit adds or drops at most one letter of the set: a cheap test before the count.
        if len(letters.symmetric_difference(name)) > 2 * allowed:
            continue
        edits = _edits(key, name, allowed)
        if edits < best:
            best, names = edits, [name]
        elif edits == best:
            names.append(name)
    if best > allowed:
        return []
    codes = [code for name in names for code in atlas.territory_names.get(name, ())]
    cities = [zone for name in names for zone in atlas.cities.get(name, ())]
    others = [
        name for name in names if name not in atlas.territory_names and name not in atlas.cities
    ]
    if any(not atlas.places.get(name) for name in others):
        # As near to a name several places share ("Springfeld"): which place is unknown, and
        # the others' zones alone could be set as the only answer.
        return []
    places = [zone for name in others if (zone := _place(name, atlas))]
    return list(dict.fromkeys([*_in_territory(codes, now, atlas), *cities, *places]))


def _edits(a: str, b: str, allowed: int) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours), or
    allowed + 1 as soon as it must exceed `allowed`."""
    if abs(len(a) - len(b)) > allowed:
        return allowed + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > allowed:
            return allowed + 1
        before, previous = previous, row
    return previous[-1]


def zone_at(latitude: float, longitude: float, *, locate: Locate) -> str | None:
    """The IANA zone at a shared location, from `locate` (a point-in-polygon lookup over the
    timezone-boundary-builder shapes, such as tzfpy's); None off the map or at sea.

    At sea the shapes give a nautical Etc/GMT±N zone. It is refused on purpose: a fixed offset
    never follows daylight saving, so a patient who set it on a ferry would be reminded an hour
    off once ashore; asking them for their zone is safer than guessing it.
    """
    if not (isfinite(latitude) and isfinite(longitude)):
        return None
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None
    found = locate(latitude, longitude)
    return found if found and _is_place(found) else None
