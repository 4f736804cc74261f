"""Whatever the operating system says about a path the user names, and bytes the terminal's
encoding cannot read, is one line on stderr and exit 1: never a traceback."""

import os
import subprocess
from pathlib import Path

import pytest

TOO_LONG = "x" * 300  # over NAME_MAX (255) on every common file system


@pytest.fixture
def book(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@alpha.example")


@pytest.mark.parametrize(
    "args",
    [
        ["--db", "{too_long}", "list"],
        ["--db", "{too_long}", "add", "Bo"],
        ["import", "customers", "{too_long}.csv"],
        ["import", "customers", "{folder}/{too_long}.vcf"],
        ["import", "touchpoints", "{loop}"],
        ["import", "mail", "{too_long}"],
        ["import", "calendar", "{loop}"],
        ["export", "customers", "-o", "{too_long}"],
        ["backup", "{too_long}"],
        ["restore", "{too_long}", "--yes"],
    ],
)
def test_a_path_the_system_refuses_is_one_line_naming_it(cli, book, tmp_path, args):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "folder").mkdir()
    names = {"too_long": str(tmp_path / TOO_LONG), "loop": str(tmp_path / "loop")}
    names["folder"] = str(tmp_path / "folder")
    result = cli.fails(*[arg.format(**names) for arg in args])
    assert TOO_LONG in result.stderr or "loop" in result.stderr


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("kind", ["customers", "touchpoints", "calendar"])
def test_a_read_error_is_the_files_not_the_outputs(cli, book, kind):
    # /proc/self/mem opens as a regular file and fails every read with EIO, as a bad disk does.
    result = cli.fails("import", kind, "/proc/self/mem")
    assert result.stderr == "followup: cannot read /proc/self/mem: Input/output error\n"


def test_bytes_the_terminal_cannot_read_are_refused_naming_the_argument(
    followup_executable, tmp_path
):
    env = {**os.environ, "FOLLOWUP_DB": str(tmp_path / "book.db"), "LC_ALL": "C.UTF-8"}
    for argv in ([b"add", b"M\xfcller"], [b"--db", b"b\xff.db", b"list"]):
        result = subprocess.run([followup_executable, *argv], env=env, capture_output=True)
        assert result.returncode == 1
        assert result.stderr.startswith(b"followup: the argument '")
        assert b"Traceback" not in result.stderr
    assert not (tmp_path / "book.db").exists()
