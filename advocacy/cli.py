"""`flask` commands. Each feature may add its own in ``advocacy/<feature>/cli.py`` with a
``register(app)`` function; this module finds them."""
import importlib
import importlib.util

import click
from flask import current_app
from flask.cli import with_appcontext

from advocacy.extensions import db


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the schema with migrations (flask db upgrade)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo(f"Database ready: {current_app.config['SQLALCHEMY_DATABASE_URI']}")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["admin", "staff", "parliamentarian"]), default="staff")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user_command(email, name, role, password):
    """Create a login (e.g. the first admin)."""
    from advocacy.audit.services import acting_as
    from advocacy.auth.models import Role, User

    with acting_as("cli"):
        user = User(email=email.strip().lower(), name=name, role=Role(role))
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
    click.echo(f"Created {role} {email}")


def register(app):
    app.cli.add_command(init_db_command)
    app.cli.add_command(create_user_command)
    from advocacy import FEATURES

    for name in FEATURES:
        if importlib.util.find_spec(f"advocacy.{name}.cli") is not None:
            importlib.import_module(f"advocacy.{name}.cli").register(app)
