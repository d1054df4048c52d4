# Shared by scripts/run and scripts/test: find Python ≥ 3.11, create .venv, install.
# Usage: ensure_venv "<extras>"   (e.g. "" or "test"); sets $VENV_BIN.

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "Crunch Time needs Python 3.11 or newer (none found; set PYTHON=/path/to/python3)." >&2
  return 1
}

ensure_venv() {
  local extras="$1" python stamp spec digest
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python)
    echo "==> Creating .venv with $python"
    "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  VENV_BIN="$PWD/.venv/bin"
  spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  # Reinstall only when the dependencies changed (or a different set of extras is asked).
  # constraints.txt pins the packages whose internals the live fan-out uses
  # (crunchtime/realtime/frames.py): a change there reinstalls too.
  digest=$(cat setup.cfg pyproject.toml constraints.txt | sha256sum | cut -c1-16)
  stamp=".venv/.installed-$digest-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    echo "==> Installing crunchtime${extras:+ with the $extras extra}"
    "$VENV_BIN/pip" install --quiet --constraint constraints.txt --editable "$spec"
    rm -f .venv/.installed-*
    touch "$stamp"
    # The test extra includes the base install, so a later base run need not reinstall.
    [ "$extras" = "test" ] && touch ".venv/.installed-$digest-base"
  fi
  echo "==> Compiling translations"
  "$VENV_BIN/pybabel" --quiet compile --directory crunchtime/translations
}
