"""A real SMTP server for tests: it speaks enough SMTP for smtplib (and Django's SMTP backend) and keeps each message.

    with SmtpSink(port) as sink:   # listening on 127.0.0.1:port in a thread
        ...                        # send
    sink.messages                  # [email.message.EmailMessage, ...], in the order received

``free_port()`` is a local port nothing listens on (the mail server "down" until a sink starts there).
"""

from __future__ import annotations

import email
import email.policy
import socket
import socketserver
import threading
from email.message import EmailMessage


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif command.startswith(("MAIL FROM", "RCPT TO", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.received(self._data())
                self.reply("250 OK: queued")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), _Session)
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    def received(self, data: bytes) -> None:
        with self._lock:
            self.messages.append(email.message_from_bytes(data, policy=email.policy.default))  # type: ignore[arg-type]


class SmtpSink:
    def __init__(self, port: int):
        self.port = port
        self._server: _Server | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self._server.messages) if self._server else []

    def __enter__(self) -> SmtpSink:
        self._server = _Server(self.port)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
