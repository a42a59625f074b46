"""Convert a RepDistiller (or official MCMI) checkpoint to an mmpretrain one.

RepDistiller saves ``{'model': state_dict, 'epoch': ..., ...}`` (a bare state
dict is accepted too). The output is ``{'state_dict': ..., 'meta': ...}`` for
``ImageClassifier`` with our CIFAR backbone, ``GlobalAveragePooling`` and
``LinearClsHead`` (keys ``backbone.*`` and ``head.fc.*``), as built by
``configs/_base_/models/<arch>_cifar.py``; use it as ``load_from`` or as an
mmrazor ``teacher_ckpt``. The logic: ``mcmi_razor/models/backbones/
repdistiller_checkpoint.py``. Example::

    python tools/convert_repdistiller_ckpt.py \\
        save/models/resnet56_vanilla/ckpt_epoch_240.pth \\
        checkpoints/resnet56_cifar100.pth --arch resnet56
"""
import sys

try:
    from mcmi_razor.apis.repdistiller_cli import run_converter
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None


def main() -> None:
    sys.exit(run_converter(doc=__doc__))


if __name__ == '__main__':
    main()
