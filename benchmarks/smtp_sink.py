"""A local SMTP server (aiosmtpd) that accepts every message and keeps nothing: the far end
of the delivery benchmark, the same for the worker and for the bare smtplib loop.

Usage: python benchmarks/smtp_sink.py PORT STATS_FILE

On SIGUSR1 it writes what it received since the last SIGUSR1 to STATS_FILE as JSON: the
number of messages and bytes, and the monotonic times of the first and the last message,
so that a sender's rate is measured here, the same way for both senders.
"""

import json
import signal
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.first = None
        self.last = None

    async def handle_DATA(self, server, session, envelope) -> str:
        now = time.monotonic()
        if self.first is None:
            self.first = now
        self.last = now
        self.messages += 1
        self.bytes += len(envelope.original_content or envelope.content)
        return "250 Message accepted"


def main() -> None:
    port, stats = int(sys.argv[1]), Path(sys.argv[2])
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)

    def report(signum: int, frame: object) -> None:
        figures = {
            "messages": sink.messages,
            "bytes": sink.bytes,
            "first": sink.first,
            "last": sink.last,
        }
        sink.reset()
        # Written whole, then renamed: a reader that sees the file sees all of it.
        written = stats.with_suffix(".part")
        written.write_text(json.dumps(figures))
        written.rename(stats)

    running = True

    def finish(signum: int, frame: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGUSR1, report)
    signal.signal(signal.SIGTERM, finish)
    controller.start()
    try:
        print("ready", flush=True)
        while running:
            time.sleep(0.2)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
