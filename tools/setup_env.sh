#!/usr/bin/env bash
# Create ./.venv (Python 3.11) with the pinned stack and mcmi-razor in it.
# Usage: bash tools/setup_env.sh          # CPU/GPU, mmcv-lite
#        MMCV_EXTRA= bash tools/setup_env.sh   # keep an installed full mmcv
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade 'pip>=24'
# torch first, pinned: a bare `torch` requirement would pull a newer build.
.venv/bin/python -m pip install --quiet torch==2.14.1 torchvision==0.29.1
EXTRAS="tests,demo${MMCV_EXTRA-,mmcv-lite}"
.venv/bin/python -m pip install --quiet -e ".[${EXTRAS}]"
.venv/bin/python -c "import mcmi_razor; from mmrazor.models import SingleTeacherDistill; print('mcmi-razor', mcmi_razor.__version__, 'ready in .venv')"
