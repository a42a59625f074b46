#!/usr/bin/env bash
# The one-command demo on real images (Fashion-MNIST, offline):
#   bash tools/demo.sh
# 1. creates .venv with the pinned stack (tools/setup_env.sh), unless ready;
# 2. installs Debian's dataset-fashion-mnist if missing, and unzips it into
#    data/fashion_mnist/;
# 3. through tools/mcmi_pipeline.py, with configs/fashion_mnist/demo/*:
#    trains an MLL resnet20 teacher, fine-tunes it with MCMI and, as a
#    control, with cmi_weight 0 (plain CE, same schedule), distils a KD
#    resnet8 student from each, and tests everything on the 10,000 test
#    images;
# 4. prints the table, saves a figure (WORK_DIR/demo_results.png) and
#    writes WORK_DIR/demo_result.json (tools/demo_record.py: table, commit,
#    config digests, torch, CPU, stage times), saying whether the table is
#    the one in docs/demo.md.
# Each stage prints its duration when it ends and the time left, estimated
# from the stage times in docs/results/demo_result.json.
# Shortened to fit about 10 minutes on 2 CPU cores: the models train on a
# class-balanced 5% of the training set (3,000 images) for a few epochs, so
# the numbers show the mechanics, not the method's final accuracy; see
# docs/results.md for the measured evidence. Teachers and students are
# seeded (seed 0): a re-run on the same machine prints the same table
# (docs/demo.md: what it prints and how much it moves elsewhere). While a
# stage runs, the console shows its epoch, iteration, ETA and log file.
# Re-running skips finished stages (and resumes an interrupted one).
#
# Environment: DEMO_PYTHON (use this interpreter, skip step 1),
# DEMO_WORK_DIR (default work_dirs/demo_fashion_mnist),
# DEMO_FASHION_MNIST_SOURCE (folder of the 4 .gz files; default Debian's),
# DEMO_DATA_DIR (default data/fashion_mnist; others only with
# DEMO_STOP_AFTER=data), DEMO_STOP_AFTER=data (stop after step 2), OMP_NUM_THREADS (default 1: faster than 2 on a busy
# 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/.."
START=$(date +%s)
step() { printf '\n== [demo, %ds] %s\n' "$(( $(date +%s) - START ))" "$*"; }

WORK_DIR=${DEMO_WORK_DIR:-work_dirs/demo_fashion_mnist}
SOURCE=${DEMO_FASHION_MNIST_SOURCE:-/usr/share/datasets/fashion-mnist}
DATA_DIR=${DEMO_DATA_DIR:-data/fashion_mnist}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
FILES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"

RECORD=docs/results/demo_result.json
SETUP=()   # the set-up's seconds, for the record, when it ran
step "1/4 Python environment"
if [ -n "${DEMO_PYTHON:-}" ]; then
    PY=$DEMO_PYTHON
    echo "using $PY (DEMO_PYTHON)"
elif [ -x .venv/bin/python ] && .venv/bin/python -c 'import mcmi_razor, matplotlib' 2>/dev/null; then
    PY=.venv/bin/python
    echo ".venv is ready: skipped"
else
    echo "creating .venv: about 6 GB (PyPI's torch is the CUDA build, also" \
        "on a CPU-only machine), 2-4 min from a local cache (README, Install)"
    bash tools/setup_env.sh
    PY=.venv/bin/python
    SETUP=(--setup-seconds $(( $(date +%s) - START )))
fi

step "2/4 Fashion-MNIST in $DATA_DIR"
have_data() { for f in $FILES; do [ -f "$DATA_DIR/$f" ] || return 1; done; }
have_source() { for f in $FILES; do [ -f "$SOURCE/$f.gz" ] || return 1; done; }
if have_data; then
    echo "already there: skipped"
else
    if ! have_source; then
        if [ "$SOURCE" = /usr/share/datasets/fashion-mnist ] \
                && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
                && apt-get update && apt-get install -y dataset-fashion-mnist; then
            echo "installed dataset-fashion-mnist"
        else
            cat >&2 <<MSG
Fashion-MNIST is not in $SOURCE, and it could not be installed here
(this needs Debian/Ubuntu's apt and root). Do one of:
  - on Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist
    then run this demo again;
  - elsewhere: download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
    t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from
    https://github.com/zalandoresearch/fashion-mnist into a folder DIR, then
    DEMO_FASHION_MNIST_SOURCE=DIR bash tools/demo.sh
MSG
            exit 1
        fi
    fi
    "$PY" -m mcmi_razor.utils.fashion_mnist_files "$SOURCE" "$DATA_DIR" \
        ${DEMO_ALLOW_SMALL_DATA:+--allow-small}
fi
if [ "${DEMO_STOP_AFTER:-}" = data ]; then
    step "stopped after the data step (DEMO_STOP_AFTER=data)"
    exit 0
fi
if [ "$DATA_DIR" != data/fashion_mnist ]; then
    echo "The configs read data/fashion_mnist; DEMO_DATA_DIR is for the data step only." >&2
    exit 1
fi

step "3/4 teachers and students (tools/mcmi_pipeline.py; finished stages are skipped)"
TIMES=()
[ -f "$RECORD" ] && TIMES=(--stage-times "$RECORD")
"$PY" tools/mcmi_pipeline.py "${TIMES[@]}" \
    --mll-config configs/fashion_mnist/demo/mll_teacher_r20.py \
    --mcmi-config configs/fashion_mnist/demo/mcmi_teacher_r20.py \
    --distill-config configs/fashion_mnist/demo/kd_r20_r8.py \
    --student-config configs/fashion_mnist/students/r8.py \
    --work-dir "$WORK_DIR" --control --resume --seeds 0 --teacher-seed 0 \
    --cfg-options train_dataloader.num_workers=0 test_dataloader.num_workers=0

step "4/4 results"
"$PY" tools/analysis/plot_pipeline_results.py "$WORK_DIR/results.json" \
    --out "$WORK_DIR/demo_results.png"
cat "$WORK_DIR/results.md"
echo
"$PY" tools/demo_record.py write "$WORK_DIR/results.json" "${SETUP[@]}" \
    --demo-seconds $(( $(date +%s) - START ))
step "done: table $WORK_DIR/results.md, figure $WORK_DIR/demo_results.png, record $WORK_DIR/demo_result.json"
