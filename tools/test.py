"""Evaluate a checkpoint on the test split of a config.

Same flags and behaviour as mmpretrain's ``tools/test.py``.
"""
try:
    from mcmi_razor.apis import build_runner, merge_test_args, parse_test_args
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
import mmengine
from mmengine.config import Config
from mmengine.evaluator import DumpResults

from mcmi_razor.models.checkpoint_fit import load_fitting


def main() -> None:
    args = parse_test_args(doc=__doc__)
    cfg = merge_test_args(Config.fromfile(args.config), args)
    runner = build_runner(cfg)
    load_fitting(runner.model, args.checkpoint, 'the checkpoint')
    if args.out and args.out_item in ('pred', None):
        runner.test_evaluator.metrics.append(DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if args.out and args.out_item == 'metrics':
        mmengine.dump(metrics, args.out)


if __name__ == '__main__':
    main()
