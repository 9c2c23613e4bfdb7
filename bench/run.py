"""The benchmark: `make bench`.

Serves the project with gunicorn on a free loopback port, against the
PostgreSQL database that generate_bulk filled (BENCH_DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/bench), with DEBUG off, and drives each
page with wrk for BENCH_SECONDS (10) over BENCH_CONNECTIONS (4) connections.
The ceiling is a trivial view served through the same middleware and server,
driven for a third of that time just before each page, so that a page and its
ceiling meet the same load on the machine; the ratio is to that ceiling.

Three passes: without the page cache (every request makes its page), then
with it (Redis at BENCH_REDIS_URL, by default redis://127.0.0.1:6379/1,
emptied first), then through Varnish (deploy/varnish.vcl in Debian's
varnishd, in front of the cached app): a stored page's throughput there,
beside the app's own ceiling, and how many requests reached the app. Then
the in-process CPU, queries and template renders of the pages made on a miss
(bench/render.py), the same pages of the smallest conflict, to compare, the
EXPLAIN ANALYZE of every query of every page (bench/results/explain.txt),
the in-process figures that have targets, and the memory of a streamed
claims download. Prints one table and writes it to bench/results/latest.txt.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REPORT = ROOT / "bench" / "report.lua"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CEILING_SECONDS = max(2, SECONDS // 3)
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PAGE_TIMEOUT = 30  # seconds; a page slower than this is reported as such
BIG_TABLES = ("tracker_event", "tracker_figureclaim", "tracker_citation", "tracker_participant")

ENV = {
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench"
    ),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "DJANGO_PAGE_CACHE_SECONDS": "0",
}


@dataclass
class Page:
    name: str
    path: str
    staff: bool = False  # needs the signed-in session
    compare: str | None = None  # the same page in the smallest conflict
    streamed: bool = False  # never stored by the page cache
    connections: int = CONNECTIONS


@dataclass
class Result:
    median_ms: float
    p95_ms: float
    per_second: float
    errors: int


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # The bulk data may predate the latest migrations.
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True)
    pages, cookie, (large, small) = plan()
    RESULTS.mkdir(exist_ok=True)
    if "--in-process" in sys.argv:
        # Only what is measured in-process, and the streamed download.
        from bench import render

        for part in (
            render.figures,
            render.live_figures,
            lambda: targets(large, small),
            lambda: streaming(pages),
        ):
            print("\n".join(part() + [""]), flush=True)
        print("\n".join(overview_times()))
        return

    rows, scale = [], []
    with Server(page_cache_seconds=0) as server:
        available = {page.name: server.probe(page, cookie) for page in pages}
        for page in pages:
            if available[page.name] != 200:
                rows.append((page.name, "-", available[page.name], None))
                continue
            ceiling = server.ceiling(cookie)
            result = server.drive(page, cookie)
            rows.append((page.name, "no", result, ceiling))
            if page.compare:
                in_smallest = server.drive(Page(page.name, page.compare), cookie)
                scale.append((page.name, in_smallest, result))
    explain([page for page in pages if available[page.name] == 200])
    from django.core.cache import cache

    cache.clear()
    with Server(page_cache_seconds=600) as server:
        for page in pages:
            if page.staff or page.streamed or available[page.name] != 200:
                continue
            server.probe(page, cookie)  # stores it
            ceiling = server.ceiling(cookie)
            rows.append((page.name, "yes", server.drive(page, cookie), ceiling))
    varnish_rows, origin = varnish_pass(pages, cookie, available)
    rows += varnish_rows

    from bench import render

    # Each part of the table is printed once measured, so that a part that
    # fails late does not take the figures of the others with it.
    report = []
    for part in (
        lambda: table(rows) + origin,
        lambda: throughput_targets(rows),
        render.figures,
        render.live_figures,
        lambda: scale_table(scale),
        lambda: targets(large, small) + streaming(pages),
        overview_times,
    ):
        lines = part() + [""]
        print("\n".join(lines), flush=True)
        report += lines
    (RESULTS / "latest.txt").write_text("\n".join(report))


def plan():
    """The pages to drive, in the largest and smallest conflicts, and the
    staff session cookie for the admin."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from timeline.pagination import Cursor
    from tracker.bulk.generator import SHOWCASE_SLUG
    from tracker.models import Conflict, Event, Place

    by_size = list(Conflict.objects.annotate(n=Count("events")).order_by("-n", "slug"))
    if not by_size or by_size[0].n < 1000:
        sys.exit("No bulk data: run `python manage.py generate_bulk` on the bench database.")
    large, small = by_size[0], by_size[-1]
    showcase = Event.objects.get(conflict=large, slug=SHOWCASE_SLUG)
    published = Event.objects.published().in_conflict(large).order_by("starts_at", "pk")
    middle = published[published.count() // 2]
    small_middle = (
        Event.objects.published().in_conflict(small).order_by("starts_at", "pk")[small.n // 3]
    )

    def place_word(conflict):
        return Place.objects.filter(events__conflict=conflict).order_by("pk").first().name

    def timeline(conflict, query=""):
        return f"/conflicts/{conflict.slug}/{query}"

    day = middle.starts_at.astimezone(large.tz).date()
    small_day = small_middle.starts_at.astimezone(small.tz).date()
    pages = [
        Page("home", "/"),
        Page("timeline, first page", timeline(large), compare=timeline(small)),
        Page(
            "timeline, deep cursor",
            timeline(large, f"?after={Cursor.of(middle)}"),
            compare=timeline(small, f"?after={Cursor.of(small_middle)}"),
        ),
        Page(
            "timeline, filtered",
            timeline(large, f"?kind=strike&date_from={day}"),
            compare=timeline(small, f"?kind=strike&date_from={small_day}"),
        ),
        Page(
            "timeline, disputed only",
            timeline(large, "?disputed=true"),
            compare=timeline(small, "?disputed=true"),
        ),
        Page(
            "timeline, search",
            timeline(large, f"?q={place_word(large)}"),
            compare=timeline(small, f"?q={place_word(small)}"),
        ),
        Page("event, 50 claims, 30 sources", showcase.get_absolute_url()),
        Page("figures", timeline(large, "figures/")),
        Page(f"figures ({small.n:,} events)", timeline(small, "figures/")),
        Page("Atom feed", timeline(large, "feed.atom")),
        Page("Atom feed, every conflict", "/feed.atom"),
        Page(
            "API event list",
            f"/api/v1/events/?conflict={large.slug}",
            compare=f"/api/v1/events/?conflict={small.slug}",
        ),
        Page(f"events.csv ({small.n:,} events)", timeline(small, "events.csv"), streamed=True),
        Page("admin event changelist", "/admin/tracker/event/", staff=True),
        Page("admin event change form", f"/admin/tracker/event/{showcase.pk}/change/", staff=True),
    ]
    user, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return pages, f"sessionid={client.cookies['sessionid'].value}", (large, small)


def varnish_pass(pages, cookie, available):
    """The public pages through Varnish, each driven like the others once it
    is stored, and the requests that reached the app meanwhile."""
    from bench.varnish import LocalVarnish
    from bench.varnish import available as varnish_installed

    shown = [p for p in pages if not (p.staff or p.streamed) and available[p.name] == 200]
    if not varnish_installed():
        return [(p.name, "varnish", "no varnishd", None) for p in shown], []
    rows = []
    with (
        Server(page_cache_seconds=600, shared_cache_seconds=3600) as server,
        LocalVarnish(server.port) as varnish,
    ):
        answered_before, fetched_before = varnish.counters()
        for page in shown:
            server.probe(page, cookie, base=varnish.url)  # stores it
            ceiling = server.ceiling(cookie)
            rows.append(
                (page.name, "varnish", server.drive(page, cookie, base=varnish.url), ceiling)
            )
        answered, fetched = varnish.counters()
    origin = [
        "",
        f"Through Varnish: {answered - answered_before:,} requests answered, "
        f"{fetched - fetched_before:,} of them reached the app (the stores and nothing else). "
        "x ceiling is to the app's own ceiling.",
    ]
    return rows, origin


class Server:
    """gunicorn serving the project on a free loopback port."""

    def __init__(self, *, page_cache_seconds, shared_cache_seconds=0, timeout=PAGE_TIMEOUT):
        self.env = {
            **os.environ,
            "DJANGO_PAGE_CACHE_SECONDS": str(page_cache_seconds),
            "DJANGO_SHARED_CACHE_SECONDS": str(shared_cache_seconds),
        }
        self.timeout = timeout

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = open(RESULTS / "gunicorn.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS)]
            + ["--timeout", str(self.timeout), "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url("/bench/ceiling/"), timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start: see bench/results/gunicorn.log")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def url(self, path, base=None):
        return f"{base or f'http://127.0.0.1:{self.port}'}{path}"

    def probe(self, page, cookie, base=None):
        """The page's status code, having warmed it up."""
        request = urllib.request.Request(self.url(page.path, base))
        if page.staff:
            request.add_header("Cookie", cookie)
        try:
            for _ in range(3):
                with urllib.request.urlopen(request, timeout=PAGE_TIMEOUT) as response:
                    response.read()
            return 200
        except urllib.error.HTTPError as error:
            return error.code
        except (TimeoutError, urllib.error.URLError):
            return "timeout"

    def settle(self):
        """Wait until every worker is free again: wrk stops sending, not the
        server working on what it was sent."""
        from concurrent.futures import ThreadPoolExecutor

        def ceiling_seconds(_n):
            started = time.monotonic()
            with urllib.request.urlopen(self.url("/bench/ceiling/"), timeout=PAGE_TIMEOUT) as r:
                r.read()
            return time.monotonic() - started

        with ThreadPoolExecutor(WORKERS) as pool:
            for _ in range(PAGE_TIMEOUT * 2):
                if max(pool.map(ceiling_seconds, range(WORKERS))) < 0.2:
                    return
                time.sleep(0.5)

    def ceiling(self, cookie):
        """The ceiling, measured just before a page so that both meet the
        same load on the machine."""
        return self.drive(Page("ceiling", "/bench/ceiling/"), cookie, seconds=CEILING_SECONDS)

    def drive(self, page, cookie, seconds=SECONDS, base=None):
        command = ["wrk", "-t1", f"-c{page.connections}", f"-d{seconds}s", "--timeout", "60s"]
        command += ["-s", str(REPORT), self.url(page.path, base)]
        if page.staff:
            command += ["-H", f"Cookie: {cookie}"]
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 120
        ).stdout
        line = next(line for line in output.splitlines() if line.startswith("BENCH "))
        median, p95, requests, errors, duration = (int(n) for n in line.split()[1:])
        result = Result(median / 1000, p95 / 1000, requests / (duration / 1e6), errors)
        print(page.name, page.path, result, flush=True)
        self.settle()
        return result


def table(rows):
    lines = [
        f"{'page':<32} {'cached':>6} {'median ms':>10} {'p95 ms':>9} {'req/s':>8} "
        f"{'x ceiling':>9} {'ceiling req/s':>13}",
        "-" * 93,
    ]
    for name, cached, result, ceiling in rows:
        if not isinstance(result, Result):
            status = {
                404: "not available",
                "timeout": f"over {PAGE_TIMEOUT} s",
                "no varnishd": "varnishd not installed",
            }.get(result, f"error {result}")
            lines.append(f"{name:<32} {cached:>6} {status:>38}")
            continue
        ratio = result.per_second / ceiling.per_second if ceiling.per_second else 0
        errors = f"  ({result.errors} errors)" if result.errors else ""
        lines.append(
            f"{name:<32} {cached:>6} {result.median_ms:>10.1f} {result.p95_ms:>9.1f} "
            f"{result.per_second:>8.1f} {ratio:>9.0%} {ceiling.per_second:>13.1f}{errors}"
        )
    return lines


def throughput_targets(rows):
    """The throughput figures that have a target, beside it."""
    lines = []
    for name, cached, result, ceiling in rows:
        if name == "timeline, first page" and cached == "no" and isinstance(result, Result):
            ratio = result.per_second / ceiling.per_second if ceiling.per_second else 0
            share = f"{ratio:.0%}"
            lines.append(f"uncached timeline first page, x ceiling: {share} (target 15%)")
    return lines


def scale_table(scale):
    lines = [
        "Scale independence, uncached: median in the largest conflict / the smallest",
        f"{'page':<32} {'small ms':>10} {'large ms':>10} {'ratio':>7}",
    ]
    for name, small, large in scale:
        lines.append(
            f"{name:<32} {small.median_ms:>10.1f} {large.median_ms:>10.1f} "
            f"{large.median_ms / small.median_ms:>6.2f}x"
        )
    return lines


def explain(pages):
    """EXPLAIN ANALYZE every query each page makes, into explain.txt, and
    note the pages that scan a big table whole."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    staff_client = Client()
    staff_client.force_login(_bench_user())
    out = []
    for page in pages:
        client = staff_client if page.staff else Client()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
            if response.streaming:
                for _chunk in response.streaming_content:
                    break
        if response.status_code == 404:
            continue
        out.append(f"=== {page.name}: {page.path} ({len(captured)} queries)")
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if cursor_query := re.match(r"DECLARE .*? CURSOR .*?FOR (SELECT .*)", sql, re.S):
                    sql = cursor_query[1]  # a server-side cursor, as iterator() uses
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan_text = "\n".join(row[0] for row in cursor.fetchall())
                scans = [
                    table for table in BIG_TABLES if re.search(rf"Seq Scan on {table}\b", plan_text)
                ]
                note = f"  FULL SCAN OF {', '.join(scans)}" if scans else ""
                out.append(f"--- {query['time']} s{note}\n{sql}\n{plan_text}\n")
    (RESULTS / "explain.txt").write_text("\n".join(out) + "\n")


def _bench_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bench")


def overview_times(repeats=5):
    """The overview's aggregate (events by local day) uncached, in the
    largest and the smallest conflict: the pages above mostly find it
    remembered. The median of `repeats` runs."""
    from django.db.models import Count

    from timeline.overview import day_counts
    from tracker.models import Conflict, Event

    by_size = list(Conflict.objects.annotate(n=Count("events")).order_by("-n", "slug"))
    lines = []
    for conflict in (by_size[0], by_size[-1]):
        events = Event.objects.published().in_conflict(conflict)
        times = []
        for _ in range(repeats):
            started = time.monotonic()
            days = len(day_counts(events, conflict))
            times.append(time.monotonic() - started)
        median = sorted(times)[len(times) // 2]
        lines.append(
            f"Overview uncached, {conflict.slug} ({conflict.n:,} events, {days:,} days): "
            f"{median * 1000:.0f} ms"
        )
    return lines


def streaming(pages):
    """A streamed download of the largest conflict's claims: rows a second
    and the peak resident memory of the worker that served it."""
    from tracker.models import Conflict

    slug = pages[1].path.split("/")[2]
    path = f"/conflicts/{slug}/claims.csv"
    with Server(page_cache_seconds=0, timeout=600) as server:
        workers = [
            int(pid)
            for pid in subprocess.run(
                ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        started = time.monotonic()
        try:
            with urllib.request.urlopen(server.url(path), timeout=600) as response:
                rows = sum(
                    chunk.count(b"\n") for chunk in iter(lambda: response.read(1 << 16), b"")
                )
        except urllib.error.HTTPError as error:
            status = "not available" if error.code == 404 else f"error {error.code}"
            return [f"Streaming {path}: {status}"]
        seconds = time.monotonic() - started
        peak = max(_peak_rss_mb(pid) for pid in workers)
    claims = Conflict.objects.get(slug=slug).events.aggregate(n=_claim_count())["n"]
    speed = (rows - 1) / seconds
    return [
        f"Streaming {path}: {rows - 1:,} rows ({claims:,} claims in the conflict) in "
        f"{seconds:.1f} s",
        f"{'claims.csv, rows/s':<64} {speed:>7,.0f}   {CLAIMS_CSV_TARGET_ROWS:>7,}   "
        + ("" if speed >= CLAIMS_CSV_TARGET_ROWS else "  MISSED"),
        f"{'claims.csv, peak worker memory (resident)':<64} {peak:>7,.0f}MB "
        f"{CLAIMS_CSV_TARGET_MB:>7,}MB" + ("" if peak <= CLAIMS_CSV_TARGET_MB else "  MISSED"),
    ]


# What the in-process figures aim at (see targets()).
SCALE_TARGET = 1.3  # a page in the largest conflict / the same in the smallest
FIGURES_TARGET_MS = 300
CHANGE_FORM_TARGET_QUERIES, CHANGE_FORM_TARGET_MS = 30, 400
CLAIMS_CSV_TARGET_ROWS, CLAIMS_CSV_TARGET_MB = 50_000, 200
IN_PROCESS_RUNS = 5


def targets(large, small):
    """Figures measured in-process (the test client, DEBUG off, no page
    cache), each beside its target: search for a common and a rare word and
    the disputed view, in the largest conflict against the smallest; the
    figures page; the event change form."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tracker.bulk.generator import SHOWCASE_SLUG
    from tracker.models import Event

    client = Client()

    def median_ms(path, client=client):
        client.get(path)  # warmed up
        times = []
        for _ in range(IN_PROCESS_RUNS):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return sorted(times)[len(times) // 2]

    lines = [
        f"In-process, uncached: median of {IN_PROCESS_RUNS} requests, beside the target",
        f"{'figure':<44} {'small':>9} {'large':>9} {'measured':>9} {'target':>9}",
    ]

    def scale(name, small_path, large_path):
        small_ms = large_ms = float("inf")
        for _ in range(2):  # in turns, so that both meet the same load on the machine
            small_ms = min(small_ms, median_ms(small_path))
            large_ms = min(large_ms, median_ms(large_path))
        ratio = large_ms / small_ms
        ok = "" if ratio <= SCALE_TARGET else "  MISSED"
        lines.append(
            f"{name:<44} {small_ms:>7.1f}ms {large_ms:>7.1f}ms {ratio:>8.2f}x "
            f"{SCALE_TARGET:>8.1f}x{ok}"
        )

    for label, pick in (("common", common_word), ("rare", rare_word)):
        small_word, large_word = pick(small), pick(large)
        scale(
            f"search, {label} word ({small_word!r}, {large_word!r})",
            f"/conflicts/{small.slug}/?q={quote_plus(small_word)}",
            f"/conflicts/{large.slug}/?q={quote_plus(large_word)}",
        )
    scale(
        "timeline, disputed only",
        f"/conflicts/{small.slug}/?disputed=true",
        f"/conflicts/{large.slug}/?disputed=true",
    )

    def single(name, measured, target, unit, *, at_most=True):
        ok = "" if (measured <= target if at_most else measured >= target) else "  MISSED"
        lines.append(f"{name:<64} {measured:>7,.0f}{unit} {target:>7,}{unit}{ok}")

    single(
        f"figures page, {large.n:,} events",
        median_ms(f"/conflicts/{large.slug}/figures/"),
        FIGURES_TARGET_MS,
        "ms",
    )

    staff = Client()
    staff.force_login(get_user_model().objects.get(username="bench"))
    showcase = Event.objects.get(conflict=large, slug=SHOWCASE_SLUG)
    form = f"/admin/tracker/event/{showcase.pk}/change/"
    with CaptureQueriesContext(connection) as captured:
        staff.get(form)
    name = (
        f"event change form ({showcase.claims.count()} claims, "
        f"{showcase.citations.count()} sources, {showcase.participants.count()} participants)"
    )
    single(name + ", queries", len(captured), CHANGE_FORM_TARGET_QUERIES, "  ")
    single(name + ", time", median_ms(form, staff), CHANGE_FORM_TARGET_MS, "ms")
    return lines


def _word(conflict, order, within=""):
    """A word of the stored search documents of the conflict's published
    events (as PostgreSQL's English stemmer keeps it), with its count of
    documents (ndoc), the first by `order` of those counts; among the
    documents matching the search `within` when given. Never one of the
    showcase's words: its fifty figures would weigh on one page only."""
    from django.db import connection

    from tracker.bulk.generator import SHOWCASE_SLUG

    documents = (
        "SELECT search_document FROM tracker_event "
        f"WHERE conflict_id = {int(conflict.pk)} AND status = 'published'"
    )
    if within:
        documents += f" AND search_document @@ websearch_to_tsquery('english', {within!r})"
    showcase = f"SELECT search_document FROM tracker_event WHERE slug = '{SHOWCASE_SLUG}'"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat(%s) WHERE length(word) > 3 "
            "AND word ~ '^[a-z]+$' AND word NOT IN (SELECT word FROM ts_stat(%s)) "
            f"ORDER BY {order}, word LIMIT 1",
            [documents, showcase],
        )
        return cursor.fetchone()


def common_word(conflict):
    return _word(conflict, "ndoc DESC")[0]


RARE_MATCHES = 10


def rare_word(conflict):
    """Words that match about ten events: one word where a word is in about
    ten of the conflict's events, else two, the second among the events of
    the first. In a large conflict every word of the generated vocabulary is
    in a thousand events or more, and a search that matched a thousand
    would fill a page of fifty cards where the small conflict's fills ten,
    which compares two different pages, not two conflict sizes."""
    order = f"abs(ndoc - {RARE_MATCHES})"
    word, matches = _word(conflict, order)
    if matches > 2 * RARE_MATCHES:
        word = f"{word} {_word(conflict, order, within=word)[0]}"
    return word


def _claim_count():
    from django.db.models import Count

    return Count("claims")


def _peak_rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


if __name__ == "__main__":
    main()
