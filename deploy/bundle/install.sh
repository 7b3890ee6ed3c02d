#!/usr/bin/env bash
# Install from this folder alone: a .venv here, every package from wheelhouse/, no index.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m venv .venv
# --isolated: no pip configuration or PIP_* variables of this machine apply (an index, a
# find-links folder or constraints of its own); only the wheels shipped here are used.
.venv/bin/python -m pip install --isolated --quiet --disable-pip-version-check \
  --no-index --find-links wheelhouse -r requirements.txt
echo "installed into $(pwd)/.venv; start with ./run.sh (PORT=8501 by default)"
