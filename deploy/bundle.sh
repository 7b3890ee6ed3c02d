#!/usr/bin/env bash
# `make bundle`: dist/china-ai-provinces-<version>.tar.gz, an offline install for one
# platform: the source the app runs from, a wheelhouse of every pinned runtime requirement
# for this machine's platform (Linux x86-64) and Python version, install.sh and run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
version=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
name="china-ai-provinces-${version}"
stage="dist/.stage/${name}"
rm -rf dist/.stage && mkdir -p "$stage"

# Source and data: what the app reads at run time (geo/build.py and its inputs are not).
tar -c --exclude=__pycache__ --exclude='*.pyc' \
  dashboard data .streamlit requirements.txt README.md LICENSE \
  geo/provinces.geojson geo/south_china_sea.geojson geo/provinces.meta.json geo/README.md \
  deploy/__init__.py deploy/serve.py deploy/nginx.conf \
  | tar -x -C "$stage"
# The published edition, built fresh from this data: open site/index.html on the target
# with no install at all, or let deploy.serve's nginx serve it under /edition/.
"$PY" -m dashboard.publish --out "$stage/site"
cp deploy/bundle/install.sh deploy/bundle/run.sh "$stage/"
chmod +x "$stage/install.sh" "$stage/run.sh"

# Wheels only (no source builds on the target), for this interpreter and platform.
"$PY" -m pip download --quiet --only-binary=:all: --dest "$stage/wheelhouse" -r requirements.txt
# The target's venv gets pip from the Python it is made with; nothing else is needed.

tar -C dist/.stage -czf "dist/${name}.tar.gz" "$name"
rm -rf dist/.stage
size=$(du -h "dist/${name}.tar.gz" | cut -f1)
echo "dist/${name}.tar.gz (${size}; $("$PY" -c 'import platform; print(platform.python_version())'), $(uname -m))"
