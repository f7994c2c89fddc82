from urgentaction.api.webhooks.retention import drop_stale_messages, prune_delivery_log
from urgentaction.core.housekeeping import register

register(drop_stale_messages, every=600.0)
register(prune_delivery_log, every=600.0)
