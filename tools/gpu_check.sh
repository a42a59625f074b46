#!/usr/bin/env bash
# The GPU self-check, one command:
#   bash tools/gpu_check.sh
# On a machine with CUDA (a few minutes on one GPU):
#   1. the CUDA-marked tests (pytest -m cuda): the exact centroid pass and
#      CMIMetric on the GPU equal to the CPU's values, float64 sums on the
#      device and no synchronisation per batch, MCMILoss under AMP with
#      bfloat16 centroids against float32 on the CPU, and a tools/train.py
#      run with --amp and bfloat16 centroids;
#   2. a 1-GPU NCCL run of tools/dist_train.sh: the MCMI teacher config
#      (resnet8, 1 epoch) on a generated CIFAR-100 fixture, so that the
#      centroid pass all-reduces over NCCL;
#   3. benchmarks/bench_mcmi_step.py and bench_centroid_pass.py with
#      --device cuda (measurements: their rows say whether the median met
#      its target, and do not fail the run);
# then prints one table and exits 1 if a check (1 or 2) failed. Logs: GPU_CHECK_DIR
# (default work_dirs/gpu_check). Without CUDA it says so, runs pytest -m
# cuda (every test skips, so this shows they import) and exits 0.
# Environment: PYTHON (default .venv/bin/python), GPU_CHECK_DIR, PORT.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
OUT=${GPU_CHECK_DIR:-work_dirs/gpu_check}
if ! "$PY" -c 'import mcmi_razor' 2>/dev/null; then
    echo "gpu_check: $PY cannot import mcmi_razor: run bash tools/setup_env.sh" \
        "first (or set PYTHON)." >&2
    exit 1
fi

if ! "$PY" -c 'import sys, torch; sys.exit(not torch.cuda.is_available())' \
        2>/dev/null; then
    echo "gpu_check: no CUDA device found (torch.cuda.is_available() is" \
        "False): the GPU checks need one; nothing failed."
    echo "gpu_check: the CUDA-marked tests here (each skips without CUDA):"
    "$PY" -m pytest -q -n 0 -p no:cacheprovider -m cuda tests 2>&1 | tail -1
    exit 0
fi
mkdir -p "$OUT"

ROWS=()
FAILED=0
# check NAME LOG COMMAND...: run COMMAND into LOG and add a table row; its
# detail: the last line of LOG matching $DETAIL, or if COMMAND failed the
# last line of LOG (its error).
check() {
    local name=$1 log=$2 status=pass detail
    shift 2
    if "$@" >"$log" 2>&1; then
        detail=$(grep -E "$DETAIL" "$log" | tail -1)
    else
        status=FAIL
        FAILED=1
        detail=$(grep -v '^\s*$' "$log" | tail -1)
    fi
    detail=${detail//|//}   # keep the table's columns
    ROWS+=("| $name | $status | ${detail:-see $log} |")
}

"$PY" -c 'import torch; print("gpu_check on", torch.cuda.get_device_name(0),
      "| torch", torch.__version__, "| CUDA", torch.version.cuda)'

# pass: the run succeeded (and, below, every CUDA test ran: none skipped)
DETAIL=' in [0-9.]+s' check 'CUDA-marked tests (pytest -m cuda)' \
    "$OUT/cuda_tests.log" \
    "$PY" -m pytest -q -n 0 -p no:cacheprovider -m cuda tests
if [[ ${ROWS[-1]} == *skipped* ]]; then
    ROWS[-1]=${ROWS[-1]/| pass |/| FAIL (tests skipped) |}
    FAILED=1
fi

FIXTURE=$("$PY" tools/misc/make_cifar_fixture.py "$OUT/cifar100" \
    --num-classes 100 | sed -n 's/^ *--cfg-options //p')
DETAIL='Saving checkpoint|Error' check \
    '1-GPU NCCL dist_train.sh (MCMI teacher, resnet8, 1 epoch)' \
    "$OUT/nccl_smoke.log" \
    env PYTHON="$PY" PORT="${PORT:-29533}" NCCL_DEBUG=INFO \
    bash tools/dist_train.sh \
    configs/mcmi/mcmi_resnet56_cifar100.py 1 --work-dir "$OUT/nccl_smoke" \
    --cfg-options env_cfg.dist_cfg.backend=nccl load_from=None \
    train_cfg.max_epochs=1 \
    model.backbone.arch=resnet8 custom_hooks.1.ce_rise=1000 \
    randomness.seed=0 train_dataloader.num_workers=0 \
    val_dataloader.num_workers=0 test_dataloader.num_workers=0 $FIXTURE
# pass: NCCL initialised (NCCL_DEBUG's version line; the gloo fallback
# for machines without CUDA did not step in) and epoch_1.pth was written
NCCL=$(grep -o 'NCCL version [^ ]*' "$OUT/nccl_smoke.log" | head -1)
if [ -f "$OUT/nccl_smoke/epoch_1.pth" ] && [ -n "$NCCL" ] \
        && ! grep -q 'using the gloo backend' "$OUT/nccl_smoke.log"; then
    ROWS[-1]=${ROWS[-1]/| pass |/| pass ($NCCL, epoch_1.pth) |}
elif [[ ${ROWS[-1]} == *'| pass |'* ]]; then
    ROWS[-1]=${ROWS[-1]/| pass |/| FAIL (no NCCL, or no epoch_1.pth) |}
    FAILED=1
fi

# A benchmark is a measurement, not a check: its row says whether the
# median ratio it printed met the target it printed ("ran, within target"
# or "ran, OVER target"); being over does not make the script exit 1.
judge_target() {
    local row=${ROWS[-1]} median target verdict
    [[ $row == *'| pass |'* ]] || return 0
    median=$(sed -n 's/.*median \([0-9.]*\).*/\1/p' <<<"$row")
    target=$(sed -n 's/.*target <= \([0-9.]*\).*/\1/p' <<<"$row")
    if [ -z "$median" ] || [ -z "$target" ]; then
        verdict='ran, no median or target printed'
    elif awk "BEGIN { exit !($median <= $target) }"; then
        verdict='ran, within target'
    else
        verdict='ran, OVER target'
    fi
    ROWS[-1]=${row/| pass |/| $verdict |}
}

DETAIL='median' check 'bench_mcmi_step.py --device cuda' \
    "$OUT/bench_mcmi_step.log" \
    "$PY" benchmarks/bench_mcmi_step.py --device cuda --steps 40
judge_target
DETAIL='exact centroid pass' check 'bench_centroid_pass.py --device cuda' \
    "$OUT/bench_centroid_pass.log" \
    "$PY" benchmarks/bench_centroid_pass.py --device cuda --images 2048 \
    --repeats 6
judge_target

echo
echo '| check | result | detail |'
echo '|---|---|---|'
printf '%s\n' "${ROWS[@]}"
echo "logs: $OUT/"
exit "$FAILED"
