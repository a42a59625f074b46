"""Train a classifier, an MCMI teacher or a distilled student.

Same flags and behaviour as mmpretrain's ``tools/train.py``.
"""
import argparse
import os

try:
    import mcmi_razor  # noqa: F401  (repairs the stack before mmrazor loads)
except ModuleNotFoundError as error:
    raise SystemExit(
        f'{error}: activate the environment first: source .venv/bin/activate '
        '(or run bash tools/setup_env.sh once to create it).') from None
from mmengine.config import Config

from mcmi_razor.apis import (
    CfgOptionsAction,
    apply_dataloader_defaults,
    build_runner,
    check_override_keys,
    check_resume_source,
    resolve_work_dir,
)
from mcmi_razor.fileio import add_trust_argument
from mcmi_razor.utils import set_default_cpu_threads


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='directory for logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from this checkpoint, or, without a path, from the '
        'latest checkpoint in the work dir')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision training')
    parser.add_argument('--no-validate', action='store_true',
                        help='do not evaluate during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr linearly with the total batch size')
    parser.add_argument('--no-pin-memory', action='store_true',
                        help='disable pin_memory in the dataloaders')
    parser.add_argument('--no-persistent-workers', action='store_true',
                        help='disable persistent_workers in the dataloaders')
    parser.add_argument(
        '--cfg-options', nargs='+', action=CfgOptionsAction,
        help='override config entries, e.g. train_cfg.max_epochs=1')
    parser.add_argument(
        '--allow-unknown-keys', action='store_true',
        help='accept --cfg-options top-level keys that neither the config '
        'nor the runner has (otherwise an error: a typo would be ignored)')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    add_trust_argument(parser)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


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
