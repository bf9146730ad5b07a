"""The JSON Schema is the single definition of the decision-file format."""

from __future__ import annotations

import jsonschema

from conftest import ROOT
from roadmap.core.model import STATUS_FIELDS
from roadmap.core.schema import decision_schema, field_names
from roadmap.sources.yamlfiles import find_files, load_file


def test_the_schema_is_a_valid_json_schema():
    schema = decision_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_every_field_is_described_for_editors():
    properties = decision_schema()["properties"]
    assert [name for name in properties if not properties[name].get("description")] == []


def test_status_specific_fields_exist_in_the_schema():
    assert set(STATUS_FIELDS) <= set(field_names())


def test_every_example_decision_file_names_the_schema_and_validates():
    files = find_files(ROOT / "content" / "roadmap")
    assert len(files) >= 30
    validator = jsonschema.Draft202012Validator(decision_schema())
    for path in files:
        assert path.read_text().startswith("# yaml-language-server: $schema="), path
        record, problem = load_file(path)
        assert problem is None and record is not None
        assert list(validator.iter_errors(record.data)) == [], path


def test_the_example_covers_every_status_and_rule():
    from conftest import EXAMPLE_NOW, NOW
    from roadmap.core.model import Status
    from roadmap.judge.pipeline import Settings, run
    verdict = run(Settings(ROOT / "content" / "roadmap", history=False), EXAMPLE_NOW)
    roadmap = verdict.roadmap
    assert roadmap is not None
    assert {j.status for j in roadmap.items} == set(Status)
    assert any(j.stale_days for j in roadmap.items)
    assert any(j.in_progress for j in roadmap.items)
    assert any(j.waiting_days for j in roadmap.items)
    assert any(len(j.duplicates) > 1 for j in roadmap.items)
    # Candor's own roadmap is true to Candor, so it has no missed target to show and names
    # only the kinds of target it uses; the fixture site shows a missed one and the other kinds.
    fixture = run(Settings(ROOT / "tests" / "fixtures" / "site" / "content" / "roadmap", history=False), NOW).roadmap
    assert fixture is not None
    assert any(j.missed for j in fixture.items)
    from roadmap.core.model import TargetKind
    kinds = {j.item.target.kind for made in (roadmap, fixture) for j in made.items if j.item.target}
    assert kinds == set(TargetKind)


def test_roadmap_json_follows_its_published_schema():
    import json

    import jsonschema

    from conftest import EXAMPLE_NOW, NOW
    from roadmap.judge.pipeline import Settings, run
    from roadmap.render import RenderOptions, render_site

    for folder, now in ((ROOT / "content" / "roadmap", EXAMPLE_NOW),
                        (ROOT / "tests" / "fixtures" / "site" / "content" / "roadmap", NOW)):
        verdict = run(Settings(folder, history=True), now)
        assert verdict.roadmap is not None
        pages = render_site(verdict.roadmap, RenderOptions())
        schema = json.loads(pages["roadmap.schema.json"])
        document = json.loads(pages["roadmap.json"])
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
        assert len(document["items"]) == len(verdict.roadmap.items)
        # Both folders are in this repository's git history, so their items' changes are listed.
        assert any(item["changes"] for item in document["items"])


def test_the_quick_schema_check_agrees_with_jsonschema():
    import jsonschema
    import yaml

    from roadmap.core.schema import decision_schema
    from roadmap.judge.schema_problems import passes_schema
    from test_bad_files import CASES

    checker = jsonschema.validators.validator_for(decision_schema())(decision_schema())
    documents = [yaml.safe_load(p.read_text("utf-8")) for p in (ROOT / "content" / "roadmap").glob("*.yml")]
    for _, text, _ in CASES.values():
        if len(text) > 10_000:
            continue  # the size and nesting limit cases never reach a validator
        try:
            loaded = yaml.load(text, Loader=yaml.BaseLoader)
        except yaml.YAMLError:
            continue
        if isinstance(loaded, dict):
            documents.append(loaded)
    documents += [{"github": 3, "status": "fixed"}, {"github": "a/b#1"}, {"github": True, "status": "fixed"},
                  {"title": "A", "status": "planned", "opened_on": "2026-01-01", "votes": -1},
                  {"title": "A", "status": "planned", "opened_on": "2026-01-01", "areas": ["x", "x"]}]
    documents = [{k: (str(v) if hasattr(v, "isoformat") else v) for k, v in d.items()} for d in documents]
    assert len(documents) > 40
    for document in documents:
        assert passes_schema(document) == checker.is_valid(document), document
