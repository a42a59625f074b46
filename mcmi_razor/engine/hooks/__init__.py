from .class_centroid_hook import ClassCentroidHook, find_mcmi_losses
from .collapse_guard_hook import CollapseGuardHook, TeacherCollapseError

__all__ = ['ClassCentroidHook', 'CollapseGuardHook', 'TeacherCollapseError',
           'find_mcmi_losses']
