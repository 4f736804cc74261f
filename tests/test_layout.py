"""The shape of the source: modules small enough to read at once.

The layering itself (typer only in cli/, rich only in output/, SQL only in store/, no lower
package importing a higher one) is import-linter's contracts in pyproject.toml, which
`make lint` checks before the tests run.
"""

from pathlib import Path

SOURCE = Path(__file__).parent.parent / "src" / "followup_cli"
MAX_LINES = 400


def test_no_source_module_is_over_400_lines():
    sizes = {
        str(path.relative_to(SOURCE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in SOURCE.rglob("*.py")
    }
    assert sizes, "no source found"
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}
