"""Train a classifier, an MCMI teacher or a distilled student.

Same flags and behaviour as mmpretrain's ``tools/train.py``.
"""
try:
    from mcmi_razor.apis import (
        build_runner,
        merge_train_args,
        parse_train_args,
    )
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mmengine.config import Config


def main() -> None:
    args = parse_train_args(doc=__doc__)
    build_runner(merge_train_args(Config.fromfile(args.config), args)).train()


if __name__ == '__main__':
    main()
