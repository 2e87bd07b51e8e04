"""The wheel carries the templates and static files, so `pip install .` serves pages."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_templates_static_and_migrations(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("candor_feedback-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.html")}
    for template in templates:
        assert f"feedback/{template}" in names
    assert "feedback/static/staff.css" in names
    assert any(n.startswith("feedback/migrations/versions/0001") for n in names)
    assert "feedback/migrations/alembic.ini" in names
    assert any(n.endswith("entry_points.txt") for n in names)
