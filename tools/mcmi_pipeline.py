"""MLL teacher -> MCMI teacher (-> control) -> distilled students -> table.

Trains every stage through tools/train.py, evaluates every teacher and
student on the test split, skips the stages already done, and writes
WORK_DIR/results.md and results.json. The console shows each stage (k/n),
its epoch, iteration and ETA, and the path of its log. Teachers and students
are seeded, so a re-run on the same machine gives the same table. The
stages, the folders and the resume rules: mcmi_razor/apis/pipeline.py.

Example (add data roots etc. with --cfg-options, for every stage):
    python tools/mcmi_pipeline.py \\
        --mll-config configs/mll/mll_resnet56_cifar100.py \\
        --mcmi-config configs/mcmi/mcmi_resnet56_cifar100.py \\
        --distill-config configs/distill/kd/kd_resnet56_resnet20_cifar100.py \\
        --student-config configs/students/resnet20_cifar100.py \\
        --work-dir work_dirs/pipeline_kd_resnet56_resnet20 \\
        --seeds 0 1 2 --control
"""
import os.path as osp
import sys

try:
    from mcmi_razor.apis.pipeline import MCMIPipeline, PipelineError
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis.pipeline_cli import parse_pipeline_args


def main() -> None:
    pipeline = MCMIPipeline(parse_pipeline_args(doc=__doc__),
                            tools_dir=osp.dirname(osp.abspath(__file__)))
    try:
        pipeline.run()
    except PipelineError as error:
        sys.exit(f'mcmi_pipeline: {error}')


if __name__ == '__main__':
    main()
