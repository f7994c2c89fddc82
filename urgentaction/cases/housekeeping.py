from urgentaction.cases.notices import announce_follow_ups
from urgentaction.cases.questionnaire import ask_about_replies
from urgentaction.cases.tasks import requeue_forgotten_outcomes
from urgentaction.cases.tenures import record_tenures
from urgentaction.core.housekeeping import register

# Outcome emails are queued by jobs (run_tasks); one lost on the way is queued again.
register(requeue_forgotten_outcomes)


register(record_tenures)
# Letters went 14 and 21 days ago: a few minutes either way changes nothing.
register(ask_about_replies, every=600.0)


register(announce_follow_ups)
