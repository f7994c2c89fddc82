from urgentaction.actions.confirmation import expire_unconfirmed, send_reminders
from urgentaction.actions.digests import schedule_digests
from urgentaction.actions.review import escalate_overdue
from urgentaction.core.housekeeping import register

register(send_reminders)
register(expire_unconfirmed)
register(schedule_digests)
register(escalate_overdue)
