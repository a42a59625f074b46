"""Print the Markdown summary of tools/experiments/pid_evidence.sh.

Usage: python tools/experiments/pid_evidence_report.py [ROOT]
(ROOT defaults to work_dirs/pid_evidence.)
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis.experiments.pid_evidence import summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('root', nargs='?', default='work_dirs/pid_evidence')
    print(summary(parser.parse_args().root))


if __name__ == '__main__':
    main()
