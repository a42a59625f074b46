"""MLL teacher -> MCMI teacher (-> control) -> distilled students -> table.

Trains every stage through tools/train.py, evaluates every teacher and
student on the test split, skips the stages already done, and writes
WORK_DIR/results.md and results.json. The console shows each stage (k/n),
its epoch, iteration and ETA, and the path of its log. Teachers and students
are seeded, so a re-run on the same machine gives the same table. The
stages, the folders and the resume rules: mcmi_razor/apis/pipeline.py.

Example (add data roots etc. with --cfg-options, for every stage):
    python tools/mcmi_pipeline.py \\
        --mll-config configs/mll_teacher_r56.py \\
        --mcmi-config configs/mcmi_teacher_r56.py \\
        --distill-config configs/distill/kd_r56_r20_cifar100.py \\
        --student-config configs/students/resnet20_cifar100.py \\
        --work-dir work_dirs/pipeline_kd_r56_r20 --seeds 0 1 2 --control
"""
import os.path as osp
import sys

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis import parse_tool_args, tool_parser
from mcmi_razor.apis.pipeline import (
    MCMIPipeline,
    PipelineError,
    PipelineSettings,
)


def _seed(value: str):
    return None if value == 'none' else int(value)


def parse_args() -> PipelineSettings:
    # --trust-checkpoint sets MCMI_TRUST_CHECKPOINTS=1, which the stages'
    # processes inherit.
    parser = tool_parser(__doc__, whole_doc=True)
    parser.add_argument('--mll-config', required=True,
                        help='config of the MLL (cross-entropy) teacher')
    parser.add_argument('--mcmi-config', required=True,
                        help='config of the MCMI fine-tune of that teacher')
    parser.add_argument('--distill-config', required=True,
                        help='distillation config (takes model.teacher_ckpt)')
    parser.add_argument('--student-config', required=True,
                        help="the student's plain config, for tools/test.py")
    parser.add_argument('--work-dir', required=True,
                        help='folder of all stages and of the results')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        metavar='KEY=VALUE', help='options for every stage')
    parser.add_argument('--teacher-options', nargs='+', default=[],
                        metavar='KEY=VALUE',
                        help='options for training and testing the teachers')
    parser.add_argument('--student-options', nargs='+', default=[],
                        metavar='KEY=VALUE',
                        help='options for the distillation runs')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0],
                        help='one student per seed and teacher (default: 0)')
    parser.add_argument('--teacher-seed', type=_seed, default=0,
                        help="the teachers' randomness.seed (default: 0; "
                        "'none' keeps the configs' own)")
    parser.add_argument('--control', action='store_true',
                        help='also fine-tune a cross-entropy control teacher')
    parser.add_argument('--resume', action='store_true',
                        help='continue stages that started but did not end')
    args = vars(parse_tool_args(parser))
    args.pop('trust_checkpoint')
    return PipelineSettings(**args)


def main() -> None:
    settings = parse_args()
    pipeline = MCMIPipeline(
        settings, tools_dir=osp.dirname(osp.abspath(__file__)))
    try:
        pipeline.run()
    except PipelineError as error:
        sys.exit(f'mcmi_pipeline: {error}')


if __name__ == '__main__':
    main()
