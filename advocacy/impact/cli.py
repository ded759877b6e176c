"""`flask impact refresh`: recompute the reminder-effectiveness facts (run it daily, e.g. from cron)."""
import datetime as dt

import click
from flask.cli import AppGroup

from advocacy.extensions import db

impact_cli = AppGroup("impact", help="Impact figures.")


@impact_cli.command("refresh")
@click.option("--today", help="compute as of this day (YYYY-MM-DD); default: today")
def refresh_command(today):
    """Recompute reminder effectiveness (idempotent; replaces the previous facts)."""
    from advocacy.impact.services import refresh_effectiveness

    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc
    r = refresh_effectiveness(day, dt.datetime.now(dt.timezone.utc))
    db.session.commit()
    click.echo(f"impact: effectiveness computed for {r.computed_on} over {r.pairings} pairings")


def register(app):
    app.cli.add_command(impact_cli)
