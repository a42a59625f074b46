#!/usr/bin/env bash
# Stage 3 of docs/evidence_protocol.md: the KD students, then their tests.
#   bash experiments/evidence/students.sh [few_shot|zero_shot|all]
# Needs the stage-2 teachers (experiments/evidence/teachers.sh) in
# work_dirs/evidence/teachers. One run per (teacher kind, teacher seed,
# setting, student seed), 50 epochs (the schedule curve's choice), the
# held-out validation once at the end, then the extracted student is tested
# on the test split (configs/fashion_mnist/students/r8.py; zero-shot:
# evidence/r8_test_per_class.py, which adds each class's accuracy). Per
# (setting, student seed) also the label-only baseline, the same resnet8
# and data without a teacher (evidence/r8_labels_only*.py; BASELINE=0
# skips it).
# In the protocol's order, pairs first: for each student seed and teacher
# seed, every teacher kind (so paired differences to the control accrue
# from the first runs); the tau = 4 kind once its teachers are finished.
# Resumable: finished runs are skipped, an interrupted one resumes from its
# last epoch.
set -euo pipefail
cd "$(dirname "$0")/../.."
source experiments/resumable_stage.sh
E=configs/fashion_mnist/evidence
ROOT=work_dirs/evidence
SETTINGS=${1:-all}
[ "$SETTINGS" = all ] && SETTINGS="few_shot zero_shot"
# Overridable for a smoke run (e.g. EPOCHS=1 OUT=/tmp/smoke SEEDS=0 ...).
EPOCHS=${EPOCHS:-50}
OUT=${OUT:-$ROOT/students}
SEEDS=${SEEDS:-"0 1 2"}
TEACHER_SEEDS=${TEACHER_SEEDS:-"0 1"}
# The tau = 4 kind joins once its teachers are finished for every seed
# (teachers.sh with TAU4_BUDGET set).
TAU4_KINDS=""
for dir in "$ROOT"/teachers/*_tau4_seed0; do
    kind=$(basename "${dir%_seed0}") ready=1
    for tseed in $TEACHER_SEEDS; do
        if [ ! -f "$ROOT/teachers/${kind}_seed$tseed/epoch_5.pth" ]; then
            ready=0
        fi
    done
    if [ "$ready" = 1 ]; then TAU4_KINDS+=" $kind"; fi
done
KINDS=${KINDS:-"control mll fixed budget0.05 budget0.25$TAU4_KINDS"}
BASELINE=${BASELINE:-1}
mkdir -p "$OUT/logs"

teacher_ckpt() {  # kind seed
    if [ "$1" = mll ]; then echo $ROOT/teachers/mll_seed$2/epoch_15.pth
    else echo $ROOT/teachers/$1_seed$2/epoch_5.pth; fi
}

test_config() {  # setting
    if [ "$1" = zero_shot ]; then echo $E/r8_test_per_class.py
    else echo configs/fashion_mnist/students/r8.py; fi
}

run() {  # kd|plain name config setting student_seed [cfg_option ...]
    # Train (zero-shot: the config's _zero_shot twin), then test: a KD
    # run's extracted student, a plain run's last checkpoint.
    local kind=$1 name=$2 cfg=$3 setting=$4 seed=$5
    local seed_key=train_dataloader.dataset.seed
    local work=$OUT/$name log=$OUT/logs/$name.log ckpt
    shift 5
    if [ "$setting" = zero_shot ]; then
        cfg=${cfg%.py}_zero_shot.py
        seed_key=train_dataloader.dataset.dataset.seed
    fi
    train_stage "$work" "$log" "epoch_$EPOCHS.pth" "$cfg" "$@" \
        randomness.seed="$seed" "$seed_key=$seed" \
        train_cfg.max_epochs=$EPOCHS param_scheduler.T_max=$EPOCHS \
        train_cfg.val_interval=$EPOCHS \
        default_hooks.checkpoint.max_keep_ckpts=1
    ckpt=$work/epoch_$EPOCHS.pth
    if [ "$kind" = kd ]; then
        "$PY" tools/extract_student.py "$ckpt" "$work/student.pth" \
            >> "$log" 2>&1
        ckpt=$work/student.pth
    fi
    test_stage "$work" "$log" "$(test_config "$setting")" "$ckpt"
}

student() {  # kind teacher_seed setting student_seed
    local name=$1_t$2_$3_s$4 teacher
    [ -f "$OUT/$name/test_metrics.json" ] && return
    teacher=$(teacher_ckpt "$1" "$2")
    [ -f "$teacher" ] || { echo "missing teacher $teacher" >&2; return 1; }
    run kd "$name" $E/kd_r20_r8.py "$3" "$4" model.teacher_ckpt="$teacher"
}

labels_only() {  # setting student_seed
    local name=labels_only_$1_s$2
    [ -f "$OUT/$name/test_metrics.json" ] && return
    run plain "$name" $E/r8_labels_only.py "$1" "$2"
}

for setting in $SETTINGS; do
    for seed in $SEEDS; do
        for tseed in $TEACHER_SEEDS; do
            for kind in $KINDS; do
                student "$kind" "$tseed" "$setting" "$seed"
            done
        done
        if [ "$BASELINE" = 1 ]; then labels_only "$setting" "$seed"; fi
    done
done
