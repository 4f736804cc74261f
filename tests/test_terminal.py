"""What a person sees at a real terminal of a given size (a pseudo-terminal, not CliRunner's
pretend width): tables fit, names stay whole, dates are never broken."""

import os
import re
import subprocess

import pytest

from conftest import TODAY, on_a_terminal

NAMES = ["Ana Alpha", "Bruno Beta", "Carla Cruz-Castellanos", "Dmitri Dorn"]


@pytest.fixture(scope="module")
def terminal_env(tmp_path_factory, followup_executable):
    """One book for the module: every command on it only reads."""
    env = {
        **os.environ,
        "FOLLOWUP_DB": str(tmp_path_factory.mktemp("terminal") / "f.db"),
        "FOLLOWUP_TODAY": TODAY,
        "TERM": "xterm",
    }
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    long_email = "procurement.department.head@castellanos-international-trading.example"
    for name, extra in zip(
        NAMES,
        [
            ["--phone", "+49 30 1111111", "--company", "Alpha Bakery", "--tag", "vip"],
            ["--email", "bruno@beta.example"],
            ["--email", long_email, "--company", "Castellanos International Trading"],
            ["--tag", "wholesale,north"],
        ],
        strict=True,
    ):
        subprocess.run([followup_executable, "add", name, *extra], env=env, check=True)
    subprocess.run(
        [
            followup_executable,
            "refer",
            "carla",
            "Eleonora Estevez-Villanueva",
            "--note",
            "her former colleague at the trade fair in Valencia, keen on the wholesale range",
        ],
        env=env,
        check=True,
    )
    subprocess.run(
        [
            followup_executable,
            "log",
            "ana",
            "call",
            "asked about the holiday menu and the new catering options for the spring",
            "--date",
            "2026-10-01",
        ],
        env=env,
        check=True,
    )
    subprocess.run(
        [followup_executable, "log", "bruno", "--date", "2026-09-12", "--next", "2026-11-20"],
        env={**env, "FOLLOWUP_TODAY": "2026-10-01"},
        check=True,
    )
    return env


@pytest.mark.parametrize("columns", [60, 80, 100, 120])
@pytest.mark.parametrize(
    "command",
    [
        ["due"],
        ["list"],
        ["agenda", "--days", "30"],
        ["touchpoints"],
        ["show", "ana"],
        ["referrals"],
        ["pitch"],
        ["search", "a"],
        ["stats"],
    ],
)
def test_tables_fit_and_keep_names_and_dates_whole(
    followup_executable, terminal_env, command, columns
):
    screen = on_a_terminal([followup_executable, *command], terminal_env, columns)
    lines = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen).replace("\r", "").splitlines()
    assert lines, screen
    assert max(len(line) for line in lines) <= columns, screen
    for name in NAMES:
        shown = any(name in line for line in lines)
        split = any(line.rstrip().endswith(name.split()[0]) for line in lines) and not shown
        assert not split, (name, screen)
    if command[0] in ("due", "list"):
        assert all(any(name in line for line in lines) for name in NAMES[:2]), screen
    assert not any(
        line.rstrip().endswith(("2026-1", "2026-", "2026-11-", "2026-10-")) for line in lines
    )


def test_show_gives_the_last_10_touchpoints_and_says_how_many_more(cli):
    cli.ok("add", "Ana Alpha")
    for day in range(1, 15):
        cli.ok("log", "ana", "call", f"call {day}", "--date", f"2026-11-{day:02d}")
    shown = cli.ok("show", "ana")
    assert "call 14" in shown and "call 5" in shown and "call 4" not in shown
    assert "4 more: followup touchpoints 1" in shown
    everything = cli.ok("show", "ana", "--all")
    assert "call 1\t" in everything and "more:" not in everything
    assert len(__import__("json").loads(cli.ok("show", "ana", "-f", "json"))["touchpoints"]) == 14


def test_counts_are_said_in_proper_english(cli):
    cli.ok("add", "Ana Alpha", "--cadence", "1")
    cli.ok("log", "ana", "--date", "2 days ago")
    cli.ok("log", "ana", "--date", "3 days ago")
    due = __import__("json").loads(cli.ok("due", "--format", "json"))
    assert due[0]["reason"] == "2 days since last call (own cadence 1 day)"


def test_long_output_goes_through_the_pager_the_git_way(followup_executable, tmp_path):
    env = {
        **os.environ,
        "FOLLOWUP_DB": str(tmp_path / "f.db"),
        "FOLLOWUP_TODAY": TODAY,
        "TERM": "xterm",
    }
    for number in range(30):
        subprocess.run([followup_executable, "add", f"Person {number:02d}"], env=env, check=True)
    paged = tmp_path / "paged.txt"
    env["FOLLOWUP_PAGER"] = f"sh -c 'cat > {paged}'"
    on_a_terminal([followup_executable, "list"], env, 80, rows=10)
    assert "Person 29" in paged.read_text()
    paged.unlink()
    screen = on_a_terminal([followup_executable, "--no-pager", "list"], env, 80, rows=10)
    assert "Person 29" in screen and not paged.exists()
    on_a_terminal([followup_executable, "list", "--limit", "3"], env, 80, rows=10)
    assert not paged.exists()  # it fits the screen
    piped = subprocess.run([followup_executable, "list"], env=env, capture_output=True, text=True)
    assert "Person 29" in piped.stdout and not paged.exists()


def test_an_import_report_fits_a_narrow_terminal(followup_executable, tmp_path):
    """The summary of a big import ran past 80 columns ("dry run, nothing written: 100000
    created, ..."); at a terminal every report line wraps, in a pipe it stays whole."""
    env = {**os.environ, "FOLLOWUP_DB": str(tmp_path / "f.db"), "FOLLOWUP_TODAY": TODAY}
    env.pop("COLUMNS", None)  # the terminal's own size, not the test runner's
    path = tmp_path / "people.csv"
    path.write_text("name,email,favourite_colour\nAna Alpha,ana@x.example,teal\nBo,not-an-email,\n")
    command = [followup_executable, "import", "customers", str(path), "--dry-run"]
    screen = on_a_terminal(command, env, columns=40, input_too=False)
    lines = screen.replace("\r", "").splitlines()
    assert "dry run, nothing written: 2 created, 0\n  updated," in "\n".join(lines)
    assert max(len(line) for line in lines) <= 40, screen
    piped = subprocess.run(command, env=env, capture_output=True, text=True).stdout
    assert (
        "dry run, nothing written: 2 created, 0 updated, 0 unchanged, 0 skipped, 0 rejected\n"
        in piped
    )
