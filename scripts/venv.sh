# Sourced by ./run and ./test: create .venv on first use and keep it in step with a
# requirements file (reinstalling only when that file changed), then activate it.
# Usage: source scripts/venv.sh requirements.txt
requirements="$1"
python_bin="${PYTHON:-python3.11}"
command -v "$python_bin" >/dev/null 2>&1 || python_bin=python3
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $("$python_bin" --version)..."
  "$python_bin" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$requirements")"
digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  echo "Installing $requirements into .venv..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$requirements"
  echo "$digest" > "$stamp"
fi
# shellcheck disable=SC1091
source .venv/bin/activate
