"""The largest conflict's claims.csv streamed through the test client, as a
reader's download would be made: rows a second, by the wall clock and by
this process's CPU (the database's own work is in the first only), and the
peak resident memory of the process while it streams.

    DATABASE_URL=postgres://... python -m bench.downloads [--rounds 3] [--profile]

Settings as bench/render.py's: DEBUG off, the page cache off. The bulk
data comes from `manage.py generate_bulk`. `--profile` runs one more
download under cProfile and prints the top of it by own time.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import time
from pathlib import Path

TARGET_ROWS = 50_000  # a second
TARGET_MB = 200  # peak resident memory


def largest_conflict():
    from django.db.models import Count

    from tracker.models import Conflict

    return Conflict.objects.annotate(n=Count("events")).order_by("-n", "slug").first()


def resident_mb(field):
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status)[1]) / 1024


def forget_peak():
    """Resets the process's peak resident memory (VmHWM) to what it holds
    now, so that each download's peak is its own."""
    Path("/proc/self/clear_refs").write_text("5")


def stream(path):
    """(rows, bytes, wall seconds, CPU seconds, peak MB) of one download."""
    from django.test import Client

    client = Client()
    forget_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return lines - 1, size, wall, cpu, resident_mb("VmHWM")


def figures(rounds, profile=False):
    conflict = largest_conflict()
    path = f"/conflicts/{conflict.slug}/claims.csv"
    lines = [
        f"{path}, {rounds} rounds; targets: {TARGET_ROWS:,} rows/s, {TARGET_MB} MB",
        f"before: {resident_mb('VmRSS'):.0f} MB resident",
        f"{'round':<8} {'rows':>9} {'MB sent':>8} {'wall s':>7} {'rows/s':>8} "
        f"{'CPU s':>7} {'rows/CPU s':>10} {'peak MB':>8}",
    ]
    speeds = []
    for n in range(rounds):
        rows, size, wall, cpu, peak = stream(path)
        speeds.append((rows / wall, rows / cpu, peak))
        lines.append(
            f"{n + 1:<8} {rows:>9,} {size / 1e6:>8.1f} {wall:>7.2f} {rows / wall:>8,.0f} "
            f"{cpu:>7.2f} {rows / cpu:>10,.0f} {peak:>8.0f}"
        )
    wall_speed = statistics.median(speed for speed, _cpu, _peak in speeds)
    cpu_speed = statistics.median(cpu for _speed, cpu, _peak in speeds)
    peak = max(peak for _speed, _cpu, peak in speeds)
    lines.append(
        f"{'median':<8} {'':>9} {'':>8} {'':>7} {wall_speed:>8,.0f} {'':>7} {cpu_speed:>10,.0f} "
        f"{peak:>8.0f}" + ("" if wall_speed >= TARGET_ROWS and peak <= TARGET_MB else "  MISSED")
    )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        stream(path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        lines.append(out.getvalue())
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-downloads-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")
    import django

    django.setup()
    print("\n".join(figures(options.rounds, options.profile)))


if __name__ == "__main__":
    main()
