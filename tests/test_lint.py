"""The code keeps the house rules: ruff clean, and Qt imported only by crmdesk/ui."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed")
    return [found]


def test_ruff_finds_nothing():
    result = subprocess.run([*_ruff(), "check", "--no-cache", str(ROOT)], capture_output=True,
                            text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout


def test_core_packages_may_not_import_qt(tmp_path):
    offender = tmp_path / "crmdesk" / "services" / "leak.py"
    offender.parent.mkdir(parents=True)
    offender.write_text("from PySide6.QtCore import QObject\n\nprint(QObject)\n")
    result = subprocess.run([*_ruff(), "check", "--no-cache", "--config",
                             str(ROOT / "pyproject.toml"), str(offender)],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    assert "TID251" in result.stdout
