"""A partner's webhook endpoint for the tests: a real HTTP server on a free local port, in
a thread of its own. It keeps every request it gets, answers with the statuses it is
given in turn (then 200), and can be made to keep a request waiting. Given a certificate
it serves HTTPS."""

import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# How long a held request waits when the test never lets it go: only a backstop, so
# that a failing test ends rather than hangs.
HOLD_LIMIT = 30.0
# How often a dripping answer sends a header.
DRIP_INTERVAL = 0.05


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    # While ``holding``, each request waits for ``release`` before it is answered; while
    # ``dripping``, its answer comes a header at a time until then.
    holding: bool = False
    dripping: bool = False
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Event = field(default_factory=threading.Event)
    redirect_to: str = ""
    # A certificate and its key (PEM files) to serve HTTPS with.
    certificate: tuple[Path, Path] | None = None

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(Received(self.path, dict(self.headers), body))
                receiver.arrived.set()
                if receiver.holding:
                    receiver.release.wait(HOLD_LIMIT)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if receiver.dripping:
                    self.drip()
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def drip(self) -> None:
                self.flush_headers()
                for _ in range(int(HOLD_LIMIT / DRIP_INTERVAL)):
                    if receiver.release.wait(DRIP_INTERVAL):
                        return
                    try:
                        self.wfile.write(b"X-Slow: 1\r\n")
                        self.wfile.flush()
                    except OSError:
                        return  # the sender hung up, as it should

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if self.certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.certificate)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hooks", *, host: str = "") -> str:
        address, port = self.server.server_address[:2]
        scheme = "https" if self.certificate else "http"
        return f"{scheme}://{host or address}:{port}{path}"


def self_signed_certificate(folder: Path, *, host: str) -> tuple[Path, Path]:
    """A certificate for ``host``, signed by its own key: PEM files of each."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_file, key_file = folder / f"{host}.pem", folder / f"{host}.key"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_file, key_file
