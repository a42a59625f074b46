# Stage 2 of docs/evidence_protocol.md: the fine-tuned teachers, then tests.
cd /work/main
E=configs/fashion_mnist/evidence
run() {  # name seed config options...
  name=$1; seed=$2; cfg=$3; shift 3
  w=work_dirs/evidence/teachers/${name}_seed$seed
  if [ ! -f $w/epoch_5.pth ]; then
    r=""; [ -f $w/last_checkpoint ] && r="--resume"
    OMP_NUM_THREADS=1 .venv/bin/python tools/train.py $cfg --work-dir $w $r --cfg-options randomness.seed=$seed load_from=work_dirs/evidence/teachers/mll_seed$seed/epoch_15.pth "$@" >> work_dirs/evidence/logs/${name}_seed$seed.log 2>&1 || return
  fi
  [ -f $w/test_metrics.json ] || OMP_NUM_THREADS=1 .venv/bin/python tools/test.py $cfg $w/epoch_5.pth --work-dir $w/test --out $w/test_metrics.json --out-item metrics >> work_dirs/evidence/logs/${name}_seed$seed.log 2>&1
}
for s in 0 1; do
  run control $s $E/mcmi_teacher_r20.py model.head.loss._delete_=True model.head.loss.loss_weight=1.0 custom_hooks=[] model.head.loss.type=CrossEntropyLoss
  run fixed $s $E/mcmi_teacher_r20.py
  run budget0.05 $s $E/mcmi_teacher_r20_budget.py
  run budget0.25 $s $E/mcmi_teacher_r20_budget.py custom_hooks.3.ce_budget=0.25
done
for s in 0 1; do
  w=work_dirs/evidence/teachers/mll_seed$s
  [ -f $w/test_metrics.json ] || OMP_NUM_THREADS=1 .venv/bin/python tools/test.py $E/mll_teacher_r20.py $w/epoch_15.pth --work-dir $w/test --out $w/test_metrics.json --out-item metrics >> work_dirs/evidence/logs/mll_seed$s.log 2>&1
done
