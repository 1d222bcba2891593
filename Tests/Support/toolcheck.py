"""What the pytest suites share about missing tools: under OPS_REQUIRE_TOOLS=1 (CI) a missing
tool fails its tests, elsewhere it skips them, so a missing tool is never a silent pass."""
import os
import shutil

import pytest


def require(tool):
    """Fails when OPS_REQUIRE_TOOLS=1 and the tool is missing; skips otherwise."""
    if shutil.which(tool):
        return
    if os.environ.get("OPS_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{tool} is required (OPS_REQUIRE_TOOLS=1) but not installed")
    pytest.skip(f"{tool} not installed")
