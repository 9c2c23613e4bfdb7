import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.production import refuse_unsafe_production  # noqa: E402

try:
    refuse_unsafe_production()
except ImproperlyConfigured as refusal:
    # One paragraph on stderr and exit status 1, not a traceback: whoever
    # starts the server needs to know what to set, not where we noticed.
    sys.exit(str(refusal))
application = get_wsgi_application()
