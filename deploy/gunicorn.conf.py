"""gunicorn's settings in production (the Dockerfile's command): web behind the front proxy.

Everything here may be overridden from the environment, so that tests start gunicorn exactly
as the image does, on a loopback port.
"""

import os

# The image listens on every interface of its container; only the proxy reaches it there.
bind = [f"{os.environ.get('GUNICORN_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads: a request waiting on PostgreSQL or Redis does not hold its whole process. Slow
# clients never reach a thread: the proxy (deploy/nginx/) reads each request whole, and
# buffers each response, before gunicorn sees or sends a byte.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
# Connections are the proxy's, reused for many requests.
keepalive = 5
# The only peer allowed to set X-Forwarded-Proto (and X-Forwarded-For, which Django reads:
# config.middleware.ClientAddressMiddleware) is the proxy: its address, from
# FORWARDED_ALLOW_IPS (compose names it; 127.0.0.1 and ::1 by default). Never "*".
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No header sets SCRIPT_NAME or PATH_INFO, not even the proxy's: links never depend on a
# request header (gunicorn's default lets the trusted proxy send both).
forwarder_headers = ""
# Header names with an underscore are dropped (gunicorn's default, kept explicit): they would
# read as the dashed name in the WSGI environment (X_Forwarded_For as X-Forwarded-For).
header_map = "drop"
accesslog = "-"
