"""The admin change form of the bulk data's showcase event (fifty figures),
in-process as bench/run.py's targets() measure it: the median wall time of
a request, the CPU it takes, its queries, its template renders by name and
the size of the page.

    DATABASE_URL=postgres://... python -m bench.change_form [--rounds 15] [--profile]

It needs the settings of bench/run.py (DEBUG off, the page cache off), the
bulk data of generate_bulk. `--profile` runs the form
a few more times under cProfile and prints the top of it by own time.
"""

import argparse
import collections
import cProfile
import io
import os
import pstats
import statistics
import time
from unittest import mock


def form_path():
    from django.db.models import Count

    from tracker.bulk.generator import SHOWCASE_SLUG
    from tracker.models import Conflict, Event

    large = Conflict.objects.annotate(n=Count("events")).order_by("-n", "slug").first()
    showcase = Event.objects.get(conflict=large, slug=SHOWCASE_SLUG)
    return f"/admin/tracker/event/{showcase.pk}/change/"


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    # The user bench/run.py makes.
    user, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client.force_login(user)
    return client


def renders_by_name(client, path):
    """How many times each template was rendered for one form."""
    from django.template.base import Template

    counts = collections.Counter()
    render = Template._render

    def counted(template, context):
        counts[template.origin.template_name] += 1
        return render(template, context)

    with mock.patch.object(Template, "_render", counted):
        client.get(path)
    return counts


def measure(rounds):
    from django.db import connection

    path = form_path()
    client = staff_client()
    body = client.get(path).content  # warmed up
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.status_code
    renders = renders_by_name(client, path)
    print(f"change form {path}")
    wall_ms, cpu_ms = statistics.median(walls), statistics.median(cpus)
    print(f"  median wall {wall_ms:7.1f} ms, CPU {cpu_ms:7.1f} ms")
    print(f"  queries {len(queries)}, bytes {len(body):,}")
    print(f"  template renders {sum(renders.values()):,}; most rendered:")
    for name, count in renders.most_common(8):
        print(f"    {count:>6,} {name}")


def profile(rounds=5):
    path = form_path()
    client = staff_client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)
    print(out.getvalue())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    measure(args.rounds)
    if args.profile:
        profile()


if __name__ == "__main__":
    main()
