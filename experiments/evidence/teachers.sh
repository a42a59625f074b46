#!/usr/bin/env bash
# Stage 2 of docs/evidence_protocol.md: the fine-tuned teachers, then their
# tests. Each kind fine-tunes the stage-1 MLL teacher of its seed
# (work_dirs/evidence/teachers/mll_seed<s>/epoch_15.pth) for 5 epochs:
# the CE control, fixed cmi_weight 0.15, the likelihood budget at 0.05 and
# 0.25. The budget at tau 4 runs once the few-shot students have picked the
# better budget (the protocol's order): TAU4_BUDGET=0.05 adds it.
# Resumable: finished runs are skipped.
#   [TAU4_BUDGET=0.05] bash experiments/evidence/teachers.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source experiments/resumable_stage.sh
E=configs/fashion_mnist/evidence
ROOT=work_dirs/evidence/teachers
SEEDS=${SEEDS:-"0 1"}
# Every teacher is tested alike: top-1, CMI and CE at tau 1, CMI at tau 4.
TEST_CFG=$E/r20_test_cmi_tau4.py

teacher() {  # name seed config options...
    local name=$1 seed=$2 cfg=$3
    shift 3
    local work=$ROOT/${name}_seed$seed log=work_dirs/evidence/logs/${name}_seed$seed.log
    train_stage "$work" "$log" epoch_5.pth "$cfg" randomness.seed="$seed" \
        load_from=$ROOT/mll_seed$seed/epoch_15.pth "$@"
    test_stage "$work" "$log" "$TEST_CFG" "$work/epoch_5.pth"
}

for s in $SEEDS; do
    teacher control "$s" $E/mcmi_teacher_r20.py model.head.loss._delete_=True \
        model.head.loss.loss_weight=1.0 custom_hooks=[] \
        model.head.loss.type=CrossEntropyLoss
    teacher fixed "$s" $E/mcmi_teacher_r20.py
    teacher budget0.05 "$s" $E/mcmi_teacher_r20_budget.py
    teacher budget0.25 "$s" $E/mcmi_teacher_r20_budget.py \
        custom_hooks.3.ce_budget=0.25
    if [ -n "${TAU4_BUDGET:-}" ]; then
        teacher "budget${TAU4_BUDGET}_tau4" "$s" \
            $E/mcmi_teacher_r20_budget_tau4.py \
            custom_hooks.3.ce_budget="$TAU4_BUDGET"
    fi
done
for s in $SEEDS; do
    test_stage "$ROOT/mll_seed$s" work_dirs/evidence/logs/mll_seed$s.log \
        "$TEST_CFG" "$ROOT/mll_seed$s/epoch_15.pth"
done
