#!/bin/sh
# Move from a CRM to followup in one go, then see whom to call first.
# Usage: sh examples/import-crm.sh EXPORT.csv   (FOLLOWUP_DB says which database)
set -eu
export_file=${1:?give the CSV exported from your CRM}
followup import customers "$export_file" --dry-run
followup import customers "$export_file"
followup due --limit 20
