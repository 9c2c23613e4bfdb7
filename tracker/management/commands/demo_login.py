from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# username = password; the editor is an administrator, the reporter drafts.
EDITOR, REPORTER = "editor", "reporter"


class Command(BaseCommand):
    help = (
        "Create (or reset) the local demo staff logins editor/editor and "
        "reporter/reporter. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="Where the development server answers (host:port), for the links printed.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo login exists only in development (DJANGO_DEBUG=true).")
        call_command("setup_roles", verbosity=0)
        editor = self._login(EDITOR)
        editor.is_superuser = True
        editor.save()
        reporter = self._login(REPORTER)
        reporter.groups.add(Group.objects.get(name="Reporter"))
        site = f"http://{options['address']}/"
        self.stdout.write(
            f"The demo timeline: {site}\n"
            f"Staff logins for local use at {site}admin/: "
            f"{EDITOR} / {EDITOR} (administrator), {REPORTER} / {REPORTER} (reporter)"
        )

    def _login(self, username):
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(username)
        user.save()
        return user
