"""PID of a teacher and students: what is distilled, what is left.

Red(Y:T,S) (already distilled) and Uni(Y:T\\S) (still distillable), in
bits, of pooled penultimate features (or logits) on a split, against one
frozen teacher codebook (docs/pid.md). Writes pid_report.md/.json/.png.

Teacher and students from configs and checkpoints:
    python tools/analysis/pid_report.py \\
        --teacher configs/fashion_mnist/mll_teacher_r20.py T.pth \\
        --student KD configs/fashion_mnist/kd_r20_r8.py KD/epoch_15.pth \\
        --out-dir work_dirs/pid
or every checkpoint of a distillation run (teacher from its checkpoints):
    python tools/analysis/pid_report.py --work-dir work_dirs/kd_r20_r8
"""
try:
    from mcmi_razor.apis import parse_tool_args, tool_parser
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mmengine.config import DictAction

from mcmi_razor.evaluation.pid.report import run_report


def main() -> None:
    parser = tool_parser(__doc__, whole_doc=True)
    parser.add_argument('--teacher', nargs=2, metavar=('CONFIG', 'CKPT'))
    parser.add_argument('--student', nargs=3, action='append', default=[],
                        metavar=('NAME', 'CONFIG', 'CKPT'),
                        help='repeatable; a distillation config or '
                        'checkpoint gives its student')
    parser.add_argument('--work-dir', help='a distillation run: every '
                        'epoch_*/iter_*.pth against its teacher')
    parser.add_argument('--config', help='config of --work-dir (default: '
                        'the one MMEngine dumped there)')
    parser.add_argument('--split', default='test', choices=['test', 'val'])
    parser.add_argument('--feature', default='penultimate',
                        choices=['penultimate', 'logits'])
    parser.add_argument('--teacher-layer', help='default: neck (or '
                        'backbone), head for --feature logits')
    parser.add_argument('--student-layer', help='as --teacher-layer')
    parser.add_argument('--k', default='auto',
                        type=lambda v: v if v == 'auto' else int(v))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--bootstrap', type=int, default=0,
                        help='bootstrap draws for 95%% intervals')
    parser.add_argument('--batch-size', type=int, default=256)
    parser.add_argument('--out-dir', help='default: <work-dir>/pid or '
                        'work_dirs/pid_report')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='overrides for every config')
    options = vars(parse_tool_args(parser))
    options.pop('trust_checkpoint')  # applied while parsing
    print(run_report(**options))


if __name__ == '__main__':
    main()
