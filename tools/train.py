"""Train a classifier, an MCMI teacher or a distilled student.

Same flags and behaviour as mmpretrain's ``tools/train.py``.
"""
try:
    import mcmi_razor  # noqa: F401  (repairs the stack before mmrazor loads)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mmengine.config import Config

from mcmi_razor.apis import build_runner, merge_train_args, parse_train_args
from mcmi_razor.utils import set_default_cpu_threads


def main() -> None:
    args = parse_train_args(doc=__doc__)
    set_default_cpu_threads()
    cfg = merge_train_args(Config.fromfile(args.config), args)
    build_runner(cfg).train()


if __name__ == '__main__':
    main()
