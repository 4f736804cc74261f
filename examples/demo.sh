#!/bin/sh
# Loads the sample book in examples/ into $FOLLOWUP_DB and shows what followup is for:
# the due list, and one customer's timeline. Usage: sh examples/demo.sh path/to/followup
set -eu
followup=${1:-followup}
here=$(dirname "$0")

"$followup" import customers "$here/customers.csv"
"$followup" import touchpoints "$here/touchpoints.csv"
"$followup" import referrals "$here/referrals.csv"
"$followup" import customers "$here/hubspot-contacts.csv"
# A promise made in October, now overdue; and a referral made today.
FOLLOWUP_TODAY=2026-10-15 "$followup" log carla email "catalogue follow-up" --next 2026-11-20 >/dev/null
"$followup" refer ana "Gus Green" --email gus@green.example --note "her neighbour" >/dev/null

echo
echo "== followup due"
"$followup" due
echo
echo "== followup show ana"
"$followup" show ana
