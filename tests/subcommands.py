"""Every runnable subcommand of the command line, walked from its parser."""
from __future__ import annotations

import argparse
from collections.abc import Iterator

from crmdesk.cli import _parser

Leaf = tuple[tuple[str, ...], argparse.ArgumentParser]


def leaves(parser: argparse.ArgumentParser | None = None,
           path: tuple[str, ...] = ()) -> Iterator[Leaf]:
    """Every runnable subcommand: its words and its parser (the whole command line's when
    ``parser`` is None)."""
    parser = parser or _parser()
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield path, parser
        return
    for name, sub in groups[0].choices.items():
        yield from leaves(sub, (*path, name))
