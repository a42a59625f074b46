# resnet8 trained alone (labels only) on FontGlyphs100: the no-teacher
# baseline of the students of kd_r20_r8.py (same 10%, schedule
# (./_base_/student_schedule.py) and 40 epochs),
# and the config their extracted checkpoints are tested with. The test adds
# each class's accuracy (`single-label/recall_classwise`, %), from which
# zero-shot runs report their omitted classes.
_base_ = [
    './_base_/models/resnet8_font_glyphs.py',
    './_base_/font_glyphs_bs64.py',
    './_base_/student_schedule.py',
    '../_base_/default_runtime.py',
]

train_dataloader = dict(dataset=dict(fraction=0.1))
test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=100),
    dict(type='SingleLabelMetric', items=('recall', ), average=None),
]
