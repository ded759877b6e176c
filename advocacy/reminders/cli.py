"""`flask reminders plan|deliver|preview` and `flask scheduler`."""
import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

reminders_cli = AppGroup("reminders", help="Plan and deliver reminder emails.")


def _parse_now(value):
    if not value:
        return dt.datetime.now(dt.timezone.utc)
    try:
        now = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use ISO format, e.g. 2026-12-01T08:00") from exc
    return now.replace(tzinfo=dt.timezone.utc) if now.tzinfo is None else now.astimezone(dt.timezone.utc)


@reminders_cli.command("plan")
@click.option("--now", help="UTC time to plan as (ISO, e.g. 2026-12-01T08:00)")
def plan_command(now):
    """Plan reminders ahead (idempotent)."""
    from advocacy.reminders.jobs import run_plan

    stats = run_plan(current_app._get_current_object(), _parse_now(now))
    click.echo(f"plan: {stats}" if stats else "another planner holds the lock; nothing done")


@reminders_cli.command("deliver")
@click.option("--now", help="UTC time to deliver as (ISO)")
def deliver_command(now):
    """Send the reminder emails that are due."""
    from advocacy.reminders.jobs import run_deliver

    click.echo(f"deliver: {run_deliver(current_app._get_current_object(), _parse_now(now))}")


@reminders_cli.command("preview")
@click.option("--now", required=True, help="The day to preview, UTC (ISO, e.g. 2026-12-01T08:00)")
@with_appcontext
def preview_command(now):
    """Show what would go out on that day. Writes nothing."""
    from advocacy.extensions import db
    from advocacy.reminders.planner import plan
    from advocacy.reminders.models import Reminder, ReminderStatus
    from advocacy.reminders.notifications import describe

    moment = _parse_now(now)
    day_start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        plan(moment)
        rows = db.session.scalars(db.select(Reminder).where(
            Reminder.due_at >= day_start, Reminder.due_at < day_start + dt.timedelta(days=1),
            Reminder.status == ReminderStatus.QUEUED).order_by(Reminder.due_at)).all()
        click.echo(f"{len(rows)} reminder(s) due on {day_start:%Y-%m-%d} (UTC):")
        for r in rows:
            click.echo(f"  {r.due_at:%H:%M} UTC  to {r.parliamentarian.full_name} <{r.parliamentarian.email}>"
                       f"  [{r.kind.label}] {describe(r, now=r.due_at)['title']}")
    finally:
        db.session.rollback()


@click.command("scheduler")
def scheduler_command():
    """Run the scheduler process (plan + deliver on intervals). One per machine; more do no harm."""
    import logging

    from advocacy.reminders.jobs import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = current_app._get_current_object()
    click.echo("Scheduler running: plan every %ss, deliver every %ss. Ctrl-C stops it."
               % (app.config["SCHEDULER_PLAN_INTERVAL_SECONDS"], app.config["SCHEDULER_DELIVER_INTERVAL_SECONDS"]))
    try:
        build_scheduler(app).start()
    except (KeyboardInterrupt, SystemExit):
        pass


def register(app):
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)
