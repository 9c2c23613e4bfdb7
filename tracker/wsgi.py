import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

from tracker.production import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()
application = get_wsgi_application()
