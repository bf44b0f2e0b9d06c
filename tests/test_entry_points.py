"""Commands get a console program; the desktop shortcut a windowed one (Windows hides a
windowed program's output and cannot prompt for a password in it)."""
from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

PROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(
    encoding="utf-8"))["project"]


def _target(spec: str) -> object:
    module, function = spec.split(":")
    return getattr(importlib.import_module(module), function)


def test_crmdesk_is_a_console_program_for_commands():
    assert "crmdesk" in PROJECT["scripts"]
    assert "crmdesk" not in PROJECT.get("gui-scripts", {})
    assert callable(_target(PROJECT["scripts"]["crmdesk"]))


def test_crmdeskw_starts_the_same_program_without_a_console():
    assert PROJECT["gui-scripts"]["crmdeskw"] == PROJECT["scripts"]["crmdesk"]
