"""What photos cost the timeline: its page of 50 cards, each with a photo,
against the same 50 cards without one.

    python -m bench.media [--rounds 20]

Self-contained: it builds a throwaway SQLite database and media folder,
draws 50 photo-like JPEGs of 1600 × 1067 (noise under a gradient, so that
they compress like photographs rather than flat colour), and reports

- page weight: the HTML and the stylesheet, as sent and compressed, and the
  thumbnails a phone 375 CSS pixels wide (two device pixels per CSS pixel)
  loads with the page, before the reader scrolls: those in its first
  screen, and those Chromium fetches ahead of the scroll (lazy images near
  the viewport), read from the browser's own resource timings;
- render time: CPU milliseconds per page made in process, with every card
  rendered afresh (the card cache off) and with the cards kept.

The browser part needs Debian's chromium and Playwright (requirements-dev);
without them it is skipped and said so.
"""

import argparse
import gzip
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CARDS = 50
PHONE = {"width": 375, "height": 667}
CHROMIUM = "/usr/bin/chromium"


def configure(workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_SECRET_KEY"] = "bench-media-only-" + "x" * 40
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    import django
    from django.conf import settings

    django.setup()
    # The live server below stands for runserver and the web server in
    # front: it serves the static and media files itself.
    settings.MEDIA_SERVED_BY_DJANGO = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CARD_CACHE_SECONDS = 600


def photo(seed, width=1600, height=1067):
    """A JPEG that compresses like a photograph: shapes with edges at every
    scale over a grain, so that neither it nor its thumbnail is flat."""
    import io

    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    random.seed(seed)
    image = Image.new("RGB", (width, height), tuple(random.randint(0, 255) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for size in (600, 250, 100, 40, 15):
        for _shape in range(int(3000 / size)):
            x, y = random.randrange(width), random.randrange(height)
            box = [x, y, x + random.randint(size // 2, size), y + random.randint(size // 2, size)]
            colour = tuple(random.randint(0, 255) for _ in range(3))
            (draw.ellipse if random.random() < 0.5 else draw.rectangle)(box, fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1))
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 24)] * 3)
    image = ImageChops.add(image, grain, scale=1.0, offset=-128)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def build():
    """Two conflicts of 50 published events each, with the same text, one
    with a photo on every event."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from tracker.models import Actor, Citation, Conflict, Event, FigureClaim, MediaItem, Source

    call_command("migrate", verbosity=0)
    source = Source.objects.create(title="Wire report", url="https://news.example.org/1")
    sides = [Actor.objects.create(name=f"Side {n}", kind=Actor.Kind.STATE) for n in range(2)]
    start = datetime(2023, 9, 1, 6, 0, tzinfo=UTC)
    paths = {}
    for slug, with_photos in [("without-media", False), ("with-media", True)]:
        conflict = Conflict.objects.create(name=slug, slug=slug, timezone="Asia/Baku")
        for n in range(CARDS):
            event = Event.objects.create(
                conflict=conflict,
                kind=Event.Kind.STRIKE,
                title=f"Shelling reported near the river crossing, number {n}",
                summary="A longer summary of what happened. " * 5,
                starts_at=start + timedelta(hours=9 * n),
                status=Event.Status.PUBLISHED,
            )
            Citation.objects.create(event=event, source=source)
            for best, claimant in [(32, sides[0]), (100, sides[1])]:
                FigureClaim.objects.create(
                    event=event,
                    claimant=claimant,
                    source=source,
                    metric=FigureClaim.Metric.KILLED,
                    qualifier=FigureClaim.Qualifier.EXACT,
                    best=best,
                    as_of=start,
                )
            if with_photos:
                MediaItem.objects.create(
                    event=event,
                    image=ContentFile(photo(n), name="photo.jpg"),
                    credit="Photo: A. Petrosyan/Newswire",
                    caption="Residents outside the regional hospital.",
                    alt_text="A crowd of people in winter coats in front of a low white building.",
                )
        paths[slug] = conflict.get_absolute_url()
    return paths


def render_times(path, rounds):
    """(CPU ms with every card made, CPU ms with the cards kept, queries)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    results = []
    for seconds in (0, 600):
        with override_settings(CARD_CACHE_SECONDS=seconds):
            assert client.get(path).status_code == 200
            started = time.process_time()
            for _ in range(rounds):
                client.get(path)
            results.append((time.process_time() - started) * 1000 / rounds)
    with override_settings(CARD_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        client.get(path)
    return results[0], results[1], len(queries)


def html_and_css(path):
    from django.conf import settings
    from django.test import Client

    html = Client().get(path).content
    css = (Path(settings.BASE_DIR) / "static" / "timeline" / "site.css").read_bytes()
    return html, css


def phone_load(base_url, path):
    """What a phone fetches with the page, before any scroll."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
        page = context.new_page()
        page.goto(base_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        figures = page.evaluate(
            """() => {
              const images = performance.getEntriesByType('resource')
                .filter(entry => entry.initiatorType === 'img');
              const inView = [...document.querySelectorAll('.card-thumbnail img')]
                .filter(img => img.getBoundingClientRect().top < window.innerHeight).length;
              const firstCard = document.querySelector('.event-card');
              return {
                fetched: images.length,
                bytes: images.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
                inView,
                firstCardTop: firstCard ? Math.round(firstCard.getBoundingClientRect().top) : null,
              };
            }"""
        )
        in_view = page.evaluate(
            """() => {
              const urls = new Set([...document.querySelectorAll('.card-thumbnail img')]
                .filter(img => img.getBoundingClientRect().top < window.innerHeight)
                .map(img => img.currentSrc));
              return performance.getEntriesByType('resource')
                .filter(entry => urls.has(entry.name))
                .reduce((sum, entry) => sum + entry.encodedBodySize, 0);
            }"""
        )
        figures["inViewBytes"] = in_view
        browser.close()
    return figures


def serve():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("localhost", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread, f"http://localhost:{thread.port}"


def kb(size):
    return f"{size / 1000:.1f} KB"


def main():
    import warnings

    # The live server serves static files from their folders: there is no
    # collectstatic here, which whitenoise would otherwise mention.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-media-"))
    try:
        configure(workdir)
        built = time.monotonic()
        paths = build()
        print(f"Built {CARDS} events with photos and {CARDS} without in "
              f"{time.monotonic() - built:.0f} s.")  # fmt: skip
        browser_ok = os.path.exists(CHROMIUM)
        server = None
        if browser_ok:
            try:
                server, base_url = serve()
            except Exception as error:  # noqa: BLE001 (the report says why it is missing)
                print(f"No browser figures: the live server did not start ({error}).")
                browser_ok = False
        rows = []
        for name in ("without-media", "with-media"):
            path = paths[name]
            html, css = html_and_css(path)
            made, kept, queries = render_times(path, args.rounds)
            row = {
                "page": name,
                "html": len(html),
                "html_gz": len(gzip.compress(html)),
                "css": len(css),
                "css_gz": len(gzip.compress(css)),
                "made": made,
                "kept": kept,
                "queries": queries,
            }
            if browser_ok:
                row["phone"] = phone_load(base_url, path)
            rows.append(row)
        print(f"\nThe timeline's page of {CARDS} cards, on SQLite, {args.rounds} rounds\n")
        print(f"{'':<34} {'without media':>16} {'with media':>16}")
        without, with_media = rows

        def line(label, key, fmt=kb):
            print(f"{label:<34} {fmt(without[key]):>16} {fmt(with_media[key]):>16}")

        line("HTML", "html")
        line("HTML, gzip", "html_gz")
        line("CSS", "css")
        line("CSS, gzip", "css_gz")
        line("CPU per page, cards made", "made", lambda v: f"{v:.1f} ms")
        line("CPU per page, cards kept", "kept", lambda v: f"{v:.1f} ms")
        line("queries, cards made", "queries", str)
        if browser_ok:
            for label, key, fmt in [
                ("phone: thumbnails in 1st screen", "inView", str),
                ("phone: their bytes", "inViewBytes", kb),
                ("phone: thumbnails fetched on load", "fetched", str),
                ("phone: their bytes", "bytes", kb),
                ("phone: first card's top (px)", "firstCardTop", str),
            ]:
                print(
                    f"{label:<34} {fmt(without['phone'][key]):>16} "
                    f"{fmt(with_media['phone'][key]):>16}"
                )
            total = {
                row["page"]: row["html_gz"] + row["css_gz"] + row["phone"]["bytes"] for row in rows
            }
            print(
                f"{'phone: HTML + CSS + images, gzip':<34} {kb(total['without-media']):>16} "
                f"{kb(total['with-media']):>16}"
            )
        else:
            print("No browser figures: needs /usr/bin/chromium and Playwright.")
        if server is not None:
            server.terminate()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
