"""Importers, exporters and printing are file work only: they read and write files from plain
rows and never reach up into the services (permissions, queries, audit), nor into each other,
nor into the archive's tables."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crmdesk"
FORBIDDEN = {
    "importers": ("crmdesk.services", "crmdesk.exporters"),
    "exporters": ("crmdesk.services", "crmdesk.importers"),
    "printing": ("crmdesk.services", "crmdesk.importers", "crmdesk.exporters"),
}
# The archive itself: the database, the query builder, and the tables (crmdesk.models holds
# them; its modules that only describe the card, its kinds and phones may be read).
ARCHIVE = ("peewee", "playhouse", "crmdesk.models.db")


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
    return [f"{path.relative_to(PACKAGE)}: {module}"
            for path in sorted((PACKAGE / package).rglob("*.py"))
            for module in sorted(imported_modules(path.read_text(encoding="utf-8")))
            if crosses(module, package)]


def crosses(module: str, package: str) -> bool:
    """True when ``package`` may not import ``module``."""
    banned = FORBIDDEN[package] + ARCHIVE
    return module == "crmdesk.models" or any(
        module == b or module.startswith(b + ".") for b in banned)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_file_work_imports_neither_services_nor_the_other_side(package):
    assert offences(package) == []


def test_tables_and_the_database_are_out_of_reach_but_the_card_description_is_not():
    source = ("from crmdesk.models import Staff\nfrom crmdesk.models.card import FIELDS\n"
              "from crmdesk.models.db import database\nimport peewee\n")
    assert sorted(m for m in imported_modules(source) if crosses(m, "importers")) == [
        "crmdesk.models", "crmdesk.models.db",
        "crmdesk.models.db.database", "peewee"]


def test_the_check_sees_imports_inside_functions():
    source = "def f():\n    from crmdesk.services import audit\n"
    assert "crmdesk.services" in imported_modules(source)
    assert "crmdesk.services.audit" in imported_modules(source)
