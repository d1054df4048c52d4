"""The WSGI entry point for gunicorn: `gunicorn -k gevent -w 1 crunchtime.wsgi:app`."""

import sys

from crunchtime.app import create_app
from crunchtime.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"crunchtime: {error}")
