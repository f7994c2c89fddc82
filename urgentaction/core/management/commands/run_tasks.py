from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run background jobs (Django Tasks: hand-in bundles, updates) until stopped: from "
        "the database, or from Redis through RQ when REDIS_URL is set."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="Exit once no job is waiting (for scripts and tests).",
        )

    def handle(self, *args, until_idle: bool, **options) -> None:
        if settings.REDIS_URL:
            # The simple worker runs each job in this process; RQ's default forks one per
            # job, which would share this process's database connections.
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                worker_class="rq.worker.SimpleWorker",
                burst=until_idle,
                verbosity=options["verbosity"],
            )
        else:
            call_command(
                "db_worker",
                batch=until_idle,
                startup_delay=not until_idle,
                reload=False,
                verbosity=options["verbosity"],
            )
