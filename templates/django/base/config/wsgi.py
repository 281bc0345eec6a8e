"""WSGI entry point, served by gunicorn (see gunicorn.conf.py)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

from config.env import load_dotenv_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
load_dotenv_file()

application = get_wsgi_application()

# Once per server start (gunicorn imports this module in its master process): says whether
# several instances of the app share the login and registration limits.
from accounts.throttling import store_description  # noqa: E402  (needs the app registry)

logging.getLogger("accounts.throttling").info(store_description())
