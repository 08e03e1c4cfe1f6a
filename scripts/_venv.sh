# Sourced by scripts/serve and scripts/test: makes .venv and installs the project into it,
# once per version of pyproject.toml, so both commands work on a fresh clone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BORGMESTER_VENV:-$ROOT/.venv}"

find_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "Python 3.11 or newer is needed; none was found on PATH (set PYTHON=...)." >&2
    exit 1
}

ensure_venv() {  # $1: the pip extra to install ("" for the app alone, "test" for the tests)
    local extra="$1" stamp
    if [ ! -x "$VENV/bin/python" ]; then
        echo "Making a virtual environment in $VENV ..."
        "$(find_python)" -m venv "$VENV" || {
            echo "Could not make a virtual environment. On Debian/Ubuntu: apt-get install python3-venv" >&2
            exit 1
        }
    fi
    stamp="$VENV/.installed${extra:+-$extra}-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        echo "Installing the project and its dependencies${extra:+ (with $extra extras)} ..."
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e "$ROOT${extra:+[$extra]}"
        touch "$stamp"
    fi
}
