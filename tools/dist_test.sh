#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CHECKPOINT NUM_PROCS [test.py options]
# Without CUDA the processes use the gloo backend on the CPU; the launch
# settings (NNODES, PORT, ...): dist_run.sh.
set -euo pipefail
exec bash "$(dirname "$0")/dist_run.sh" test.py "$3" \
    "$1" "$2" --launcher pytorch "${@:4}"
