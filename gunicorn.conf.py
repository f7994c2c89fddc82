"""gunicorn's settings for this site, read by ``manage.py serve`` and by gunicorn itself when
started in this folder. The access log names no visitor: no client address, user agent or
referrer, and the path without its query string (staff search the admin by email address)."""

accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
graceful_timeout = 20
