"""setup.py makes every addon pip-installable under odoo.addons."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_holds_every_addon(tmp_path):
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
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    addons = [p.parent.name for p in ROOT.glob("*/__manifest__.py")]
    assert addons
    for addon in addons:
        for required in (
            "__manifest__.py",
            "__init__.py",
            "security/ir.model.access.csv",
            "static/description/icon.png",
        ):
            path = "odoo/addons/%s/%s" % (addon, required)
            if (ROOT / addon / required).exists():
                assert path in names, path
        assert "odoo/addons/%s/models/__init__.py" % addon in names


def test_constraints_pin_everything_platform_verified():
    pins = {
        line.split("==")[0].lower()
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for package in ("werkzeug", "jinja2", "lxml", "pyyaml", "psycopg2", "reportlab"):
        assert package in pins, package
