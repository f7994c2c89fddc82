from urgentaction.core.housekeeping import register
from urgentaction.mailings.tasks import requeue_forgotten_updates

# Updates are jobs (run_tasks); one lost on the way is queued again.
register(requeue_forgotten_updates)
