"""Evaluate a checkpoint on the test split of a config.

Same flags and behaviour as mmpretrain's ``tools/test.py``.
"""
import argparse
from copy import deepcopy

try:
    import mcmi_razor  # noqa: F401  (repairs the stack before mmrazor loads)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
import mmengine
from mmengine.config import Config, ConfigDict
from mmengine.evaluator import DumpResults

from mcmi_razor.apis import (
    apply_dataloader_defaults,
    build_runner,
    check_override_keys,
    parse_runner_args,
    resolve_work_dir,
    runner_parser,
)
from mcmi_razor.models.checkpoint_fit import load_fitting
from mcmi_razor.utils import set_default_cpu_threads


def parse_args() -> argparse.Namespace:
    parser = runner_parser(__doc__, 'test')
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
    args = parse_runner_args(parser)
    if args.out_item is not None and args.out is None:
        parser.error('--out-item needs --out to name the output file.')
    return args


def enable_visualization(cfg: Config, args: argparse.Namespace) -> None:
    if 'visualization' not in cfg.default_hooks:
        raise ValueError(
            '--show/--show-dir need default_hooks.visualization=dict('
            "type='VisualizationHook') in the config.")
    cfg.default_hooks.visualization.update(
        enable=True, show=args.show, wait_time=args.wait_time,
        out_dir=args.show_dir, interval=args.interval)


def enable_flip_tta(cfg: Config) -> None:
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


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config, as mmpretrain's tool does."""
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


def main() -> None:
    args = parse_args()
    set_default_cpu_threads()
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = build_runner(cfg)
    load_fitting(runner.model, args.checkpoint, 'the checkpoint')
    if args.out and args.out_item in ('pred', None):
        runner.test_evaluator.metrics.append(DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if args.out and args.out_item == 'metrics':
        mmengine.dump(metrics, args.out)


if __name__ == '__main__':
    main()
