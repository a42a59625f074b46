"""Write what one start of an mmengine run leaves in its work dir: the log
file and the logged scalars, as :mod:`mcmi_razor.apis.study.run_logs`
reads them."""
import json
from pathlib import Path
from typing import Dict, Sequence, Union


def write_run_start(work: Union[str, Path], stamp: str, first: str,
                    last: str, scalars: Sequence[Dict] = ()) -> Path:
    """``work/<stamp>/<stamp>.log``, stamped from ``first`` to ``last``
    (``HH:MM:SS`` on 2026/11/26), and ``work/<stamp>/vis_data/
    scalars.json`` with one line per dict of ``scalars``; returns the
    scalars file."""
    run = Path(work) / stamp
    (run / 'vis_data').mkdir(parents=True)
    (run / f'{stamp}.log').write_text(
        f'2026/11/26 {first} - mmengine - INFO - start\n'
        'a line without a stamp\n'
        f'2026/11/26 {last} - mmengine - INFO - end\n')
    path = run / 'vis_data' / 'scalars.json'
    path.write_text(''.join(json.dumps(line) + '\n' for line in scalars))
    return path
