"""The English and the Spanish guide sites, built once per test run for
tests/test_site_spanish.py and tests/test_site_advocates.py, as `make demo` builds
them: `mkdocs.yml` into a folder, then `mkdocs.es.yml` into its `es/` folder. Also a
local server and headless Chromium, as tests/test_site.py drives them."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking"]


def mkdocs_build(config: Path, out: Path) -> None:
    """`mkdocs build --strict`; fails the test with mkdocs' output on an error or a
    warning."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life banner
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                             str(config), "-d", str(out)], capture_output=True, text=True,
                            cwd=ROOT, timeout=600, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr


_BUILT: list[Path] = []  # the one build of this test run


def built_sites(tmp_path_factory: Any) -> Path:
    """The built English site, with the Spanish one in its es/ folder: built on the
    first call of the test run, then the same folder."""
    if not _BUILT:
        out = tmp_path_factory.mktemp("sites")
        mkdocs_build(ROOT / "mkdocs.yml", out)
        mkdocs_build(ROOT / "mkdocs.es.yml", out / "es")
        _BUILT.append(out)
    return _BUILT[0]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request a connection: nothing left open

    def log_message(self, *args: Any) -> None:  # keep the test output readable
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


def open_page(browser: Any, url: str) -> tuple[Any, list[str]]:
    """A page at ``url`` and the list its console errors go to."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, errors
