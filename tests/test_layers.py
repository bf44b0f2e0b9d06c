"""Importers and exporters are file work only: they read and write files from plain rows and
never reach up into the services (permissions, queries, audit), nor into each other."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crmdesk"
FORBIDDEN = {
    "importers": ("crmdesk.services", "crmdesk.exporters"),
    "exporters": ("crmdesk.services", "crmdesk.importers"),
}


def imported_modules(source: str) -> set[str]:
    """Every module ``source`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def offences(package: str) -> list[str]:
    """``file: module`` for each import of ``package`` that crosses its wall."""
    banned = FORBIDDEN[package]
    return [f"{path.relative_to(PACKAGE)}: {module}"
            for path in sorted((PACKAGE / package).rglob("*.py"))
            for module in sorted(imported_modules(path.read_text(encoding="utf-8")))
            if any(module == b or module.startswith(b + ".") for b in banned)]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_file_work_imports_neither_services_nor_the_other_side(package):
    assert offences(package) == []


def test_the_check_sees_imports_inside_functions():
    source = "def f():\n    from crmdesk.services import audit\n"
    assert "crmdesk.services" in imported_modules(source)
    assert "crmdesk.services.audit" in imported_modules(source)
