"""Floods through the real bot: 50 messages in 10 s get one "slow down" and then silence for
the pause; another person is answered meanwhile, an emergency from the flooder too."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import MedBot
from bot.emulator import BotApiEmulator, SimUser
from tests.e2e.conftest import say
from tests.fakes import ManualClock

SLOW_DOWN = "You are sending messages very fast"
HELP = "Every command with an example"


async def all_handled(medbot: MedBot, emulator: BotApiEmulator) -> None:
    """Every queued update fetched by the bot and every handler of it finished."""
    await emulator.wait_delivered()
    processor = medbot.application.update_processor
    async with asyncio.timeout(5):
        # PTB has no event for "every update handled": look every 10 ms.
        while processor.current_concurrent_updates or not medbot.application.update_queue.empty():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_a_flood_gets_one_slow_down_then_silence_until_the_pause_ends(
    medbot: MedBot, emulator: BotApiEmulator, alice: SimUser, bob: SimUser, clock: ManualClock
) -> None:
    for _ in range(50):
        await alice.send("/help")
    await alice.wait_for(lambda m: SLOW_DOWN in m.text)
    await all_handled(medbot, emulator)
    texts = [m.text for m in alice.messages]
    assert len(texts) == 50
    assert sum(SLOW_DOWN in text for text in texts) == 1
    assert sum(HELP in text for text in texts) == 49

    clock.advance(timedelta(seconds=5))
    for _ in range(10):
        await alice.send("/help")
    assert HELP in (await say(bob, "/help")).text  # another person is not slowed
    await all_handled(medbot, emulator)
    assert len(alice.messages) == 50  # silence for the flooder

    emergency = await say(alice, "I can't breathe and my lips are going blue")
    assert "Trouble breathing is an emergency" in emergency.text  # never throttled
    await all_handled(medbot, emulator)
    assert len(alice.messages) == 51

    clock.advance(timedelta(seconds=25))  # 30 s after the flood began
    assert HELP in (await say(alice, "/help")).text
