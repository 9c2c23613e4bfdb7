"""scripts/basemap.py: TopoJSON decoded, shared borders simplified once,
land clipped into tiles, and the countries' boxes, on a topology made here."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "basemap.py"


@pytest.fixture(scope="module")
def basemap():
    spec = importlib.util.spec_from_file_location("basemap", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Two neighbours a degree square each, either side of 45°E, sharing one arc
# (the border at 45°E), quantized as TopoJSON stores positions: integers
# from a translate, each the difference from the one before.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.01, 0.01], "translate": [44, 39]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "051", "properties": {"name": "West"}},
                {"type": "Polygon", "arcs": [[-1, 2]], "id": "031", "properties": {"name": "East"}},
            ],
        }
    },
    "arcs": [
        [[100, 0], [0, 50], [1, 50]],  # 45°E from 39°N to 40°N, a hair off straight
        [[101, 100], [-101, 0], [0, -100], [100, 0]],
        [[100, 0], [100, 0], [0, 100], [-99, 0]],
    ],
}


def test_arcs_are_decoded_from_their_quantized_differences(basemap):
    border, *_rest = basemap.decode_arcs(TOPOLOGY)

    assert border == [(45.0, 39.0), (45.0, 39.5), (45.01, 40.0)]


def test_a_ring_follows_its_arcs_and_a_negative_index_runs_one_backwards(basemap):
    arcs = basemap.decode_arcs(TOPOLOGY)

    east = basemap.ring_of([-1, 2], arcs)

    assert east[0] == east[-1] == (45.01, 40.0)
    assert east[1:3] == [(45.0, 39.5), (45.0, 39.0)]


def test_simplifying_drops_what_is_within_the_tolerance_and_keeps_the_ends(basemap):
    line = [(0, 0), (1, 0.01), (2, -0.01), (3, 0), (3, 1)]

    assert basemap.simplify(line, 0.03) == [(0, 0), (3, 0), (3, 1)]


def test_clipping_keeps_the_part_of_a_ring_within_the_box(basemap):
    square = [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]

    clipped = basemap.clip_ring(square, 1, -1, 3, 1)

    assert sorted(set(clipped)) == [(1, 0), (1, 1), (2, 0), (2, 1)]
    assert basemap.clip_ring(square, 5, 5, 6, 6) == []


def test_each_tile_has_the_land_within_it_and_the_lines_across_it(basemap):
    tiles, countries = basemap.build(TOPOLOGY)

    # 45°E is the edge between the 15th and 16th columns from 180°W; 40°N
    # lies in the fourth row from the pole.
    assert sorted(tiles) == ["14-3", "15-3"]
    for svg in tiles.values():
        assert '<g id="land"><path stroke="none" d="M' in svg
        assert '<path fill="none" d="M' in svg
        assert "Natural Earth (public domain)" in svg
    assert (countries["AM"]["name"], countries["AM"]["box"]) == ("West", [44.0, 39.0, 45.01, 40.0])
    assert countries["AM"]["label"] == pytest.approx([44.5, 39.5], abs=0.01)
    assert countries["AZ"]["box"] == [45.0, 39.0, 46.0, 40.0]


def test_positions_are_projected_at_a_hundred_units_to_the_degree(basemap):
    assert basemap.projected(47.15014, 40.61832) == (22715, 4938)
