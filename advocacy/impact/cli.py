"""`flask impact refresh`: recompute the impact snapshot (the scheduler does it hourly; or from cron)."""
import datetime as dt

import click
from flask.cli import AppGroup

from advocacy.extensions import db

impact_cli = AppGroup("impact", help="Impact figures.")


@impact_cli.command("refresh")
@click.option("--today", help="compute as of this day (YYYY-MM-DD); default: today")
def refresh_command(today):
    """Recompute every impact figure (idempotent; replaces the previous snapshot)."""
    from advocacy.impact.services import refresh

    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc
    r = refresh(day, dt.datetime.now(dt.timezone.utc))
    db.session.commit()
    click.echo(f"impact: figures computed for {r.computed_on} over {r.pairings} pairings")


def register(app):
    app.cli.add_command(impact_cli)
