"""In-process figures for the public pages that are made on every cache miss:
CPU per page, queries, template renders and gettext calls, and a cProfile of
the timeline's first page. Run by bench/run.py, or on its own:

    DATABASE_URL=postgres://... python -m bench.render [--profile]

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
    print("\n".join(figures()))


if __name__ == "__main__":
    main()
