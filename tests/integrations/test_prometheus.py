"""Prometheus range-query matrices (parse_prometheus_matrix): values read, malformed results named."""

import itertools
import json
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payload_examples import T0, matrix, problems, series

from incident_process import PayloadError, UnknownMetricError
from incident_process.integrations import parse_prometheus_matrix

TIME, VALUE = "data.result[0].values[0][0]", "data.result[0].values[0][1]"


def only(*pairs):
    """A matrix of one series with no labels and these [time, value] pairs."""
    return matrix({"metric": {}, "values": list(pairs)})


def test_not_finite_values_are_left_out_and_listed():
    """NaN and infinite values are left out of the samples, and their times listed as not finite."""
    [found] = parse_prometheus_matrix(
        matrix(series({"endpoint": "a"}, ["0.1", "NaN", "+Inf", "-Inf", "0.2"])), metric="error_rate"
    )
    assert [value for _, value in found.samples] == [0.1, 0.2]
    assert found.not_finite == tuple(T0 + timedelta(minutes=m) for m in (1, 2, 3))


@pytest.mark.parametrize(
    ("payload", "path", "message"),
    [
        (
            {"status": "error", "errorType": "bad_data", "error": "parse error"},
            "status",
            "the query failed (bad_data): parse error",
        ),
        (
            {"status": "success", "data": {"resultType": "vector", "result": []}},
            "data.resultType",
            "expected one of 'matrix', got 'vector'",
        ),
        ({"status": "success"}, "data", "missing"),
        (
            matrix({"metric": {}, "histograms": []}),
            "data.result[0].histograms",
            "native histograms are not samples",
        ),
        (
            only([1, "x"]),
            VALUE,
            "expected a number as a string like '0.052', got 'x'",
        ),
        (
            only([1, 0.5]),
            VALUE,
            "expected a number as a string like '0.052', got 0.5",
        ),
        (
            only(["1", "0.5"]),
            TIME,
            "expected a number, got '1'",
        ),
        (
            only([1]),
            "data.result[0].values[0]",
            "expected a [time, value] pair",
        ),
        (
            only([2, "1"], [1, "1"]),
            "data.result[0].values[1][0]",
            "times must increase",
        ),
        (only([1e20, "1"]), TIME, "not a time"),
        (
            only([2**1100, "1"]),
            TIME,
            "out of range: a huge",
        ),
        (
            only([True, "1"]),
            TIME,
            "expected a number, got true",
        ),
        (
            only([1700000000.0000001, "1"], [1700000000.0000002, "1"]),
            "data.result[0].values[1][0]",
            "times must increase",
        ),
        (
            only([1, "1_000"]),
            VALUE,
            "expected a number as a",
        ),
        (
            only([1, "\uff11"]),
            VALUE,
            "expected a number as a",
        ),
        (
            only([1, " 1"]),
            VALUE,
            "expected a number as a",
        ),
        (
            only([1, "1e999"]),
            VALUE,
            "expected a number as a",
        ),
        (matrix({"values": []}), "data.result[0].metric", "missing"),
    ],
)
def test_a_malformed_range_query_names_the_field(payload, path, message):
    """A failed query, another result type, histograms, or a bad time or value names the field."""
    with pytest.raises(PayloadError) as error:
        parse_prometheus_matrix(payload, metric="error_rate")
    [(found_path, found_message)] = problems(error)
    assert found_path == path
    assert found_message.startswith(message)


@pytest.mark.parametrize("metric", ["errors", []])
def test_an_unknown_metric_is_named(metric):
    """A metric the library does not know is refused before the matrix is read."""
    with pytest.raises(UnknownMetricError, match="metric: unknown metric"):
        parse_prometheus_matrix(matrix(), metric=metric)


@pytest.mark.parametrize("value", ["0.052", "5e-2", "+1", "-0", ".5", "1.", "7E+3"])
def test_values_as_prometheus_writes_them_are_read(value):
    """Every way Prometheus writes a number as a string reads as that float."""
    [found] = parse_prometheus_matrix(matrix(series({"endpoint": "a"}, [value])), metric="error_rate")
    assert found.samples[0][1] == float(value)


@given(st.lists(st.floats(0, 1), max_size=30), st.integers(1, 600))
def test_a_matrix_reads_back_the_values_it_holds(values, step):
    """A matrix reads back exactly the values it holds, one step apart."""
    [found] = parse_prometheus_matrix(
        json.dumps(matrix(series({"endpoint": "a"}, [repr(v) for v in values], step=step))),
        metric="error_rate",
    )
    assert [value for _, value in found.samples] == values
    assert all(
        later - earlier == timedelta(seconds=step)
        for (earlier, _), (later, _) in itertools.pairwise(found.samples)
    )
