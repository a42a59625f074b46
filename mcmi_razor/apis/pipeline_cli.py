"""The command line of ``tools/mcmi_pipeline.py``: its arguments as the
:class:`~.pipeline.PipelineSettings` to run, here so that tests parse a
command line in-process."""
from typing import List, Optional

from .pipeline import PipelineSettings
from .tool_args import parse_tool_args, tool_parser


def _seed(value: str) -> Optional[int]:
    return None if value == 'none' else int(value)


def parse_pipeline_args(argv: Optional[List[str]] = None,
                        doc: Optional[str] = None) -> PipelineSettings:
    """Parse the pipeline's arguments (``argv`` and ``doc``: see
    :mod:`.tool_args`).

    ``--trust-checkpoint`` is not a setting: parsing it sets
    ``MCMI_TRUST_CHECKPOINTS=1``, which the stages' processes inherit.
    """
    parser = tool_parser(doc, whole_doc=True)
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
    parser.add_argument('--stage-times', metavar='JSON',
                        help="an earlier run's results.json (or the demo "
                        "record): its stage_seconds give the time estimate")
    args = vars(parse_tool_args(parser, argv))
    args.pop('trust_checkpoint')
    return PipelineSettings(**args)
