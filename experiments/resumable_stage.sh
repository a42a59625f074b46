# Sourced by the shell-scripted studies: one training or one test per
# call, so that rerunning a script skips what finished and resumes what was
# interrupted (from the work dir's last_checkpoint). Logs append. The same
# two stages for Python: mcmi_razor.apis.study.train_stage, evaluate_stage.
#   source experiments/resumable_stage.sh
#   train_stage WORK LOG FINAL_CKPT CONFIG [CFG_OPTION ...]
#   test_stage WORK LOG CONFIG CHECKPOINT
# A failed command stops the calling script (it runs under set -e).
PY=${PY:-.venv/bin/python}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}

train_stage() {  # work log final_ckpt config options...
    local work=$1 log=$2 final=$3 cfg=$4 args=()
    shift 4
    [ -f "$work/$final" ] && return 0
    [ -f "$work/last_checkpoint" ] && args+=(--resume)
    [ $# -gt 0 ] && args+=(--cfg-options "$@")
    mkdir -p "$(dirname "$log")"
    echo "[$(basename "$work")] training (log $log)"
    "$PY" tools/train.py "$cfg" --work-dir "$work" "${args[@]}" >> "$log" 2>&1
}

test_stage() {  # work log config checkpoint
    local work=$1 log=$2 cfg=$3 ckpt=$4
    [ -f "$work/test_metrics.json" ] && return 0
    echo "[$(basename "$work")] testing $ckpt"
    "$PY" tools/test.py "$cfg" "$ckpt" --work-dir "$work/test" \
        --out "$work/test_metrics.json" --out-item metrics >> "$log" 2>&1
}
