# Shared by scripts/serve and scripts/test: a project venv with pinned packages.
# Re-installs only when the requirements file changed (stamp holds its checksum).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${HSA_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

ensure_venv() {
  local req="$ROOT/$1" stamp
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv && "$PY" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip
  fi
  stamp="$VENV/.stamp-$(basename "$req")"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(sha256sum "$req" | cut -d' ' -f1)" ]; then
    "$VENV/bin/python" -m pip install -q -r "$req"
    sha256sum "$req" | cut -d' ' -f1 > "$stamp"
  fi
  export PATH="$VENV/bin:$PATH" REFLEX_USE_NPM=1
}

# Invoices render "₹" with DejaVu Sans (hsa/services/money/invoice_pdf.py; without it: "Rs.").
ensure_invoice_font() {
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq fonts-dejavu-core
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq fonts-dejavu-core
  fi
}
