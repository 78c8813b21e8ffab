"""The one scoping mechanism (SPEC §4).

A person's reach is the union of their grid posts. `grid` compiles it once per
request into a `Scope` (registered with `register_scope_resolver`); every scoped
model's queryset has `visible_to(user, action)`, built from the helpers here, and
one helper fetches a single object answering 404 for both "missing" and "not yours".

Scoped models define a classmethod `scope_q(scope, action) -> Q`, composed from
`student_q`, `room_q` and friends, so that the rule for "which students" is
written once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW = "view"
CHANGE = "change"


@dataclasses.dataclass(frozen=True)
class Scope:
    """What one user reaches, by their posts; ids only, computed once per request."""

    everything: bool = False
    college_ids: frozenset[int] = frozenset()
    class_ids: frozenset[int] = frozenset()
    room_ids: frozenset[int] = frozenset()  # dorm head rooms
    party_room_ids: frozenset[int] = frozenset()  # rooms of the user's party grids
    self_student_id: int | None = None
    # Level 3 and above: who may change records and see sensitive data.
    manage_everything: bool = False
    manage_college_ids: frozenset[int] = frozenset()
    manage_class_ids: frozenset[int] = frozenset()
    granted_student_ids: frozenset[int] = frozenset()  # explicit sensitive-data grants
    is_staff_member: bool = False
    staff_id: int | None = None
    levels: frozenset[int] = frozenset()  # grid levels the user holds (1..5)
    cadre_class_ids: frozenset[int] = frozenset()  # level 2: monitor / league secretary classes
    bed_ids: frozenset[int] = frozenset()  # the beds of room_ids and party_room_ids
    user_id: int | None = None
    focus_college_id: int | None = None  # a view narrowed to one college (?college=, narrowed_to_college)
    # The kinds of post held today and the party-grid places, for policies that ask "does the
    # user hold a post of this kind" without a query of their own (navigation on every page).
    post_kinds: frozenset[str] = frozenset()
    branch_ids: frozenset[int] = frozenset()  # 支部书记
    small_grid_ids: frozenset[int] = frozenset()  # 网格党员
    activist_room_ids: frozenset[int] = frozenset()  # 微网格负责人

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.college_ids
            or self.class_ids
            or self.room_ids
            or self.party_room_ids
            or self.self_student_id
        )

    @property
    def top_level(self) -> int:
        return max(self.levels, default=0)

    def manages(self, *, college_id: int | None, class_id: int | None) -> bool:
        """Level-3+ right over a student of this college and class."""
        return (
            self.manage_everything
            or (college_id is not None and college_id in self.manage_college_ids)
            or (class_id is not None and class_id in self.manage_class_ids)
        )

    # --- the permission vocabulary (issue 10) ----------------------------------------------------
    # Named predicates over the compiled ids, with no queries: every policy.py, nav item, panel and
    # template asks these instead of spelling out the id sets. Each mirrors a `*_q` below, and a test
    # holds them equal for every persona (tests/scoping/test_vocabulary.py).

    @property
    def is_manager(self) -> bool:
        """Level 3 and above somewhere (counselor, class teacher, leader, office): changes records."""
        return self.manage_everything or bool(self.manage_college_ids or self.manage_class_ids)

    @property
    def is_office(self) -> bool:
        """Level 5: the university office (学工部), every college."""
        return self.everything

    def level_at_least(self, level: int) -> bool:
        """Holds a grid post of this level or higher (the office holds level 5)."""
        return self.top_level >= level or (self.everything and level <= 5)

    @property
    def is_grid_worker(self) -> bool:
        """Holds any grid or party-grid post: a dorm head, cadre, party member, activist or staff."""
        return self.level_at_least(1) or bool(self.party_room_ids)

    @property
    def is_plain_student(self) -> bool:
        """A student with no post at all: reaches only themselves."""
        return not self.is_grid_worker and not self.is_staff_member

    def leads_college(self, college_id: int | None = None) -> bool:
        """Level 4+ over this college (or over some college, without an argument)."""
        if self.manage_everything:
            return True
        if college_id is None:
            return bool(self.manage_college_ids)
        return college_id in self.manage_college_ids

    def sees_college(self, college_id: int | None) -> bool:
        """May open the college (as `college_q(scope, VIEW)`)."""
        return self.everything or (college_id is not None and college_id in self.college_ids)

    def sees_class(self, class_id: int | None, college_id: int | None = None) -> bool:
        """May open the class page (as `class_q(scope, VIEW)`): a plain student or a party post
        reaches students, not their classes."""
        return (
            self.everything
            or (class_id is not None and class_id in self.class_ids)
            or (college_id is not None and college_id in self.college_ids)
        )

    def is_manager_of_class(self, class_id: int | None, college_id: int | None = None) -> bool:
        """Level 3+ over the class (as `class_q(scope, CHANGE)`)."""
        return self.manages(college_id=college_id, class_id=class_id)

    def is_manager_of(self, obj) -> bool:
        """Level 3+ over a student, a class or a college (anything with `college_id` and
        `school_class_id`, a class, or a college). Rooms need their residents: `grid.scope`."""
        model = getattr(getattr(obj, "_meta", None), "model_name", None)
        if model == "college":
            return self.leads_college(obj.pk)
        if model == "schoolclass":
            return self.manages(college_id=obj.college_id, class_id=obj.pk)
        return self.manages(college_id=obj.college_id, class_id=obj.school_class_id)

    def sees_student(self, student) -> bool:
        """May open the student's page (as `student_q(scope, "", VIEW)`)."""
        return (
            self.everything
            or student.college_id in self.college_ids
            or (student.school_class_id is not None and student.school_class_id in self.class_ids)
            or (student.bed_id is not None and student.bed_id in self.bed_ids)
            or (self.self_student_id is not None and student.pk == self.self_student_id)
        )

    @property
    def spans_colleges(self) -> bool:
        """Reaches more than one college: lists start with one row per college (issue 12 item 9)."""
        return self.everything or len(self.college_ids) > 1

    def narrowed_to_college(self, college_id: int) -> Scope:
        """The same person's view of one college they see, as its leader sees it: the office
        (or a leader of several colleges) opening one college. Only ever narrows."""
        leads = self.leads_college(college_id)
        return dataclasses.replace(
            self,
            everything=False,
            manage_everything=False,
            college_ids=frozenset({college_id}),
            manage_college_ids=frozenset({college_id}) if leads else frozenset(),
            class_ids=frozenset(),
            manage_class_ids=frozenset(),
            cadre_class_ids=frozenset(),
            room_ids=frozenset(),
            party_room_ids=frozenset(),
            bed_ids=frozenset(),
            self_student_id=None,
            granted_student_ids=frozenset(),
            levels=frozenset({4}) if leads else frozenset(),
            focus_college_id=college_id,
        )

    def is_dorm_head_of(self, room_id: int | None) -> bool:
        return room_id is not None and room_id in self.room_ids


