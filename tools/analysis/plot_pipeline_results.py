"""Figure of a ``tools/mcmi_pipeline.py`` run: teacher top-1 and CMI, and
the top-1 of the students distilled from each teacher, on zero-based axes,
with a caption saying what was run (data fraction, epochs, seeds).

    python tools/analysis/plot_pipeline_results.py WORK_DIR/results.json \\
        --out WORK_DIR/results.png
"""
import json

try:
    from mcmi_razor.apis import parse_tool_args, tool_parser
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis.pipeline_caption import pipeline_caption
from mcmi_razor.evaluation.analysis.plots import plot_pipeline_results


def main() -> None:
    parser = tool_parser(__doc__, trust=False)
    parser.add_argument('results', help="the pipeline's results.json")
    parser.add_argument('--out', required=True, help='PNG file to write')
    parser.add_argument('--caption',
                        help='caption under the figure (default: data '
                        'fraction, epochs and seeds read from the configs)')
    args = parse_tool_args(parser)
    with open(args.results) as f:
        results = json.load(f)
    caption = args.caption or pipeline_caption(results)
    plot_pipeline_results(results, args.out, caption)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
