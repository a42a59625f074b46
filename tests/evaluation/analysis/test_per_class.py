"""Per-class accuracy and the rows that mark omitted classes."""
import math

import pytest
import torch

from mcmi_razor.evaluation.analysis import (
    markdown_table,
    mean_std,
    per_class_accuracy,
    per_class_rows,
)
from mcmi_razor.evaluation.analysis.tables import format_mean_std


def test_per_class_accuracy_counts_each_class_separately():
    labels = torch.tensor([0, 0, 0, 0, 1, 1, 2])
    preds = torch.tensor([0, 0, 1, 2, 1, 0, 2])
    acc = per_class_accuracy(preds, labels, num_classes=4)
    assert acc[:3].tolist() == pytest.approx([50.0, 50.0, 100.0])
    assert math.isnan(acc[3])  # no sample of class 3


def test_per_class_accuracy_from_logits_uses_the_argmax():
    labels = torch.tensor([0, 1, 1])
    logits = torch.tensor([[2., 1.], [3., 0.], [0., 1.]])
    assert per_class_accuracy(logits, labels).tolist() == [100.0, 50.0]


def test_rows_mark_the_omitted_classes_and_keep_names():
    rows = per_class_rows(torch.tensor([90., 0., 40.]), ['a', 'b', 'c'],
                          omitted=[1])
    assert [r['omitted'] for r in rows] == [False, True, False]
    assert [r['name'] for r in rows] == ['a', 'b', 'c']
    assert rows[1]['accuracy'] == 0.0


def test_rows_reject_a_wrong_number_of_names():
    with pytest.raises(ValueError, match='class names'):
        per_class_rows(torch.zeros(3), ['a', 'b'])


def test_mean_std_uses_the_sample_std_and_marks_missing_seeds():
    stats = mean_std([1.0, 2.0, 3.0])
    assert stats == dict(mean=2.0, std=1.0, n=3)
    assert format_mean_std([1.0, 3.0], expected_n=3) == '2.00 ± 1.41 (n=2)'
    assert format_mean_std([]) == '-'
    assert format_mean_std([84.1], expected_n=3) == '84.10 (n=1)'


def test_markdown_table_formats_numbers_and_missing_cells():
    text = markdown_table([dict(a='x', b=1.23456), dict(a='y')], ['a', 'b'],
                          digits=2)
    assert text.splitlines() == ['| a | b |', '|---|---|', '| x | 1.23 |',
                                 '| y | - |']
