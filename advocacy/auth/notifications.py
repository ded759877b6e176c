"""Emails about accounts, queued in the outbox and sent at once by the request (the person is
waiting for them): account invitations and password resets."""
from flask_babel import lazy_gettext as _l
from flask import current_app

from advocacy.auth.tokens import make_token
from advocacy.mail import external_url
from advocacy.outbox.models import OutboxKind
from advocacy.outbox.services import queue


def _link(endpoint: str, token: str) -> str:
    return external_url(endpoint, token=token)


def send_invitation(user, invited_by):
    token = make_token(user, "set-password")
    return queue(OutboxKind.ACCOUNT_INVITE, "auth/invite", subject=_l("Your account for the WeStandByYou campaign"),
                 recipient=user.email, recipient_name=user.name, to_user=user, urgent=True, user=user,
                 invited_by=invited_by, link=_link("auth.set_password", token),
                 days=current_app.config["INVITE_TOKEN_MAX_AGE"] // 86400)


def send_reset(user):
    token = make_token(user, "reset")
    return queue(OutboxKind.PASSWORD_RESET, "auth/reset", subject=_l("Reset your password"), recipient=user.email,
                 recipient_name=user.name, to_user=user, urgent=True, user=user, link=_link("auth.reset", token),
                 hours=current_app.config["RESET_TOKEN_MAX_AGE"] // 3600)


def send_sign_in_link(user, next_url: str | None = None):
    """A passwordless sign-in link, sent at once by the request (the person is waiting)."""
    from advocacy.auth.tokens import make_sign_in_token

    token = make_sign_in_token(user, next_url)
    return queue(OutboxKind.SIGN_IN_LINK, "auth/sign_in_link", subject=_l("Your sign-in link for the WeStandByYou campaign"),
                 recipient=user.email, recipient_name=user.name, to_user=user, urgent=True, user=user,
                 link=_link("auth.sign_in", token),
                 minutes=current_app.config["SIGN_IN_LINK_MAX_AGE"] // 60)
