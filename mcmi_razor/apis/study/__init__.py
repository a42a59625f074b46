"""The toolkit of a study: what its scripts and report share, so that a
new study (``experiments/<study>/``) copies none of it.

Paired differences and their 95% t-interval (:mod:`.intervals`)::

    paired_interval(differences) -> (mean, low, high)   # NaN bounds if n < 2
    paired_differences(runs, baseline, metric) -> [runs[k][metric] - ...]
    format_interval(low, high, digits=2) -> '[-0.31, +0.34]' or '-'
    t_975(dof) -> float

What a finished run left in its work dir (:mod:`.run_logs`)::

    read_test_metrics(work, required=('accuracy/top1',)) -> dict
    last_logged(work) -> {scalar: last value}
    training_minutes(work) -> float or None
    read_json(path, fix) -> the JSON, or an error naming the file and fix

Run records, committed as JSON (:mod:`.records`)::

    RECORDS = RecordsFile(study='my', writer='experiments/my/records.py',
                          groups=dict(teachers=('top1', 'cmi'),
                                      students=('top1', 'val'),
                                      schedule=None))
    RECORDS.save(records, path)   # checked, atomic, sorted, no NaN
    RECORDS.load(path)            # refuses a damaged file or a wrong field
    RECORDS.check(records, source)

Report rendering (:mod:`mcmi_razor.evaluation.analysis.tables`, the
generated block of :mod:`mcmi_razor.fileio.generated_block`, and
:mod:`.pages`)::

    markdown_table(rows, columns, headers=None, digits=4) -> str
    format_mean_std(values, digits=2, expected_n=None) -> '84.10 ± 0.52'
    mean_std(values) -> dict(mean, std, n)
    block_span(page, begin, end) -> (start, stop)
    replace_block(page, begin, end, text) -> page
    update_page(path, begin, end, text)   # rewrites the page's block

Resumable stages through ``tools/train.py`` and ``tools/test.py``
(:mod:`.resumable`; run from the repository root)::

    train_stage(work_dir, config, final, log_file, options=(), *,
                flags=(), python=sys.executable, tools_dir='tools',
                env=None, run=None, echo=console) -> bool   # True: trained
    evaluate_stage(work_dir, config, checkpoint, log_file, options=(),
                   ...) -> bool                          # True: tested
    train_command(...), evaluate_command(...) -> the command lists
"""
from mcmi_razor.evaluation.analysis.tables import (
    format_mean_std,
    markdown_table,
    mean_std,
)
from mcmi_razor.fileio import block_span, replace_block

from .intervals import (
    format_interval,
    paired_differences,
    paired_interval,
    t_975,
)
from .pages import update_page
from .records import Records, RecordsFile
from .resumable import (
    evaluate_command,
    evaluate_stage,
    train_command,
    train_stage,
)
from .run_logs import (
    TEST_METRICS,
    last_logged,
    read_json,
    read_test_metrics,
    training_minutes,
)

__all__ = [
    'Records', 'RecordsFile', 'TEST_METRICS', 'block_span',
    'evaluate_command', 'evaluate_stage', 'format_interval',
    'format_mean_std', 'last_logged', 'markdown_table', 'mean_std',
    'paired_differences', 'paired_interval', 'read_json',
    'read_test_metrics', 'replace_block', 't_975', 'train_command',
    'train_stage', 'training_minutes', 'update_page'
]
