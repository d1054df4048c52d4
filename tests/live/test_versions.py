"""The packages whose private internals the live fan-out uses (crunchtime/realtime/frames.py,
fanout.py) are the versions constraints.txt names, exactly: an upgrade that nobody reviewed
against the shared frames fails here before it reaches a server."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==([^\s#;]+)\s*(?:#.*)?$")
INTERNALS = {"flask-socketio", "python-socketio", "python-engineio", "simple-websocket",
             "wsproto", "h11", "gevent", "greenlet"}


def constraints() -> dict[str, str]:
    pins = {}
    for number, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PINNED.match(line)
        assert match, f"constraints.txt:{number}: not an exact pin (name==version): {line!r}"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_package_the_fan_out_reaches_into_is_pinned_exactly():
    assert set(constraints()) >= INTERNALS


def test_the_installed_versions_are_the_pinned_ones():
    wrong = {name: (metadata.version(name), pinned) for name, pinned in constraints().items()
             if metadata.version(name) != pinned}
    assert not wrong, ("installed != constraints.txt (review crunchtime/realtime/frames.py "
                       f"against the new version, then change the pin): {wrong}")


def test_the_setup_installs_with_the_constraints_and_reinstalls_when_they_change():
    venv = (ROOT / "scripts/lib/venv.sh").read_text()
    assert re.search(r"pip\" install [^\n]*--constraint constraints\.txt", venv)
    assert re.search(r"digest=\$\(cat [^)]*constraints\.txt[^)]*sha256sum", venv)
