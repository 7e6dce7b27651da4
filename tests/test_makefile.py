"""The Makefile's search for a Python 3.12 or newer, run with a PATH and HOME made for each test."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
FIXED_PLACES = [Path(f"{folder}/python3.{minor}") for folder in ("/usr/bin", "/usr/local/bin") for minor in (12, 13, 14)]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture
def sandbox(tmp_path):
    """Return (project folder, environment) with only make, a shell and an old `python3` on PATH."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(BASE_DIR / "Makefile", project)
    shutil.copy(BASE_DIR / "requirements.txt", project)
    (project / "find.mk").write_text("include Makefile\nfind-python:\n\t@$(FIND_PYTHON)\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("make", "sh"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    old_python = bin_dir / "python3"
    old_python.write_text("#!/bin/sh\n# Stands for a Python 3.11: fails the version check.\nexit 1\n")
    old_python.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    return project, {"PATH": str(bin_dir), "HOME": str(home)}


def make(project, env, *args):
    return subprocess.run(
        ["make", *args], cwd=project, env=env, capture_output=True, text=True, timeout=60,
        executable=shutil.which("make"),
    )


def test_explicit_old_python_is_named(sandbox):
    project, env = sandbox

    result = make(project, env, f"PYTHON={env['PATH']}/python3", "test")

    assert result.returncode != 0
    assert f"PYTHON={env['PATH']}/python3 is not a Python 3.12 or newer" in result.stderr
    assert not (project / ".venv").exists()


@pytest.mark.skipif(any(place.exists() for place in FIXED_PLACES), reason="a Python 3.12+ is in /usr/bin or /usr/local/bin")
def test_no_python_found_message(sandbox):
    project, env = sandbox

    result = make(project, env, "run")

    assert result.returncode != 0
    assert "No Python 3.12 or newer was found" in result.stderr
    assert "make PYTHON=/path/to/python3.13 run" in result.stderr
    assert not (project / ".venv").exists()


def test_explicit_python_is_used(sandbox):
    project, env = sandbox

    result = make(project, env, "-s", "-f", "find.mk", f"PYTHON={sys.executable}", "find-python")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == sys.executable


def test_pyenv_version_is_found(sandbox):
    project, env = sandbox
    pyenv_python = Path(env["HOME"]) / ".pyenv/versions/3.13.9/bin/python3.13"
    pyenv_python.parent.mkdir(parents=True)
    pyenv_python.symlink_to(sys.executable)

    result = make(project, env, "-s", "-f", "find.mk", "find-python")

    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    assert found == str(pyenv_python) or Path(found) in FIXED_PLACES
