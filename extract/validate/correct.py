"""Self-correction: pick OCR candidates that make failing (or unjudgeable) rules hold.

A correction only ever writes a number some OCR candidate of that cell read; nothing is computed
from the arithmetic.  The search is small and greedy:

- targets are cells that sit in a failing rule instance, or are unusable (ambiguous,
  unparseable) and sit in some instance, and have candidate options;
- a trial changes one cell (or two cells that share an instance) to candidate numbers; it is
  acceptable when every instance touching the changed cells that can be judged holds afterwards
  and at least one of them did not hold before -- and when only one did, it must not lean on a
  cell that still sits in a failing rule (a change that leaves one of its own rules failing is
  not trusted: two misreads in one rule need the two-cell trial);
- trials are ranked: fewer changed cells, then more instances gained, then higher candidate
  confidence.  When the two best differ and are within ``tie_margin`` in confidence, nothing is
  chosen (the cells are flagged as ambiguous);
- the best trial is applied, instances re-evaluated, and the search repeats until nothing helps.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .cells import CellKey, Option, Reading
from .invariants import Check, RuleInstance, evaluate
from .settings import ValidateSettings


@dataclass(frozen=True)
class Fix:
    """Cells changed together and the rules that now confirm them."""

    changes: tuple[tuple[CellKey, Option], ...]
    rules: tuple[str, ...]  # names of the instances that hold thanks to the change


@dataclass
class Outcome:
    """What the search did: fixes applied, ties left alone, and the final judgements."""

    fixes: list[Fix] = field(default_factory=list)
    ties: dict[CellKey, str] = field(default_factory=dict)  # cell -> why no candidate was picked
    checks: list[Check | None] = field(default_factory=list)  # per instance, after the fixes
    readings: dict[CellKey, Reading] = field(default_factory=dict)


@dataclass(frozen=True)
class _Trial:
    changes: tuple[tuple[CellKey, Option], ...]
    gained: int
    confidence: float
    held_after: tuple[int, ...]

    def rank(self) -> tuple[int, int, float]:
        return (len(self.changes), -self.gained, -self.confidence)


def _as_reading(option: Option) -> Reading:
    return Reading(option.number, decimals=option.decimals)


def _holds(check: Check | None) -> bool:
    return check is not None and check.holds


def _try(
    changes: tuple[tuple[CellKey, Option], ...],
    touching: Mapping[CellKey, list[int]],
    instances: Sequence[RuleInstance],
    readings: Mapping[CellKey, Reading],
    current: Sequence[Check | None],
    blank_is_zero: bool,
) -> _Trial | None:
    affected = sorted({i for key, _ in changes for i in touching.get(key, ())})
    trial = dict(readings)
    for key, opt in changes:
        trial[key] = _as_reading(opt)
    changed = {key for key, _ in changes}
    gained, leaning, held = 0, 0, []
    for i in affected:
        after = evaluate(instances[i], trial, blank_is_zero)
        if _holds(current[i]) and not _holds(after):
            return None  # never break a rule that held
        if after is not None and not after.holds:
            return None  # a rule of the changed cells still fails: not a confirmed fix
        if _holds(after):
            held.append(i)
            if not _holds(current[i]):
                gained += 1
                leaning += _leans_on_suspects(i, changed, affected, instances, touching, current)
    if gained == 0 or (gained == 1 and leaning == 1):
        return None  # no rule gained, or one that holds only thanks to a suspect cell
    return _Trial(
        changes=changes,
        gained=gained,
        confidence=sum(opt.confidence for _, opt in changes),
        held_after=tuple(held),
    )


def _leans_on_suspects(
    i: int,
    changed: set[CellKey],
    affected: Sequence[int],
    instances: Sequence[RuleInstance],
    touching: Mapping[CellKey, list[int]],
    current: Sequence[Check | None],
) -> bool:
    """Whether instance ``i`` holds only thanks to a cell the trial leaves in a failing rule: a
    row total misread "9.737" (failing its column rule) makes "9.737" for its part look right
    (on a damaged scan that was a wrong "correction" of a right "5.737").  Alone, such a rule
    confirms nothing."""
    for cell in instances[i].cells:
        if cell.key in changed:
            continue
        for j in touching.get(cell.key, ()):
            check = current[j]
            if j not in affected and check is not None and not check.holds:
                return True
    return False


def _targets(
    options: Mapping[CellKey, Sequence[Option]],
    instances: Sequence[RuleInstance],
    touching: Mapping[CellKey, list[int]],
    readings: Mapping[CellKey, Reading],
    current: Sequence[Check | None],
    frozen: set[CellKey],
) -> list[CellKey]:
    failing_cells = {
        c.key
        for i, chk in enumerate(current)
        if chk is not None and not chk.holds
        for c in instances[i].cells
    }
    out = []
    for key, opts in options.items():
        if not opts or key in frozen or key not in touching:
            continue
        r = readings.get(key)
        if key in failing_cells or (r is not None and not r.usable):
            out.append(key)
    return sorted(out)


def _best_trials(
    targets: Sequence[CellKey],
    options: Mapping[CellKey, Sequence[Option]],
    instances: Sequence[RuleInstance],
    touching: Mapping[CellKey, list[int]],
    readings: Mapping[CellKey, Reading],
    current: Sequence[Check | None],
    settings: ValidateSettings,
) -> list[_Trial]:
    trials: list[_Trial] = []
    budget = settings.max_trials
    for key in targets:
        for opt in options[key]:
            t = _try(((key, opt),), touching, instances, readings, current, settings.blank_is_zero)
            budget -= 1
            if t is not None:
                trials.append(t)
    if settings.max_changes >= 2 and not trials:
        for a, b in itertools.combinations(targets, 2):
            if budget <= 0:
                break
            if not set(touching[a]) & set(touching[b]):
                continue  # independent cells: single-cell rounds handle them
            for oa, ob in itertools.product(options[a], options[b]):
                budget -= 1
                t = _try(((a, oa), (b, ob)), touching, instances, readings, current, settings.blank_is_zero)
                if t is not None:
                    trials.append(t)
    trials.sort(key=_Trial.rank)
    return trials


def correct(
    instances: Sequence[RuleInstance],
    readings: Mapping[CellKey, Reading],
    options: Mapping[CellKey, Sequence[Option]],
    settings: ValidateSettings,
) -> Outcome:
    """Run the greedy candidate search (module doc); ``readings`` is not modified."""
    state = dict(readings)
    touching: dict[CellKey, list[int]] = {}
    for i, inst in enumerate(instances):
        for c in inst.cells:
            touching.setdefault(c.key, []).append(i)
    current = [evaluate(inst, state, settings.blank_is_zero) for inst in instances]
    outcome = Outcome()
    frozen: set[CellKey] = set()  # corrected or tied cells are not revisited
    while True:
        targets = _targets(options, instances, touching, state, current, frozen)
        if not targets:
            break
        trials = _best_trials(targets, options, instances, touching, state, current, settings)
        if not trials:
            break
        best = trials[0]
        rivals = [
            t
            for t in trials[1:]
            if t.rank()[:2] == best.rank()[:2]
            and best.confidence - t.confidence < settings.tie_margin
            and t.changes != best.changes
        ]
        if rivals:
            cells = {k for t in (best, *rivals) for k, _ in t.changes}
            readings_txt = "; ".join(
                ", ".join(f"{opt.text!r}" for _, opt in t.changes) for t in (best, *rivals)
            )
            for k in cells:
                outcome.ties[k] = f"several OCR candidates satisfy the rules equally ({readings_txt})"
            frozen |= cells
            continue
        for key, opt in best.changes:
            state[key] = _as_reading(opt)
            frozen.add(key)
        for i in {i for key, _ in best.changes for i in touching[key]}:
            current[i] = evaluate(instances[i], state, settings.blank_is_zero)
        rules = tuple(dict.fromkeys(instances[i].rule for i in best.held_after))
        outcome.fixes.append(Fix(changes=best.changes, rules=rules))
    outcome.checks = current
    outcome.readings = state
    return outcome
