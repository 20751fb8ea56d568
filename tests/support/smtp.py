"""A real SMTP server on loopback (``aiosmtpd``) that keeps what it receives, parsed.

It can be stopped and started again on the same port (a mail server that is down, then back),
refuse chosen recipients for good (550), answer slowly, and ask for a login.
"""

from __future__ import annotations

import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.proxy import outside_ephemeral_port


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.server.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.delay:
            time.sleep(self.server.delay)  # blocks this server's loop: a slow server, as clients see it
        mail = message_from_bytes(envelope.content, policy=policy.default)
        with self.server.lock:
            self.server.received.append((envelope.mail_from, list(envelope.rcpt_tos), mail))
        return "250 Message accepted"


class MailServer:
    def __init__(self, login: tuple[str, str] | None = None) -> None:
        self.port = outside_ephemeral_port()
        self.login = login
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.refused: set[str] = set()
        self.delay = 0.0
        self.lock = threading.Lock()
        self.logins: list[str] = []
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        user = f"{self.login[0]}:{self.login[1]}@" if self.login else ""
        return f"smtp://{user}127.0.0.1:{self.port}"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            )
            == self.login
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    def start(self) -> MailServer:
        options = {}
        if self.login:
            options = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mails_to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [mail for _, recipients, mail in self.received if address in recipients]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return [mail for _, _, mail in self.received]
