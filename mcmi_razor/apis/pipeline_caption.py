"""The caption of a pipeline figure: what was run (data fraction, epochs,
seeds), read from the configs and options in its ``results.json``."""
from typing import Dict, List

from mmengine.config import Config

from .pipeline import parse_options


def _schedule(config: str, options: List[str]) -> Dict:
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(parse_options(options))
    dataset = cfg.get('train_dataloader', {}).get('dataset', {})
    return dict(epochs=cfg.get('train_cfg', {}).get('max_epochs'),
                fraction=dataset.get('fraction'))


def _data(fraction) -> str:
    if fraction is None:
        return 'the whole training set'
    return f'a class-balanced {fraction:.0%} of the training set'


def pipeline_caption(results: Dict) -> str:
    """E.g. 'Teachers: 5% of the training set, MLL 6 epochs, then 2 epochs
    of MCMI / control fine-tune (seed 0). Students: ... 1 seed (0): no error
    bars. Tested on the full test split.'"""
    s = results['settings']
    common = list(s.get('cfg_options', []))
    teacher = common + list(s.get('teacher_options', []))
    mll = _schedule(s['mll_config'], teacher)
    mcmi = _schedule(s['mcmi_config'], teacher)
    student = _schedule(s['distill_config'],
                        common + list(s.get('student_options', [])))
    seeds = s['seeds']
    fine_tunes = 'MCMI / control' if 'control' in results['teachers'] \
        else 'MCMI'
    teacher_seed = s.get('teacher_seed')
    seeded = '' if teacher_seed is None else f' (seed {teacher_seed})'
    spread = ('no error bars' if len(seeds) < 2 else
              'error bars: std over seeds')
    return (f'Teachers: {_data(mll["fraction"])}, MLL {mll["epochs"]} '
            f'epochs, then {mcmi["epochs"]} epochs of {fine_tunes} '
            f'fine-tune{seeded}. Students: {_data(student["fraction"])}, '
            f'{student["epochs"]} epochs, {len(seeds)} seed'
            f'{"s" if len(seeds) > 1 else ""} '
            f'({", ".join(map(str, seeds))}): {spread}. '
            'Tested on the full test split.')
