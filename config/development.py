"""The application Django's development server serves (`make run`: runserver
with DJANGO_DEBUG=true). App servers load config.wsgi, which refuses DEBUG."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
