"""`flask import prisoners|parliamentarians|ep-xml FILE [--commit]`: dry run unless --commit."""
import click
from flask.cli import with_appcontext

from advocacy.extensions import db


@click.command("import")
@click.argument("kind", type=click.Choice(["prisoners", "parliamentarians", "ep-xml"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--commit", is_flag=True, help="Write the changes (default: dry run, nothing written)")
@click.option("--end-missing", is_flag=True, help="EP list: mark MEPs missing from the file as having left")
@with_appcontext
def import_command(kind, path, commit, end_missing):
    """Import a file (dry run by default)."""
    from advocacy.audit.services import acting_as
    from advocacy.transfer import services

    with open(path, "rb") as fh:
        content = fh.read()
    try:
        with acting_as("cli:import"):
            report = services.run(kind, content, write=commit, end_missing=end_missing)
            for r in report.errors:
                click.echo(f"line {r.line}: {r.label}: {r.error}", err=True)
            s = report.summary()
            click.echo(f"{s['create']} to create, {s['update']} to update, {s['unchanged']} unchanged, {s['error']} bad rows")
            if report.errors:
                db.session.rollback()
                raise click.ClickException("nothing imported: correct the bad rows")
            if commit:
                db.session.commit()
                click.echo("imported")
            else:
                db.session.rollback()
                click.echo("dry run: nothing written (add --commit to import)")
    except services.ImportError_ as exc:
        raise click.ClickException(str(exc)) from exc


def register(app):
    app.cli.add_command(import_command)
