"""The demo's record and docs/demo.md from it (tools/demo.sh's last step).

    python tools/demo_record.py write work_dirs/demo_fashion_mnist/results.json
        writes demo_result.json beside it: table, commit, config digests,
        torch, CPU, threads, stage times; says whether the table is the
        one in docs/demo.md, and if not what differs.
    python tools/demo_record.py render \\
        --from work_dirs/demo_fashion_mnist/demo_result.json
        makes that record docs/results/demo_result.json and rewrites
        docs/demo.md's generated block from it (without --from: from the
        committed record as it is).
"""
import shutil

try:
    from mcmi_razor.apis import parse_tool_args, tool_parser
    from mcmi_razor.apis.demo_page import PAGE, update_page
    from mcmi_razor.apis.demo_record import RECORD, write_demo_record
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None


def main() -> None:
    parser = tool_parser(__doc__, whole_doc=True, trust=False)
    commands = parser.add_subparsers(dest='command', required=True)
    write = commands.add_parser('write', help="record a demo run")
    write.add_argument('results', help="the pipeline's results.json")
    write.add_argument('--setup-seconds', type=float)
    write.add_argument('--demo-seconds', type=float)
    render = commands.add_parser('render', help='rewrite docs/demo.md')
    render.add_argument('--from', dest='source', metavar='RECORD',
                        help='a demo_result.json to commit first')
    args = parse_tool_args(parser)
    if args.command == 'write':
        timings = {key: value for key, value in (
            ('setup', args.setup_seconds), ('demo', args.demo_seconds))
            if value is not None}
        print(write_demo_record(args.results, timings))
        return
    if args.source:
        shutil.copyfile(args.source, RECORD)
    update_page(RECORD, PAGE)
    print(f'Rendered {PAGE} from {RECORD}.')


if __name__ == '__main__':
    main()
