"""Figure of a ``tools/mcmi_pipeline.py`` run: teacher top-1 and CMI, and
the top-1 of the students distilled from each teacher.

    python tools/analysis/plot_pipeline_results.py WORK_DIR/results.json \\
        --out WORK_DIR/results.png
"""
import argparse
import json

from mcmi_razor.evaluation.analysis.plots import plot_pipeline_results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('results', help="the pipeline's results.json")
    parser.add_argument('--out', required=True, help='PNG file to write')
    args = parser.parse_args()
    with open(args.results) as f:
        plot_pipeline_results(json.load(f), args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
