"""``ForkedPool``: batches worked by forked processes and answered in order, to one writer."""

import os
import sys

import pytest

from leadboard.forked import ForkedPool

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def test_two_workers_answer_each_batch_in_order_from_other_processes():
    batches = [[n, n + 1] for n in range(0, 40, 2)]

    with ForkedPool(lambda batch: [(n * n, os.getpid()) for n in batch], workers=2) as pool:
        answered = list(pool.map(batches))

    assert [batch for batch, _ in answered] == batches
    assert [square for _, results in answered for square, _ in results] == [
        n * n for n in range(40)
    ]
    assert os.getpid() not in {pid for _, results in answered for _, pid in results}


def test_batches_read_before_a_failing_reader_are_answered_then_its_error_raised():
    def batches():
        yield [1, 2]
        yield [3]
        raise OSError("the dump became unreadable")

    answered = []
    with (
        ForkedPool(lambda batch: [n * 10 for n in batch], workers=2) as pool,
        pytest.raises(OSError, match="unreadable"),
    ):
        for _, results in pool.map(batches()):
            answered.append(results)

    assert answered == [[10, 20], [30]]  # what was read is stored before the import fails
