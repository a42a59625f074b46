#!/usr/bin/env bash
# Usage: tools/dist_run.sh TOOL NUM_PROCS [TOOL arguments]
# Runs tools/TOOL in NUM_PROCS processes per node through torchrun; what
# dist_train.sh and dist_test.sh share. The environment may set NNODES,
# NODE_RANK, MASTER_ADDR, PORT and PYTHON. Without CUDA the processes use
# the gloo backend on the CPU.
set -euo pipefail
TOOL=$1
NPROCS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
PYTHON=${PYTHON:-python}
exec "$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$NPROCS" --master_port="$PORT" \
    "$(dirname "$0")/$TOOL" "${@:3}"
