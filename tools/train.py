"""Train a classifier, an MCMI teacher or a distilled student.

Same flags and behaviour as mmpretrain's ``tools/train.py``.
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (repairs the stack before mmrazor loads)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mmengine.config import Config

from mcmi_razor.apis import (
    apply_dataloader_defaults,
    build_runner,
    check_override_keys,
    check_resume_source,
    parse_runner_args,
    resolve_work_dir,
    runner_parser,
)
from mcmi_razor.utils import set_default_cpu_threads


def parse_args() -> argparse.Namespace:
    parser = runner_parser(__doc__, 'train')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from this checkpoint, or, without a path, from the '
        'latest checkpoint in the work dir')
    parser.add_argument('--no-validate', action='store_true',
                        help='do not evaluate during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr linearly with the total batch size')
    parser.add_argument('--no-persistent-workers', action='store_true',
                        help='disable persistent_workers in the dataloaders')
    return parse_runner_args(parser)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config, as mmpretrain's tool does."""
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.launcher = args.launcher
    resolve_work_dir(cfg, args.config, args.work_dir)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    check_resume_source(args.resume, args.cfg_options, cfg.work_dir)
    check_override_keys(cfg, args.cfg_options, args.allow_unknown_keys)
    if args.resume is not None:
        cfg.resume = True
        cfg.load_from = None if args.resume == 'auto' else args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    apply_dataloader_defaults(
        cfg, ('train_dataloader', 'val_dataloader', 'test_dataloader'),
        pin_memory=not args.no_pin_memory,
        persistent_workers=not args.no_persistent_workers)
    return cfg


def main() -> None:
    args = parse_args()
    set_default_cpu_threads()
    cfg = merge_args(Config.fromfile(args.config), args)
    build_runner(cfg).train()


if __name__ == '__main__':
    main()
