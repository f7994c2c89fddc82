from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urgentaction.api.keys import create_key


class Command(BaseCommand):
    help = (
        "Make an API key for a partner's system and print it, this once: only its hash is "
        "stored. Staff can list and revoke keys in the admin."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Whose system uses the key; the audit log names it.")
        parser.add_argument(
            "--scopes",
            default="read",
            help="Comma-separated: read, write, personal (default: read).",
        )

    def handle(self, *args, name: str, scopes: str, **options) -> None:
        wanted = [part.strip() for part in scopes.split(",") if part.strip()]
        try:
            key, secret = create_key(name=name, scopes=wanted)
        except ValidationError as error:
            problems = "; ".join(
                message for messages in error.message_dict.values() for message in messages
            )
            raise CommandError(problems) from None
        self.stdout.write(
            f"API key {key.name!r} with scopes {', '.join(key.scopes)} (shown only this once):\n"
            f"{secret}"
        )
