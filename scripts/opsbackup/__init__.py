"""Backups of an OpenCode server container: snapshot, pack, upload with rclone, verify,
apply retention, list and restore. Standard library only, so the scripts run on any Python 3.9+
(the image's venv or a plain Debian python3)."""

VERSION = "1"
