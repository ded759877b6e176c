"""`flask facilities duplicates` and `flask facilities merge KEEP DUPLICATE...`: the one-off
clean-up of facilities that earlier imports duplicated."""
import click
from flask.cli import AppGroup

from advocacy.extensions import db

facilities_cli = AppGroup("facilities", help="Facility register maintenance.")


@facilities_cli.command("duplicates")
@click.option("--threshold", default=85, show_default=True, help="Similarity 0-100 from which a pair is listed")
def duplicates_command(threshold):
    """List facilities that are probably the same place."""
    from advocacy.facilities.services import find_duplicates

    pairs = find_duplicates(threshold)
    for score, a, b in pairs:
        click.echo(f"{score:3d}  #{a.id} {a.name} ({a.city or '?'})  ~  #{b.id} {b.name} ({b.city or '?'})")
    click.echo(f"{len(pairs)} likely duplicate pair(s). Merge with: flask facilities merge KEEP_ID DUPLICATE_ID...")


@facilities_cli.command("merge")
@click.argument("keep_id", type=int)
@click.argument("duplicate_ids", type=int, nargs=-1, required=True)
def merge_command(keep_id, duplicate_ids):
    """Move the prisoners of the duplicates to KEEP_ID and delete the duplicates."""
    from advocacy.audit.services import acting_as
    from advocacy.facilities.services import merge
    from advocacy.prisoners.models import Facility

    keep = db.session.get(Facility, keep_id)
    dups = [db.session.get(Facility, i) for i in duplicate_ids]
    if keep is None or None in dups:
        raise click.ClickException("No such facility: " + ", ".join(
            str(i) for i, f in zip((keep_id, *duplicate_ids), (keep, *dups)) if f is None))
    try:
        with acting_as("cli:facilities-merge"):
            moved = merge(keep, dups)
            db.session.commit()
    except ValueError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Merged {len(dups)} facility(ies) into #{keep.id} {keep.name}; {moved} prisoner(s) moved.")


def register(app):
    app.cli.add_command(facilities_cli)
