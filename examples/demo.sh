#!/bin/sh
# Loads a small book of customers into $FOLLOWUP_DB and shows what followup is for:
# the due list, and one customer's timeline. Usage: sh examples/demo.sh path/to/followup
set -eu
followup=${1:-followup}
quiet() { "$followup" "$@" >/dev/null; }

quiet add "Ana Alpha" --email ana@alpha.example --company "Alpha Bakery" --tag vip --cadence 14
quiet add "Bruno Beta" --email bruno@beta.example --company "Beta Tools" --phone "+49 30 1234567"
quiet add "Carla Cruz" --email carla@cruz.example --company "Cruz & Sons" --tag wholesale
quiet add "Dmitri Dorn" --email dmitri@dorn.example --tag wholesale
quiet add "Elif Ergin" --email elif@ergin.example --company "Ergin Studio"
quiet add "Farah Fox" --email farah@fox.example --status prospect

quiet log ana sale "spring order" --amount 1200 --date 2026-09-02
quiet log ana call "asked about the holiday menu" --date "2026-11-03"
quiet log bruno meeting "renewal talk" --date 2026-08-20
quiet log bruno sale --amount 4300 --date 2026-08-21
FOLLOWUP_TODAY=2026-10-15 quiet log carla email "sent the catalogue" --next 2026-11-20
quiet log dmitri visit "showroom visit" --date 2026-11-18
quiet refer ana "Gus Green" --email gus@green.example --note "her neighbour" --date 2026-11-10
quiet refer carla "Dmitri Dorn" --date 2026-06-01

echo "== followup due"
"$followup" due
echo
echo "== followup show ana"
"$followup" show ana
