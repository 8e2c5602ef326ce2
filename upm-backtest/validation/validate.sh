#!/usr/bin/env bash
# Runs every built-in strategy through `upm backtest` for one configuration and prints the rows of the
# tables of docs/validation.md (markdown), from the JSON fields of the report. Needs jq.
#
#   upm-backtest/validation/validate.sh DATA_DIR FROM TO [extra upm backtest options...]
#   e.g. upm-backtest/validation/validate.sh ../shared/data/market 2021-04-01 2025-02-28 --model fhs
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$1"; from="$2"; to="$3"; shift 3
strategies="${STRATEGIES:-long-perp cash-and-carry short-straddle covered-call risk-reversal short-strangle-hedged btc-eth-hedge long-spot-loan calendar-spread}"
echo "| strategy | days | breaches | coverage | Kupiec p | Christoffersen p | light | avg MM | median MM | max MM | avg standard MM | MM / 99% loss | worst day: loss / MM |"
echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
for s in $strategies; do
  "$here/upm" backtest --data "$data" --strategy "$s" --from "$from" --to "$to" --format json "$@" | jq -r '
    def r(x; n): if x == null then "n/a" else (x * pow(10; n) | round) / pow(10; n) | tostring end;
    def k(x): (x / 1000 | round | tostring) + "k";
    def pv(x): if x < 0.001 then "<0.001" else r(x; 3) end;
    "| \(.strategy) | \(.days) | \(.breaches) | \(r(.coverage; 4)) | \(pv(.kupiecPValue)) | \(pv(.christoffersenPValue)) | \(.trafficLight) | \(k(.averageMargin)) | \(k(.medianMargin)) | \(k(.maxMargin)) | \(k(.averageStandardMargin)) | \(r(.marginToLossQuantile; 2)) | \(.worstDays[0].time // .worstDays[0].date): \(k(.worstDays[0].loss)) / \(k(.worstDays[0].margin)) |"'
done
