from urgentaction.campaigns.schedule import publish_and_close_due
from urgentaction.core.housekeeping import register

register(publish_and_close_due)
