"""The link in an invitation email: signed, specific to the invitation and the person, valid
for as long as the invitation can be answered. Opening it (GET) changes nothing; the answer
(POST) uses it up, because the invitation is then no longer open."""
import secrets

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.mail import external_url
from advocacy.pairings.models import Pairing


class LinkError(ValueError):
    """A link that cannot be used; the message is for the person who opened it."""


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="advocacy-invitation-answer")


def invitation_token(pairing: Pairing) -> str:
    """Signed now: the day-14 reminder gets a link that lives 30 days from its own sending."""
    return _serializer().dumps({"p": pairing.id, "m": pairing.parliamentarian_id, "n": secrets.token_urlsafe(6)})


def invitation_link(pairing: Pairing, answer: str | None = None) -> str:
    values = {"token": invitation_token(pairing)}
    if answer:
        values["answer"] = answer
    return external_url("matching.answer", **values)


def read_invitation_token(token: str) -> Pairing:
    try:
        data = _serializer().loads(token, max_age=current_app.config["INVITATION_LINK_MAX_AGE"])
    except SignatureExpired as exc:
        raise LinkError(_("This invitation link has expired. The campaign team can send you a new one.")) from exc
    except BadSignature as exc:
        raise LinkError(_("This invitation link is not valid. Check that you copied all of it.")) from exc
    if not isinstance(data, dict):
        raise LinkError(_("This invitation link is not valid."))
    pairing = db.session.scalar(db.select(Pairing).where(Pairing.id == data.get("p"))
                                .options(joinedload(Pairing.prisoner), joinedload(Pairing.parliamentarian)))
    if pairing is None or pairing.parliamentarian_id != data.get("m"):
        raise LinkError(_("This invitation no longer exists. The campaign team can tell you more."))
    return pairing
