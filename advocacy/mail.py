"""The one place that builds and sends an email. Nothing here decides *whether* to send:
every mail is an outbox row (``advocacy.outbox``), and the outbox's sender calls this module.

* ``build_message`` renders ``templates/email/<name>.txt`` and ``.html`` into a ``Message``
  with a stable Message-ID (callers pass one to keep it across retries).
* ``Message.as_email()`` is a standard-library ``EmailMessage``: display names in any script
  are encoded per RFC 2047, and an address with a non-ASCII local part (``karl.dvořák@…``)
  is sent with SMTPUTF8 when the server announces it (RFC 6531), or refused with
  ``smtplib.SMTPNotSupportedError`` when it does not. (Flask-Mail's own message builder
  raises ``UnicodeEncodeError`` on such an address, so we keep Flask-Mail for its settings
  and its connection class only.)
* ``connection()`` opens one connection for a batch: SMTP through Flask-Mail's ``Connection``
  with a timeout on connect and every command, or, in the embedded default, a "file" backend
  writing each message as an .eml file under ``MAIL_FILE_DIR``.
* ``validate_sender`` refuses a malformed From address at start-up.
"""
from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
import time
from email import policy as email_policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_mail import Connection

#: SMTP line endings, and lines up to RFC 5322's 998 characters instead of 78, so that a long
#: header such as ``List-Unsubscribe: <https://…/token>`` stays one plain URL.
POLICY = email_policy.SMTP.clone(max_line_length=998)
#: the same for the classic MIME classes (ASCII addresses): no header re-parsing on output
FAST_POLICY = email_policy.compat32.clone(linesep="\r\n", max_line_length=998)


class ConfigError(RuntimeError):
    pass


class AddressError(ValueError):
    """An address that cannot be used: the message fails at once with this reason.

    ``str(exc)`` is the reason as a clause ("the address … is not valid"), to follow "Not
    sent: "; ``exc.sentence`` is the same reason as a sentence of its own ("The address … is
    not valid"), for a form. Two messages, because other languages do not capitalise by
    replacing the first word."""

    def __init__(self, reason: str, sentence: str | None = None):
        super().__init__(reason)
        self.sentence = sentence if sentence is not None else reason


def check_address(address: str | None) -> str:
    """The normalised address, or AddressError with a reason staff can act on.
    Internationalised addresses (RFC 6531) are accepted; whether they can be delivered
    depends on the relay announcing SMTPUTF8."""
    if not address:
        raise AddressError(_("no email address"))
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise AddressError(_("the address %(address)s is not valid (%(error)s)", address=repr(address), error=exc),
                           _("The address %(address)s is not valid (%(error)s)", address=repr(address),
                             error=exc)) from exc


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
    return f"{name} <{addr}>" if name else addr


def sender_domain() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rsplit("@", 1)[-1]


def new_message_id() -> str:
    return make_msgid(domain=sender_domain())


def _address(addr: str, name: str | None = None) -> Address:
    if "@" not in addr:
        raise AddressError(_("the address %(address)s is not valid", address=repr(addr)),
                           _("The address %(address)s is not valid", address=repr(addr)))
    local, domain = addr.rsplit("@", 1)
    try:
        return Address(display_name=name or "", username=local, domain=domain)
    except (ValueError, TypeError) as exc:
        raise AddressError(_("the address %(address)s cannot be written in a header (%(error)s)", address=repr(addr),
                             error=exc),
                           _("The address %(address)s cannot be written in a header (%(error)s)",
                             address=repr(addr), error=exc)) from exc


