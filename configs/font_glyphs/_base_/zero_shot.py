# The zero-shot setting of FontGlyphs100: 10 classes, drawn once with
# numpy.random.default_rng(2026).choice(100, 10, replace=False) before any
# run, are left out of a student's training data (never of validation or
# test). A leaf wraps its training set:
#   train_dataloader = dict(dataset=dict(_delete_=True, **_base_.zero_shot,
#                           dataset=<the leaf's training set>))
omitted_classes = [2, 7, 16, 34, 35, 36, 44, 60, 63, 77]
zero_shot = dict(type='ZeroShotDataset', omit_classes=omitted_classes)
