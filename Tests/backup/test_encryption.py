"""Encryption at rest (BACKUP_PASSWORD): rclone's crypt backend wrapping the remote, with a real
rclone and a local directory remote."""

import os
import subprocess
import sys
import tarfile

import bkphelp

sys.path.insert(0, bkphelp.SCRIPTS)
from opsbackup import config  # noqa: E402

PASSWORD = "correct horse battery staple 7"


def crypt(password):
    return {"BACKUP_PASSWORD": password}


def backup(env, extra=None):
    code, rec = env.json("backup", extra=extra)
    assert code == 0, rec
    return rec


def marker(env):
    """A member whose content is unique enough to search for in the stored bytes."""
    text = "marker-%s-session-body" % os.urandom(8).hex()
    with open(os.path.join(env.data, "storage", "marker.json"), "w") as f:
        f.write(text)
    return text


def state_text(env):
    out = b""
    for dirpath, _, names in os.walk(env.state):
        for n in names:
            with open(os.path.join(dirpath, n), "rb") as f:
                out += f.read()
    return out


def test_encrypted_roundtrip_stores_no_plaintext(env):
    env.populate(rows=50)
    secret = marker(env)
    rec = backup(env, crypt(PASSWORD))
    bid = rec["id"]
    assert rec["encrypted"] is True
    assert not any("not encrypted" in w for w in rec.get("warnings", [])), rec.get("warnings")
    assert env.remote_files() == ["opencode-%s.manifest.json.bin" % bid, "opencode-%s.tar.bin" % bid]
    for name in env.remote_files():
        with open(os.path.join(env.remote, name), "rb") as f:
            stored = f.read()
        assert secret.encode() not in stored
        assert b"opencode/data" not in stored and b'"files"' not in stored
    # The password is in no record, log or listing, and was on no command line we logged.
    obscured = subprocess.run(["rclone", "obscure", "-"], input=(PASSWORD + "\n").encode(),
                              capture_output=True).stdout.strip()
    text = state_text(env)
    assert PASSWORD.encode() not in text and obscured not in text
    assert b"run: rclone" in text   # the logged command lines were looked at
    code, listing = env.json("list-backups", extra=crypt(PASSWORD))
    assert code == 0, listing
    assert listing["encrypted"] is True and "warnings" not in listing
    assert [(b["id"], b["state"], b["encrypted"]) for b in listing["backups"]] == [(bid, "verified", True)]
    # Restore puts the changed data back.
    with open(os.path.join(env.data, "storage", "marker.json"), "w") as f:
        f.write("changed after the backup")
    code, rrec = env.json("restore", bid, "--only", "data", extra=crypt(PASSWORD))
    assert code == 0, rrec
    assert rrec["encrypted"] is True
    with open(os.path.join(env.data, "storage", "marker.json")) as f:
        assert f.read() == secret


def test_plain_rclone_with_the_password_restores(env, tmp_path):
    """The commands scripts/BACKUPS.md gives for a restore without this project."""
    bkphelp.require("jq", "tar", "sha256sum")
    env.populate(rows=10)
    secret = marker(env)
    bid = backup(env, crypt(PASSWORD))["id"]
    out = tmp_path / "by-hand"
    out.mkdir()
    script = (
        'export RCLONE_CONFIG_OPSCRYPT_TYPE=crypt RCLONE_CONFIG_OPSCRYPT_REMOTE="$REMOTE" '
        'RCLONE_CONFIG_OPSCRYPT_FILENAME_ENCRYPTION=off RCLONE_CONFIG_OPSCRYPT_DIRECTORY_NAME_ENCRYPTION=false\n'
        'export RCLONE_CONFIG_OPSCRYPT_PASSWORD="$(printf \'%s\\n\' "$BACKUP_PASSWORD" | rclone obscure -)"\n'
        'rclone lsf opscrypt:\n'
        'rclone cat "opscrypt:opencode-$ID.tar" | tar -x -C "$OUT"\n'
        'cd "$OUT" && jq -r \'.files[] | select(.type == "file") | "\\(.sha256)  \\(.path)"\' manifest.json '
        '| sha256sum -c --quiet\n')
    env_ = {k: v for k, v in env.env.items() if not k.startswith("BACKUP_")}
    env_.update(REMOTE=env.remote, BACKUP_PASSWORD=PASSWORD, ID=bid, OUT=str(out))
    p = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=env_, capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    assert "opencode-%s.tar" % bid in p.stdout.decode()
    with open(out / "opencode" / "data" / "storage" / "marker.json") as f:
        assert f.read() == secret
    assert (out / "manifest.json").exists()


