from urgentaction.core.housekeeping import register
from urgentaction.letters.documents import remove_old_bundles
from urgentaction.letters.tasks import requeue_forgotten_bundles

register(remove_old_bundles)
# Bundles are jobs (run_tasks); one lost on the way is queued again.
register(requeue_forgotten_bundles)
