"""The Debian package on a machine without Swift: `apt-get install ./opencode-ops_*.deb` into a
bare Debian container (debootstrap minbase, no Swift, no ncurses), then the installed program
runs there: --version, info (finding the bundled themes), kube --out, completions, man page."""
import json
import os
import sys
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
from toolcheck import require  # noqa: E402
BASE_IMAGE = "localhost/opencode-ops-test/debian:bookworm"
LABEL = "opencode-ops-test=deb"


def podman(*args, check=True, timeout=120):
    env = dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", str(ROOT / "Tests/Support/containers.conf")))
    result = subprocess.run(["podman", *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} exited {result.returncode}: {result.stdout}{result.stderr}")
    return result


def remove_leftovers():
    for container in podman("ps", "-aq", "--filter", f"label={LABEL}", check=False).stdout.split():
        podman("rm", "-f", "-t", "0", container, check=False)


@pytest.fixture(scope="module")
def package():
    path = os.environ.get("OPENCODE_OPS_DEB")
    if not path or not Path(path).is_file():
        pytest.fail("OPENCODE_OPS_DEB names no package: run Tests/deb/run.sh (it runs `make deb`)")
    return Path(path)


@pytest.fixture(scope="module")
def machine(package):
    """A bare Debian container with the package installed by apt; yields a function running a
    shell command in it as an unprivileged user with a home of its own."""
    require("podman")
    if podman("image", "exists", BASE_IMAGE, check=False).returncode != 0:
        pytest.fail(f"{BASE_IMAGE} is missing: run Tests/deb/setup.sh")
    remove_leftovers()
    name = f"debtest-{uuid.uuid4().hex[:8]}"
    podman("run", "-d", "--init", "--name", name, "--label", LABEL,
           "-v", f"{package.parent}:/pkg:ro", BASE_IMAGE, "sleep", "infinity")
    try:
        def sh(script, check=True, user="opsuser", timeout=120):
            return podman("exec", "--user", user, "--workdir", "/tmp", name, "sh", "-c", script,
                          check=check, timeout=timeout)
        before = sh("command -v swift; ls /usr/lib/x86_64-linux-gnu/libncursesw.so.6 /usr/lib/*/libncursesw.so.6",
                    check=False, user="root")
        assert "swift" not in before.stdout, "the base image must not hold Swift"
        assert "libncursesw.so.6" not in before.stdout, "the base image must lack ncurses, so Depends is what brings it"
        install = sh(f"apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q /pkg/{package.name}",
                     check=False, user="root", timeout=600)
        assert install.returncode == 0, f"apt-get install failed:\n{install.stdout}\n{install.stderr}"
        sh("useradd --create-home opsuser", user="root")
        yield sh
    finally:
        podman("rm", "-f", "-t", "0", name, check=False)


def test_version_is_the_package_version(machine, package):
    version = machine("opencode-ops --version").stdout.strip()
    assert version
    assert package.name == f"opencode-ops_{version}_{package.name.rsplit('_', 1)[1]}"
    assert machine("dpkg-query -W -f='${Version}' opencode-ops").stdout == version


def test_dependencies_are_declared_and_installed(machine):
    fields = machine("dpkg-query -W -f='${Depends}\\n${Recommends}' opencode-ops").stdout.splitlines()
    depends, recommends = fields[0], fields[1]
    for library in ("libncursesw6", "libcurl4", "libstdc++6"):
        assert library in depends
    assert "podman" in recommends
    missing = machine("ldd /usr/bin/opencode-ops | grep 'not found' || true").stdout
    assert missing == ""


def test_info_finds_the_bundled_themes(machine):
    text = machine("opencode-ops info").stdout
    assert "/usr/share/opencode-ops/themes" in text
    report = json.loads(machine("opencode-ops info --json").stdout)
    assert report["bundledThemesDirectory"] == "/usr/share/opencode-ops/themes"
    shipped = {p.stem for p in (ROOT / "themes").glob("*.yaml")}
    assert shipped <= set(report["availableThemes"])
    assert report["themeInUse"] == report["theme"]


def test_kube_writes_manifests(machine):
    result = machine("opencode-ops kube --out /tmp/kube-out && ls /tmp/kube-out")
    assert "stack.yaml" in result.stdout.split()
    assert "secret.yaml.template" in result.stdout.split()
    stack = machine("cat /tmp/kube-out/stack.yaml").stdout
    assert "kind: Deployment" in stack


def test_completions_and_man_page_are_installed(machine):
    bash = machine("cat /usr/share/bash-completion/completions/opencode-ops").stdout
    assert "opencode-ops" in bash and "kube" in bash
    assert "compdef" in machine("cat /usr/share/zsh/vendor-completions/_opencode-ops").stdout
    assert "complete -c 'opencode-ops'" in machine("cat /usr/share/fish/vendor_completions.d/opencode-ops.fish").stdout
    man = machine("zcat /usr/share/man/man1/opencode-ops.1.gz").stdout
    assert man.startswith(".TH OPENCODE-OPS 1")
    assert "@VERSION@" not in man


def test_files_are_owned_by_root_and_not_writable_by_others(machine):
    listing = machine("dpkg -L opencode-ops | xargs stat -c '%U %a %n'").stdout.splitlines()
    assert listing
    for line in listing:
        owner, mode, path = line.split(" ", 2)
        assert owner == "root", line
        assert int(mode, 8) & 0o022 == 0, line
