"""The text reader remembers what each text says (per text, under the report's words) and sets
it against the figures on every run: a 审核 with the readings remembered finds exactly what one
reading every text afresh finds, whatever changed in between."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

from perfdesk.domain.audit import audit
from perfdesk.domain.textcheck import TextReader, arithmetic, reader
from perfdesk.sample import load_sample


def _forget() -> None:
    reader._PARSED.clear()
    reader._VOCABULARIES.clear()
    arithmetic._parts_sum_mismatches.cache_clear()
    arithmetic._change_rate_mismatches.cache_clear()


def _fresh_audit(report):
    _forget()
    return audit(report)


def test_remembered_readings_find_what_fresh_readings_find():
    rng = random.Random(7)
    report = load_sample()
    audit(report)  # every text read and remembered
    for step in range(30):
        report = copy.deepcopy(report)
        what = step % 5
        if what == 0:  # a figure the texts quote
            line = rng.choice(report.budget_lines)
            line.executed = Decimal(rng.randint(0, 500000)) / 100
        elif what == 1:
            project = rng.choice(report.projects)
            project.executed = Decimal(rng.randint(0, 500000)) / 100
            project.prior_final = rng.choice([None, Decimal(0), Decimal("12.5")])
        elif what == 2:  # a word the reading depends on: a project's name
            project = rng.choice(report.projects)
            project.name = f"改名后的项目{step}" if rng.random() < 0.5 else project.name + "项目"
        elif what == 3:  # a text
            section = rng.choice(report.sections)
            section.text += (
                f"项目支出{rng.randint(1, 999)}.12万元，比上年增长{rng.randint(1, 99)}%。"
            )
        else:
            control = rng.choice(report.control_lines)
            control.final = Decimal(rng.randint(0, 9999)) / 100
        remembered = audit(report)
        assert remembered == _fresh_audit(report)
        audit(report)  # and remembered again for the next step


def test_the_memory_is_bounded():
    report = load_sample()
    text_reader = TextReader(report)
    for i in range(reader.PARSED_TEXTS + 50):
        text_reader.read(f"项目支出{i}.00万元。")
    assert len(reader._PARSED) <= reader.PARSED_TEXTS
