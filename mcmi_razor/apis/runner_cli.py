"""The command lines of ``tools/train.py`` and ``tools/test.py``.

Each tool parses its arguments (:func:`parse_train_args`,
:func:`parse_test_args`), applies them to the config
(:func:`merge_train_args`, :func:`merge_test_args`) as mmpretrain's tools
do, and builds the runner; the functions live here so that tests and other
code can check what a command line would run without starting the tool.
"""
import argparse
from copy import deepcopy
from typing import List, Optional

from mmengine.config import Config, ConfigDict

from .tool_args import parse_runner_args, runner_parser
from .tool_config import (
    apply_dataloader_defaults,
    check_override_keys,
    check_resume_source,
    resolve_work_dir,
)


def parse_train_args(argv: Optional[List[str]] = None,
                     doc: Optional[str] = None) -> argparse.Namespace:
    """Parse ``tools/train.py``'s arguments (``argv`` and ``doc``: see
    :mod:`.tool_args`)."""
    parser = runner_parser(doc, 'train')
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
    return parse_runner_args(parser, argv)


def merge_train_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply :func:`parse_train_args`' result to ``cfg``, as mmpretrain's
    ``tools/train.py`` does, after refusing unknown ``--cfg-options`` keys
    and an ambiguous ``--resume``."""
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


def parse_test_args(argv: Optional[List[str]] = None,
                    doc: Optional[str] = None) -> argparse.Namespace:
    """Parse ``tools/test.py``'s arguments (``argv`` and ``doc``: see
    :mod:`.tool_args`)."""
    parser = runner_parser(doc, 'test')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='file to write results to')
    parser.add_argument(
        '--out-item', choices=['metrics', 'pred'],
        help="what --out holds: 'metrics' or per-sample 'pred' (default)")
    parser.add_argument('--show-dir',
                        help='directory to save visualised predictions')
    parser.add_argument('--show', action='store_true',
                        help='show predictions in a window')
    parser.add_argument('--interval', type=int, default=1,
                        help='visualise every n-th sample')
    parser.add_argument('--wait-time', type=float, default=2,
                        help='seconds each shown image stays')
    parser.add_argument('--tta', action='store_true',
                        help='test-time augmentation (flip), averaged scores')
    args = parse_runner_args(parser, argv)
    if args.out_item is not None and args.out is None:
        parser.error('--out-item needs --out to name the output file.')
    return args


def enable_visualization(cfg: Config, args: argparse.Namespace) -> None:
    """Switch on the config's ``VisualizationHook`` with ``--show``,
    ``--show-dir``, ``--interval`` and ``--wait-time``."""
    if 'visualization' not in cfg.default_hooks:
        raise ValueError(
            '--show/--show-dir need default_hooks.visualization=dict('
            "type='VisualizationHook') in the config.")
    cfg.default_hooks.visualization.update(
        enable=True, show=args.show, wait_time=args.wait_time,
        out_dir=args.show_dir, interval=args.interval)


def enable_flip_tta(cfg: Config) -> None:
    """Test on each image and its horizontal flip, averaging the scores
    (the config's own ``tta_model``/``tta_pipeline`` win)."""
    cfg.setdefault('tta_model', dict(type='mmpretrain.AverageClsScoreTTA'))
    if 'tta_pipeline' not in cfg:
        pipeline = deepcopy(cfg.test_dataloader.dataset.pipeline)
        pipeline[-1] = dict(
            type='TestTimeAug',
            transforms=[[dict(type='RandomFlip', prob=1.),
                         dict(type='RandomFlip', prob=0.)], [pipeline[-1]]])
        cfg.tta_pipeline = pipeline
    cfg.model = ConfigDict(**cfg.tta_model, module=cfg.model)
    cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline


def merge_test_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply :func:`parse_test_args`' result to ``cfg``, as mmpretrain's
    ``tools/test.py`` does, after refusing unknown ``--cfg-options``
    keys."""
    cfg.launcher = args.launcher
    resolve_work_dir(cfg, args.config, args.work_dir)
    cfg.load_from = args.checkpoint
    if args.amp:
        cfg.test_cfg.fp16 = True
    if args.show or args.show_dir is not None:
        enable_visualization(cfg, args)
    if args.tta:
        enable_flip_tta(cfg)
    check_override_keys(cfg, args.cfg_options, args.allow_unknown_keys)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    apply_dataloader_defaults(cfg, ('test_dataloader', ),
                              pin_memory=not args.no_pin_memory,
                              persistent_workers=False)
    return cfg
