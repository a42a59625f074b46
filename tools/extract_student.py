"""Turn a distillation checkpoint into a student-only mmpretrain checkpoint.

Usage: python tools/extract_student.py CKPT OUT

Keeps the student (``architecture.*``, prefix removed) and the meta; drops
the teacher, the distiller and the training state. Evaluate the result with
the student's plain config:
    python tools/test.py configs/students/resnet20_cifar100.py OUT
"""
try:
    from mcmi_razor.apis import parse_tool_args, tool_parser
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis.student_checkpoint import extract_student_file


def main() -> None:
    parser = tool_parser(__doc__, whole_doc=True)
    parser.add_argument('checkpoint', help='distillation checkpoint (.pth)')
    parser.add_argument('out', help='student checkpoint to write')
    args = parse_tool_args(parser)
    student = extract_student_file(args.checkpoint, args.out)
    print(f'Wrote {args.out}: the student ({len(student["state_dict"])} '
          'tensors) and the meta.')


if __name__ == '__main__':
    main()
