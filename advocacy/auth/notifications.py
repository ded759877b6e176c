"""Emails about accounts: invitations and password resets."""
from flask import current_app

from advocacy.auth.tokens import make_token
from advocacy.mail import build_message, external_url, send_now


def _link(endpoint: str, token: str) -> str:
    return external_url(endpoint, token=token)


def send_invitation(user, invited_by) -> None:
    token = make_token(user, "set-password")
    send_now(build_message("auth/invite", subject="Your account for the WeStandByYou campaign", recipient=user.email,
                           user=user, invited_by=invited_by, link=_link("auth.set_password", token),
                           days=current_app.config["INVITE_TOKEN_MAX_AGE"] // 86400))


def send_reset(user) -> None:
    token = make_token(user, "reset")
    send_now(build_message("auth/reset", subject="Reset your password", recipient=user.email, user=user,
                           link=_link("auth.reset", token),
                           hours=current_app.config["RESET_TOKEN_MAX_AGE"] // 3600))
