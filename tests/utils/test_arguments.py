import math

import numpy as np
import pytest

from mcmi_razor.utils.arguments import (
    bool_argument,
    choice_argument,
    integer_argument,
    real_argument,
    text_argument,
)


def test_real_argument_accepts_reals_and_numpy_scalars_as_floats():
    assert real_argument('X', 'a', 3) == 3.0
    assert type(real_argument('X', 'a', np.float32(0.5))) is float
    assert real_argument('X', 'a', 1.0, 0.0, 1.0, high_inclusive=True) == 1.0


@pytest.mark.parametrize('value', [True, np.bool_(False), '0.5', None,
                                   [0.5]])
def test_real_argument_refuses_bools_strings_and_containers(value):
    with pytest.raises(TypeError, match=r'X a must be a real number, got '):
        real_argument('X', 'a', value)


@pytest.mark.parametrize('value, kwargs, interval', [
    (0.0, dict(low=0.0, low_inclusive=False), r'\(0, inf\)'),
    (1.0, dict(low=0.0, high=1.0), r'\[0, 1\)'),
    (math.nan, dict(), r'\[-inf, inf\)'),
    (math.inf, dict(low=0.0), r'\[0, inf\)'),
])
def test_real_argument_names_the_interval(value, kwargs, interval):
    with pytest.raises(ValueError, match=f'finite and in {interval}, got'):
        real_argument('X', 'a', value, hint='Fix it.', **kwargs)


def test_integer_argument():
    assert integer_argument('X', 'n', np.int64(3), 1) == 3
    with pytest.raises(TypeError, match='without a decimal point'):
        integer_argument('X', 'n', 3.0, 1)
    with pytest.raises(TypeError, match=r"got '3' \(str\)"):
        integer_argument('X', 'n', '3', 1)
    with pytest.raises(TypeError, match='X n must be an integer'):
        integer_argument('X', 'n', True, 0)
    with pytest.raises(ValueError, match='X n must be an integer >= 1, got 0'
                       r'\. Hint\.'):
        integer_argument('X', 'n', 0, 1, hint='Hint.')


def test_bool_choice_and_text_arguments():
    assert bool_argument('X', 'b', np.bool_(True)) is True
    with pytest.raises(TypeError, match='True or False'):
        bool_argument('X', 'b', 'False')
    assert choice_argument('X', 'c', 'ema', ('exact', 'ema')) == 'ema'
    with pytest.raises(ValueError, match=r"one of \('exact', 'ema'\)"):
        choice_argument('X', 'c', ['ema'], ('exact', 'ema'))
    with pytest.raises(TypeError, match='non-empty string'):
        text_argument('X', 't', '')
