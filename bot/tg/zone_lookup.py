"""The data behind time-zone suggestions: Babel's names of countries and cities (in the four
languages the bot speaks), GeoNames' towns and states (bot/knowledge/places.tsv) and tzfpy's
offline map of zones, handed to bot.domain.zones."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib.resources import files

from babel import Locale
from babel.core import get_global

from bot.domain.zones import ZoneAtlas, build_atlas, suggest_zones, zone_at

_LANGUAGES = ("en", "de", "es", "ru")
# Data, not code, of the knowledge package: read as a file, since adapters never import each
# other (written by `make places`, shipped as package data).
PLACES = ("knowledge", "places.tsv")


@cache
def places() -> Mapping[str, str]:
    """places.tsv as name → zone: ~73,000 names, read once (about 40 ms and 7 MB)."""
    zones: dict[str, str] = {}  # one string per zone, shared by all its names
    found: dict[str, str] = {}
    with files("bot").joinpath(*PLACES).open(encoding="utf-8") as lines:  # not all at once
        for line in lines:
            name, tab, zone = line.rstrip("\n").partition("\t")
            if tab and not line.startswith("#"):
                found[name] = zones.setdefault(zone, zone)
    return found


@cache
def zone_atlas() -> ZoneAtlas:
    """Built once per process, on the first /timezone that needs it: about 0.25 s and 18 MB,
    half for Babel's locale data, half for the places and their index of typos."""
    locales = [Locale.parse(code) for code in _LANGUAGES]
    return build_atlas(
        territory_zones=get_global("territory_zones"),
        territory_names=[locale.territories for locale in locales],
        city_names=[
            {zone: names["city"] for zone, names in locale.time_zones.items() if "city" in names}
            for locale in locales
        ],
        zone_aliases=get_global("zone_aliases"),
        territory_aliases=get_global("territory_aliases"),
        well_known=get_global("windows_zone_mapping").values(),
        places=places(),
    )


def zones_for(text: str, now: datetime) -> list[str]:
    """IANA zones for a city, a country, an offset or a name, best first."""
    return suggest_zones(text, now, atlas=zone_atlas())


def zone_of_place(latitude: float, longitude: float) -> str | None:
    return zone_at(latitude, longitude, locate=_locate)


def _locate(latitude: float, longitude: float) -> str:
    from tzfpy import get_tz  # lazily: a start-up does not pay for the polygons

    return str(get_tz(longitude, latitude))  # tzfpy takes the longitude first
