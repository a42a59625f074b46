"""Print the results so far of an evidence study as Markdown.

    python tools/experiments/evidence_report.py study [ROOT]
        the teacher study of docs/results.md (tools/experiments/
        evidence_teachers.sh, evidence_students.sh; default work_dirs/evidence)
    python tools/experiments/evidence_report.py pid [ROOT]
        the PID evidence of docs/pid.md (tools/experiments/pid_evidence.sh;
        default work_dirs/pid_evidence)
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis.experiments.evidence_report import report
from mcmi_razor.apis.experiments.pid_evidence import summary

STUDIES = dict(study=(report, 'work_dirs/evidence'),
               pid=(summary, 'work_dirs/pid_evidence'))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('study', choices=sorted(STUDIES))
    parser.add_argument('root', nargs='?', help='the study\'s work dir')
    args = parser.parse_args()
    write, default_root = STUDIES[args.study]
    print(write(args.root or default_root))


if __name__ == '__main__':
    main()
