import os
import subprocess

import pytest

import bkphelp


@pytest.fixture
def env(tmp_path):
    bkphelp.require("redis-server", "redis-cli", "rclone")
    e = bkphelp.Env(str(tmp_path))
    yield e
    e.close()
    # Mounts a test made (tmpfs remote or staging) must not outlive it.
    for d in (e.remote, os.path.join(e.root, "staging")):
        if os.path.ismount(d):
            subprocess.run(["umount", "-l", d], check=False)
