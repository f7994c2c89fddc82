from urgentaction.cases.notices import announce_follow_ups
from urgentaction.core.housekeeping import register

register(announce_follow_ups)
