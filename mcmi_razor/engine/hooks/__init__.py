from .class_centroid_hook import ClassCentroidHook, find_mcmi_losses
from .cmi_budget_hook import CMIBudgetHook
from .collapse_guard_hook import CollapseGuardHook, TeacherCollapseError
from .finite_outputs_hook import FiniteOutputsHook, NonFiniteOutputsError
from .pid_hook import PIDHook
from .regime_report_hook import RegimeReportHook
from .rid_phase_hook import RIDPhaseHook

__all__ = ['ClassCentroidHook', 'CMIBudgetHook', 'RegimeReportHook',
           'CollapseGuardHook', 'TeacherCollapseError',
           'find_mcmi_losses', 'RIDPhaseHook', 'PIDHook', 'FiniteOutputsHook',
           'NonFiniteOutputsError']
