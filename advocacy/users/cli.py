"""`flask demo`: demo data and logins."""
import click
from flask.cli import with_appcontext

from advocacy.extensions import db


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the logins) when data exists.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for the same data every time.")
@with_appcontext
def demo_command(if_empty, seed):
    """Fill an empty database with realistic fictional demo data and print the logins."""
    from advocacy import demo
    from advocacy.audit.services import acting_as

    if not demo.is_empty():
        if not if_empty:
            raise click.ClickException("The database already has data; demo data goes only into an empty one.")
        click.echo("Demo data already loaded.")
        logins = demo.logins()
    else:
        with acting_as("cli:demo"):
            logins = demo.load(seed=seed)
            db.session.commit()
        click.echo("Demo data loaded.")
    click.echo("")
    click.echo("  Log in at http://127.0.0.1:5000/auth/login")
    click.echo(f"  as campaign staff (admin): {logins['staff'][0]}  password: {logins['staff'][1]}")
    click.echo(f"  as a parliamentarian:      {logins['parliamentarian'][0]}  password: {logins['parliamentarian'][1]}")
    click.echo("")


def register(app):
    app.cli.add_command(demo_command)
