from urgentaction.api.webhooks.delivery import disable_failing_endpoints
from urgentaction.api.webhooks.retention import drop_stale_messages, prune_delivery_log
from urgentaction.core.housekeeping import register

register(disable_failing_endpoints, every=300.0)
register(drop_stale_messages, every=600.0)
register(prune_delivery_log, every=600.0)
