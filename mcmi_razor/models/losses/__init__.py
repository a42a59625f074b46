from .mcmi_loss import MCMILoss

__all__ = ['MCMILoss']
