"""The one place that builds and sends email.

* ``build_message`` renders ``templates/email/<name>.txt`` and ``.html`` into a Flask-Mail
  ``Message`` with a stable Message-ID (callers may pass one to keep it across retries).
* ``connection()`` opens one reusable connection for a batch: SMTP through Flask-Mail with a
  connect/command timeout (Flask-Mail 0.10 has no setting for one), or, in the embedded default,
  a "file" backend that writes each message as an .eml file under ``MAIL_FILE_DIR``.
* ``send_now`` sends one message over a fresh connection (invitations, password resets).
* ``validate_sender`` refuses a malformed From address at start-up: Flask-Mail would silently
  drop a From header it cannot parse.
"""
from __future__ import annotations

import contextlib
import os
import smtplib
import time
from email.utils import formataddr, make_msgid, parseaddr

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from email import policy as email_policy

from flask_mail import Connection
from flask_mail import Message as FlaskMailMessage



class ConfigError(RuntimeError):
    pass


def validate_sender(sender: str | None) -> str:
    if not sender:
        raise ConfigError("MAIL_DEFAULT_SENDER is not set")
    name, addr = parseaddr(sender)
    if not addr or "@" not in addr:
        raise ConfigError(f"MAIL_DEFAULT_SENDER {sender!r} is not a valid address")
    try:
        validate_email(addr, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError as exc:
        raise ConfigError(f"MAIL_DEFAULT_SENDER {sender!r} is not a valid address: {exc}") from exc
    return formataddr((name, addr)) if name else addr


def sender_domain() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rsplit("@", 1)[-1]


def new_message_id() -> str:
    return make_msgid(domain=sender_domain())


def build_message(template: str, *, subject: str, recipient: str, message_id: str | None = None,
                  headers: dict | None = None, **context) -> Message:
    """Render ``email/<template>.txt`` and ``.html`` with ``context``."""
    msg = Message(
        subject=subject,
        recipients=[recipient],
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
        extra_headers=dict(headers or {}),
    )
    msg.msgId = message_id or new_message_id()
    return msg


class Message(FlaskMailMessage):
    """Flask-Mail's message, serialised with lines up to 998 characters (RFC 5322's limit)
    instead of 78, so a long header such as ``List-Unsubscribe: <https://…/token>`` stays a
    plain URL rather than being turned into RFC 2047 encoded words mail clients cannot use."""

    def _message(self):
        msg = super()._message()
        msg.policy = email_policy.SMTP.clone(max_line_length=998)
        return msg


class TimeoutConnection(Connection):
    """Flask-Mail's connection with a socket timeout on connect and on every SMTP command,
    so a hung server raises ``TimeoutError`` instead of hanging the sender."""

    def configure_host(self):
        timeout = current_app.config.get("MAIL_TIMEOUT", 10.0)
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=timeout)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        host.set_debuglevel(int(self.mail.debug))
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class FileConnection:
    """Writes each message to ``MAIL_FILE_DIR/<timestamp>-<n>.eml`` (embedded default)."""

    def __init__(self, directory: str):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def send(self, message: Message) -> None:
        if message.date is None:
            message.date = time.time()
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns()}.eml"
        with open(os.path.join(self.directory, name), "wb") as fh:
            fh.write(message.as_bytes())


@contextlib.contextmanager
def connection():
    """One connection for a batch of messages: ``with connection() as conn: conn.send(msg)``."""
    cfg = current_app.config
    if cfg.get("MAIL_BACKEND") == "file":
        yield FileConnection(cfg["MAIL_FILE_DIR"])
        return
    conn = TimeoutConnection(current_app.extensions["mail"])
    with conn:
        yield conn


def send_now(message: Message) -> None:
    with connection() as conn:
        conn.send(message)


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on ``BASE_URL`` for emails and feeds; works outside a request (jobs)."""
    from urllib.parse import urlsplit

    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
