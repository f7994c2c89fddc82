from urgentaction.core.housekeeping import register
from urgentaction.privacy.my_data_link import answer_my_data_requests
from urgentaction.privacy.retention import apply_retention, prune_sent_rows

register(apply_retention)
register(prune_sent_rows, every=600.0)
# Someone waits for the email.
register(answer_my_data_requests, every=2.0)