NOTHING = Scope()
EVERYTHING = Scope(everything=True, manage_everything=True, levels=frozenset({5}))

_resolver: Callable | None = None


def register_scope_resolver(resolver: Callable) -> None:
    global _resolver
    _resolver = resolver


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object (one per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    cached = getattr(user, "_campusgrid_scope", None)
    if cached is not None:
        return cached
    if _resolver is None:
        scope = dataclasses.replace(EVERYTHING, user_id=user.pk) if user.is_superuser else NOTHING
    else:
        scope = _resolver(user)
    user._campusgrid_scope = scope
    return scope


def forget_scope(user) -> None:
    # Everything cached from the scope goes with it (managed rooms, visible report ids, counts).
    for name in [n for n in vars(user) if n.startswith("_campusgrid_")]:
        delattr(user, name)


MATCH_NOTHING = Q(pk__in=[])


def _or(parts: list[Q]) -> Q:
    if not parts:
        return MATCH_NOTHING
    result = parts[0]
    for part in parts[1:]:
        result |= part
    return result


def student_q(scope: Scope, path: str = "", action: str = VIEW) -> Q:
    """Students (reached through `path`, e.g. "students__") that the scope covers."""
    if scope.everything and (action == VIEW or scope.manage_everything):
        return ~MATCH_NOTHING
    if action == CHANGE:
        parts = []
        if scope.manage_college_ids:
            parts.append(Q(**{f"{path}college_id__in": scope.manage_college_ids}))
        if scope.manage_class_ids:
            parts.append(Q(**{f"{path}school_class_id__in": scope.manage_class_ids}))
        return _or(parts)
    parts = []
    if scope.college_ids:
        parts.append(Q(**{f"{path}college_id__in": scope.college_ids}))
    if scope.class_ids:
        parts.append(Q(**{f"{path}school_class_id__in": scope.class_ids}))
    if scope.bed_ids:
        # Bed ids, not a join to rooms: every OR branch stays an index lookup
        # (with a join or a subquery, SQLite and PostgreSQL scan every student).
        parts.append(Q(**{f"{path}bed_id__in": scope.bed_ids}))
    if scope.self_student_id:
        parts.append(Q(**{f"{path}id": scope.self_student_id}))
    return _or(parts)


def room_q(scope: Scope, path: str = "", action: str = VIEW) -> Q:
    """Rooms the scope covers: the user's own rooms, and rooms where a student in scope lives.

    Which students live where is `people`'s and `org`'s knowledge, not core's: `grid`
    registers the rule (`register_scope_rule("room", …)` in `grid/scope.py`)."""
    if scope.everything and (action == VIEW or scope.manage_everything):
        return ~MATCH_NOTHING
    return scope_rule("room")(scope, path, action)


_rules: dict[str, Callable] = {}


def register_scope_rule(name: str, rule: Callable) -> None:
    """A scope rule that needs models above core (`rule(scope, path, action) -> Q`)."""
    _rules[name] = rule


def scope_rule(name: str) -> Callable:
    try:
        return _rules[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"no scope rule {name!r} is registered (grid registers them when it loads)"
        )


def college_q(scope: Scope, path: str = "", action: str = VIEW) -> Q:
    if scope.everything and (action == VIEW or scope.manage_everything):
        return ~MATCH_NOTHING
    ids = scope.college_ids if action == VIEW else scope.manage_college_ids
    return Q(**{f"{path}id__in": ids}) if ids else MATCH_NOTHING


def class_q(scope: Scope, path: str = "", action: str = VIEW) -> Q:
    if scope.everything and (action == VIEW or scope.manage_everything):
        return ~MATCH_NOTHING
    parts = []
    colleges = scope.college_ids if action == VIEW else scope.manage_college_ids
    classes = scope.class_ids if action == VIEW else scope.manage_class_ids
    if colleges:
        parts.append(Q(**{f"{path}college_id__in": colleges}))
    if classes:
        parts.append(Q(**{f"{path}id__in": classes}))
    return _or(parts)


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every scoped model: `visible_to(user, action)`.

    The model supplies `scope_q(scope, action)`. When that condition crosses a to-many
    relation (found by walking its lookups; a model may still force it with
    `scope_distinct = True/False`) the filter is applied as subqueries so rows are never
    duplicated. Records that belong to one person whatever their posts (a user's own
    notifications) set `scope_personal = True`: the university office's "everything"
    does not reach them.
    """

    def visible_to(self, user, action: str = VIEW):
        scope = scope_for(user)
        if sees_everything(scope, self.model, action):
            return self
        condition = self.model.scope_q(scope, action)
        distinct = getattr(self.model, "scope_distinct", None)
        if distinct is None:
            distinct = crosses_to_many(self.model, condition)
        if distinct:
            return self.filter(as_subqueries(self.model, condition))
        return self.filter(condition)


_to_many_cache: dict[tuple, bool] = {}


def crosses_to_many(model, condition: Q) -> bool:
    """Whether a lookup of `condition` follows a to-many relation from `model` (a join
    that would repeat the row once per related row)."""
    for child in condition.children:
        if isinstance(child, Q):
            if crosses_to_many(model, child):
                return True
            continue
        lookup = child[0]
        key = (model, lookup)
        if key not in _to_many_cache:
            _to_many_cache[key] = _path_crosses_to_many(model, lookup)
        if _to_many_cache[key]:
            return True
    return False


def _path_crosses_to_many(model, lookup: str) -> bool:
    current = model
    for part in lookup.split("__"):
        if part == "pk":
            return False
        try:
            field = current._meta.get_field(part)
        except Exception:  # a transform or lookup (in, isnull, gte …): the path ends here
            return False
        if not field.is_relation:
            return False
        if field.one_to_many or field.many_to_many:
            return True
        current = field.related_model
    return False


def as_subqueries(model, condition: Q) -> Q:
    """`pk IN (branch 1) OR pk IN (branch 2) …` for a condition that crosses to-many
    relations: each branch keeps only its own joins, so the database answers each from
    an index and no row is repeated (one OR over all the joins makes PostgreSQL scan)."""
    manager = model._default_manager
    if condition.connector == Q.OR and not condition.negated and len(condition.children) > 1:
        branches = [child if isinstance(child, Q) else Q(child) for child in condition.children]
        result = Q(pk__in=manager.filter(branches[0]).values("pk"))
        for branch in branches[1:]:
            result |= Q(pk__in=manager.filter(branch).values("pk"))
        return result
    return Q(pk__in=manager.filter(condition).values("pk"))


def sees_everything(scope, model, action: str = VIEW) -> bool:
    """Whether the scope reaches every row of `model` for `action` (the university office
    reading, a superuser; never a model whose rows are personal)."""
    personal = getattr(model, "scope_personal", False)
    return scope.everything and (action == VIEW or scope.manage_everything) and not personal


def reach_key(user, *models, action: str = VIEW) -> tuple:
    """What `visible_to(user, action)` narrows each model to, as plain values: a cache key that
    everyone of the same reach shares (the leaders of one college) and that changes whenever
    the reach does. Only for models whose rule holds plain ids (no subquery: a queryset in the
    key would be run to be printed) — anything else is refused."""
    scope = scope_for(user)
    key = []
    for model in models:
        if sees_everything(scope, model, action):
            key.append("everything")
        else:
            key.append(_plain(model.scope_q(scope, action)))
    return tuple(key)


def _plain(node):
    if isinstance(node, Q):
        return (node.connector, node.negated, tuple(_plain(child) for child in node.children))
    if isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], str):
        lookup, value = node
        if isinstance(value, (set, frozenset, list, tuple)):
            value = tuple(sorted(value))
        elif not isinstance(value, (str, int, bool, type(None))):
            raise TypeError(f"reach_key: {lookup} holds a {type(value).__name__}, not plain ids")
        return (lookup, value)
    raise TypeError(f"reach_key: unexpected {node!r}")


def get_visible_or_404(queryset, user, action: str = VIEW, **lookup):
    """One object in the user's scope, or 404 whether it is missing or out of reach."""
    try:
        return queryset.visible_to(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到，或不在您的管理范围内")
