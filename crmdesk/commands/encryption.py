"""``crmdesk encrypt``, ``crmdesk recovery-key`` and ``crmdesk recover USER``: the encrypted
archive from the command line.

The archive is unlocked before it is opened (see ``commands.unlock_archive``): with --user's
password, or with the recovery key in CRMDESK_RECOVERY_KEY. ``recover`` is for the day every
password is lost: opened with the recovery key, it gives an administrator a new password.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from crmdesk.commands.arguments import shown
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``encrypt``, ``recovery-key`` and ``recover`` to the command line."""
    encrypt = commands.add_parser(
        "encrypt", help=_("encrypt a plain archive (administrators; a plain backup is kept)"))
    encrypt.set_defaults(handler=run_encrypt)
    recovery = commands.add_parser(
        "recovery-key", help=_("issue a new recovery key for the encrypted archive "
                               "(administrators)"))
    recovery.set_defaults(handler=run_recovery_key)
    recover = commands.add_parser(
        "recover", help=_("with the recovery key in CRMDESK_RECOVERY_KEY, give an administrator "
                          "a new password (from CRMDESK_NEW_PASSWORD or the prompt)"))
    recover.add_argument("username", metavar="USER", help=_("the administrator's user name"))
    # Nobody logs in: the recovery key stands for the lost passwords.
    recover.set_defaults(handler=run_recover, actor=None)


def new_password(name: str) -> str:
    """A new password for ``name``: CRMDESK_NEW_PASSWORD, else typed twice at a terminal.

    Raises:
        UsageError: no password and no terminal, or the two typed differ.
    """
    from crmdesk.cli import UsageError

    password = os.environ.get("CRMDESK_NEW_PASSWORD")
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise UsageError(_("no new password: set CRMDESK_NEW_PASSWORD or run at a terminal"))
    password = getpass.getpass(_("New password for {name}: ").format(name=shown(name)))
    if getpass.getpass(_("The same password again: ")) != password:
        raise UsageError(_("the two passwords differ"))
    return password


def print_recovery_key(recovery_key: str) -> None:
    """Show a newly issued recovery key with what to do with it."""
    print(_("Recovery key (print it or write it down, keep it locked away; it opens the "
            "archive when every password is lost):"))
    print(f"    {recovery_key}")


def run_encrypt(args: argparse.Namespace) -> int:
    """Convert the plain archive; say where the plain copy is and who gets a key later."""
    from crmdesk.commands import actor_from, password_for, user_name
    from crmdesk.services.accounts import accounts_exist
    from crmdesk.services.encryption import encrypt_archive

    actor = actor_from(args)
    password = None
    if accounts_exist():
        password = getattr(args, "typed_password", None) or password_for(user_name(args))
    result = encrypt_archive(actor, password)
    print(_("The archive is encrypted. The plain copy made before is kept in {path}: keep it "
            "locked away or delete it once you are sure.").format(path=result.kept))
    if result.recovery_key:
        print_recovery_key(result.recovery_key)
    if result.waiting:
        print(_("These accounts get their key at their next login at a desk where the archive "
                "is open, or when you set their password: {names}").format(
                    names=", ".join(result.waiting)))
    return 0


def run_recovery_key(args: argparse.Namespace) -> int:
    """Issue a new recovery key (the old one keeps opening older backups)."""
    from crmdesk.commands import actor_from
    from crmdesk.services.encryption import issue_recovery_key

    print_recovery_key(issue_recovery_key(actor_from(args)))
    print(_("Backups made before still open with the old recovery key."))
    return 0


def run_recover(args: argparse.Namespace) -> int:
    """Give the administrator USER a new password; only with the archive opened by the
    recovery key."""
    from crmdesk.cli import UsageError
    from crmdesk.services.recovery_login import reset_admin_password

    if not os.environ.get("CRMDESK_RECOVERY_KEY"):  # nobody logs in: the key stands in
        raise UsageError(_("recover needs the recovery key in CRMDESK_RECOVERY_KEY"))
    reset_admin_password(os.environ["CRMDESK_RECOVERY_KEY"], args.username,
                         new_password(args.username))
    print(_("{name} has a new password; log in with it.").format(name=shown(args.username)))
    return 0
