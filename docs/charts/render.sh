#!/bin/bash
# Renders every chart kind of the bundled examples to docs/charts/KIND.svg
# with the funnelplan command, and screenshots each in headless Chromium to
# docs/charts/KIND.png (the pictures the README shows).
#
#   bash docs/charts/render.sh        (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/charts
go build -o bin/funnelplan ./cli
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "render.sh: chromium is needed for the screenshots (make chromium)" >&2
	exit 1
fi
b2b=core/examples/b2b.json
chart() { # name, then funnelplan chart arguments
	local name=$1
	shift
	./bin/funnelplan chart "$@" -o "$out/$name.svg"
	# The window is the chart's own size (width and height attributes).
	local w h
	w=$(grep -o -m1 'width="[0-9.]*"' "$out/$name.svg" | grep -o '[0-9.]*' | head -1)
	h=$(grep -o -m1 'height="[0-9.]*"' "$out/$name.svg" | grep -o '[0-9.]*' | head -1)
	w=$(printf '%.0f' "$w")
	h=$(awk -v h="$h" 'BEGIN { printf "%d", h + 0.999 }')
	"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--force-device-scale-factor=1 --window-size="$w,$h" \
		--screenshot="$PWD/$out/$name.png" "file://$PWD/$out/$name.svg" >/dev/null 2>&1
	echo "$out/$name.png ${w}x$h"
}
chart funnel --kind funnel $b2b
chart funnel-split --kind funnel --layout split $b2b
chart matrix --kind matrix $b2b
chart coverage --kind coverage $b2b
chart scenarios --kind scenarios $b2b
chart tornado --kind tornado $b2b
chart journey --kind journey core/examples/journey.json
chart forecast --kind forecast --periods 24 core/examples/journey.json
chart fit --kind fit --by manager core/examples/finnish-counts.csv
chart distribution --kind distribution --trials 10000 --seed 1 --goal 350000 $out/uncertain.json
chart funnel-presentation --kind funnel --theme presentation $b2b
chart funnel-print --kind funnel --theme print $b2b
