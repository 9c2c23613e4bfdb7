"""Load test: readers on the public site while an editor publishes and
corrects events (run by `make load`, which starts the server; see
loadtest/run).

Readers ask for what the public asks for: the home page, the timeline, event
pages (including the editor's new ones), searches, the feed and the API.

The editor writes through Django's ORM, in this process, against the same
database as the server: the admin's two-factor sign-in and its Secure-only
cookies (this test speaks plain HTTP on the loopback) stand in the way of
driving the admin from here. The writes are what the admin's save does:
an event drafted, then published, with a figure claim; later corrected
(title, figure, and a public correction note), each with its history row.

At the end every write is checked against the database and the public page:
a write the editor was told had succeeded and that is not there is a lost
write. The run fails (exit status 1) on any 5xx or lost write.
"""

import itertools
import os
import random
import sys
import time
from pathlib import Path

import django
import requests
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from tracker.models import Actor, Conflict, Correction, Event, FigureClaim, Source  # noqa: E402

CONFLICT = "nagorno-karabakh"
SEARCHES = ["ceasefire", "talks", "civilians", "Stepanakert", "operation", "killed"]
RUN = time.strftime("%Y%m%d%H%M%S")

# What the editor wrote, by event id: the state the public must end up with.
written = {}
published_slugs = []
server_errors = []


@events.request.add_listener
def count_server_errors(request_type, name, response=None, exception=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        server_errors.append(f"{response.status_code} {name}")


def timed(name, write):
    """Run one write and report it to locust's statistics as an ORM request."""
    started = time.perf_counter()
    exception = None
    try:
        write()
    except Exception as error:
        exception = error
    events.request.fire(
        request_type="ORM",
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=0,
        exception=exception,
        context={},
    )


class Reader(HttpUser):
    weight = 20
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.slugs = list(
            Event.objects.published().filter(conflict__slug=CONFLICT).values_list("slug", flat=True)
        )
        close_old_connections()

    @task(3)
    def timeline(self):
        self.client.get(f"/conflicts/{CONFLICT}/", name="timeline")

    @task(4)
    def event_page(self):
        slug = random.choice(self.slugs + published_slugs)
        self.client.get(f"/conflicts/{CONFLICT}/events/{slug}/", name="event page")

    @task(2)
    def search(self):
        query = random.choice(SEARCHES)
        self.client.get(f"/conflicts/{CONFLICT}/?q={query}", name="search")

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def feed(self):
        self.client.get(f"/conflicts/{CONFLICT}/feed.atom", name="feed")

    @task(2)
    def api(self):
        self.client.get(f"/api/v1/events/?conflict={CONFLICT}", name="api events")

    @task(1)
    def figures(self):
        self.client.get(f"/conflicts/{CONFLICT}/figures/", name="figures page")


class Editor(HttpUser):
    fixed_count = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.user, _ = get_user_model().objects.get_or_create(
            username="load-editor", defaults={"is_staff": True, "is_superuser": True}
        )
        self.conflict = Conflict.objects.get(slug=CONFLICT)
        self.claimant = Actor.objects.order_by("pk").first()
        self.source = Source.objects.order_by("pk").first()
        self.numbers = itertools.count(1)

    @task(2)
    def publish(self):
        number = next(self.numbers)

        def write():
            event = Event(
                conflict=self.conflict,
                kind=Event.Kind.STATEMENT,
                title=f"Load test statement {RUN}-{number}",
                summary=f"Written by the load test, number {number}.",
                starts_at=timezone.now(),
                precision="minute",
            )
            event._history_user = self.user
            event.save()
            claim = FigureClaim(
                event=event,
                claimant=self.claimant,
                source=self.source,
                metric=FigureClaim.Metric.KILLED,
                best=number,
                as_of=timezone.now(),
            )
            claim._history_user = self.user
            claim.save()
            event._history_user = self.user
            event.publish()
            written[event.pk] = {"title": event.title, "best": number, "corrections": 0}
            published_slugs.append(event.slug)

        timed("publish event", write)
        close_old_connections()

    @task(1)
    def correct(self):
        if not written:
            return

        def write():
            event = Event.objects.get(pk=random.choice(list(written)))
            event.title = f"{written[event.pk]['title'].split(' (')[0]} (corrected)"
            event._history_user = self.user
            event.save()
            claim = event.claims.get()
            claim.best += 1
            claim._history_user = self.user
            claim.save()
            Correction.objects.create(
                event=event, author=self.user, note="The figure was one too low."
            )
            expected = written[event.pk]
            expected.update(
                title=event.title, best=claim.best, corrections=expected["corrections"] + 1
            )

        timed("correct event", write)
        close_old_connections()


def lost_writes(host):
    """Every write the editor made, as the database and the public see it."""
    lost = []
    for pk, expected in written.items():
        event = Event.objects.filter(pk=pk).first()
        if event is None:
            lost.append(f"event {pk} is missing")
            continue
        seen = {
            "title": event.title,
            "best": event.claims.get().best,
            "corrections": event.corrections.count(),
        }
        if seen != expected:
            lost.append(f"event {pk}: expected {expected}, found {seen}")
        page = requests.get(f"{host}{event.get_absolute_url()}", timeout=10)
        if page.status_code != 200 or event.title not in page.text:
            lost.append(f"event {pk}: its public page answered {page.status_code}")
    return lost


@events.quitting.add_listener
def report(environment, **kwargs):
    total = environment.stats.total
    lost = lost_writes(environment.host)
    print(
        f"\nLoad test summary: {total.num_requests} requests, "
        f"{total.num_failures} failures, {len(server_errors)} server errors (5xx); "
        f"median {total.get_response_time_percentile(0.5):.0f} ms, "
        f"95th percentile {total.get_response_time_percentile(0.95):.0f} ms, "
        f"99th percentile {total.get_response_time_percentile(0.99):.0f} ms; "
        f"{total.total_rps:.1f} requests/s.\n"
        f"Editor: {len(written)} events published, "
        f"{sum(w['corrections'] for w in written.values())} corrections; "
        f"lost writes: {len(lost)}."
    )
    for problem in lost + server_errors[:20]:
        print(f"  {problem}")
    if lost or server_errors or total.num_failures:
        environment.process_exit_code = 1
