"""In-process figures for the public pages that are made on every cache miss:
CPU per page, queries, template renders and gettext calls, and a cProfile of
the timeline's first page. Run by bench/run.py, or on its own:

    DATABASE_URL=postgres://... python -m bench.render [--profile] [--live]

It needs the settings of bench/run.py (DEBUG off, the page cache off) and
the bulk data of generate_bulk.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from unittest import mock

ROUNDS = int(os.environ.get("BENCH_RENDER_ROUNDS", "20"))
TARGETS_MS = {"timeline, first page": "~10"}


def pages():
    from django.db.models import Count

    from tracker.bulk.generator import SHOWCASE_SLUG
    from tracker.models import Conflict, Event

    large = Conflict.objects.annotate(n=Count("events")).order_by("-n", "slug").first()
    showcase = Event.objects.get(conflict=large, slug=SHOWCASE_SLUG)
    base = large.get_absolute_url()
    return {
        "timeline, first page": base,
        "timeline, filtered": f"{base}?kind=strike&kind=clash&order=newest",
        "embed": f"{base}embed/",
        "event, 50 claims": showcase.get_absolute_url(),
        "Atom feed": f"{base}feed.atom",
        "Atom feed, every conflict": "/feed.atom",
    }


class Counted:
    """Counts calls of the template engine and of gettext while it is open."""

    def __init__(self):
        self.renders = self.gettext = 0

    def __enter__(self):
        from django.template.base import Template
        from django.utils import translation

        # translation._trans keeps the function it first handed out.
        translation.gettext("")
        render, gettext = Template._render, translation._trans.gettext

        def counted_render(template, context):
            self.renders += 1
            return render(template, context)

        def counted_gettext(message):
            self.gettext += 1
            return gettext(message)

        self.patches = [
            mock.patch.object(Template, "_render", counted_render),
            mock.patch.object(translation._trans, "gettext", counted_gettext),
        ]
        for patch in self.patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in self.patches:
            patch.stop()


def measure(path, rounds=ROUNDS):
    """(CPU ms per page, queries, template renders, gettext calls, bytes) of
    `path`, the page made afresh each time with its fragments already kept
    (the state after a publish: the page is new, most of its cards are not)."""
    from django.db import connection
    from django.test import Client

    client = Client()
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code)
    body = first.content
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count), Counted() as counted:
        client.get(path)
    started = time.process_time()
    for _ in range(rounds):
        client.get(path)
    cpu_ms = (time.process_time() - started) * 1000 / rounds
    return cpu_ms, len(queries), counted.renders, counted.gettext, len(body)


def figures():
    """Lines for the report: each page's in-process figures."""
    lines = [
        "In-process, page made afresh with its cards kept (the page cache missed)",
        f"{'page':<32} {'CPU ms':>8} {'target':>7} {'queries':>8} {'renders':>8} "
        f"{'gettext':>8} {'bytes':>8}",
    ]
    for name, path in pages().items():
        cpu_ms, queries, renders, gettext, size = measure(path)
        target = TARGETS_MS.get(name, "")
        lines.append(
            f"{name:<32} {cpu_ms:>8.1f} {target:>7} {queries:>8} {renders:>8} "
            f"{gettext:>8} {size:>8}"
        )
    return lines


def live_figures(rounds=ROUNDS):
    """Lines for the report: what one poll of the live view's updates costs
    in the largest conflict (uncached, 304 to a conditional request, from
    the page cache), the live view itself, and the size of its script."""
    import gzip

    from django.contrib.staticfiles import finders
    from django.db import connection
    from django.db.models import Count
    from django.test import Client, override_settings

    from timeline.live import UPDATES_SECONDS, cursor_of
    from tracker.models import Conflict, Event

    large = Conflict.objects.annotate(n=Count("events")).order_by("-n", "slug").first()
    recent = list(
        Event.objects.published()
        .in_conflict(large)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)[:11]
    )
    updates = f"{large.get_absolute_url()}updates/"
    cases = {
        "updates, nothing new": f"{updates}?after={cursor_of(recent[0])}",
        "updates, 10 changed": f"{updates}?after={cursor_of(recent[-1])}",
    }

    def cost(path, rounds, **headers):
        client = Client()
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        response = client.get(path, headers=headers)
        with connection.execute_wrapper(count):
            client.get(path, headers=headers)
        started = time.process_time()
        for _ in range(rounds):
            client.get(path, headers=headers)
        cpu_ms = (time.process_time() - started) * 1000 / rounds
        return cpu_ms, len(queries), response.status_code, len(response.content)

    lines = [
        "The live view's updates, in-process, per request",
        f"{'request':<40} {'CPU ms':>8} {'queries':>8} {'status':>7} {'bytes':>8}",
    ]

    def line(name, figures):
        cpu_ms, queries, status, size = figures
        lines.append(f"{name:<40} {cpu_ms:>8.2f} {queries:>8} {status:>7} {size:>8}")

    for name, path in cases.items():
        line(f"{name}, uncached", cost(path, rounds))
        etag = Client().get(path)["ETag"]
        line(f"{name}, 304", cost(path, rounds, if_none_match=etag))
        with override_settings(PAGE_CACHE_SECONDS=600):
            line(f"{name}, page cache", cost(path, rounds))
    line("live view, uncached", cost(large.get_absolute_url() + "live/", max(1, rounds // 4)))
    script = finders.find("timeline/live.js")
    with open(script, "rb") as source:
        raw = source.read()
    lines.append(
        f"static/timeline/live.js: {len(raw)} bytes, {len(gzip.compress(raw, 9))} gzipped "
        f"(under 5,120); shared caches keep each answer {UPDATES_SECONDS} s"
    )
    return lines


def profile(path, rounds=ROUNDS):
    from django.test import Client

    client = Client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    return out.getvalue()


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-render-only")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")
    import django

    django.setup()
    if "--profile" in sys.argv:
        print(profile(pages()["timeline, first page"]))
    if "--live" in sys.argv:
        print("\n".join(live_figures()))
        return
    print("\n".join(figures()))


if __name__ == "__main__":
    main()
