#!/usr/bin/env bash
# Start the dashboard from this folder: http://localhost:$PORT (default 8501).
# DATA_DIR=/path/to/folder points it at another data folder with the same files.
set -euo pipefail
cd "$(dirname "$0")"
exec "$PWD/.venv/bin/python" -m streamlit run dashboard/app.py \
  --server.port "${PORT:-8501}" --server.address "${ADDRESS:-0.0.0.0}" \
  --server.headless true --browser.gatherUsageStats false "$@"
