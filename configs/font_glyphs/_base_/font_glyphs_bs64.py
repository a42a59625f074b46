# FontGlyphs100 (docs/font_glyphs.md): 100 glyph classes, 32 x 32 RGB,
# rendered from installed fonts into data/font_glyphs/font-glyphs-100 by
#   python tools/dataset_converters/make_font_glyphs.py data/font_glyphs
# Validation: a class-balanced, seeded 10% of the 50,000 training images
# (50 per class, HeldOutDataset part='val') that no model trains on;
# schedules are chosen on it. Test: the 10,000 images of the held-out font
# designs, only for reported numbers. Training: the other 45,000 behind a
# FewShotDataset (fraction 1.0 = all; e.g. 0.2 = 90 per class).
# Augmentation: 4-pixel padded random crops; no flips (a flipped b is a d).
dataset_type = 'FontGlyphs100'
data_root = 'data/font_glyphs'
data_preprocessor = dict(
    num_classes=100,
    # RGB mean/std of the 50,000 training images, 0-255 scale
    mean=[128.155, 127.750, 127.489],
    std=[75.015, 82.035, 73.178],
    to_rgb=False)

glyphs_train = dict(type=dataset_type, data_root=data_root, split='train')
held_out = dict(type='HeldOutDataset', fraction=0.1, seed=2026)

train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='FewShotDataset',
        fraction=1.0,
        seed=0,
        dataset=dict(
            held_out,
            part='train',
            dataset=dict(
                glyphs_train,
                pipeline=[
                    dict(type='RandomCrop', crop_size=32, padding=4),
                    dict(type='PackInputs'),
                ]))),
    sampler=dict(type='DefaultSampler', shuffle=True),
)

val_dataloader = dict(
    batch_size=256,
    num_workers=0,
    dataset=dict(
        held_out,
        part='val',
        dataset=dict(glyphs_train, pipeline=[dict(type='PackInputs')])),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=100),
]

test_dataloader = dict(
    batch_size=256,
    num_workers=0,
    dataset=dict(
        type=dataset_type, data_root=data_root, split='test',
        pipeline=[dict(type='PackInputs')]),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
test_evaluator = val_evaluator
