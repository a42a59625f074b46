#!/usr/bin/env bash
# Usage: tools/dist_train.sh CONFIG NUM_PROCS [train.py options]
# Without CUDA the processes use the gloo backend on the CPU; the launch
# settings (NNODES, PORT, ...): dist_run.sh.
set -euo pipefail
exec bash "$(dirname "$0")/dist_run.sh" train.py "$2" \
    "$1" --launcher pytorch "${@:3}"
