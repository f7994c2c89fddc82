"""gunicorn's settings for this site, read by ``manage.py serve`` and by gunicorn itself when
started in this folder. The access log names no visitor: no client address, user agent or
referrer, and the path without its query string (staff search the admin by email address)
and without the token of a personal link (``/confirm/…/``), which would let its reader in."""

from gunicorn.glogging import Logger

from urgentaction.lib.secret_links import hide_tokens


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = hide_tokens(atoms["U"])
        return atoms


accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
logger_class = AccessLogger
graceful_timeout = 20
