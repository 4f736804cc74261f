"""The table of customer fields (customer_fields.py) is the one list every format follows:
the JSON objects, the export, the import's own format and the list columns."""

import csv
import io
import json

from followup_cli.customer_fields import FIELDS, FILE_KEYS, LIST_KEYS


def test_every_format_follows_the_one_table_of_fields(cli, tmp_path):
    cli.ok(
        "add",
        "Ana Alpha",
        "--email",
        "ana@example.com",
        "--phone",
        " +49 30 1 ",
        "--company",
        "Alpha",
        "--tag",
        "vip",
        "--note",
        "golf",
        "--cadence",
        "14",
    )
    (listed,) = json.loads(cli.ok("list", "--format", "json"))
    assert list(listed) == [field.key for field in FIELDS]
    assert listed["phone"] == "+49 30 1"  # phones are stored as written, trimmed

    exported = cli.ok("export", "customers")
    header = next(csv.reader(io.StringIO(exported)))
    assert tuple(header) == FILE_KEYS
    (record,) = json.loads(cli.ok("export", "customers", "--format", "json"))
    assert tuple(record) == FILE_KEYS

    assert cli.ok("list").splitlines()[0].split("\t") == list(LIST_KEYS)

    path = tmp_path / "ours.csv"
    path.write_text(exported, encoding="utf-8")
    report = json.loads(
        cli.ok("--db", tmp_path / "b.db", "import", "customers", path, "-f", "json")
    )
    assert report["created"] == 1 and report["unmapped_columns"] == []
    again = json.loads(cli.ok("--db", tmp_path / "b.db", "export", "customers", "-f", "json"))
    assert again == [record]


def test_the_typed_records_of_a_customer_hold_the_fields_of_the_table():
    """Customer, an import's record and `add`'s new customer are written out as classes for
    their types; each must hold what the table says it carries, so that a field added to
    the table and forgotten in one of them fails here, not in a user's import."""
    from dataclasses import fields

    from followup_cli.imports.records import CustomerRecord
    from followup_cli.models import Customer
    from followup_cli.services.customers import NewCustomer

    assert {f.key for f in FIELDS} == set(Customer._fields) - {"extra"}
    record = {f.name for f in fields(CustomerRecord)}
    assert set(FILE_KEYS) <= record
    assert record - set(FILE_KEYS) == {"last_contact", "extra", "warnings"}
    assert set(NewCustomer._fields) == set(FILE_KEYS) - {"uid"}  # a UID comes with a card
