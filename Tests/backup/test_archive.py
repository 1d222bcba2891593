"""The archive's tar headers: the ones built directly are the bytes tarfile writes."""

import sys
import tarfile

import bkphelp

sys.path.insert(0, bkphelp.SCRIPTS)
from opsbackup import archive  # noqa: E402


def tarfiles_own(ti):
    return ti.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def test_headers_built_directly_are_tarfiles_bytes():
    cases = []
    for name in ("a", "opencode/data/storage/msg00001.json", "x" * 99, "z" * 100, "redis/falkordb.rdb", "manifest.json"):
        for mode, mtime, size in ((0o100644, 1764370000.7, 5015), (0o100600, 0, 0), (0o104755, 2 ** 33 - 1, 8 ** 11 - 1)):
            ti = archive._header(name, mode, mtime)
            ti.size = size
            cases.append(ti)
    link = archive._header("opencode/config/link", 0o777, 1764370000)
    link.type, link.linkname = tarfile.SYMTYPE, "../target/file.json"
    cases.append(link)
    for ti in cases:
        assert archive._tobuf(ti) == tarfiles_own(ti), (ti.name, ti.mode, ti.mtime, ti.size)


def test_what_a_plain_ustar_block_cannot_hold_goes_through_tarfile():
    """Long or non-ASCII names and huge sizes need PAX records: tarfile writes those."""
    for name, size in (("y" * 101, 1), ("opencode/data/é.json", 1), ("big", 8 ** 11)):
        ti = archive._header(name, 0o644, 1764370000)
        ti.size = size
        buf = archive._tobuf(ti)
        assert buf == tarfiles_own(ti) and len(buf) > tarfile.BLOCKSIZE, name
