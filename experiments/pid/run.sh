#!/usr/bin/env bash
# The Fashion-MNIST PID evidence of docs/pid.md (issue 9): KD resnet8
# students over training from the demo's MLL and MCMI resnet20 teachers and
# from an untrained one, and RID vs KD from the MLL teacher; 2 student seeds
# each, then the PID of every epoch's student against its teacher.
#   bash experiments/pid/run.sh [DEMO_WORK_DIR]
# Needs data/fashion_mnist and the teachers of a finished demo
# (bash tools/demo.sh; default work_dirs/demo_fashion_mnist). Students: the
# demo's 3,000 training images, 10 epochs (cosine), one checkpoint per epoch,
# top-1 on the 10,000 test images after the last epoch. Resumable: finished
# runs and reports are skipped. Writes work_dirs/pid_evidence/summary.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source experiments/resumable_stage.sh
DEMO=${1:-work_dirs/demo_fashion_mnist}
OUT=work_dirs/pid_evidence
EPOCHS=10
SEEDS="0 1"
COMMON=(train_dataloader.dataset.fraction=0.05 train_dataloader.num_workers=0
        val_dataloader.num_workers=0 test_dataloader.num_workers=0
        default_hooks.checkpoint.max_keep_ckpts=-1
        train_cfg.max_epochs=$EPOCHS train_cfg.val_interval=$EPOCHS)
mkdir -p $OUT/logs

train() {  # name config epochs options...
    local name=$1 cfg=$2 epochs=$3
    shift 3
    train_stage "$OUT/$name" "$OUT/logs/$name.log" "epoch_$epochs.pth" \
        "$cfg" "$@"
}

# The untrained teacher: the demo MLL config for one epoch at lr 0, so its
# weights stay at their seeded initialisation (BatchNorm statistics are
# those of the data).
train untrained_teacher configs/fashion_mnist/demo/mll_teacher_r20.py 1 \
    train_cfg.max_epochs=1 optim_wrapper.optimizer.lr=0.0 \
    train_dataloader.num_workers=0
declare -A TEACHER=(
    [mll]=$DEMO/mll_teacher/epoch_6.pth
    [mcmi]=$DEMO/mcmi_teacher/epoch_2.pth
    [untrained]=$OUT/untrained_teacher/epoch_1.pth)
for seed in $SEEDS; do
    for teacher in mll mcmi untrained; do
        train kd_${teacher}_seed$seed configs/fashion_mnist/kd_r20_r8.py \
            $EPOCHS "${COMMON[@]}" param_scheduler.T_max=$EPOCHS \
            randomness.seed=$seed model.teacher_ckpt=${TEACHER[$teacher]}
    done
    # 10 epochs = 2 rounds of 1 filter + 4 student epochs.
    train rid_mll_seed$seed configs/fashion_mnist/rid_r20_r8.py $EPOCHS \
        "${COMMON[@]}" param_scheduler.T_max=$EPOCHS randomness.seed=$seed \
        model.teacher_ckpt=${TEACHER[mll]}
done
for run in $OUT/kd_* $OUT/rid_*; do
    [ -f "$run/pid/pid_report.json" ] && continue
    echo "[pid evidence] PID of $run"
    "$PY" tools/analysis/pid_report.py --work-dir "$run" \
        --cfg-options test_dataloader.num_workers=0 \
        >> "$OUT/logs/pid_$(basename "$run").log" 2>&1
done
"$PY" experiments/pid/summary.py "$OUT" | tee "$OUT/summary.md"
