"""`flask import prisoners|parliamentarians|ep-xml FILE [--commit]` (dry run unless --commit)
and `flask import run-jobs` (work through queued uploads, as the scheduler does)."""
import click
from flask.cli import AppGroup

from advocacy.extensions import db

import_cli = AppGroup("import", help="Import files (dry run by default) and run queued import jobs.")


def _import(kind, path, commit, end_missing=False, listed_on=None):
    from advocacy.audit.services import acting_as
    from advocacy.transfer import services

    with open(path, "rb") as fh:
        content = fh.read()
    try:
        with acting_as("cli:import"):
            report = services.run(kind, content, write=commit, end_missing=end_missing,
                                  listed_on=listed_on.date() if listed_on else None)
            for r in report.errors:
                for e in r.error.split("\n"):
                    click.echo(f"line {r.line}: {r.label}: {e}", err=True)
            if report.ignored:
                click.echo(f"ignored column(s): {', '.join(report.ignored)}", err=True)
            for n in report.notes:
                click.echo(n, err=True)
            s = report.summary()
            click.echo(f"{s['create']} to create, {s['update']} to update, {s['unchanged']} unchanged, {s['error']} bad rows"
                       + "".join(f", {n} {a}" for a, n in s.items() if a not in ("create", "update", "unchanged", "error")))
            for r in report.rows:
                if r.action in ("conflict", "left"):
                    click.echo(f"{r.action}: {r.key} {r.label}: {r.changes} {r.error or ''}".rstrip(), err=True)
            if report.errors or report.undecided_facilities:
                db.session.rollback()
                raise click.ClickException("nothing imported: correct the bad rows" if report.errors else
                                           "nothing imported: new facilities close to existing ones need a "
                                           "decision (use the import page)")
            if commit:
                db.session.commit()
                click.echo("imported")
            else:
                db.session.rollback()
                click.echo("dry run: nothing written (add --commit to import)")
    except services.ImportError_ as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc


def _kind_command(kind, help_text, members=False):
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--commit", is_flag=True, help="Write the changes (default: dry run, nothing written)")
    def command(path, commit, end_missing=False, listed_on=None):
        _import(kind, path, commit, end_missing, listed_on)

    if members:
        command = click.option("--end-missing", is_flag=True,
                               help="Mark members of the file's parliaments missing from it as having left")(command)
        command = click.option("--listed-on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                               help="Date of the list (default today): an older list never overwrites a newer one")(command)
    import_cli.command(kind, help=help_text)(command)


_kind_command("prisoners", "Import a prisoners CSV.")
_kind_command("parliamentarians", "Import a parliamentarians CSV.", members=True)
_kind_command("ep-xml", "Import the European Parliament's MEP list (XML).", members=True)


@import_cli.command("run-jobs")
@click.option("--limit", type=int, default=None, help="Stop after this many jobs")
def run_jobs_command(limit):
    """Check or commit the queued uploads now (the scheduler does this every few seconds)."""
    from advocacy.transfer.jobs import run_jobs

    n = run_jobs(limit=limit)
    click.echo(f"{n} import job(s) run")


def register(app):
    app.cli.add_command(import_cli)
