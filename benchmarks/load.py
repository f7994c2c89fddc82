"""wrk's runs against a benchmark site: the campaign page, and valid actions POSTed as a
browser sends them once a person has filled in the form, each with a proof of work of its
own (proofs.py); and such actions POSTed at a steady rate beside a run."""

import contextlib
import http.client
import itertools
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import proofs
import stack
from forms import TYPED, PostForm
from stack import HOST


def warnings(figures: dict, what: str) -> list[str]:
    """Notes on what a wrk run's figures do not show: requests sent without a proof, other
    answers than expected, time-outs."""
    found = []
    if figures.get("unproven"):
        found.append(f"{what}: {figures['unproven']} requests went without a proof of work")
    bad = figures.get("bad_status", 0) + figures.get("other_status", 0)
    if bad or figures.get("socket_errors"):
        found.append(
            f"{what}: {bad} responses with another status and "
            f"{figures.get('socket_errors')} socket errors (timeouts) in "
            f"{figures['requests']} requests"
        )
    return found


class Load:
    """The runs of one benchmark. Each submit run has its own number, which goes into
    every email address and form token it sends, so that no two runs ever send the same
    (the growth part's two sites share the first one's history)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.numbers = itertools.count(1)

    def page(self, site: stack.Site, seconds: int) -> dict:
        figures = stack.wrk(site.page_url, seconds=seconds)
        site.drain()
        return figures

    def submits(
        self, site: stack.Site, form: Path, seconds: int, *, origin: str | None = None
    ) -> dict:
        """wrk POSTing valid actions to ``site``, or through the proxy in front of it at
        ``origin``."""
        number = next(self.numbers)
        origin = origin or site.origin
        proofs_file = proofs.for_run(site.env, seconds, self.work / f"proofs-{number}.txt", number)
        figures = stack.wrk(
            origin + stack.DEMO_PATH,
            seconds=seconds,
            script="submit.lua",
            args=(str(form), str(number), origin, str(proofs_file)),
        )
        site.drain()
        figures["rps"] = figures["accepted"] / (figures["duration_us"] / 1e6)
        return figures

    def form(self, site: stack.Site) -> Path:
        """What a browser sends from the demo page's form once a person has filled it in:
        every field as the page rendered it (the letter as offered, the hidden fields, the
        consent box left unticked, any field people leave empty left empty), with the
        person's name and address typed in and "by email" chosen. submit.lua adds a new
        email, form_token and proof of work to each POST. (A proof says when its
        challenge was issued, a minute before the run: the site takes that, not the
        page's time stamp, as when the person began to write.)"""
        fields = PostForm(stack.DEMO_PATH)
        fields.feed(site.fetch_page().decode())
        if not {"subject", "body", "email", "channel"} <= fields.names:
            raise RuntimeError(f"the demo page's form has only {sorted(fields.names)}")
        values = {**fields.values, **TYPED}
        # Django renders a newline after <textarea>, which browsers drop.
        values["body"] = values["body"].removeprefix("\n")
        for name in ("email", "form_token"):
            values.pop(name, None)
        path = self.work / f"form-{site.port}.txt"
        path.write_text(urllib.parse.urlencode(values))
        return path

    def post_one(self, site: stack.Site, form: Path) -> int:
        """One valid action, as submit.lua sends them; the answer's status."""
        made = proofs.made(site.env, 1, self.work / f"proof-probe-{site.port}.txt", 0)
        [(address, proof)] = proofs.read(made)
        return post(
            site,
            form,
            email="probe@example.org",
            form_token="00000000-0000-4000-8000-000000000001",  # noqa: S106
            proof=proof,
            address=address,
        )

    @contextlib.contextmanager
    def steady_submits(
        self, site: stack.Site, form: Path, *, per_second: int, seconds: int
    ) -> Iterator[dict]:
        """Valid actions POSTed in the background at ``per_second``, each on time however
        long the ones before take (threads, a connection each), for at most ``seconds``;
        yields a dict in which the block may put ``measured_from`` and ``measured_to``
        (monotonic times) and that holds, once the block is left, how many were sent,
        accepted (302), answered otherwise, and accepted a second between those times, and
        whether the last was sent before ``measured_to`` (``ran_out``)."""
        number = next(self.numbers)
        count = per_second * seconds
        made = proofs.made(site.env, count, self.work / f"proofs-{number}.txt", number)
        spent = proofs.read(made)
        figures: dict = {}
        stop = threading.Event()

        def one(n: int) -> tuple[int, float]:
            status = post(
                site,
                form,
                email=f"steady{number}-{n}@example.org",
                form_token=str(uuid.uuid4()),
                proof=spent[n][1],
                # Every supporter from a network of their own, that asked for the proof.
                address=spent[n][0],
            )
            return status, time.monotonic()

        def pace() -> None:
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=per_second) as pool:
                sent = []
                for n in range(count):
                    if stop.wait(max(0.0, started + n / per_second - time.monotonic())):
                        break
                    sent.append(pool.submit(one, n))
                ran_out = time.monotonic()
                answers = [future.result() for future in sent]
            accepted = [at for status, at in answers if status == 302]
            start, end = figures.get("measured_from", started), figures.get("measured_to", 0)
            figures.update(
                # Every letter was sent before the measured run had ended.
                ran_out=len(answers) == count and ran_out < end,
                sent=len(answers),
                accepted=len(accepted),
                other_status=len(answers) - len(accepted),
                accepted_per_second=sum(start <= at <= end for at in accepted)
                / max(end - start, 1e-9),
            )

        pacer = threading.Thread(target=pace)
        pacer.start()
        try:
            yield figures
        finally:
            stop.set()
            pacer.join()
            site.drain()


def post(
    site: stack.Site, form: Path, *, email: str, form_token: str, proof: str, address: str
) -> int:
    """One action as submit.lua sends them, from ``address`` (X-Forwarded-For), with the
    fields of ``form``: the answer's status."""
    body = (
        form.read_text()
        + "&"
        + urllib.parse.urlencode({"email": email, "form_token": form_token})
        + "&altcha="
        + proof
    )
    connection = http.client.HTTPConnection(HOST, site.port, timeout=30)
    try:
        connection.request(
            "POST",
            stack.DEMO_PATH,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": site.origin,
                "X-Forwarded-For": address,
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()
