from urgentaction.core.housekeeping import register
from urgentaction.supporters.retention import apply_retention

register(apply_retention)