class Message:
    """One email: text and HTML parts, headers, a fixed Message-ID."""

    def __init__(self, *, subject: str, recipient: str, body: str, html: str | None = None,
                 recipient_name: str | None = None, sender: str | None = None, message_id: str | None = None,
                 headers: dict | None = None):
        self.subject = subject
        self.recipient = recipient
        self.recipient_name = recipient_name
        self.sender = sender or current_app.config["MAIL_DEFAULT_SENDER"]
        self.body = body
        self.html = html
        self.msgId = message_id or new_message_id()
        self.extra_headers = dict(headers or {})
        self.date: float | None = None

    @property
    def from_address(self) -> str:
        return parseaddr(self.sender)[1]

    @property
    def is_international(self) -> bool:
        """True when an address is not ASCII: the mail needs an SMTPUTF8 relay (RFC 6531)."""
        return not (self.recipient.isascii() and self.from_address.isascii())

    def as_email(self) -> EmailMessage:
        """The standard library's modern message object (RFC 2047 display names, RFC 6531
        addresses). Used for mail to an internationalised address, and for inspection."""
        name, addr = parseaddr(self.sender)
        msg = EmailMessage(policy=POLICY)
        msg["Subject"] = _one_line(self.subject)
        msg["From"] = _address(addr, name)
        msg["To"] = _address(self.recipient, self.recipient_name)
        msg["Date"] = formatdate(self.date or time.time(), usegmt=True)
        msg["Message-ID"] = self.msgId
        for key, value in self.extra_headers.items():
            msg[key] = value
        msg.set_content(self.body)
        if self.html:
            msg.add_alternative(self.html, subtype="html")
        return msg

    def as_bytes(self) -> bytes:
        """The message as sent. ASCII addresses (nearly all mail) take the classic MIME
        classes, about three times faster than the modern API (profiled: building the message
        was the largest cost per message); an internationalised address takes the modern
        API with raw UTF-8 headers, which only an SMTPUTF8 relay receives."""
        if self.is_international:
            return self.as_email().as_bytes(policy=POLICY.clone(utf8=True))
        name, addr = parseaddr(self.sender)
        if self.html:
            msg = MIMEMultipart("alternative")
            msg.attach(MIMEText(self.body, "plain", "utf-8"))
            msg.attach(MIMEText(self.html, "html", "utf-8"))
        else:
            msg = MIMEText(self.body, "plain", "utf-8")
        subject = _one_line(self.subject)
        msg["Subject"] = subject if subject.isascii() else Header(subject, "utf-8").encode()
        msg["From"] = formataddr((name, addr), "utf-8")
        msg["To"] = formataddr((self.recipient_name or "", self.recipient), "utf-8")
        msg["Date"] = formatdate(self.date or time.time(), usegmt=True)
        msg["Message-ID"] = self.msgId
        for key, value in self.extra_headers.items():
            msg[key] = value
        return msg.as_bytes(policy=FAST_POLICY)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_parts(template: str, **context) -> tuple[str, str]:
    return (render_template(f"email/{template}.txt", **context),
            render_template(f"email/{template}.html", **context))


def build_message(template: str, *, subject: str, recipient: str, recipient_name: str | None = None,
                  message_id: str | None = None, headers: dict | None = None, **context) -> Message:
    """Render ``email/<template>.txt`` and ``.html`` with ``context``."""
    body, html = render_parts(template, **context)
    return Message(subject=subject, recipient=recipient, recipient_name=recipient_name, body=body, html=html,
                   message_id=message_id, headers=headers)


class SMTPConnection(Connection):
    """Flask-Mail's connection (its settings: server, port, TLS, credentials) with a socket
    timeout on connect and on every SMTP command, so a hung server raises ``TimeoutError``,
    and a ``send`` that speaks SMTPUTF8 when an address needs it."""

    def configure_host(self):
        cfg = current_app.config
        timeout = cfg.get("MAIL_TIMEOUT", 10.0)
        context = None
        if self.mail.use_ssl or self.mail.use_tls:
            # Verify the relay's certificate (smtplib's own default does not).
            context = ssl.create_default_context(cafile=cfg.get("MAIL_TLS_CA_FILE") or None)
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=timeout, context=context)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        host.set_debuglevel(int(self.mail.debug))
        if self.mail.use_tls:
            host.starttls(context=context)
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host

    def send(self, message: Message) -> None:
        if message.date is None:
            message.date = time.time()
        host = self.host
        options = []
        if message.is_international:
            host.ehlo_or_helo_if_needed()
            if not host.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError(
                    "the address needs internationalised mail (SMTPUTF8, RFC 6531), which the mail server "
                    "does not offer; use an ASCII address for this person or a relay that offers SMTPUTF8")
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        host.sendmail(message.from_address, [message.recipient], message.as_bytes(), options)

    def __enter__(self):
        if self.host is None:
            self.host = self.configure_host()
        return self

    def close(self) -> None:
        """Close without QUIT's round trip and without raising: used after a timeout or a
        dropped connection, where QUIT would wait for the same dead server."""
        host, self.host = self.host, None
        if host is not None:
            with contextlib.suppress(Exception):
                host.close()

    def __exit__(self, exc_type, exc_value, tb):
        host = self.host
        if host is None:
            return
        if exc_type is None:
            try:
                host.quit()
            except (smtplib.SMTPException, OSError):
                pass
        self.close()


class FileConnection:
    """Writes each message to ``MAIL_FILE_DIR/<timestamp>-<n>.eml`` (embedded default)."""

    def __init__(self, directory: str):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def send(self, message: Message) -> None:
        if message.date is None:
            message.date = time.time()
        data = message.as_bytes()
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns()}.eml"
        with open(os.path.join(self.directory, name), "wb") as fh:
            fh.write(data)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def open_connection():
    """A connected connection (``.send``, ``.close``; a context manager). Raises the
    connection error (refused, timeout, TLS, authentication) if it cannot connect."""
    cfg = current_app.config
    if cfg.get("MAIL_BACKEND") == "file":
        return FileConnection(cfg["MAIL_FILE_DIR"])
    conn = SMTPConnection(current_app.extensions["mail"])
    conn.host = conn.configure_host()
    return conn


@contextlib.contextmanager
def connection():
    """One connection for a batch of messages: ``with connection() as conn: conn.send(msg)``."""
    conn = open_connection()
    with conn:
        yield conn


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on ``BASE_URL`` for emails and feeds; works outside a request (jobs)."""
    from urllib.parse import urlsplit

    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
