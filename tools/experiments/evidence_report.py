"""Print the results so far of an evidence study as Markdown.

    python tools/experiments/evidence_report.py study [SOURCE]
        the teacher study of docs/results.md (tools/experiments/
        evidence_teachers.sh, evidence_students.sh), from its work dir
        (default work_dirs/evidence) or its records file
        (docs/results/evidence_runs.json, committed)
    python tools/experiments/evidence_report.py study --save-records FILE \
            [--page docs/results.md]
        also write the study's run records to FILE, report from FILE, and
        put the report in the page's generated block (the tables of
        docs/results.md; a test checks that block against the records)
    python tools/experiments/evidence_report.py pid [ROOT]
        the PID evidence of docs/pid.md (tools/experiments/pid_evidence.sh;
        default work_dirs/pid_evidence)
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis.experiments.evidence_report import report, update_page
from mcmi_razor.apis.experiments.evidence_runs import (
    load_records,
    save_records,
)
from mcmi_razor.apis.experiments.pid_evidence import summary

STUDIES = dict(study=(report, 'work_dirs/evidence'),
               pid=(summary, 'work_dirs/pid_evidence'))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('study', choices=sorted(STUDIES))
    parser.add_argument('source', nargs='?',
                        help='the study\'s work dir (or records file)')
    parser.add_argument('--save-records', metavar='FILE',
                        help='study only: write the run records to FILE')
    parser.add_argument('--page', metavar='MD',
                        help='study only: also write the report into the '
                        'generated block of this Markdown page')
    args = parser.parse_args()
    write, default_source = STUDIES[args.study]
    source = args.source or default_source
    if args.study != 'study' and (args.save_records or args.page):
        parser.error('--save-records and --page are for the study, not pid')
    if args.page and not args.save_records:
        parser.error('--page needs --save-records: the page\'s tables are '
                     'the report of the records file it names')
    if args.save_records:
        save_records(load_records(source), args.save_records)
        source = args.save_records
    text = write(source)
    if args.page:
        update_page(args.page, text)
    print(text)


if __name__ == '__main__':
    main()
