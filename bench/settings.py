"""The settings of the site under benchmark: the product's, plus the query-count headers.

`manage.py bench` and the load and fault tests start gunicorn with
DJANGO_SETTINGS_MODULE=bench.settings, so the product's settings have no benchmark branch.
"""

from microblog.settings import *  # noqa: F403
from microblog.settings import MIDDLEWARE

MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
