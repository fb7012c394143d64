# shellcheck shell=bash
# Creates or refreshes the project's virtualenv; sourced by ./run and ./run-tests.
#
# After `source tools/venv.sh`, `nova_core_venv` makes sure $NOVA_CORE_VENV
# (default: .venv in the checkout) exists and holds nova_core installed in
# editable mode with its test extra, and every plugin distribution under
# plugins/ (each directory with a setup.py or pyproject.toml: editable,
# without dependencies, so that its entry points are installed and the tests
# can select its plugins by configuration). The install is redone only when
# what it depends on changed: pyproject.toml, setup.py, the Cython sources
# (.pyx and the .pxi files it includes), the plugins' setup.py /
# setup.cfg / pyproject.toml, the interpreter, or a missing compiled
# extension. A hash of those is kept in the venv as a stamp file.

NOVA_CORE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NOVA_CORE_VENV="${NOVA_CORE_VENV:-$NOVA_CORE_ROOT/.venv}"
NOVA_CORE_PYTHON="${NOVA_CORE_PYTHON:-python3}"
# One extra for both scripts: ./run and ./run-tests share the venv, and
# installing different extras in turn would reinstall on every switch.
NOVA_CORE_EXTRAS="test"

_nova_core_say() {
    printf '%s\n' "$*" >&2
}

# The plugin distributions under plugins/, one directory per line, sorted.
_nova_core_plugins() {
    local dir
    for dir in "$NOVA_CORE_ROOT"/plugins/*/; do
        dir="${dir%/}"
        if [[ -f "$dir/setup.py" || -f "$dir/pyproject.toml" ]]; then
            printf '%s\n' "$dir"
        fi
    done | LC_ALL=C sort
}

_nova_core_install_hash() {
    {
        cat "$NOVA_CORE_ROOT/pyproject.toml" "$NOVA_CORE_ROOT/setup.py" \
            "$NOVA_CORE_ROOT"/nova_core/_fastalloc.pyx \
            "$NOVA_CORE_ROOT"/nova_core/_fastalloc_*.pxi
        local plugin file plugins
        mapfile -t plugins < <(_nova_core_plugins)
        for plugin in "${plugins[@]}"; do
            echo "plugin=${plugin#"$NOVA_CORE_ROOT"/}"
            for file in setup.py setup.cfg pyproject.toml; do
                if [[ -f "$plugin/$file" ]]; then
                    cat "$plugin/$file"
                fi
            done
        done
        echo "extras=$NOVA_CORE_EXTRAS"
        "$NOVA_CORE_VENV/bin/python" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
}

_nova_core_create_venv() {
    if ! command -v "$NOVA_CORE_PYTHON" >/dev/null; then
        _nova_core_say "error: $NOVA_CORE_PYTHON not found; install Python 3.10 or newer" \
            "(Debian: apt-get install python3 python3-venv python3-dev build-essential)"
        return 1
    fi
    if ! "$NOVA_CORE_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        _nova_core_say "error: nova_core needs Python 3.10 or newer;" \
            "$NOVA_CORE_PYTHON is $("$NOVA_CORE_PYTHON" --version 2>&1)"
        return 1
    fi
    _nova_core_say "Creating the virtualenv $NOVA_CORE_VENV"
    rm -rf "$NOVA_CORE_VENV"
    if ! "$NOVA_CORE_PYTHON" -m venv "$NOVA_CORE_VENV"; then
        _nova_core_say "error: could not create a virtualenv" \
            "(Debian: apt-get install python3-venv)"
        return 1
    fi
}

nova_core_venv() {
    # A venv whose interpreter is gone (Python upgraded, copied checkout)
    # cannot be repaired in place.
    if ! "$NOVA_CORE_VENV/bin/python" -c '' 2>/dev/null; then
        _nova_core_create_venv || return 1
    fi
    local stamp="$NOVA_CORE_VENV/.nova_core-install-stamp" want
    want="$(_nova_core_install_hash)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] &&
        "$NOVA_CORE_VENV/bin/python" -c 'import nova_core._fastalloc' 2>/dev/null; then
        return 0
    fi
    _nova_core_say "Installing nova_core[$NOVA_CORE_EXTRAS] into $NOVA_CORE_VENV" \
        "(the first time takes a few minutes)"
    rm -f "$stamp"
    if ! (cd "$NOVA_CORE_ROOT" &&
        "$NOVA_CORE_VENV/bin/python" -m pip install --quiet --progress-bar off \
            --editable ".[$NOVA_CORE_EXTRAS]"); then
        _nova_core_say "error: installing nova_core failed (see pip's output above);" \
            "building the Cython extension needs a C compiler and the Python headers" \
            "(Debian: apt-get install build-essential python3-dev)"
        return 1
    fi
    local plugin plugins
    mapfile -t plugins < <(_nova_core_plugins)
    for plugin in "${plugins[@]}"; do
        _nova_core_say "Installing the plugin distribution ${plugin#"$NOVA_CORE_ROOT"/}"
        if ! "$NOVA_CORE_VENV/bin/python" -m pip install --quiet --progress-bar off \
            --no-deps --editable "$plugin"; then
            _nova_core_say "error: installing the plugin distribution $plugin failed" \
                "(see pip's output above)"
            return 1
        fi
    done
    echo "$want" >"$stamp"
}
