"""Bot API methods about the bot itself: getMe, commands, menu button, names, descriptions."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from bot.emulator.records import ApiError

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
    """Commands are stored per (scope, language): e.g. ('{"type": "default"}', 'de')."""
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")


async def get_me(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    return {
        **emu.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _valid_commands(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        raise ApiError(400, "Bad Request: can't parse commands JSON object")
    if len(raw) > 100:
        raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
    for item in raw:
        # Telegram wants lowercase a-z, digits and _ ; descriptions of 1-256 characters.
        command = item.get("command") if isinstance(item, dict) else None
        description = item.get("description") if isinstance(item, dict) else None
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": c["command"], "description": c["description"]} for c in raw]


async def set_my_commands(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    commands = _valid_commands(p.get("commands"))
    emu.commands_by_scope[scope_key(p.get("scope"), p.get("language_code"))] = commands
    emu.commands = commands
    return True


async def get_my_commands(emu: BotApiEmulator, p: dict[str, Any]) -> list[dict[str, str]]:
    return emu.commands_by_scope.get(scope_key(p.get("scope"), p.get("language_code")), [])


async def delete_my_commands(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    emu.commands_by_scope.pop(scope_key(p.get("scope"), p.get("language_code")), None)
    return True


async def set_chat_menu_button(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    emu.menu_button = p.get("menu_button") or {"type": "default"}
    return True


async def get_chat_menu_button(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    return emu.menu_button


def _profile_text(field: str, result_key: str) -> tuple[Any, Any]:
    """A (setter, getter) pair for setMyName/Description/ShortDescription, per language."""

    async def setter(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
        emu.profile[(field, str(p.get("language_code") or ""))] = str(p.get(field) or "")
        return True

    async def getter(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, str]:
        key = (field, str(p.get("language_code") or ""))
        return {result_key: emu.profile.get(key, "")}

    return setter, getter


async def accept(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    """Methods whose effect the emulator does not model; they succeed like on Telegram."""
    return True


_set_name, _get_name = _profile_text("name", "name")
_set_desc, _get_desc = _profile_text("description", "description")
_set_short, _get_short = _profile_text("short_description", "short_description")

HANDLERS = {
    "getme": get_me,
    "logout": accept,
    "close": accept,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "setmyname": _set_name,
    "getmyname": _get_name,
    "setmydescription": _set_desc,
    "getmydescription": _get_desc,
    "setmyshortdescription": _set_short,
    "getmyshortdescription": _get_short,
    "setmydefaultadministratorrights": accept,
}
