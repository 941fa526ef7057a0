#!/bin/sh
# The same check against the ATT&CK Navigator 5.x (mitre-attack/attack-navigator), which reads the
# multi-layer file, with the ATLAS STIX bundle as its one configured domain (`atlas-atlas`).
# NOT run in CI: needs the fetched source (github:mitre-attack/attack-navigator), and run.sh run first
# (it fills $WORK/data and $WORK/layers).
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
NAV5_GIT=${NAV5_GIT:-/work/.mirror/mitre-attack+attack-navigator/repo}
NAV5_REF=${NAV5_REF:-HEAD}
WORK=${WORK:-/tmp/nav}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
APP=$WORK/nav5/nav-app

if [ ! -d "$APP/node_modules" ]; then
  rm -rf "$WORK/nav5" && mkdir -p "$WORK/nav5"
  git --git-dir="$NAV5_GIT" archive "$NAV5_REF" nav-app | tar x -C "$WORK/nav5"
  (cd "$APP" && nice npm ci --ignore-scripts --no-audit --no-fund)
fi
# Offline: no collection index, no default layers, one ATLAS version served locally.
node -e '
  const fs = require("fs");
  const c = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  delete c.collection_index_url;
  c.versions = { enabled: true, entries: [{ name: "ATLAS", version: "4",
    domains: [{ name: "ATLAS", identifier: "atlas-atlas", data: ["/data/stix-atlas.json"] }] }] };
  c.default_layers = { enabled: false, urls: [] };
  fs.writeFileSync(process.argv[1], JSON.stringify(c, null, 2));
' "$APP/src/assets/config.json"
[ -f "$APP/dist/index.html" ] || (cd "$APP" && nice npx ng build)
cp "$APP/src/assets/config.json" "$APP/dist/assets/config.json"

node "$REPO/scripts/navigator-check/check.mjs" --flavour attack-navigator-5 --app "$APP" --dist "$APP/dist" \
  --data "$WORK/data" --layers "$WORK/layers" --shots "$WORK/shots-attack-navigator" --chromium "$CHROMIUM"
