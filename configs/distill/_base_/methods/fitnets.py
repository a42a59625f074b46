# FitNets (Romero et al., ICLR 2015) as RepDistiller runs it on CIFAR-100
# (--distill hint -a 0 -b 100, hint_layer 2, trained in one stage):
#   loss = CE(student) + 100 * MSE(r(f2_S), f2_T),
# f2 = the output of each net's second stage (RepDistiller's feat[2]) and
# r = conv-BN-ReLU regressor (RepDistiller's ConvReg, a 1x1 conv when the two
# maps have the same size, as in every pair here).
# A method config names the two stages (f2 of ../recorders.py) and the
# channels:
#   model = dict(distiller=dict(_base_.fitnets_distiller,
#       student_recorders=dict(hint=_base_.resnet_stage_recorders.f2),
#       teacher_recorders=dict(hint=_base_.resnet_stage_recorders.f2),
#       connectors=dict(regressor=dict(_base_.fitnets_regressor,
#                                      in_channel=..., out_channel=...))))
_base_ = ['../recorders.py']

fitnets_distiller = dict(
    distill_losses=dict(
        # sum of squares / number of elements: PyTorch's MSELoss
        loss_hint=dict(
            type='L2Loss', normalize=False, div_element=True,
            loss_weight=100)),
    loss_forward_mappings=dict(
        loss_hint=dict(
            s_feature=dict(
                from_student=True, recorder='hint', connector='regressor'),
            t_feature=dict(from_student=False, recorder='hint'))))
fitnets_regressor = dict(
    type='ConvModuleConnector', kernel_size=1, norm_cfg=dict(type='BN'),
    act_cfg=dict(type='ReLU'))
