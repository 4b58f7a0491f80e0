"""How every browser test starts Debian's chromium (never `playwright install`: it downloads a browser)."""

CHROMIUM = "/usr/bin/chromium"
# Headless as root in a sandbox-less container, with no background traffic to hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
