from urgentaction.cases.tasks import requeue_forgotten_outcomes
from urgentaction.core.housekeeping import register

# Outcome emails are queued by jobs (run_tasks); one lost on the way is queued again.
register(requeue_forgotten_outcomes)
