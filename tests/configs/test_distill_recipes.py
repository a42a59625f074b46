"""Every distillation config builds the recipe its comment states.

Each distillation leaf config states its recipe in ``# Built:`` comment
lines (several lines join with ``|``), e.g.
``# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9``. The test
builds the model as the runner does and reads the numbers off the built
modules, not off the config dict: a weight the config never sets (the
student's CE when the student comes from a ``cfg_path``) is checked at the
value the network actually uses.
"""
import re

import pytest

from .conftest import LEAF_CONFIGS, REPO, load_config
from .test_configs_build import build_model

DISTILL = [
    path for path in LEAF_CONFIGS
    if 'SingleTeacherDistill' in (REPO / path).read_text() or
    load_config(path).model.get('type', '').endswith('SingleTeacherDistill')
]


def stated_recipe(path: str) -> dict:
    """{'student CE': w, loss name: {attribute: value}} from the comments."""
    lines = re.findall(r'^# Built: (.*)$', (REPO / path).read_text(), re.M)
    recipe = {}
    for part in ' | '.join(lines).split(' | '):
        if part.startswith('student CE '):
            recipe['student CE'] = float(part.split()[-1])
            continue
        name, _, attributes = part.partition(': ')
        recipe[name] = {
            attribute: float(value)
            for attribute, value in (
                item.rsplit(' ', 1) for item in attributes.split(', '))
        }
    return recipe


def _attribute(module, dotted: str) -> float:
    """``module.a.b`` or ``module.a.b[i]`` (CRD keeps its temperature in a
    buffer: ``contrast.params[1]``)."""
    dotted, _, index = dotted.partition('[')
    for name in dotted.split('.'):
        module = getattr(module, name)
    return float(module[int(index[:-1])] if index else module)


def test_every_distillation_config_is_found():
    assert len(DISTILL) >= 25
    assert 'configs/fashion_mnist/kd_r20_r8.py' in DISTILL


@pytest.mark.parametrize('path', DISTILL)
def test_config_builds_the_recipe_it_states(path):
    recipe = stated_recipe(path)
    assert 'student CE' in recipe, (
        f'{path} states no recipe: add "# Built: student CE <w> | '
        '<loss name>: <attribute> <value>, ..." comment lines')
    model = build_model(load_config(path))
    student_ce = model.student.head.loss_module.loss_weight
    assert student_ce == pytest.approx(recipe.pop('student CE')), (
        f'{path}: the student cross-entropy is built with weight '
        f'{student_ce}')
    losses = model.distiller.distill_losses
    assert set(losses) == set(recipe), (
        f'{path}: builds losses {sorted(losses)}, states {sorted(recipe)}')
    for name, attributes in recipe.items():
        for attribute, value in attributes.items():
            built = _attribute(losses[name], attribute)
            assert built == pytest.approx(value), (
                f'{path}: {name}.{attribute} is built as {built}, '
                f'the comment says {value}')
