"""The operations area's words: why a backup or a restore is refused."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext


def not_a_backup(name: str) -> str:
    return _("%(name)s is not a Crunch Time backup (no readable archive with a backup "
             "manifest): nothing was restored.", name=name)


def damaged_backup(name: str, reason: str) -> str:
    return _("%(name)s is damaged (%(reason)s): nothing was restored.", name=name,
             reason=reason)


def checksum_mismatch(path: str) -> str:
    return _("%(file)s does not match its checksum", file=path)


def unreadable_manifest() -> str:
    return _("unreadable manifest")


def unexpected_files(names: list[str]) -> str:
    return _("unexpected or missing files: %(names)s", names=", ".join(names[:5]))


def other_format(found: object, expected: int) -> str:
    return _("This backup has format version %(found)s; this version of Crunch Time reads "
             "version %(expected)s only: nothing was restored.", found=found, expected=expected)


def other_revision(found: str, expected: str) -> str:
    return _("This backup holds a database at revision %(found)s; this version of Crunch Time "
             "expects revision %(expected)s. Restore it with the version that took it, then "
             "upgrade: nothing was restored.", found=found or "—", expected=expected or "—")


def other_database(found: str, expected: str) -> str:
    return _("This backup holds a %(found)s database but DATABASE_URL names a %(expected)s "
             "one: nothing was restored.", found=found, expected=expected)


def target_not_empty(rows: int, files: int) -> str:
    return _("The target is not empty: the database holds %(rows)s and the upload folder "
             "%(files)s. Restore only onto an empty database and upload folder, or add "
             "--force to replace their content. Nothing was restored.",
             rows=ngettext("%(num)d row", "%(num)d rows", rows),
             files=ngettext("%(num)d file", "%(num)d files", files))


def unsupported_database(url: str) -> str:
    return _("Backups work on a SQLite file or a PostgreSQL database, not on %(url)s.", url=url)


def tool_failed(tool: str, detail: str) -> str:
    return _("%(tool)s failed: %(detail)s", tool=tool, detail=detail)


def tool_missing(error: OSError) -> str:
    return _("%(error)s; install PostgreSQL's client programs (Debian: postgresql-client, the "
             "server's major version)", error=error.strerror or str(error))


def verification_failed(problems: list[str]) -> str:
    return ngettext("The restore could not be verified (%(num)d problem): %(problems)s.",
                    "The restore could not be verified (%(num)d problems): %(problems)s.",
                    len(problems), problems="; ".join(problems[:10]))
