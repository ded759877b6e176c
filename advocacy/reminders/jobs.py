"""The scheduler process: interval jobs (plan, deliver, imports, the impact snapshot) and the invitation sweep.

APScheduler holds no job per reminder (its job stores pickle jobs and cannot be shared
between schedulers); the database rows are the truth. Run it as its own process
(`flask scheduler`); web workers never run jobs. Several schedulers against one PostgreSQL do
no harm: planning takes an advisory lock and is idempotent anyway; delivery claims rows with
SKIP LOCKED.
"""
import datetime as dt
import logging

from sqlalchemy import text

from advocacy.audit.services import acting_as
from advocacy.extensions import db

log = logging.getLogger("advocacy.scheduler")


def run_plan(app, now: dt.datetime | None = None) -> dict | None:
    from advocacy.reminders.planner import PLAN_LOCK, plan

    with app.app_context(), acting_as("scheduler"):
        now = now or dt.datetime.now(dt.timezone.utc)
        is_pg = db.session.get_bind().dialect.name == "postgresql"
        if is_pg and not db.session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": PLAN_LOCK}).scalar():
            log.info("another scheduler is planning; skipped")
            db.session.rollback()
            return None
        stats = plan(now)
        db.session.commit()
        _sweep_invitations(now)
        log.info("plan: %s", stats)
        return stats


def _sweep_invitations(now):
    from advocacy.matching.services import process_invitations

    process_invitations(now)
    db.session.commit()


def run_deliver(app, now: dt.datetime | None = None) -> dict:
    from advocacy.reminders.delivery import deliver

    with app.app_context(), acting_as("scheduler"):
        stats = deliver(now or dt.datetime.now(dt.timezone.utc))
        if stats["claimed"]:
            log.info("deliver: %s", stats)
        return stats


def run_impact_refresh(app, now: dt.datetime | None = None):
    """Recompute the impact snapshot (advocacy/impact/services.py: refresh), as of today."""
    from advocacy.impact.services import refresh

    with app.app_context():
        now = now or dt.datetime.now(dt.timezone.utc)
        done = refresh(now.date(), now)
        db.session.commit()
        log.info("impact: figures computed for %s", done.computed_on)
        return done


def build_scheduler(app, blocking: bool = True):
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = BlockingScheduler if blocking else BackgroundScheduler
    sched = cls(timezone=dt.timezone.utc, job_defaults={"coalesce": True, "max_instances": 1,
                                                        "misfire_grace_time": 3600})
    cfg = app.config
    sched.add_job(run_plan, "interval", args=[app], seconds=cfg["SCHEDULER_PLAN_INTERVAL_SECONDS"], id="plan",
                  next_run_time=dt.datetime.now(dt.timezone.utc))
    sched.add_job(run_deliver, "interval", args=[app], seconds=cfg["SCHEDULER_DELIVER_INTERVAL_SECONDS"], id="deliver",
                  next_run_time=dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5))
    from advocacy.transfer.jobs import run_scheduled as run_imports

    sched.add_job(run_imports, "interval", args=[app], seconds=cfg["IMPORT_JOB_INTERVAL_SECONDS"], id="imports",
                  next_run_time=dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2))
    sched.add_job(run_impact_refresh, "interval", args=[app], seconds=cfg["IMPACT_REFRESH_INTERVAL_SECONDS"],
                  id="impact", next_run_time=dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30))
    return sched
