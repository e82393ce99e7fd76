"""gunicorn's settings for every instance (gunicorn reads this file from the working
directory). The access log leaves out the query string and the referrer: a search for a
client by name or NHS number travels in the query string, and must not reach the logs."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
# address, time, method, path without the query, protocol, status, bytes, duration
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
