import email
import email.policy
import re
import sys

from django.core.management.base import BaseCommand

from urgentaction.supporters.consent import withdraw
from urgentaction.supporters.links import supporter_to_unsubscribe


class Command(BaseCommand):
    help = (
        "Read an unsubscribe request (a raw email to UNSUBSCRIBE_ADDRESS, as a mail server "
        "pipes it) and unsubscribe the address its token names. Exits 0 whatever it finds."
    )

    def handle(self, *args, **options) -> None:
        message = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
        match = re.search(r"unsubscribe\s+(\S+)", str(message.get("Subject", "")), re.IGNORECASE)
        supporter = supporter_to_unsubscribe(match.group(1)) if match else None
        if supporter is None:
            self.stdout.write("No valid unsubscribe token: nothing to do.")
            return
        withdraw(supporter, how="unsubscribe email")
        self.stdout.write("Unsubscribed.")
