from urgentaction.core.housekeeping import register
from urgentaction.privacy.retention import apply_retention

register(apply_retention)
