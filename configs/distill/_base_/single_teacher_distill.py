# mmrazor's SingleTeacherDistill as every distillation config here builds it:
# the student trained through a ConfigurableDistiller (which the method
# configs fill in) next to a frozen teacher given by its config and
# checkpoint. A pair base replaces its student classifier with it:
#   model = dict(_base_.single_teacher_distill, _delete_=True,
#                architecture=_base_.model,
#                teacher=dict(cfg_path=<teacher config>, pretrained=False),
#                teacher_ckpt=<teacher checkpoint>)
# data_preprocessor and val_cfg stay with the configs that inherit the
# dataset and schedule bases (../cifar100_distill.py,
# fashion_mnist/_base_/r20_r8_distill.py): mmengine refuses a key that two
# bases of one config both set.
single_teacher_distill = dict(
    _scope_='mmrazor',
    type='SingleTeacherDistill',
    distiller=dict(type='ConfigurableDistiller'))

# Connectors and the frozen teacher take no gradient on some ranks.
find_unused_parameters = True
