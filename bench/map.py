"""The conflict map made afresh (the page cache missed), on the largest and
the smallest conflict of the bulk data, and the GeoJSON download of the
largest: wall time per page (the database's part included), queries, size.

    DATABASE_URL=postgres://... python -m bench.map

Settings as bench/render.py's: DEBUG off, the page cache off.
"""

import os
import statistics
import time

ROUNDS = int(os.environ.get("BENCH_MAP_ROUNDS", "10"))
TARGET_MS = 300  # the largest conflict's map, uncached


def conflicts():
    from django.db.models import Count

    from tracker.models import Conflict

    by_size = Conflict.objects.annotate(n=Count("events")).order_by("-n", "slug")
    return by_size.first(), by_size.last()


def timed(path, rounds=ROUNDS):
    """(median ms, fastest ms, queries, bytes) of `path` over `rounds`."""
    from django.db import connection
    from django.test import Client

    client = Client()
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code)
    size = len(b"".join(first.streaming_content) if first.streaming else first.content)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), len(queries), size


def figures():
    largest, smallest = conflicts()
    pages = [
        (f"map, largest ({largest.events.count():,} events)", f"/conflicts/{largest.slug}/map/"),
        (
            "map, largest, strikes and clashes",
            f"/conflicts/{largest.slug}/map/?kind=strike&kind=clash",
        ),
        ("map, largest, disputed only", f"/conflicts/{largest.slug}/map/?disputed=true"),
        (f"map, smallest ({smallest.events.count():,} events)", f"/conflicts/{smallest.slug}/map/"),
        ("GeoJSON, smallest", f"/conflicts/{smallest.slug}/events.geojson"),
    ]
    lines = [
        f"Uncached, {ROUNDS} rounds each; target for the largest map: {TARGET_MS} ms",
        f"{'page':<44} {'median ms':>10} {'fastest':>8} {'queries':>8} {'bytes':>10}",
    ]
    for name, path in pages:
        median, fastest, queries, size = timed(path)
        lines.append(f"{name:<44} {median:>10.1f} {fastest:>8.1f} {queries:>8} {size:>10,}")
    return lines


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-map-only")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")
    import django

    django.setup()
    print("\n".join(figures()))


if __name__ == "__main__":
    main()
