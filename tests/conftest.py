import os
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def test_media_root():
    """The test process's uploads, removed when it ends."""
    from django.conf import settings

    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing kept: no page, card or count of an
    earlier test's records, whose ids the database may hand out again."""
    cache.clear()


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser(
        "administrator", "administrator@example.org", "pw"
    )


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, for tests marked `browser`."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium package")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the live server's
    # database calls from the test body are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def staff_member(django_user_model, username, group):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.is_staff = True
    user.save()
    user.groups.add(group)
    return user


@pytest.fixture
def reporter(roles, django_user_model):
    return staff_member(django_user_model, "reporter", Group.objects.get(name="Reporter"))


@pytest.fixture
def editor(roles, django_user_model):
    """An editor by role (the Editor group), not a superuser."""
    return staff_member(django_user_model, "editor", Group.objects.get(name="Editor"))


@pytest.fixture
def reporter_client(reporter):
    client = Client()
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client
