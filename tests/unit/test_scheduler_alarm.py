"""The alarm the composition root gives the use cases: arming pulls a fixed job earlier."""

from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import SchedulerAlarm


async def noop() -> None:
    return None


async def test_arming_for_now_pulls_the_job_forward_and_never_pushes_it_back():
    scheduler = AsyncIOScheduler(timezone=UTC)
    later = datetime.now(UTC) + timedelta(seconds=30)
    scheduler.add_job(noop, "interval", id="alerts", seconds=30, next_run_time=later)
    scheduler.start(paused=True)
    try:
        alarm = SchedulerAlarm("alerts")
        alarm.scheduler = scheduler
        alarm.arm(datetime.now(UTC) + timedelta(minutes=5))
        assert scheduler.get_job("alerts").next_run_time == later  # not pushed back
        before = datetime.now(UTC)
        alarm.arm(before - timedelta(minutes=1))  # a red flag: due now
        assert before <= scheduler.get_job("alerts").next_run_time <= before + timedelta(seconds=1)
    finally:
        scheduler.shutdown(wait=False)
