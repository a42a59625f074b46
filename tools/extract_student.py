"""Turn a distillation checkpoint into a student-only mmpretrain checkpoint.

Usage: python tools/extract_student.py CKPT OUT

Keeps the student (``architecture.*``, prefix removed) and the meta; drops
the teacher, the distiller and the training state. Evaluate the result with
the student's plain config:
    python tools/test.py configs/students/resnet20_cifar100.py OUT
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as error:
    raise SystemExit(
        f'{error}: activate the environment first: source .venv/bin/activate '
        '(or run bash tools/setup_env.sh once to create it).') from None
from mcmi_razor.apis.student_checkpoint import extract_student_file
from mcmi_razor.fileio import add_trust_argument
from mcmi_razor.utils import set_default_cpu_threads


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('checkpoint', help='distillation checkpoint (.pth)')
    parser.add_argument('out', help='student checkpoint to write')
    add_trust_argument(parser)
    args = parser.parse_args()
    set_default_cpu_threads()
    student = extract_student_file(args.checkpoint, args.out)
    print(f'Wrote {args.out}: the student ({len(student["state_dict"])} '
          'tensors) and the meta.')


if __name__ == '__main__':
    main()
