"""Bot API methods for receiving updates: getUpdates long polling and the webhook switches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.emulator.records import ApiError

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator


async def get_updates(emu: BotApiEmulator, p: dict[str, Any]) -> list[dict[str, Any]]:
    """Return unconfirmed updates, waiting up to `timeout` seconds for the first one."""
    if emu.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
            "to delete the webhook first",
        )
    limit = min(max(int(p.get("limit") or 100), 1), 100)
    timeout = max(float(p.get("timeout") or 0), 0.0)
    if "allowed_updates" in p:
        # An empty list means "back to the default set", as on Telegram.
        emu.allowed_updates = list(p["allowed_updates"] or []) or None
    # A newer getUpdates ends an older one still waiting, exactly like Telegram's 409.
    emu.poll_generation += 1
    generation = emu.poll_generation
    emu.confirm(int(p.get("offset") or 0))

    def ready() -> list[dict[str, Any]] | None:
        if emu.closing:
            return []  # shutting down: release long polls at once
        if emu.poll_generation != generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one "
                "bot instance is running",
            )
        return emu.pending_updates[:limit] or None

    try:
        return await emu.updates_changed.wait_until(ready, timeout)
    except TimeoutError:
        return []


async def set_webhook(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    # Recorded only: the emulator never pushes to webhooks, tests poll.
    emu.webhook_url = str(p.get("url") or "")
    if p.get("drop_pending_updates"):
        emu.drop_pending_updates()
    return True


async def delete_webhook(emu: BotApiEmulator, p: dict[str, Any]) -> bool:
    emu.webhook_url = ""
    if p.get("drop_pending_updates"):
        emu.drop_pending_updates()
    return True


async def get_webhook_info(emu: BotApiEmulator, p: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": emu.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(emu.pending_updates),
    }


HANDLERS = {
    "getupdates": get_updates,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
}
