#!/bin/sh
# Load AtlasGuard's Navigator layers in the real ATLAS Navigator app, headless, and check what it shows.
#
# NOT run in CI: it needs the ATLAS Navigator's source and the ATLAS Navigator's STIX data on this machine
# (in the development sandbox they come from the `fetch` tool: github:mitre-atlas/atlas-navigator and
# github:mitre-atlas/atlas-navigator-data), a Chromium, and the package registry for the Navigator's own
# dependencies. Nothing of the Navigator or its data is copied into this repository; everything is built
# and served under $WORK.
#
# Usage: scripts/navigator-check/run.sh            (from the repository root)
#   NAV_GIT   git dir of mitre-atlas/atlas-navigator   (default: the sandbox mirror)
#   NAV_REF   branch or commit to build                  (default: atlas, the ATLAS fork's source branch)
#   DATA_GIT  git dir of mitre-atlas/atlas-navigator-data (default: the sandbox mirror)
#   WORK      scratch directory                          (default: /tmp/nav)
#   CHROMIUM  browser executable                         (default: /usr/bin/chromium)
#   MODEL     model to assess     (default: examples/card-fraud-scoring/atlasguard.yaml)
#   ATLAS_DATA ATLAS.yaml for atlasguard (default: ../shared/atlas/ATLAS-5.6.0.yaml)
set -eu

REPO=$(cd "$(dirname "$0")/../.." && pwd)
NAV_GIT=${NAV_GIT:-/work/.mirror/mitre-atlas+atlas-navigator/repo}
NAV_REF=${NAV_REF:-atlas}
DATA_GIT=${DATA_GIT:-/work/.mirror/mitre-atlas+atlas-navigator-data/repo}
WORK=${WORK:-/tmp/nav}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
MODEL=${MODEL:-examples/card-fraud-scoring/atlasguard.yaml}
export ATLAS_DATA=${ATLAS_DATA:-$REPO/../shared/atlas/ATLAS-5.6.0.yaml}

APP=$WORK/src/nav-app
mkdir -p "$WORK/data" "$WORK/layers" "$WORK/shots"

# 1. The Navigator's source and dependencies (once; delete $WORK/src to start over).
if [ ! -d "$APP/node_modules" ]; then
  rm -rf "$WORK/src" && mkdir -p "$WORK/src"
  git --git-dir="$NAV_GIT" archive "$NAV_REF" nav-app | tar x -C "$WORK/src"
  git --git-dir="$NAV_GIT" rev-parse "$NAV_REF" > "$WORK/navigator-commit.txt"
  # The branch's package-lock.json holds unresolved merge-conflict markers, so `npm ci` cannot read it:
  # resolve from package.json instead, without the unit/e2e test tooling (karma, protractor, ...),
  # which the build does not use.
  rm -f "$APP/package-lock.json"
  node -e '
    const fs = require("fs");
    const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    for (const k of Object.keys(p.devDependencies))
      if (/karma|protractor|jasmine|codelyzer|tslint|ts-node/.test(k)) delete p.devDependencies[k];
    delete p.optionalDependencies;
    fs.writeFileSync(process.argv[1], JSON.stringify(p, null, 2));
  ' "$APP/package.json"
  (cd "$APP" && nice npm install --ignore-scripts --no-audit --no-fund --legacy-peer-deps && node patch-webpack.js)
fi

# 2. The ATLAS STIX bundle and the Navigator's default layers, served locally (no other network).
git --git-dir="$DATA_GIT" show HEAD:dist/stix-atlas.json > "$WORK/data/stix-atlas.json"
for f in atlas_case_study_frequency.json atlas_layer_matrix.json; do
  git --git-dir="$DATA_GIT" show "HEAD:dist/default-navigator-layers/$f" > "$WORK/data/$f"
done
git --git-dir="$DATA_GIT" rev-parse HEAD > "$WORK/data-commit.txt"

# 3. The hosted ATLAS Navigator's config.json (branch atlas-gh-pages), its ATLAS data URLs pointed at the
#    local server. The hosted `atlas-atlas` domain loads ATLAS + ATT&CK Enterprise; the combined bundle
#    is not needed for ATLAS techniques, so it is replaced by the ATLAS bundle.
git --git-dir="$NAV_GIT" show atlas-gh-pages:assets/config.json > "$WORK/config.hosted.json"
node -e '
  const fs = require("fs");
  const c = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const local = (u) => "/data/" + u.split("/").pop().replace("stix-atlas-attack-enterprise.json", "stix-atlas.json");
  for (const v of c.versions) if (v.name.startsWith("ATLAS")) for (const d of v.domains) d.data = d.data.map(local);
  c.default_layers.urls = c.default_layers.urls.map(local);
  fs.writeFileSync(process.argv[2], JSON.stringify(c, null, 2));
' "$WORK/config.hosted.json" "$WORK/config.local.json"
cmp -s "$WORK/config.local.json" "$APP/src/assets/config.json" || cp "$WORK/config.local.json" "$APP/src/assets/config.json"

if [ ! -f "$APP/dist/index.html" ] || [ "$APP/src/assets/config.json" -nt "$APP/dist/index.html" ]; then
  # Plain `ng build`, as the hosted build (`build-gh`, un-hashed file names on atlas-gh-pages) was made:
  # `--prod` breaks the app (rxjs-compat `Observable` from "rxjs/Rx" is undefined after build-optimizer).
  # Angular 11 / webpack 4 hash with MD4, which OpenSSL 3 (Node 17+) only offers from its legacy provider.
  (cd "$APP" && NODE_OPTIONS=--openssl-legacy-provider nice npx ng build)
fi

# 4. Our layers: the multi-layer file and one file per --layer kind.
cd "$REPO"
npx atlasguard assess "$MODEL" --format navigator --out "$WORK/layers/layers.json" > /dev/null
for kind in applicability inherent residual mitigation-coverage case-study-frequency; do
  npx atlasguard assess "$MODEL" --format navigator --layer "$kind" --out "$WORK/layers/$kind.json" > /dev/null
done

# 5. Serve and drive it.
node "$REPO/scripts/navigator-check/check.mjs" --app "$APP" --dist "$APP/dist" --data "$WORK/data" \
  --layers "$WORK/layers" --shots "$WORK/shots" --chromium "$CHROMIUM"
