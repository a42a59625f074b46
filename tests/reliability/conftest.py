"""The fault campaign: bad input and faults tried against the real tools.

Every test here is one *case*. It records exactly one outcome through the
``fault`` fixture and passes only when that outcome is ``clear error`` (the
run stopped with a message naming the problem and the fix) or ``correct``
(the run did the right thing). Any other outcome fails the test and counts
in the summary table printed at the end of the run (and written as JSON to
``$MCMI_FAULT_REPORT`` when set), which ``docs/reliability.md`` documents.
The outcome travels in the test report's ``user_properties`` (so it reaches
the summary from pytest-xdist workers too); ``tests/conftest.py`` prints it.
"""
import pickle
from pathlib import Path
from typing import Callable, Iterable, Optional, Tuple, Type

import pytest

from mcmi_razor.testing.fault_campaign import GOOD, OUTCOMES


class FaultCase:
    """Records the outcome of one case; see the module docstring."""

    def __init__(self, area: str, name: str, properties: list) -> None:
        self.area, self.name, self._properties = area, name, properties
        self.outcome: Optional[str] = None

    def record(self, outcome: str, detail: str = '') -> None:
        """Record ``outcome`` (one of ``OUTCOMES``) and fail unless good."""
        assert outcome in OUTCOMES, f'unknown outcome {outcome!r}'
        assert self.outcome is None, 'a case records one outcome'
        self.outcome = outcome
        self._properties.append(
            ('fault case', dict(area=self.area, case=self.name,
                                outcome=outcome, detail=detail[:300])))
        assert outcome in GOOD, f'{self.name}: {outcome}: {detail}'

    def expect_error(self, call: Callable[[], object],
                     mentions: Iterable[str],
                     types: Tuple[Type[BaseException], ...] = (Exception, )
                     ) -> None:
        """Run ``call``; it must raise ``types`` naming every ``mentions``.

        No exception is a ``silent wrong`` result; an exception whose
        message misses a mention (case-insensitive) is ``unclear``.
        """
        try:
            call()
        except types as error:  # noqa: PERF203
            message = str(error).lower()
            missing = [m for m in mentions if m.lower() not in message]
            if missing:
                self.record('unclear', f'{type(error).__name__}: {error} '
                            f'(does not mention {missing})')
            else:
                self.record('clear error', f'{type(error).__name__}: {error}')
        else:
            self.record('silent wrong', 'no error raised')


@pytest.fixture
def fault(request) -> FaultCase:
    """One campaign case; the area is the test module's name."""
    area = request.node.module.__name__.rsplit('.', 1)[-1]
    area = area.removeprefix('test_')
    case = FaultCase(area, request.node.name, request.node.user_properties)
    yield case
    if case.outcome is None:
        pytest.fail('the case recorded no outcome', pytrace=False)


class _Payload:
    """Unpickling this touches ``marker``: the sign that code ran on load."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker), ))


def write_crafted_checkpoint(path: Path, marker: Path,
                             state_dict: Optional[dict] = None) -> Path:
    """Write a torch checkpoint whose unpickling would create ``marker``.

    The payload sits next to a plausible ``state_dict`` (and ``meta``) so a
    loader that unpickles everything runs it before any format check.
    """
    import torch
    body = dict(state_dict=state_dict or {}, meta=dict(epoch=1),
                payload=_Payload(str(marker)))
    torch.save(body, path, pickle_protocol=pickle.DEFAULT_PROTOCOL)
    return path


@pytest.fixture
def crafted_checkpoint(tmp_path):
    """(checkpoint path, marker path): marker exists iff code ran on load."""
    marker = tmp_path / 'payload_ran'
    return write_crafted_checkpoint(tmp_path / 'crafted.pth', marker), marker


@pytest.fixture
def merged_config():
    """``merged_config(tool, *argv)``: the config ``tools/<tool>.py *argv``
    would run (``tool``: ``'train'`` or ``'test'``), built in-process by the
    parse and merge functions the tool calls (or the error they raise)."""
    from mmengine.config import Config

    from mcmi_razor.apis import (
        merge_test_args,
        merge_train_args,
        parse_test_args,
        parse_train_args,
    )
    tools = dict(train=(parse_train_args, merge_train_args),
                 test=(parse_test_args, merge_test_args))

    def merge(tool: str, *argv: str):
        parse, merge_args = tools[tool]
        args = parse(list(argv))
        return merge_args(Config.fromfile(args.config), args)

    return merge
