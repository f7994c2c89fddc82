import email
import email.policy
import sys

from django.core.management.base import BaseCommand

from urgentaction.actions.bounces import permanent_failure, record_bounce, token_from_address


class Command(BaseCommand):
    help = (
        "Read a bounce (a raw email) on standard input, as a mail server pipes it, and fail "
        "the letter it is about. Exits 0 whatever it finds, so the server never bounces the bounce."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--recipient",
            help="The address the bounce was sent to (the envelope recipient), if the mail "
            "server passes it; otherwise it is read from the headers.",
        )

    def handle(self, *args, recipient: str | None, **options) -> None:
        message = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
        candidates = [recipient] if recipient else []
        for header in ("X-Original-To", "Delivered-To", "To"):
            for value in message.get_all(header, []):
                addresses = getattr(value, "addresses", None)
                if addresses is None:
                    candidates.append(str(value))
                else:
                    candidates += [address.addr_spec for address in addresses]
        token = next(filter(None, map(token_from_address, candidates)), None)
        if token is None:
            self.stdout.write("Not a bounce of a letter: no per-letter address found.")
            return
        reason = permanent_failure(message)
        if reason is None:
            self.stdout.write("Not a permanent failure: nothing to do.")
            return
        delivery = record_bounce(token=token, detail=reason)
        if delivery is None:
            self.stdout.write("No sent letter matches this bounce.")
        else:
            self.stdout.write(f"Delivery {delivery.pk} marked failed.")
