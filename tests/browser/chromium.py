"""Headless Debian chromium through selenium, cut off from every host but 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
LOCAL_HOSTS = frozenset({"127.0.0.1"})
_NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})


def missing() -> list[str]:
    """Return which of chromium and chromedriver are not installed."""
    return [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]


def closed_port() -> int:
    """Return a loopback port nobody listens on (a proxy there refuses every connection)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def offline_options(profile_dir: Path) -> webdriver.ChromeOptions:
    """Return options for a headless chromium that can reach 127.0.0.1 and nothing else."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where chromium's sandbox refuses to start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        f"--user-data-dir={profile_dir}",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        # Two locks on the outside: no name resolves (but 127.0.0.1), and every other
        # connection goes to a proxy on a closed port.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--proxy-server=http://127.0.0.1:{closed_port()}",
        "--proxy-bypass-list=127.0.0.1",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return options


def start(profile_dir: Path) -> webdriver.Chrome:
    """Start chromium through /usr/bin/chromedriver with ``offline_options``."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(profile_dir / "driver.log"))
    driver = webdriver.Chrome(options=offline_options(profile_dir), service=service)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


def screenshot(driver: webdriver.Remote, path: Path) -> Path:
    """Save a PNG of the window at ``path`` (under the test's tmp_path) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(path)) or path.stat().st_size == 0:
        raise RuntimeError(f"no screenshot written to {path}")
    return path


def requested_urls(driver: webdriver.Remote) -> list[str]:
    """Return every URL the browser asked for since the last call (its performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def outside_requests(urls: list[str]) -> list[str]:
    """Return the URLs among ``urls`` that went to a host other than 127.0.0.1."""
    outside = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in _NETWORK_SCHEMES and parts.hostname not in LOCAL_HOSTS:
            outside.append(url)
    return outside
