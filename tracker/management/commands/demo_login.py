from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = PASSWORD = "editor"


class Command(BaseCommand):
    help = "Create (or reset) the local demo staff login editor/editor. Development only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo login exists only in development (DJANGO_DEBUG=true).")
        user, _created = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(PASSWORD)
        user.save()
        self.stdout.write(
            f"Staff login for local use: {USERNAME} / {PASSWORD} at http://127.0.0.1:8000/admin/"
        )
