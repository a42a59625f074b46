from .runner_cli import (
                         enable_flip_tta,
                         enable_visualization,
                         merge_test_args,
                         merge_train_args,
                         parse_test_args,
                         parse_train_args,
)
from .tool_args import (
                        model_tool_parser,
                        parse_model_args,
                        parse_runner_args,
                        parse_tool_args,
                        runner_parser,
                        tool_parser,
)
from .tool_config import (
                          COLLECTIVE_TIMEOUT_S,
                          RUNNER_KEYS,
                          CfgOptionsAction,
                          apply_dataloader_defaults,
                          bound_collectives,
                          build_runner,
                          check_override_keys,
                          check_resume_source,
                          resolve_work_dir,
)

__all__ = [
    'COLLECTIVE_TIMEOUT_S', 'RUNNER_KEYS', 'CfgOptionsAction',
    'apply_dataloader_defaults', 'bound_collectives', 'build_runner',
    'check_override_keys', 'check_resume_source', 'enable_flip_tta',
    'enable_visualization', 'merge_test_args', 'merge_train_args',
    'model_tool_parser', 'parse_model_args', 'parse_runner_args',
    'parse_test_args', 'parse_tool_args', 'parse_train_args',
    'resolve_work_dir', 'runner_parser', 'tool_parser'
]
