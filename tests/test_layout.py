"""The shape of the source: modules small enough to read at once.

The layering itself (typer only in cli/, rich only in output/, SQL only in store/, no lower
package importing a higher one) is import-linter's contracts in pyproject.toml, which
`make lint` checks before the tests run.
"""

from pathlib import Path

import pytest

SOURCE = Path(__file__).parent.parent / "src" / "followup_cli"
MAX_LINES = 400


def test_no_source_module_is_over_400_lines():
    sizes = {
        str(path.relative_to(SOURCE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in SOURCE.rglob("*.py")
    }
    assert sizes, "no source found"
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}


def test_the_lazy_command_table_names_every_command_and_its_module():
    """cli/app.py loads a command's module when the command runs; the table must list each
    command under the module that defines it, or the command would be missing."""
    import importlib
    import pkgutil

    import followup_cli.cli
    from followup_cli.cli.app import COMMAND_MODULES, app

    for module in pkgutil.iter_modules(followup_cli.cli.__path__):
        importlib.import_module(f"followup_cli.cli.{module.name}")
    defined = {
        (info.name or info.callback.__name__): info.callback.__module__.rpartition(".")[2]
        for info in app.registered_commands
    }
    groups = {  # a group of commands (team) is registered by the module that holds them
        group.typer_instance.info.name: group.typer_instance.registered_commands[
            0
        ].callback.__module__.rpartition(".")[2]
        for group in app.registered_groups
    }
    assert defined | groups == COMMAND_MODULES


TYPER_FREE = ["boundary", "daily", "listing", "quick", "quick_table", "state"]


def _modules_loaded(tmp_path, words: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules with those prefixes that `followup WORDS` imported, run in a fresh
    interpreter on a book in tmp_path."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from followup_cli.main import main\n"
        "prefixes = tuple(sys.argv[1].split(','))\n"
        "sys.argv = ['followup', '--db', *sys.argv[2:]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(*sorted(m for m in sys.modules if m.startswith(prefixes)), file=sys.stderr)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe, ",".join(prefixes), str(tmp_path / "book.db"), *words],
        capture_output=True,
        text=True,
    )
    return ran.stderr.strip().splitlines()[-1].split()


@pytest.mark.parametrize(
    ("words", "modules"),
    [
        (["due"], TYPER_FREE),  # the quick path: no Typer at all
        (["remind"], TYPER_FREE),
        (["due", "--limit", "+5"], sorted(["activity", "app", *TYPER_FREE])),  # Typer's
        (["stats"], sorted(["app", "insights", *TYPER_FREE])),
    ],
)
def test_a_command_imports_only_its_own_module(tmp_path, words, modules):
    """`followup due` must not pay for the imports of `import`, `stats` or `work`, nor
    for Typer when the quick path takes its line."""
    loaded = _modules_loaded(tmp_path, words, ("followup_cli.cli.", "typer"))
    cli_modules = [m.removeprefix("followup_cli.cli.") for m in loaded if m.startswith("followup_")]
    assert cli_modules == modules
    assert any(m.startswith("typer") for m in loaded) == ("app" in modules)


def test_an_import_loads_the_reader_of_its_kind_only(tmp_path):
    """A CSV import does not pay for the mail and calendar readers (nor they for each other)."""
    (tmp_path / "c.csv").write_text("name,email\nAna,ana@x.example\n")
    words = ["import", "customers", str(tmp_path / "c.csv")]
    readers = _modules_loaded(tmp_path, words, ("followup_cli.imports.read_",))
    assert readers == ["followup_cli.imports.read_csv", "followup_cli.imports.read_vcard"]


def test_each_group_of_the_store_speaks_only_to_its_connection():
    """The store's groups are reached by name (store.customers, store.journal); none
    reaches another through the Store, so a method's home is the group of its tables."""
    for path in sorted((SOURCE / "store").glob("*.py")):
        text = path.read_text()
        assert "self.store" not in text and "connection = None" not in text, path.name
