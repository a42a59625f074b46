"""``register_all_modules``, the hook MMEngine's ``get_model`` calls."""
from mmengine.registry import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every module that registers into the mcmi_razor registries.

    ``mmengine.hub.get_model('mcmi_razor::cfg.py')`` (how mmrazor builds a
    teacher from ``cfg_path``) calls this.

    Args:
        init_default_scope (bool): Make ``mcmi_razor`` the default scope if
            no scope is current. Defaults to True.
    """
    import mcmi_razor.datasets  # noqa: F401
    import mcmi_razor.engine  # noqa: F401
    import mcmi_razor.evaluation  # noqa: F401
    import mcmi_razor.models  # noqa: F401
    if init_default_scope and DefaultScope.get_current_instance() is None:
        DefaultScope.get_instance('mcmi_razor', scope_name='mcmi_razor')
