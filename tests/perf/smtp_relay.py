"""A local SMTP relay for benchmarks, in its own process (so it does not share the sender's
interpreter): ``python tests/perf/smtp_relay.py PORT [--tls CERT KEY --auth USER PASS]``.

With ``--tls`` and ``--auth`` it behaves like a production relay: STARTTLS required, then
AUTH LOGIN/PLAIN, before any mail is accepted. It counts what arrives and prints the count to
stdout when it receives SIGTERM.
"""
import argparse
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Counting:
    def __init__(self):
        self.count = 0
        self.ids = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    args = ap.parse_args()
    handler = Counting()
    kwargs = {"enable_SMTPUTF8": True}
    if args.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*args.tls)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if args.auth:
        user, password = (a.encode() for a in args.auth)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = getattr(auth_data, "login", None) == user and getattr(auth_data, "password", None) == password
            return AuthResult(success=ok)

        kwargs.update(authenticator=authenticator, auth_require_tls=bool(args.tls), auth_required=True)
    controller = Controller(handler, hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()
    print("ready", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    done.wait()
    controller.stop()
    print(handler.count, flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
