import argparse
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from urgentaction.core import nginx
from urgentaction.core.processes import (
    LOCAL_SMTP_ADDRESS,
    default_web_workers,
    gunicorn_command,
    local_mail_server,
    supervise,
)


def proxied_web_commands(*, address: str, workers: int) -> dict[str, list[str]]:
    """nginx on ``address`` with deploy/nginx.conf, in front of gunicorn on a Unix socket
    that only it uses."""
    run_dir = settings.DATA_DIR / "nginx"
    socket = run_dir / "gunicorn.sock"
    config = nginx.write_config(
        run_dir,
        listen=address,
        upstream=f"unix:{socket}",
        static_root=settings.STATIC_ROOT,
        session_cookie=settings.SESSION_COOKIE_NAME,
        csrf_cookie=settings.CSRF_COOKIE_NAME,
    )
    return {
        "gunicorn": gunicorn_command(bind=f"unix:{socket}", workers=workers),
        "nginx": nginx.command(config),
    }


class Command(BaseCommand):
    help = (
        "Run the production stack on this machine on 127.0.0.1:PORT: nginx (a cache for the "
        "public pages, and the static files) in front of gunicorn, the worker, the webhook "
        "sender and the job runner. Put a TLS proxy in front for real use."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--web-workers",
            type=int,
            default=default_web_workers(),
            help="gunicorn worker processes (default: one per core, plus one).",
        )
        parser.add_argument(
            "--proxy",
            action=argparse.BooleanOptionalAction,
            help="Run nginx with deploy/nginx.conf on PORT, with gunicorn behind it on a Unix "
            "socket in DATA_DIR/nginx (default: when nginx is installed). --no-proxy: gunicorn "
            "on PORT, serving the static files itself (WhiteNoise).",
        )
        parser.add_argument(
            "--local-mail",
            action="store_true",
            help="Send all email to a mail server run on this machine, which keeps every "
            "message as a file in the mail folder of DATA_DIR and delivers none (instead of "
            "EMAIL_URL; for trying the site out, as make serve does when EMAIL_URL is unset).",
        )

    def handle(
        self, *args, web_workers: int, proxy: bool | None, local_mail: bool, **options
    ) -> None:
        address = f"127.0.0.1:{settings.PORT}"
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        env = os.environ.copy()
        commands = {}
        if local_mail:
            mail_dir = settings.DATA_DIR / "mail"
            env["EMAIL_URL"] = f"smtp://{LOCAL_SMTP_ADDRESS}"
            commands["aiosmtpd"] = local_mail_server(mail_dir)
            self.stdout.write(
                f"Mail server on {LOCAL_SMTP_ADDRESS}: no email leaves this machine; every "
                f"message is kept as a file in {mail_dir / 'new'}"
            )
        installed = nginx.binary() is not None
        if proxy and not installed:
            raise CommandError("--proxy: nginx is not installed (Debian: nginx-light).")
        if proxy is None:
            proxy = installed
            if not installed:
                self.stdout.write(
                    "nginx is not installed (Debian: nginx-light): gunicorn serves on its "
                    "own, with no cache in front."
                )
        if proxy:
            commands.update(proxied_web_commands(address=address, workers=web_workers))
            # nginx puts each visitor's address in X-Forwarded-For: without this, the site
            # would take every visitor for nginx, and count them all as one in rate limits.
            env["TRUSTED_PROXY_HEADER"] = "X-Forwarded-For"
            front = "nginx (deploy/nginx.conf) in front of "
        else:
            commands["gunicorn"] = gunicorn_command(bind=address, workers=web_workers)
            front = ""
        commands["worker"] = [*manage, "worker"]
        commands["webhooks"] = [*manage, "send_webhooks"]
        commands["jobs"] = [*manage, "run_tasks"]
        self.stdout.write(f"Serving on http://{address}/: {front}{web_workers} web workers.")
        supervise(commands, env)
