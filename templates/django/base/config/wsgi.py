"""WSGI entry point, served by gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

from config.env import load_dotenv_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
load_dotenv_file()

application = get_wsgi_application()