def test_wrong_password_fails_clearly_and_changes_nothing(env):
    env.populate(rows=10)
    marker(env)
    bid = backup(env, crypt(PASSWORD))["id"]
    with open(os.path.join(env.data, "storage", "marker.json"), "w") as f:
        f.write("live data written after the backup")
    before = {p: bkphelp.sha256(os.path.join(env.data, p)) for p in ("storage/marker.json", "auth.json")}
    code, rrec = env.json("restore", bid, extra=crypt("not the password"))
    assert code == 10, rrec
    assert "BACKUP_PASSWORD" in rrec["error"] and "wrong password" in rrec["error"], rrec["error"]
    assert {p: bkphelp.sha256(os.path.join(env.data, p)) for p in before} == before
    code, listing = env.json("list-backups", extra=crypt("not the password"))
    assert code == 0, listing
    [b] = listing["backups"]
    assert b["state"] == "corrupt" and "BACKUP_PASSWORD" in b["problem"]
    # The backup itself is untouched: the right password still restores it.
    code, rrec = env.json("restore", bid, "--only", "data", extra=crypt(PASSWORD))
    assert code == 0, rrec


def test_unencrypted_backup_warns_and_still_restores_once_a_password_is_set(env):
    env.populate(rows=10)
    secret = marker(env)
    rec = backup(env)
    plain = rec["id"]
    assert rec["encrypted"] is False
    assert any(w.startswith("not encrypted") for w in rec["warnings"]), rec["warnings"]
    code, listing = env.json("list-backups")
    assert listing["encrypted"] is False and listing["warnings"][0].startswith("not encrypted")
    assert "warning: not encrypted" in env.run("list-backups").stdout.decode()
    # With a password: new backups are encrypted, the old plain one stays listed and restorable.
    enc = backup(env, crypt(PASSWORD))["id"]
    code, listing = env.json("list-backups", extra=crypt(PASSWORD))
    assert code == 0, listing
    assert {b["id"]: (b["state"], b["encrypted"]) for b in listing["backups"]} == {
        plain: ("verified", False), enc: ("verified", True)}
    with open(os.path.join(env.data, "storage", "marker.json"), "w") as f:
        f.write("changed")
    code, rrec = env.json("restore", plain, "--only", "data", extra=crypt(PASSWORD))
    assert code == 0, rrec
    assert rrec["encrypted"] is False
    with open(os.path.join(env.data, "storage", "marker.json")) as f:
        assert f.read() == secret


def test_retention_prunes_plain_and_encrypted_backups_alike(env):
    env.populate(rows=5)
    old = backup(env)["id"]
    keep = {"BACKUP_KEEP_LAST": "1"}
    backup(env, dict(crypt(PASSWORD)))["id"]
    new = backup(env, dict(crypt(PASSWORD), **keep))["id"]
    assert env.remote_files() == ["opencode-%s.manifest.json.bin" % new, "opencode-%s.tar.bin" % new], old


def test_archive_member_is_a_tar_after_decryption(env, tmp_path):
    """The stored bytes are crypt's format, the decrypted bytes the same tar as unencrypted."""
    env.populate(rows=5)
    bid = backup(env, crypt(PASSWORD))["id"]
    with open(os.path.join(env.remote, "opencode-%s.tar.bin" % bid), "rb") as f:
        assert f.read(8) == b"RCLONE\x00\x00"
    e = dict(env.env, BACKUP_PASSWORD=PASSWORD)
    cfg = config.Config(e)
    dest = tmp_path / "a.tar"
    subprocess.run(["rclone", "copyto", "opscrypt:opencode-%s.tar" % bid, str(dest)], env=cfg.rclone_env(), check=True)
    with tarfile.open(dest) as t:
        assert t.getnames()[-1] == "manifest.json"
