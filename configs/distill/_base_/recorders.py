# What the method configs record, named once: ModuleOutputs recorders of
# mmrazor, by the module names of our CIFAR model zoo (both nets of a pair
# are of one family, so a student and its teacher share the recorders).
#
# The logits, the output of each net's classifier layer:
logits_recorders = dict(logits=dict(type='ModuleOutputs', source='head.fc'))
# The output of every stage but the stem (RepDistiller's feat[1:-1]), as f1,
# f2, ...: layer1..layer3 of a CIFAR ResNet, block1..block3 of a WRN (block3
# before the final BN-ReLU, as RepDistiller's f3), block1..block4 of a VGG.
resnet_stage_recorders = {
    f'f{j}': dict(type='ModuleOutputs', source=f'backbone.layer{j}')
    for j in (1, 2, 3)
}
wrn_stage_recorders = {
    f'f{j}': dict(type='ModuleOutputs', source=f'backbone.block{j}')
    for j in (1, 2, 3)
}
vgg_stage_recorders = {
    f'f{j}': dict(type='ModuleOutputs', source=f'backbone.block{j}')
    for j in (1, 2, 3, 4)
}
